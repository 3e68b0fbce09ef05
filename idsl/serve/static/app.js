// The workbench page: open, edit and save a spec; its diagnostics and scoring table as you type; the
// evaluator's form with live scores; downloads. Every number and text comes from the server.
"use strict";

const $ = (id) => document.getElementById(id);
const esc = (text) => IdslEditor.escapeHtml(String(text ?? ""));
const state = { keywords: [], path: null, hash: null, saved: null, check: null, form: null, cells: {}, notes: {},
                sequence: 0, scoreSequence: 0, view: "author", scoreTimer: null, checking: false, again: false, drawn: null, table: null };

async function api(method, url, body) {
  const options = { method, headers: {} };
  if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
  const reply = await fetch(url, options);
  const type = reply.headers.get("Content-Type") || "";
  if (!reply.ok) {
    const data = type.includes("json") ? await reply.json() : { error: reply.statusText };
    throw new Error(data.error || `HTTP ${reply.status}`);
  }
  return type.includes("json") ? reply.json() : reply;
}

function status(text, kind = "") { const s = $("status"); s.textContent = text; s.className = kind; }

// ---------------------------------------------------------------- files

async function listFiles(select) {
  const data = await api("GET", "/api/files");
  const menu = $("files");
  menu.innerHTML = data.files.map((f) => `<option value="${esc(f)}">${esc(f)}</option>`).join("");
  if (select) menu.value = select;
  if (data.truncated) status(`文件太多，只列出前 ${data.files.length} 个。`);
  return data.files;
}

async function openFile(path) {
  try {
    const data = await api("GET", `/api/file?path=${encodeURIComponent(path)}`);
    load(data.path, data.text, data.hash);
    status(`已打开 ${data.path}`);
  } catch (err) { status(err.message, "error"); }
}

function load(path, text, hash) {
  state.path = path; state.hash = hash; state.saved = text; state.cells = {}; state.notes = {};
  const source = $("source");
  source.disabled = false; source.value = text;
  $("table").innerHTML = ""; $("table").classList.remove("stale"); state.table = null;
  document.title = `${path} — idsl 工作台`;
  refresh(); check();
}

async function save() {
  if (!state.path) return;
  const text = $("source").value;
  try {
    const data = await api("POST", "/api/save", { path: state.path, text, hash: state.hash });
    state.hash = data.hash; state.saved = text; refresh();
    status(data.message, "ok");
  } catch (err) { status(`没有保存：${err.message}`, "error"); }
}

async function create() {
  const name = prompt("新文件名（在工作目录内，以 .idsl 结尾）：", "新体系.idsl");
  if (!name) return;
  const text = '体系 "新的绩效评价指标体系" 总分 10\n等级 优：总分 ≥ 9；良：8 ≤ 总分 < 9；中：6 ≤ 总分 < 8；差：总分 < 6\n\n决策（10）\n  目标设定（10）\n    绩效目标合理性（10）\n      解释 主要考察绩效目标是否明确。\n      酌情\n';
  try {
    const data = await api("POST", "/api/save", { path: name, text, hash: null });
    await listFiles(data.path);
    load(data.path, text, data.hash);
    status(`已新建 ${data.path}`, "ok");
  } catch (err) { status(`没有新建：${err.message}`, "error"); }
}

// ---------------------------------------------------------------- the editor and its diagnostics

const MARGIN = 40;  // lines drawn above and below the ones in view, so that scrolling rarely redraws

function refresh() {
  drawEditor();
  $("save").disabled = !state.path || $("source").value === state.saved;
}

// The highlighted copy and the line numbers are drawn for the lines in view (and a margin) only.
function drawEditor() {
  const source = $("source");
  const text = source.value;
  const line = lineHeight();
  const first = Math.max(0, Math.floor(source.scrollTop / line) - MARGIN);
  const last = Math.ceil((source.scrollTop + source.clientHeight) / line) + MARGIN;
  const diagnostics = state.check ? state.check.diagnostics.filter((d) => d.file === state.path) : [];
  $("highlight-text").innerHTML = IdslEditor.render(text, state.keywords, diagnostics, first, last);
  $("gutter-text").textContent = IdslEditor.gutter(text, first, last);
  state.drawn = { first, last };
  place();
}

function lineHeight() { return parseFloat(getComputedStyle($("source")).lineHeight) || 20; }

// On scrolling: the drawn lines are moved, and drawn again when lines outside them come into view.
function syncScroll() {
  const source = $("source");
  const line = lineHeight();
  const top = Math.floor(source.scrollTop / line), bottom = Math.ceil((source.scrollTop + source.clientHeight) / line);
  if (!state.drawn || top < state.drawn.first || bottom > state.drawn.last) drawEditor();
  else place();
}

// The copies under the textarea are moved, not scrolled: their own scroll range may differ from the
// textarea's (its scroll bars take room), and a copy that cannot scroll as far would drift.
function place() {
  const source = $("source");
  const offset = state.drawn.first * lineHeight() - source.scrollTop;
  $("highlight-text").style.transform = `translate(${-source.scrollLeft}px, ${offset}px)`;
  $("gutter-text").style.transform = `translateY(${offset}px)`;
}

// A keystroke is checked at once; keystrokes while an answer is awaited only note that the text
// changed, and the newest text is checked when the answer arrives: no pause, never a queue.
function scheduleCheck() {
  if (state.checking) { state.again = true; return; }
  state.checking = true;
  check().finally(() => {
    state.checking = false;
    if (state.again) { state.again = false; scheduleCheck(); }
  });
}

async function check() {
  if (!state.path) return;
  const sequence = ++state.sequence;
  const text = $("source").value;
  // The form is asked for only in the evaluator's view (a keystroke in the author's view does not need it).
  const withForm = state.view === "evaluator";
  let data;
  try { data = await api("POST", "/api/check", { path: state.path, text, form: withForm }); }
  catch (err) { status(err.message, "error"); return; }
  if (sequence !== state.sequence) return;  // an older answer arriving late
  state.check = data;
  refresh();
  showDiagnostics(data);
  showTable(data);
  if (!withForm) { state.form = null; return; }  // asked for again when the evaluator's view opens
  if (data.form) { state.form = data.form; buildForm(); scheduleScore(); }
}

function showDiagnostics(data) {
  const summary = $("summary");
  summary.textContent = `${data.errors} 个错误，${data.warnings} 个警告` + (data.more ? `（另有 ${data.more} 条未列出）` : "");
  summary.className = data.errors ? "bad" : "clean";
  $("diagnostics").innerHTML = data.diagnostics.map((d, i) => `
    <li class="${d.severity}" data-index="${i}" data-line="${d.line}">
      <span class="code">${d.severity === "error" ? "error" : "warning"}[${esc(d.code)}]</span>
      <span class="where">${esc(d.file)}:${d.line}:${d.column}（第 ${d.line} 行）</span> ${esc(d.message)}
      ${d.path.length ? `<span class="where">指标：${esc(d.path.join(" › "))}</span>` : ""}
      ${d.hint ? `<span class="hint">提示：${esc(d.hint)}</span>` : ""}
    </li>`).join("");
}

function showTable(data) {
  const table = $("table");
  if (data.table) {
    drawTable(data.table);
    $("sums").innerHTML = `总分 ${esc(data.total)}：` + data.sums.map((s) =>
      `<span class="${s.matches ? "" : "off"}">${esc(s.name)}合计 ${esc(s.points)} 分</span>`).join("");
  } else if (table.querySelector("table")) {
    table.classList.add("stale");
    if (!table.querySelector(".stale-note")) table.insertAdjacentHTML("afterbegin", '<p class="stale-note">体系有错误：下表是上一次没有错误时的评分表。</p>');
  } else {
    table.innerHTML = '<p class="empty">体系有错误，改正后显示评分表。</p>'; state.table = null;
  }
}

function jumpTo(line) {
  const source = $("source");
  const lines = source.value.split("\n");
  const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  source.focus(); source.setSelectionRange(offset, offset);
  source.scrollTop = Math.max(0, (line - 5) * 20); syncScroll();
}

function hover(event) {
  const tip = $("tooltip");
  // The highlighted copy ignores the pointer (the textarea above it takes every click): let it be hit for a moment.
  const layer = $("highlight");
  layer.style.pointerEvents = "auto";
  const under = document.elementsFromPoint(event.clientX, event.clientY).find((e) => e.classList && e.classList.contains("diag"));
  layer.style.pointerEvents = "";
  if (!under || !state.check) { tip.hidden = true; return; }
  const d = state.check.diagnostics.filter((x) => x.file === state.path)[Number(under.dataset.diag)];
  if (!d) { tip.hidden = true; return; }
  tip.textContent = `${d.code}：${d.message}` + (d.path.length ? `\n指标：${d.path.join(" › ")}` : "") + (d.hint ? `\n提示：${d.hint}` : "");
  tip.style.left = `${event.clientX + 12}px`; tip.style.top = `${event.clientY + 16}px`;
  tip.hidden = false;
}

// ---------------------------------------------------------------- the evaluator's view

function setView(view) {
  state.view = view;
  $("view-author").classList.toggle("active", view === "author");
  $("view-evaluator").classList.toggle("active", view === "evaluator");
  $("author-left").hidden = view !== "author";
  $("evaluator-left").hidden = view !== "evaluator";
  $("results").hidden = view !== "evaluator";
  if (view === "evaluator") {
    if (state.form) { buildForm(); score(); return; }
    check().then(() => { if (!state.form) status("体系没有错误时才能评分。", "error"); });
  } else if (state.check) { showTable(state.check); }
}

function field(name, row) {
  const value = esc(state.cells[name] || "");
  const attrs = `data-field="${esc(name)}" name="${esc(name)}"`;
  const choices = row.kind === "na" ? ["是"] : (row.kind === "item" && !row.allowed.includes("分数")) || row.kind_text === "是否" ? ["是", "否"]
    : row.kind_text === "选项" ? row.options : null;
  if (choices) {
    const options = ["", ...choices].map((o) => `<option value="${esc(o)}"${o === (state.cells[name] || "") ? " selected" : ""}>${esc(o)}</option>`);
    return `<select ${attrs}>${options.join("")}</select>`;
  }
  const cls = row.kind === "tally" ? ' class="tally"' : "";
  return `<input ${attrs}${cls} value="${value}" placeholder="${row.kind === "tally" ? esc(name.split(".").pop()) : ""}">`;
}

function buildForm() {
  const body = $("form").querySelector("tbody");
  body.innerHTML = state.form.map((row) => {
    const recorded = row.recorded ? `<input data-field="${esc(row.recorded)}" value="${esc(state.cells[row.recorded] || "")}" title="报告记录的得分（复核）">` : "";
    if (["branch", "block", "total", "grade"].includes(row.kind)) {
      return `<tr class="branch" data-path="${esc(row.path)}"><td>${esc(row.path)}</td><td>${esc(row.field)}</td><td></td><td></td><td>${recorded}</td><td></td><td class="node-score"></td></tr>`;
    }
    const inputs = row.fields.map((f) => field(f, row)).join(row.kind === "tally" ? " " : "");
    const unit = row.unit ? `（${esc(row.unit)}）` : "";
    const note = row.note ? `<input data-note="${esc(row.note)}" value="${esc(state.notes[row.note] || "")}" title="备注：写在得分原因之后">` : "";
    return `<tr data-path="${esc(row.path)}"><td>${esc(row.path)}</td><td>${esc(row.field)}${unit}</td><td>${esc(row.allowed)}</td>
      <td>${inputs}<div class="field-error"></div></td><td>${recorded}</td><td>${note}</td><td class="node-score"></td></tr>`;
  }).join("");
}

function scheduleScore() { clearTimeout(state.scoreTimer); state.scoreTimer = setTimeout(score, 120); }

async function score() {
  if (!state.form) return;
  const sequence = ++state.scoreSequence;
  let data;
  try { data = await api("POST", "/api/score", { path: state.path, text: $("source").value, cells: state.cells, notes: state.notes }); }
  catch (err) { status(err.message, "error"); return; }
  if (sequence !== state.scoreSequence) return;
  showResult(data);
}

function showResult(data) {
  const r = data.result;
  document.querySelectorAll("#form .bad").forEach((e) => e.classList.remove("bad"));
  document.querySelectorAll("#form .field-error").forEach((e) => { e.textContent = ""; });
  for (const p of data.problems) {
    const input = p.field && document.querySelector(`#form [data-field="${CSS.escape(p.field)}"]`);
    if (input) { input.classList.add("bad"); input.closest("td").querySelector(".field-error").textContent = p.message + (p.hint ? `（${p.hint}）` : ""); }
  }
  const scores = new Map(r.nodes.map((n) => [n.path, n]));
  r.adjustments.forEach((b) => b.items.forEach((n) => scores.set(n.path, n)));
  const shown = new Set();  // a leaf with several inputs has a row each: its score is shown on the first
  document.querySelectorAll("#form tbody tr").forEach((tr) => {
    const node = scores.get(tr.dataset.path);
    const cell = tr.querySelector(".node-score");
    const first = !shown.has(tr.dataset.path);
    shown.add(tr.dataset.path);
    if (cell) cell.textContent = !first ? "" : node ? (node.score ?? (node.status === "not_applicable" ? "不适用" : "未评")) : (tr.dataset.path === "总分" ? (r.total ?? "") : tr.dataset.path === "等级" ? (r.grade ?? "") : "");
  });
  const rows = r.level1.map((l) => `<tr><td>${esc(l.name)}</td><td>${esc(l.points)}</td><td>${esc(l.score ?? "未评")}</td><td>${esc(l.rate ?? "")}</td></tr>`).join("");
  const audit = r.audit.length ? `<p>复核：${r.audit.length} 处记录得分与规则不符</p><ul>${r.audit.map((a) =>
    `<li>${esc(a.key)}：记录 ${esc(a.recorded)}，规则 ${esc(a.computed ?? "未评")}${a.reason ? `（${esc(a.reason)}）` : ""}</li>`).join("")}</ul>` : "";
  const problems = data.problems.length ? `<div class="problems"><p>输入有 ${data.problems.length} 处问题：</p><ul>${data.problems.map((p) =>
    `<li>${esc(p.where || p.field || "")}：${esc(p.message)}</li>`).join("")}</ul></div>` : "";
  $("results").innerHTML = `<p class="total" id="total">总分 ${esc(r.total ?? "未评")}，等级 ${esc(r.grade ?? (r.total == null ? "未定" : "—"))}</p>
    ${r.total_note ? `<p class="total-note" id="total-note">${esc(r.total_note)}</p>` : ""}
    ${r.incomplete ? '<p class="incomplete">尚有未评指标，总分只含已评部分。</p>' : ""}
    <table><tr><th>一级指标</th><th>分值</th><th>得分</th><th>得分率%</th></tr>${rows}</table>${problems}${audit}`;
  drawTable(data.table);
}

// The scoring table: each level-1 indicator's rows are a <tbody> of their own, so when the header and
// the number of groups are as drawn, only the groups whose HTML changed are replaced (a keystroke
// changes one; drawing all of a 1,000-indicator table again takes the browser most of a second).
function drawTable(html) {
  const box = $("table");
  const start = html.indexOf("<tbody>");
  const head = start < 0 ? html : html.slice(0, start);
  const groups = html.match(/<tbody>[\s\S]*?<\/tbody>/g) || [];
  const table = box.querySelector("table.scoring");
  const drawn = state.table;
  box.classList.remove("stale");
  box.querySelectorAll(".stale-note").forEach((note) => note.remove());
  if (!table || !drawn || drawn.head !== head || drawn.groups.length !== groups.length || table.tBodies.length !== groups.length) {
    box.innerHTML = html;
  } else {
    groups.forEach((group, i) => {
      if (group === drawn.groups[i]) return;
      const parsed = document.createElement("template");
      parsed.innerHTML = `<table>${group}</table>`;
      table.replaceChild(parsed.content.querySelector("tbody"), table.tBodies[i]);
    });
  }
  state.table = { head, groups };
}

// ---------------------------------------------------------------- downloads

async function download(kind) {
  if (!state.path) return;
  try {
    const reply = await api("POST", "/api/download", { path: state.path, text: $("source").value, kind, cells: state.cells, notes: state.notes });
    const disposition = reply.headers.get("Content-Disposition") || "";
    const name = decodeURIComponent((disposition.match(/filename\*=UTF-8''([^;]+)/) || [])[1] || "download");
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await reply.blob()); link.download = name;
    document.body.appendChild(link); link.click(); link.remove();
    status(`已下载 ${name}`, "ok");
  } catch (err) { status(`不能下载：${err.message}`, "error"); }
}

// ---------------------------------------------------------------- wiring

async function start() {
  state.keywords = (await api("GET", "/api/keywords")).keywords;
  const files = await listFiles();
  const source = $("source");
  source.addEventListener("input", () => { refresh(); scheduleCheck(); });
  source.addEventListener("scroll", syncScroll);
  window.addEventListener("resize", syncScroll);
  source.addEventListener("mousemove", hover);
  source.addEventListener("mouseleave", () => { $("tooltip").hidden = true; });
  source.addEventListener("keydown", (e) => {
    if (e.key === "Tab") { e.preventDefault(); document.execCommand("insertText", false, "  "); }
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); }
  });
  $("open").addEventListener("click", () => openFile($("files").value));
  $("new").addEventListener("click", create);
  $("save").addEventListener("click", save);
  $("view-author").addEventListener("click", () => setView("author"));
  $("view-evaluator").addEventListener("click", () => setView("evaluator"));
  $("diagnostics").addEventListener("click", (e) => { const li = e.target.closest("li"); if (li) jumpTo(Number(li.dataset.line)); });
  const edited = (e) => {
    const { field, note } = e.target.dataset;
    if (field) state.cells[field] = e.target.value;
    if (note) state.notes[note] = e.target.value;
    if (field || note) scheduleScore();
  };
  $("form").addEventListener("input", edited);
  $("form").addEventListener("change", edited);  // a drop-down chosen by keyboard may send only this
  document.querySelectorAll(".downloads button").forEach((b) => b.addEventListener("click", () => download(b.dataset.kind)));
  window.addEventListener("beforeunload", (e) => { if (state.path && $("source").value !== state.saved) e.preventDefault(); });
  const wanted = new URLSearchParams(location.search).get("file");
  if (wanted && files.includes(wanted)) { $("files").value = wanted; openFile(wanted); }
}

start().catch((err) => status(err.message, "error"));
