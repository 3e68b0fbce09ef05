// The editor's highlighted copy of the text: keywords, numbers, strings, comments, and the diagnostics'
// spans underlined. The textarea above it stays the only thing the author types into.
"use strict";

const IdslEditor = (() => {
  // A keyword counts only where no letter or CJK character touches it (as in the grammar): 得分率 is a name.
  const LETTER = /[\p{L}\p{N}_]/u;

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // Token classes per character of one line: "kw", "num", "str", "comment" or "".
  function classify(line, keywords) {
    const classes = new Array(line.length).fill("");
    let i = 0;
    while (i < line.length) {
      const c = line[i];
      if (c === "#") { classes.fill("comment", i); break; }
      if (c === '"') {
        const end = line.indexOf('"', i + 1);
        const stop = end < 0 ? line.length : end + 1;
        classes.fill("str", i, stop); i = stop; continue;
      }
      const before = i > 0 ? line[i - 1] : "";
      if (/[0-9]/.test(c) && !LETTER.test(before)) {
        let j = i;
        while (j < line.length && /[0-9.,%％]/.test(line[j])) j++;
        classes.fill("num", i, j); i = j; continue;
      }
      if (!LETTER.test(before)) {
        const word = keywords.find((k) => line.startsWith(k, i) && !LETTER.test(line[i + k.length] || ""));
        if (word) { classes.fill("kw", i, i + word.length); i += word.length; continue; }
      }
      i++;
    }
    return classes;
  }

  // Each diagnostic of this file as [line, from, to) ranges per line (0-based lines, UTF-16 columns).
  function ranges(diagnostics, lines) {
    const byLine = new Map();
    diagnostics.forEach((d, index) => {
      for (let n = d.line; n <= d.end_line; n++) {
        const text = lines[n - 1];
        if (text === undefined) continue;
        let from = n === d.line ? d.from : 0;
        let to = n === d.end_line ? d.to : text.length;
        if (to <= from) { to = Math.min(text.length, from + 1); if (to <= from) { from = Math.max(0, text.length - 1); to = text.length; } }
        if (!byLine.has(n)) byLine.set(n, []);
        byLine.get(n).push({ from, to, index, severity: d.severity });
      }
    });
    return byLine;
  }

  // The lines first..last (0-based, last excluded) of the text, highlighted: a long text is drawn only
  // where it shows, as drawing every line of a 1,000-indicator spec per keystroke takes the browser a second.
  function render(text, keywords, diagnostics, first = 0, last = Infinity) {
    const lines = text.split("\n");
    const marks = ranges(diagnostics, lines);
    const out = [];
    lines.slice(first, last).forEach((line, k) => {
      const number = first + k + 1;
      const classes = classify(line, keywords);
      const spans = marks.get(number) || [];
      let html = "";
      let i = 0;
      while (i < line.length || (i === 0 && spans.length && line.length === 0)) {
        const diag = spans.find((s) => s.from <= i && i < s.to);
        let j = i + 1;
        while (j < line.length && classes[j] === classes[i] && spans.find((s) => s.from <= j && j < s.to) === diag
               && !spans.some((s) => s.from === j || s.to === j)) j++;
        let piece = escapeHtml(line.slice(i, j));
        if (classes[i]) piece = `<span class="${classes[i]}">${piece}</span>`;
        if (diag) piece = `<span class="diag ${diag.severity}" data-diag="${diag.index}" data-line="${number}">${piece}</span>`;
        html += piece;
        if (line.length === 0) break;
        i = j;
      }
      out.push(html);
    });
    return out.join("\n") + "\n";
  }

  function gutter(text, first = 0, last = Infinity) {
    const count = Math.min(text.split("\n").length, last) - first;
    return Array.from({ length: Math.max(count, 0) }, (_, k) => String(first + k + 1)).join("\n") + "\n";
  }

  return { render, gutter, escapeHtml, classify };
})();
