"""The evaluator's input file (JSON), read into frozen `Inputs`; problems as `InputError`s naming the
indicator and field (`idsl.io.inputs` checks the values against a plan). Nothing is raised one by
one and no traceback reaches the user.

The file (documented in examples/README.md):

    {"spec": "specs/001_….idsl", "unit": "单位名称",
     "inputs": {"<leaf>": {"<input>": 842.29, "<rate>": "89.67%", "<yes/no>": "是", "<choice>": "<label or A/B/C>"},
                "<checklist leaf>": {"要素": ["是", "否", "是"]},
                "<discretionary leaf>": {"得分": 2.5, "理由": "…"},
                "<leaf>": {"不适用": true},
                "<questionnaire leaf>": {"<questionnaire>": [[6, 0, 0, 0], [5, 1, 0, 0]]},
                "共用": {"<spec-level input>": 1}},
     "notes": {"<leaf>": "evaluator note"},
     "recorded": {"<leaf>": 3},
     "as_published": {"<leaf>": {"要素": ["是", "是", "是"]}}}

`as_published` (or 原样) is read only when a system is scored as published (`--as-published`):
for each leaf it names, its fields replace the leaf's own, for a published rule that needs the
same facts put another way (three elements where the corrected system merged two).
"""

from __future__ import annotations

import difflib
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import attrs

MAX_BYTES = 20 * 2**20  # an input file; a spec's largest inputs take a few hundred kB
MAX_TEXT = 5000  # characters in a note or a reason
MAX_NAME = 200  # characters in a unit's name or a recorded grade (a full official name takes under 60)
MAX_DEPTH = 20  # nesting of JSON objects and lists (the deepest input file nests 5)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")

# Reserved keys and their English aliases.
ITEMS = "要素"
SCORE = "得分"
REASON = "理由"
NOT_APPLICABLE = "不适用"
SHARED = "共用"
_ALIASES = {"items": ITEMS, "score": SCORE, "reason": REASON, "not_applicable": NOT_APPLICABLE,
            "shared": SHARED, "要素": ITEMS, "得分": SCORE, "理由": REASON, "不适用": NOT_APPLICABLE,
            "共用": SHARED}
REFERENCE = "参照"  # a unit scored alone: the peers' figures its comparing rules need (§11.10)
AS_PUBLISHED = "as_published"
_TOP_KEYS = ("spec", "unit", "inputs", "notes", "recorded", AS_PUBLISHED, "原样", REFERENCE, "reference")
# What is stripped from both ends of a value or a batch cell: with the full-width space, the no-break space a
# figure copied from a web page or a Word table carries unseen (a JSON value and a workbook cell drop both too).
BLANKS = " \t\r\n\u3000\u00a0"


def is_blank(value: Any) -> bool:
    """Whether a value is blank, as a cell left empty: null, or text of nothing but spaces.

    >>> is_blank(None), is_blank(" \u3000"), is_blank("0"), is_blank(0)
    (True, True, False, False)
    """
    return value is None or (isinstance(value, str) and not value.strip(BLANKS))


# Fields keyed in English in the JSON file, named as the tables name them (a grade's by its path).
_FIELD_WORDS = {"recorded": "记录得分", ("等级", "recorded"): "记录等级"}


@attrs.frozen(order=True)
class InputError:
    """One problem with the inputs: which indicator, which field, what, and what to do; which element
    or question of the field (`index`), and in a workbook which cell.

    >>> str(InputError("决策/预算配置/重点支出安排率", "项目总支出", "缺少输入。"))
    '决策/预算配置/重点支出安排率 › 项目总支出: 缺少输入。'
    >>> located = InputError("决策/重点支出安排率", "项目总支出", "应填一个数。", sheet="输入", cell="F12")
    >>> str(located), located.to_json()["cell"]
    ('输入!F12: 应填一个数。（决策/重点支出安排率 › 项目总支出）', 'F12')
    """

    path: str  # the indicator's path ('' for the file as a whole)
    field: str | None  # the field within it, if any
    message: str  # what is wrong, one sentence
    hint: str | None = None  # what to do, e.g. "是不是“项目总支出”？"
    # Where exactly, as data (readers name cells and columns by these, never by parsing the message);
    # left out of ordering so errors sort as they always did.
    index: int | None = attrs.field(default=None, order=False)  # the element (要素) or question (题), from 1
    sheet: str | None = attrs.field(default=None, order=False)  # a workbook's sheet holding the value
    cell: str | None = attrs.field(default=None, order=False)  # its cell on that sheet ("F12")

    @property
    def indicator(self) -> str:
        """The indicator and field as the user reads them: 决策/预算配置 › 项目总支出, 等级 › 记录得分."""
        field = _FIELD_WORDS.get((self.path, self.field)) or _FIELD_WORDS.get(self.field, self.field)
        return " › ".join(p for p in (self.path, field) if p)

    @property
    def where(self) -> str:
        """The cell (输入!F12) when the value came from a workbook, else the indicator and field."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.indicator

    @property
    def text(self) -> str:
        """The message, naming the indicator and field when `where` is a cell."""
        return f"{self.message}（{self.indicator}）" if self.cell and self.indicator else self.message

    def __str__(self) -> str:
        text = f"{self.where}: {self.text}" if self.where else self.text
        return f"{text}（{self.hint}）" if self.hint else text

    def to_json(self) -> dict:
        """A plain dict for JSON output (index, sheet and cell only when known)."""
        data = {"path": self.path, "field": self.field, "message": self.message, "hint": self.hint}
        data.update({key: value for key, value in (("index", self.index), ("sheet", self.sheet), ("cell", self.cell))
                     if value is not None})
        return data


@attrs.frozen
class Inputs:
    """The input file as read: values exact (Decimal, never float), reserved keys normalised, and a field
    whose value is blank (`is_blank`) left out, so that null or "" reads as the key left out does, and as
    an empty cell of a workbook or a batch table (an element of a list is left to its reader).

    Nothing here knows the spec yet; `bind_leaf` checks the values against a leaf's declarations.
    """

    leaves: dict[str, dict[str, Any]] = attrs.field(factory=dict)  # key as written → field → value
    shared: dict[str, Any] = attrs.field(factory=dict)  # spec-level inputs (共用)
    notes: dict[str, str] = attrs.field(factory=dict)  # key → evaluator's note
    recorded: dict[str, Any] = attrs.field(factory=dict)  # key → recorded score (or grade)
    spec: str | None = None  # the spec the file was written for
    unit: str | None = None  # the evaluated unit (单位名称)
    errors: tuple[InputError, ...] = ()  # problems with the file's shape
    origin: str = "<inputs>"  # the file name, for messages
    as_published: dict[str, dict[str, Any]] = attrs.field(factory=dict)  # key → fields for the published rule
    unreadable: bool = False  # the file as a whole could not be read: its one error says why, nothing else is checked
    references: dict[str, Any] = attrs.field(factory=dict)  # 参照: key (leaf.最高 …) → value, for a unit scored alone


def read_inputs(source: str | bytes | Path | dict, origin: str | None = None) -> Inputs:
    """Read an input file (a path, JSON text, or the already-parsed object, read with exact numbers).

    >>> inputs = read_inputs('{"inputs": {"重点支出安排率": {"项目总支出": 6005.58}}, "notes": {}}')
    >>> inputs.leaves["重点支出安排率"]["项目总支出"], inputs.errors
    (Decimal('6005.58'), ())
    """
    if isinstance(source, Path):
        origin = origin or str(source)
        source, problem = read_text(source, "输入文件")
        if problem:
            return Inputs(errors=(problem,), origin=origin, unreadable=True)
    origin = origin or "<inputs>"
    if isinstance(source, (str, bytes)):
        data, problem = parse_json(source, f"输入文件 {origin} " if origin != "<inputs>" else "输入文件")
        if problem:
            return Inputs(errors=(problem,), origin=origin, unreadable=True)
    else:
        data = source
    return _from_data(data, origin)


def _from_data(data: Any, origin: str) -> Inputs:
    errors: list[InputError] = []
    if not isinstance(data, dict):
        return Inputs(errors=(InputError("", None, "输入文件的最外层应是一个对象 {…}。"),), origin=origin, unreadable=True)
    for key in data:
        if key not in _TOP_KEYS:
            errors.append(InputError("", key, "不认识的顶层键。", did_you_mean(key, _TOP_KEYS)
                                     or f"顶层只能有 {'、'.join(_TOP_KEYS)}。"))
    leaves: dict[str, dict[str, Any]] = {}
    shared: dict[str, Any] = {}
    raw_inputs = data.get("inputs", {})
    if not isinstance(raw_inputs, dict):
        errors.append(InputError("", "inputs", "“inputs” 应是一个对象：指标 → 该指标的输入。"))
        raw_inputs = {}
    for key, value in raw_inputs.items():
        if is_blank(value):  # an indicator (or 共用) written null: nothing given, as when left out
            continue
        if _ALIASES.get(key) == SHARED:
            if isinstance(value, dict):
                shared.update(_without_blanks(value))
            else:
                errors.append(InputError(SHARED, None, "“共用”应是一个对象：输入名 → 值。"))
            continue
        if not isinstance(value, dict):  # a list: a checklist's answers, written as a worked example's 设 writes them
            listed = (f'要素的取值写在“要素”下：{{"要素": {json.dumps(value, ensure_ascii=False)}}}。'
                      if isinstance(value, list) else None)
            errors.append(InputError(key, None, "指标的输入应是一个对象，例如 {\"执行数\": 842.29}。", listed))
            continue
        leaves[key] = _normalise_keys(value)
    notes = data.get("notes", {}) or {}
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        errors.append(InputError("", "notes", "“notes” 应是一个对象：指标 → 说明文字。"))
        notes = {}
    errors.extend(_long_texts(notes, leaves))
    if isinstance(data.get("unit"), str) and len(data["unit"]) > MAX_NAME:
        errors.append(InputError("", "unit", *long_unit(len(data["unit"]))))
    recorded = data.get("recorded", {}) or {}
    if not isinstance(recorded, dict):
        errors.append(InputError("", "recorded", "“recorded” 应是一个对象：指标 → 记录的得分。"))
        recorded = {}
    recorded = _without_blanks(recorded)  # a score left blank was not recorded, as an empty 记录得分 cell
    overlay = data.get(AS_PUBLISHED, data.get("原样", {})) or {}
    if not isinstance(overlay, dict) or not all(isinstance(v, dict) for v in overlay.values()):
        errors.append(InputError("", AS_PUBLISHED, "“as_published” 应是一个对象：指标 → 按原样体系给的输入。"))
        overlay = {}
    references = data.get(REFERENCE, data.get("reference", {})) or {}
    if not isinstance(references, dict):
        errors.append(InputError("", REFERENCE, "“参照”应是一个对象：指标.最高（平均、名次 …）→ 值。"))
        references = {}
    spec = data.get("spec")
    unit = data.get("unit")
    return Inputs(leaves, shared, dict(notes), dict(recorded),
                  spec if isinstance(spec, str) else None, unit if isinstance(unit, str) else None,
                  tuple(errors), origin, {key: _normalise_keys(value) for key, value in overlay.items()},
                  references=dict(references))


def long_name(what: str, length: int | str) -> str:
    """The message for a name of `length` characters, longer than MAX_NAME: the same in every reader (JSON,
    both batch engines; the DuckDB check passes a placeholder it fills in SQL)."""
    return f"{what}有 {length} 个字，最多 {MAX_NAME} 个。"


def long_unit(length: int | str) -> tuple[str, str]:
    """A unit's name of `length` characters, longer than MAX_NAME, as (message, hint): the same in the JSON and
    workbook readers and both batch engines (the DuckDB check passes a placeholder for the length)."""
    return long_name("单位名称", length), "只写单位的名称。"


def _long_texts(notes: dict[str, str], leaves: dict[str, dict[str, Any]]) -> list[InputError]:
    """Notes and reasons longer than MAX_TEXT: a page of text is a note, megabytes are a mistake."""
    errors = [InputError(key, "notes", f"说明有 {len(note)} 个字，最多 {MAX_TEXT} 个。", "写要点，长文放在报告里。")
              for key, note in notes.items() if len(note) > MAX_TEXT]
    for key, fields in leaves.items():
        reason = fields.get(REASON)
        if isinstance(reason, str) and len(reason) > MAX_TEXT:
            errors.append(InputError(key, REASON, f"理由有 {len(reason)} 个字，最多 {MAX_TEXT} 个。", "写要点，长文放在报告里。"))
    return errors


def read_text(path: Path, what: str) -> tuple[str, InputError | None]:
    """A JSON file's text: at most MAX_BYTES, UTF-8 (a BOM dropped), UTF-16/32 with its BOM (what
    Notepad writes as “Unicode”) or UTF-16 without one; other encodings (GBK from Chinese Windows)
    are named and refused, never guessed, so no value is read wrong."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as err:
        return "", InputError("", None, f"读不了{what} {path}：{err.strerror or err}")
    if len(raw) > MAX_BYTES:
        return "", InputError("", None, f"{what} {path} 超过 {MAX_BYTES // 2**20} MB，不像是一个单位的输入。",
                              "检查是否选错了文件；备注和理由写要点即可。")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(encoding), None
            except UnicodeDecodeError:
                break
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    wide = _utf16_without_bom(raw)
    if wide is not None:
        return wide, None
    guess = "像是 GBK/GB18030（中文 Windows 记事本的“ANSI”）" if _is_gb18030(raw) else "也不是 GBK 或 UTF-16"
    return "", InputError("", None, f"{what} {path} 不是 UTF-8 编码，{guess}。",
                          "用记事本“另存为”，编码选 UTF-8 后再试。")


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text written without a BOM: zero bytes beside the ASCII ones, and JSON's opening { or [."""
    if b"\x00" not in raw[:4]:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.lstrip(" \t\r\n")[:1] in ("{", "[") and "\x00" not in text:
            return text
    return None


def _is_gb18030(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def parse_json(text: str | bytes, what: str) -> tuple[Any, InputError | None]:
    """JSON with exact numbers, refusing a key given twice in one object and nesting deeper than MAX_DEPTH
    (checked before the parser recurses)."""
    depth = _depth(text if isinstance(text, str) else text.decode("utf-8", "replace"))
    if depth > MAX_DEPTH:
        return None, InputError("", None, f"{what}嵌套了 {depth} 层，最多 {MAX_DEPTH} 层。", "检查括号是否成对。")
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except _Duplicate as err:
        return None, InputError("", str(err), f"{what}的同一个对象里键“{err}”出现了两次，不知道该用哪个值。",
                                "删掉多余的一个。")
    except json.JSONDecodeError as err:
        return None, InputError("", None, f"{what}不是合法的 JSON：第 {err.lineno} 行第 {err.colno} 列{_json_problem(err.msg)}。",
                                "检查逗号、引号和括号是否成对，键名和文字是否用英文双引号。")
    except (ValueError, RecursionError) as err:
        return None, InputError("", None, f"{what}不是合法的 JSON：{err}", "检查逗号、引号和括号是否成对。")
    broken = _lone_surrogate(data)
    if broken is not None:  # \ud800 written alone: no text can hold it (printing or writing it would fail)
        return None, InputError("", None, f"{what}里的文字“{broken}”含有不成对的 \\u 转义（U+D800–U+DFFF 之一），"
                                          "它不是任何字符。", "删掉这个转义，或写出完整的一对（如 \\ud83d\\ude00）。")
    return data, None


def _lone_surrogate(value: Any) -> str | None:
    """The first text (a key or a value) holding half of a UTF-16 surrogate pair, shown with it replaced."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _lone_surrogate(key) if isinstance(key, str) else None
        found = found or _lone_surrogate(item)
        if found is not None:
            return found
    return None


# The json module's messages (English), as the user reads them.
_JSON_PROBLEMS = (("Expecting property name", "应是用英文双引号括起的键名"), ("Expecting value", "应有一个值"),
                  ("Expecting ',' delimiter", "缺少逗号"), ("Expecting ':' delimiter", "缺少冒号"),
                  ("Unterminated string", "引号没有闭合"), ("Invalid control character", "文字里有控制字符（如换行）"),
                  ("Invalid \\escape", "反斜杠转义不对"), ("Invalid \\u", "反斜杠转义不对"),
                  ("Extra data", "之后还有多余的内容"), ("Illegal trailing comma", "有多余的逗号"))


def _json_problem(message: str) -> str:
    return next((f"：{text}" for english, text in _JSON_PROBLEMS if message.startswith(english)), "格式不对")


class _Duplicate(ValueError):
    """A key given twice in one JSON object (the message is the key)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Duplicate(key)
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} 不是 idsl 接受的数")


def _depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings."""
    deepest = level = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        level += 1 if bracket in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def _normalise_keys(fields: dict[str, Any]) -> dict[str, Any]:
    """English aliases of the reserved keys become the Chinese ones, and blank fields are left out; in part
    sub-objects, a series' years and its sub-projects' objects likewise."""
    out: dict[str, Any] = {}
    for key, value in _without_blanks(fields).items():
        name = _ALIASES.get(key, key)
        if isinstance(value, dict):
            value = _normalise_keys(value)
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):  # 子项目: one object each
            value = [_normalise_keys(item) if isinstance(item, dict) else item for item in value]
        out[name] = value
    return out


def _without_blanks(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if not is_blank(value)}


def read_recorded(source: str | bytes | Path | dict, origin: str | None = None) -> tuple[dict[str, Any], list[InputError]]:
    """A recorded-scores file: either {"<leaf>": 3, …} or an input file with a "recorded" object."""
    if isinstance(source, Path):
        origin = origin or str(source)
        source, problem = read_text(source, "记录得分文件")
        if problem:
            return {}, [problem]
    if isinstance(source, (str, bytes)):
        source, problem = parse_json(source, f"记录得分文件 {origin} " if origin else "记录得分文件")
        if problem:
            return {}, [problem]
    if not isinstance(source, dict):
        return {}, [InputError("", None, "记录得分文件应是一个对象：指标 → 得分。")]
    if isinstance(source.get("recorded"), dict):
        return _without_blanks(source["recorded"]), []
    return _without_blanks(source), []



def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """“是不是“x”？” for the closest candidate, or None."""
    close = closest(word, candidates)
    return f"是不是“{close}”？" if close else None


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `word` (difflib, cutoff 0.5), or None."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return close[0] if close else None



__all__ = [
    "BLANKS",
    "MAX_NAME",
    "long_name",
    "long_unit",
    "AS_PUBLISHED",
    "ITEMS",
    "InputError",
    "Inputs",
    "NOT_APPLICABLE",
    "REASON",
    "SCORE",
    "REFERENCE",
    "SHARED",
    "closest",
    "did_you_mean",
    "is_blank",
    "read_inputs",
    "read_recorded",
]
