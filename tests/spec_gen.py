"""Hypothesis strategies that write whole idsl specs as text, with units' inputs and what they should score.

`cases()` draws a `Case`: the text of a spec and several units to score with it. The specs use every
rule kind and the options of each — checklists (每项 N 分, per-item points, 可酌情), formulas (ratios ×
分值 capped with min/max, averages, weighted sums, 换算, 四舍五入), 分档 (fixed 得 N 分 / 得满分 / 不得分,
linear 每降低/每增加 with 四舍五入/向下/向上取整, 起扣 and 扣完为止, 否则, 且/或, ranges 60%～80%, strict and
non-strict ends, ends marked as the tables do (80%（含）～90%, 60%-80%(含), 90%（含）以上, 80%以下 holding 80% unless
another band marks it, 90%及以上 and 60%及以下 holding theirs always, ranges written high end first: 90%～80%（含）,
90%-80%), a point band 比率 = 100%), 偏离 (limits, `超过 X 得 N 分`, 扣完为止, with and without |…|),
按项扣分 (caps, 扣完为止), 选择 (and special cases on its option words), 酌情 (with a range), 评级 (grades in % or 分,
（含） ends, 须说明理由; tests/spec_gen_graded.py), 目标 (≥ ≤ =,
未达标不得分, units converted), 分项, 趋势 (本年 较 上年), 分档 over two inputs (a yes/no, choice or rate × a rate), special cases 若…则 and 计分条件 gates (yes/no inputs, 或, option words, chains on
rates, zero-denominator guards), 不适用 (剔除 / 得满分), 逆向指标 and 加分项 blocks with and without caps,
grades over 总分 or its other names, 等级不高于 (the grade by counting leaves), 一票否决 (of the total or of a level-1/2 section), 一票否优 and 总分上限 over a spec-level rate or questionnaire (left
blank now and then, a questionnaire nobody answered), signed and unsigned amounts and numbers, rates with declared
ranges, inputs declared 可缺 (a year series, a 共用 input too) with a 无数据时 line — a fixed award, 酌情 in a
range or 不适用, on leaves with 另扣/另加 (另扣 also 扣完为止), alternatives and leaves of 分项 (tests/spec_gen_nodata.py) — left
blank now and then, spec-level inputs and quantities
(共用), 小数 N 位, questionnaires, and 单位类别 with leaves scored 按类别 (one rule per group of classes, inputs
only some classes read; tests/spec_gen_class.py). tests/spec_gen_refine.py writes a drawn spec as an imported file
and refines one of its leaves (细化) in a second.

The units' values sit on, just below and just above every boundary the spec writes (band ends,
anchors, targets, deviation limits, special cases' thresholds), and include zero, negative, huge, blank
and malformed values and 不适用 marks. The last unit of a case, the witness, is built to earn every
leaf's full points, which is what the checker claims some input can do (E401).

The spec is kept as a model too: `Case.expected(unit, allow_missing)` scores a unit the way
grammar/README.md describes, independently of both engines (`Expected`). A test can then say which
side of a disagreement is wrong, and catch a rule that both engines read the same wrong way.

Some features are generated only when asked, `cases(include=…)`: `GUARDED` names them, each with
the disagreement it caused when found. tests/test_engine_equivalence.py includes every one whose
regression test passes and leaves out (and pins with a strict xfail) the others. Features the checker
has since come to refuse (grades over another name, strict targets …) are drawn rarely (`rare`), so the
specs refused for them stay few, and a checker that stops refusing them is still caught.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction as F
from typing import Any

from hypothesis import strategies as st

# ---------------------------------------------------------------- features generated only when asked

GUARDED = {  # feature → the disagreement it caused on the code the test was written against
    "deviation_beyond_points": "偏离 … 超过 X 得 N 分 (N > 0): the SQL engine gives 0 beyond the limit",
    "penalty_per_finding": "按项扣分 as a penalty item: the SQL engine deducts the item's points less the findings",
    "unsigned_number_negative": "an unsigned 数值 input given a negative value: the reader accepts it, the checker "
                                "assumed it ≥ 0",
    "grade_other_name": "grade bands over a name that is not the total: check passes, every grade is empty",
    "item_without_points": "a penalty or bonus item written without points: check passes, it moves the total by 0",
    "strict_target": "目标 with >, < or ≠: check passes, the interpreter crashes, the SQL engine reads =",
    "path_separator_names": "a quoted indicator name holding / or ›: the interpreter cannot address its inputs",
    "bare_rate_numbers": "a rate compared with a bare number in 目标 or 若: check passes, read as 100 times the rate",
    "otherwise_first": "否则 written before other bands: both engines give every value to it",
    "special_on_parts": "若 … 则 on a leaf scored by 分项: check passes, both engines ignore it",
    "range_special": "a range (60%～80%) as a special case's condition: check passes, no unit can be scored",
    "unreachable_target": "目标 outside its input's range: check passes, full points cannot be earned",
    "several_bad_cells": "a row with a malformed cell and another bad or blank one: the DuckDB batch reports "
                         "only the malformed cell",
    "not_applicable_bad_score": "a row marking a leaf 不适用 and giving its 酌情 score or 可酌情 element out of "
                                "range: the DuckDB batch fails as a whole (ConversionException)",
    "coarse_places": "小数 N 位 coarser than some points (0.5 points, 小数 0 位): a leaf scored more than its points; "
                     "with a 不适用 剔除 sibling the SQL engine fails (ConversionException)",
    "unread_shared_blank": "a blank 共用 cell that only leaves marked 不适用 read: the batch refuses the row, the "
                           "interpreter (given no 共用 value) scores it",
    "refused_row_rescaled": "a row refused for a bad or blank cell that marks a leaf 不适用 剔除: the DuckDB batch "
                            "rescales the refused row's emptied values and fails as a whole (ConversionException)",
    "by_class": "按类别 (tests/spec_gen_class.py), as first drawn: on a row with a blank class next to blank 共用 "
                "questionnaire cells the batches named different erring leaves (the blank 共用 cell a row stopped at "
                "its cells does not name: normalised); with blanks allowed and a blank class a total of 0.00 (a "
                "一票否决 that holds, as §3 says: the oracle was wrong)",
    "named_only_alternative": "an alternative with no field of its own under 择一 / 任选, chosen by 选用: the "
                              "DuckDB batch did not report its failures (a blank 共用 input it reads), the "
                              "interpreter did",
    "sql_too_wide": "a spec whose exact arithmetic needs more than 38 digits (two ratios of amounts added, as two 分项 "
                    "of a leaf): the SQL engine refuses it (SqlError)",
    "sql_wider_sums": "a leaf adding ratios of amounts other than two over whole points (分项 of 4.75 and 5.25 points, a "
                      "ratio converted to 万元 beside one in 元, three ratios): one fraction of the exact sum needs more "
                      "than 38 digits and the SQL engine refused the spec (SqlError)",
}
NOTHING: frozenset[str] = frozenset()


def rare(draw, include: frozenset, feature: str, one_in: int = 80) -> bool:
    """Whether to use a guarded feature here: only when it is included, and then now and then (a spec the
    checker refuses for it is filtered out, so it must not crowd out the others)."""
    # not on 0: Hypothesis draws many examples whose every choice is the least one
    return feature in include and draw(st.integers(0, one_in - 1)) == one_in - 1

# ---------------------------------------------------------------- exact numbers


class OracleError(Exception):
    """A value the rule does not define (a zero denominator, a questionnaire nobody answered …)."""


class SharedUnavailable(Exception):
    """A 共用 input read where the unit gives it blank or wrongly."""


UNAVAILABLE = object()  # the value of a 共用 input a unit gives blank or wrongly
UNANSWERED = object()  # the rate of a 共用 questionnaire nobody answered (its counts all 0): a veto cannot read it


def fmt(value: F | Decimal | int) -> str:
    """A finite decimal as plain text without trailing zeros: 0.1, 80, -15."""
    value = F(value)
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    assert F(Decimal(text)) == value, value
    return "0" if text == "-0" else text


def pct(value: F) -> str:
    """A rate as written: 80%."""
    return fmt(value * 100) + "%"


def finite(value: F, places: int = 4) -> bool:
    """Whether a value is a decimal with at most `places` decimals."""
    return (value * 10**places).denominator == 1


def half_up(value: F, places: int) -> Decimal:
    """四舍五入 to `places` decimals (written here again: the oracle does not lean on idsl)."""
    scaled = abs(value) * 10**places
    whole = math.floor(scaled + F(1, 2))
    result = Decimal(whole).scaleb(-places)
    result = -result if value < 0 else result
    return result.quantize(Decimal(1).scaleb(-places))


ROUNDINGS: dict[str | None, Callable[[F], F]] = {
    None: lambda x: x,
    "half_up": lambda x: F(math.floor(x + F(1, 2))),
    "floor": lambda x: F(math.floor(x)),
    "ceil": lambda x: F(math.ceil(x)),
}
ROUNDING_WORDS = {"half_up": ["四舍五入取整", "四舍五入"], "floor": ["向下取整"], "ceil": ["向上取整"]}


def figure4(value: F) -> Decimal:
    """A figure with at most four decimals (what a batch cell may hold)."""
    d = Decimal(value.numerator) / Decimal(value.denominator)
    d = d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
    return Decimal(fmt(F(d)))


# ---------------------------------------------------------------- values as an evaluator writes them


@dataclass(frozen=True)
class Num:
    """A number in a cell: the figure written (a rate's percent figure) and how it is written."""

    figure: Decimal
    style: str = "plain"  # 'plain', 'percent' ("89.67%", rates only) or 'unit' ("75万元")


class _Blank:
    def __repr__(self) -> str:
        return "BLANK"


BLANK = _Blank()  # an empty cell / a field left out


@dataclass(frozen=True)
class Bad:
    """Text that is not a value of its field."""

    text: str


YES = ("是", "符合", "√", "yes", "True")
NO = ("否", "不符合", "×", "no", "False")

# ---------------------------------------------------------------- expressions and conditions: text and meaning


class Env:
    """What names mean for one unit: parsed values, quantities (evaluated when used), option words."""

    def __init__(self, values: dict[str, Any], derived: dict[str, Expr], options: set[str], points: F):
        self.values = values
        self.derived = derived
        self.options = options
        self.points = points
        self.cache: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name in self.values:
            if self.values[name] is UNAVAILABLE:
                raise SharedUnavailable(name)
            return self.values[name]
        if name in self.cache:
            return self.cache[name]
        if name in self.derived:
            self.cache[name] = self.derived[name].eval(self)
            return self.cache[name]
        if name in self.options:
            return name
        raise AssertionError(f"the generator used an undeclared name {name!r}")


@dataclass
class Expr:
    text: str
    prec: int  # 1: + -, 2: × ÷, 3: atoms
    fn: Callable[[Env], Any]

    def eval(self, env: Env) -> Any:
        return self.fn(env)


def ref(name: str) -> Expr:
    return Expr(name, 3, lambda env: env.get(name))


def lit(value: F, show: str = "") -> Expr:
    """A literal: show '%' for a rate, a unit word, or '' for a bare number."""
    text = pct(value) if show == "%" else fmt(value) + (f" {show}" if show else "")
    return Expr(text, 3, lambda env: value)


def word(text: str) -> Expr:
    """An option word in a condition (公开情况 = 未公开)."""
    return Expr(text, 3, lambda env: text)


def points_ref(draw) -> Expr:
    return Expr(draw(st.sampled_from(["分值", "分值", "满分分值"])), 3, lambda env: env.points)


def _wrap(e: Expr, prec: int) -> str:
    return e.text if e.prec >= prec else f"({e.text})"


def _div(a: F, b: F) -> F:
    if b == 0:
        raise OracleError("a zero denominator")
    return a / b


def binop(op: str, a: Expr, b: Expr, glyph: str | None = None) -> Expr:
    prec = 1 if op in "+-" else 2
    glyph = glyph or {"+": "+", "-": "-", "*": "×", "/": "÷"}[op]
    text = f"{_wrap(a, prec)} {glyph} {_wrap(b, prec + (1 if op in '-/' else 0))}"
    fn = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": _div}[op]
    return Expr(text, prec, lambda env: fn(a.eval(env), b.eval(env)))


def minimum(glyph: str, *args: Expr, largest: bool = False) -> Expr:
    pick = max if largest else min
    return Expr(f"{glyph}({', '.join(a.text for a in args)})", 3, lambda env: pick(a.eval(env) for a in args))


def rounded(glyph: str, arg: Expr, places: int) -> Expr:
    return Expr(f"{glyph}({arg.text}, {places})", 3, lambda env: F(half_up(arg.eval(env), places)))


def absolute(e: Expr, bars: bool = True) -> Expr:
    return Expr(f"|{e.text}|" if bars else f"绝对值({e.text})", 3, lambda env: abs(e.eval(env)))


def convert(e: Expr, unit: str, factor: F) -> Expr:
    return Expr(f"换算({e.text}, {unit})", 3, lambda env: e.eval(env) * factor)


OP_GLYPHS = {">=": ["≥", ">=", "⩾"], "<=": ["≤", "<=", "⩽"], ">": [">", "＞"], "<": ["<", "＜"],
             "=": ["=", "＝", "=="], "!=": ["≠", "!="]}


def holds(a: Any, op: str, b: Any) -> bool:
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


@dataclass
class Cond:
    text: str
    fn: Callable[[Env, Any], bool]  # (env, the 分档 subject's value) → whether it holds
    otherwise: bool = False
    marks: frozenset[str] = frozenset()  # the ends it marks （含）, as written
    open_end: OpenEnd | None = None  # an end written 以上/以下, whose text its neighbours' marks settle

    def holds(self, env: Env, subject: Any = None) -> bool:
        return self.fn(env, subject)


def chain(operands: list[Expr], ops: list[str], glyphs: list[str]) -> Cond:
    text = operands[0].text + "".join(f" {g} {o.text}" for g, o in zip(glyphs, operands[1:]))

    def fn(env, subject):
        values = [o.eval(env) for o in operands]  # every operand is evaluated, as both engines do
        return all(holds(a, op, b) for a, op, b in zip(values, ops, values[1:]))

    return Cond(text, fn)


def implied(op: str, glyph: str, other: Expr) -> Cond:
    return Cond(f"{glyph} {other.text}", lambda env, subject: holds(subject, op, other.eval(env)))


def range_cond(low: Expr, high: Expr, glyph: str = "～", high_first: bool = False) -> Cond:
    """`60%～80%`, the tables' `60%-80%`, or high end first `80%～60%` (two numbers): both ends held."""
    def fn(env, subject):
        if subject is None:
            raise OracleError("a range with nothing to compare")
        return low.eval(env) <= subject <= high.eval(env)

    glyph = f" {glyph} " if glyph.isalpha() else glyph  # 50 人至80 人 would read 人至80 as a name
    first, second = (high, low) if high_first else (low, high)
    return Cond(f"{first.text}{glyph}{second.text}", fn)


def pick_mark(closed: bool, mark: str = "（含）") -> str:
    return mark if closed else ""


def marked_range(low: Expr, high: Expr, low_in: bool, high_in: bool, glyph: str = "～", mark: str = "（含）",
                 high_first: bool = False) -> Cond:
    """`80%（含）～90%`, `60%-80%（含）`: the tables' range, each end held only where marked （含） (one at least);
    high end first (`90%～80%（含）`, two numbers) the marks stay beside their numbers."""
    assert low_in or high_in, "a range with no end marked holds both ends"

    def fn(env, subject):
        if subject is None:
            raise OracleError("a range with nothing to compare")
        lo, hi = low.eval(env), high.eval(env)
        return (lo <= subject if low_in else lo < subject) and (subject <= hi if high_in else subject < hi)

    glyph = f" {glyph} " if glyph.isalpha() else glyph  # 50 人至80 人 would read 人至80 as a name
    marks = frozenset(end.text for end, held in ((low, low_in), (high, high_in)) if held)
    ends = [f"{low.text}{pick_mark(low_in, mark)}", f"{high.text}{pick_mark(high_in, mark)}"]
    first, second = reversed(ends) if high_first else ends
    return Cond(f"{first}{glyph}{second}", fn, marks=marks)


@dataclass
class OpenEnd:
    """`X以上`/`X以下` as drawn: whether the band holds X, and its text without the mark."""
    end: str
    held: bool
    loose: bool  # a held end written unmarked where no other band names X (drawn with the full-width mark: half)
    unmarked: str
    compared: Cond  # the same band as a comparison, `> X`, for an end left out that no other band marks


def open_end(end: Expr, above: bool, held: bool, mark: str = "（含）", english: bool = False) -> Cond:
    """`90%（含）以上`, `80%以下`: one end of a band; a held end marked （含） (or written `90%及以上`, mark 及) and one
    left out not, until `settle_open_ends` reads the bands together."""
    op = (">=" if held else ">") if above else ("<=" if held else "<")
    words = ("above", "below") if english else ("以上", "以下")
    # a name's end would read as one word with 以上 (甲以上); a number's unit runs into it as the tables write
    # it (50 万元以上), and English words need their space
    number = end.text[:1].isdigit() or end.text[:1] == "-"
    space = " " if english or (end.text[-1:].isalpha() and not number) else ""
    word = words[0] if above else words[1]
    if held and mark == "及":  # 90%及以上: held whatever the other bands mark, and claiming X from them
        word, mark = ("and-" if english else "及") + word, ""
        return _open_end(end, op, held, f"{end.text}{space}{word}", f"{end.text}{space}{word}")
    return _open_end(end, op, held, f"{end.text}{pick_mark(held, mark)}{space}{word}", f"{end.text}{space}{word}",
                     loose=mark == "（含）")


def _open_end(end: Expr, op: str, held: bool, text: str, unmarked: str, loose: bool = False) -> Cond:

    def fn(env, subject):
        return holds(subject, op, end.eval(env))

    drawn = OpenEnd(end.text, held, loose, unmarked, Cond(f"{op} {end.text}", fn))
    return Cond(text, fn, marks=frozenset([end.text]) if held else frozenset(), open_end=drawn)


def settle_open_ends(conds: list[Cond]) -> list[Cond]:
    """Each `X以上`/`X以下` written to mean what its band holds (§11.3): unmarked it holds X unless another band
    marks X （含）. A held end drawn loose drops its mark where no other band names X; an end left out stays
    unmarked only where another band marks X, else it is written as the comparison `> X`."""
    settled = list(conds)
    for i, cond in enumerate(conds):
        drawn = cond.open_end
        if drawn is None:
            continue
        others = [c for j, c in enumerate(conds) if j != i]
        marked = any(drawn.end in c.marks for c in others)
        named = marked or any(c.open_end is not None and c.open_end.end == drawn.end for c in others)
        if drawn.held and drawn.loose and not named:
            settled[i] = Cond(drawn.unmarked, cond.fn)
        elif not drawn.held and not marked:
            settled[i] = drawn.compared
    return settled


def truth(name: str) -> Cond:
    return Cond(name, lambda env, subject: bool(env.get(name)))


def both(parts: list[Cond], glyph: str = "且") -> Cond:
    return Cond(f" {glyph} ".join(p.text for p in parts), lambda env, s: all(p.holds(env, s) for p in parts))


def either(parts: list[Cond], glyph: str = "或") -> Cond:
    return Cond(f" {glyph} ".join(p.text for p in parts), lambda env, s: any(p.holds(env, s) for p in parts))


OTHERWISE = Cond("否则", lambda env, s: True, otherwise=True)


def pick(draw, *choices):
    return draw(st.sampled_from(list(choices)))


# ---------------------------------------------------------------- inputs


UNIT_FACTORS = {"元": F(1), "千元": F(1000), "万元": F(10**4), "亿元": F(10**8), "人": F(1), "万人": F(10**4),
                "个": F(1), "件": F(1), "项": F(1), "户": F(1), "人次": F(1)}


@dataclass
class Decl:
    """An input declaration (输入 名称：种类 …)."""

    name: str
    kind: str  # rate money count number findings bool choice
    unit: str | None = None
    signed: bool = False
    low: F | None = None  # 范围 (a rate as a fraction)
    high: F | None = None
    options: tuple[str, ...] = ()
    series: tuple[str, str, int, int] | None = None  # a member of 名称：种类 年度/子项目 first～last: (base, word …)
    optional: bool = False  # 可缺 (§11.15): may be left blank; the leaf's 无数据时 line scores it then

    def text(self) -> str | None:
        """The declaration; a series is declared once, by its first member (None for the others)."""
        if self.series is not None:
            base, word, first, last = self.series
            if self.name != f"{base}{first}":
                return None
            return Decl(base, self.kind, self.unit, self.signed, self.low, self.high, self.options,
                        optional=self.optional).text() + \
                f" {word} {first}～{last}"
        rng = ""
        if self.low is not None:
            show = pct if self.kind == "rate" else fmt
            rng = f" 范围 {show(self.low)}～{show(self.high)}"
        kind = {"rate": "比率", "money": f"金额 {self.unit}", "count": f"数量 {self.unit}", "number": "数值",
                "findings": "问题数", "bool": "是否", "choice": "选项 " + "/".join(self.options)}[self.kind]
        return f"{self.name}：{kind}{' 可负' if self.signed else ''}{rng}{' 可缺' if self.optional else ''}"

    @property
    def numeric(self) -> bool:
        return self.kind in ("rate", "money", "count", "number", "findings")

    def domain(self) -> tuple[F | None, F | None]:
        """The values grammar/README.md §7 lets the input take (None: no bound)."""
        if self.low is not None:
            return self.low, self.high
        if self.kind == "rate":
            return F(0), F(1)
        if self.signed:
            return None, None
        return F(0), None

    def value(self, num: Num) -> F:
        return F(num.figure) / 100 if self.kind == "rate" else F(num.figure)

    def cell(self, value: F, draw=None) -> Num:
        figure = figure4(value * 100 if self.kind == "rate" else value)
        style = "plain"
        if self.kind == "rate" and figure != 0 and abs(figure) <= 1:  # 0.5 alone is ambiguous: refused
            style = "percent"
        elif draw is not None:
            if self.kind == "rate" and draw(st.booleans()):
                style = "percent"
            elif self.kind in ("money", "count") and draw(st.integers(0, 5)) == 0:
                style = "unit"
        return Num(figure, style)

    def valid(self, raw: Any) -> bool:
        """Whether the reader should accept the value (grammar/README.md §7)."""
        if isinstance(raw, Bad):
            return False
        if self.kind in ("bool", "choice") and not isinstance(raw, str):
            return False
        if self.kind == "bool":
            return raw in YES or raw in NO
        if self.kind == "choice":
            return raw in self.options or (len(raw) == 1 and 0 <= ord(raw.upper()) - ord("A") < len(self.options))
        value = self.value(raw)
        if self.kind == "rate" and isinstance(raw, Num) and raw.style == "plain" and raw.figure != 0 \
                and abs(raw.figure) <= 1:
            return False  # a rate without % between -1 and 1: 0.98% or 98%? (examples/README.md)
        if self.kind == "findings":
            return value >= 0 and value.denominator == 1
        low, high = self.domain()
        return (low is None or value >= low) and (high is None or value <= high)

    def parse(self, raw: Any) -> Any:
        if self.kind == "bool":
            return raw in YES
        if self.kind == "choice":
            return raw if raw in self.options else self.options[ord(raw.upper()) - ord("A")]
        return self.value(raw)

    def clamp(self, value: F) -> F:
        low, high = self.domain()
        if low is not None:
            value = max(value, low)
        if high is not None:
            value = min(value, high)
        return value


@dataclass
class Questionnaire:
    name: str
    options: list[tuple[str, F]]  # option letter → score
    questions: list[str]

    def lines(self) -> list[str]:
        opts = "，".join(f"{letter} {fmt(score)} 分" for letter, score in self.options)
        return [f"问卷 {self.name}", f"  选项 {opts}"] + [f"  - {q}" for q in self.questions]

    def rate(self, rows: list[list[int]]) -> F:
        top = max(s for _, s in self.options)
        got = sum(c * s for row in rows for c, (_, s) in zip(row, self.options))
        full = sum(c * top for row in rows for c in row)
        if full == 0:
            raise OracleError("nobody answered")
        return F(got) / F(full)

    def valid(self, rows: Any) -> bool:
        return all(isinstance(c, int) and c >= 0 for row in rows for c in row)


# ---------------------------------------------------------------- names


OVER_CUT = "超额调减"  # a target's over-achievement deduction (grammar/README.md §11.8)
DISCRETION_CUT = "酌情扣分"  # a leaf's bounded discretionary cut after its rule (grammar/README.md §11.12)
REASONED_CUTS = (OVER_CUT, DISCRETION_CUT)  # evaluator's cuts that need a 理由 when above 0
RATE_NAMES = ["完成率", "达标率", "覆盖率", "执行率", "满意率", "支出进度", "安排率", "控制率", "办结率", "到位率", "公开完整率"]
AMOUNT_PAIRS = [("执行数", "预算数"), ("重点项目支出", "项目总支出"), ("实际支出数", "预算安排数"),
                ("实际采购金额", "采购计划金额"), ("到位资金", "计划资金")]
SERIES_RATE_NAMES = ["历年进度", "年度完成率", "历年满意率", "年度达标率"]  # declared 年度 …: one input per year
SUBPROJECT_PAIRS = [("子项执行数", "子项预算数"), ("分项支出", "分项预算")]  # declared 子项目 1～n
SERIES_WEIGHTS = [(F(1, 5), F(3, 10), F(1, 2)), (F(1, 10), F(1, 5), F(7, 10)), (F(1, 2), F(1, 2)), (F(1, 4), F(3, 4))]
RATIO_NAMES = ["比率", "执行比率", "安排比率", "控制比率", "资金比率"]
COUNT_PAIRS = [("已完成项目数", "未完成项目数"), ("已办结件数", "未办结件数"), ("合格户数", "不合格户数")]
COUNT_NAMES = [("实有人数", "人"), ("参保人数", "万人"), ("培训人次", "人次"), ("新增户数", "户"), ("项目个数", "个")]
SIGNED_RATE_NAMES = ["变动率", "增长率", "调整率", "偏差率"]
SIGNED_MONEY = [("调整数", "预算数"), ("变动额", "年初预算"), ("增减额", "核定数")]
NUMBER_NAMES = ["考核系数", "评价系数", "调整系数"]
FINDING_NAMES = ["问题个数", "未满足项数", "违规次数", "整改遗留数"]
GATE_NAMES = ["有效样本", "样本数", "回收问卷数"]
BOOL_NAMES = ["受到处罚", "发生违规", "超支", "存在重大问题", "未按时报送"]
CHOICE_INPUTS = [("公开情况", ("按规定公开", "未按时限公开", "未公开")), ("采购方式", ("公开招标", "询价", "单一来源")),
                 ("整改情况", ("全部整改", "部分整改", "未整改"))]
CHOICE_RULES = [("预算公开情况", ["按规定内容、在规定时限和范围内公开", "进行了公开，但未达到时限、内容或范围要求", "没有进行公开",
                               "涉密部门经批准不需要公开相关信息"]),
                ("采购执行情况", ["全部按计划执行", "部分执行", "未执行"]),
                ("评审结论", ["优秀", "合格", "不合格"])]
BARE_LABELS = ["按规定公开", "部分公开", "没有公开", "不需公开"]
DERIVED_NAMES = ["执行比例", "综合比率", "平均进度", "完成比例", "核算率"]
QUESTIONS = ["您对本局开展工作的整体满意程度如何", "您认为本部门执行财政预算资金的合规性如何", "您对办事效率是否满意"]
CHECK_ITEMS = ["是否符合国家法律法规、国民经济和社会发展总体规划", "是否符合部门职责", "绩效目标是否准确合理",
               "部门制定了财政资金管理、内部财务、内部控制等制度的", "上述资金、财务和内控制度得到有效执行的",
               "绩效目标能分解成具体工作任务的", "资金使用单位建立有效管理机制，且执行情况良好的", "档案资料完整 #1 份"]
LEVEL1 = ["决策", "过程", "产出", "效益", "预算编制", "资金管理", "履职效能"]
LEVEL2 = ["目标设定", "预算配置", "预算执行", "资产管理", "质量指标", "满意度", "制度管理", "时效指标"]
LEAVES = ["年度绩效目标合理性", "重点支出安排率", "基本支出预算执行率", "预算调整率", "“三公”经费控制率",
          "政府采购执行率", "项目完成及时性", "管理制度健全性", "部门预算公开", "重点工作完成率", "服务对象满意度",
          "存量资金压减", "考核结果应用", "人员管理", "财务合规性", "资产管理安全性", "社会效益", "《条例》执行情况"]
QUOTED_LEAVES = ["信访、投诉（线上、线下）办结率", "2024年重点任务", "目标", "目标1", "预算 执行率", "1.预算执行率",
                 "项目（含专项）完成率", "得分"]
SEPARATOR_LEAVES = ["甲/乙完成率", "资金›项目", "上级／本级"]
PART_NAMES = ["部门预算公开", "部门决算公开", "制度建设", "制度执行", "数量完成", "质量达标"]
ITEM_NAMES = ["自评工作质量", "政府采购执行情况", "审计发现问题", "获得表彰", "创新举措", "信息报送"]


class Names:
    """Unique names within one scope (a leaf's inputs and quantities)."""

    def __init__(self, draw, taken: set[str]):
        self.draw = draw
        self.taken = set(taken)

    def take(self, pool: list[str]) -> str:
        free = [n for n in pool if n not in self.taken]
        if free:
            name = self.draw(st.sampled_from(free))
        else:
            base = self.draw(st.sampled_from(pool))
            name = next(base + s for s in "甲乙丙丁戊己庚辛壬癸" if base + s not in self.taken)
        self.taken.add(name)
        return name

    def take_pair(self, pool: list[tuple[str, str]]) -> tuple[str, str]:
        free = [p for p in pool if p[0] not in self.taken and p[1] not in self.taken]
        if free:
            pair = self.draw(st.sampled_from(free))
        else:
            base = self.draw(st.sampled_from(pool))
            suffix = next(s for s in "甲乙丙丁戊己庚辛壬癸" if base[0] + s not in self.taken and base[1] + s not in self.taken)
            pair = (base[0] + suffix, base[1] + suffix)
        self.taken.update(pair)
        return pair


# ---------------------------------------------------------------- subjects: what bands, deviations and formulas measure


Values = dict  # field name → raw value, for one scoring unit


@dataclass
class Subject:
    expr: Expr  # as written after 分档 / 偏离 and in the bands' conditions
    kind: str  # 'rate', 'count' or 'number': how constants are written
    unit: str | None  # a count's unit
    low: F  # the least value it takes
    high: F | None  # the most (None: no bound)
    decls: list[Decl] = field(default_factory=list)
    derived: list[tuple[str, Expr]] = field(default_factory=list)
    questionnaires: list[Questionnaire] = field(default_factory=list)
    realize: Callable[[Any, F, bool], Values] | None = None  # (draw, value, exact) → inputs giving this value
    free: Callable[[Any], Values] | None = None  # (draw) → any inputs
    extra: Callable[[Any], Values] | None = None  # zero denominators, nobody answering …
    grain: F = F(1, 100)  # the step between round values (cut points)

    def const(self, value: F) -> Expr:
        if self.kind == "rate":
            return lit(value, "%")
        if self.kind == "count":
            return lit(value, self.unit or "")
        return lit(value)

    def step_text(self, step: F) -> str:
        return self.const(step).text


def near(draw, value: F, grain: F) -> F:
    """A value on, just below or just above `value`."""
    offset = draw(st.sampled_from([F(0), F(0), F(0), F(1, 10**6), -F(1, 10**6), grain / 2, -grain / 2, grain, -grain]))
    return value + offset


def anywhere(draw, low: F | None, high: F | None) -> F:
    lo = low if low is not None else F(-2000)
    hi = high if high is not None else max(lo, F(0)) + 2000
    return lo + (hi - lo) * F(draw(st.integers(0, 10**4)), 10**4)


def rate_input(draw, names: Names, signed: bool = False, wide: bool = False) -> Subject:
    name = names.take(SIGNED_RATE_NAMES if signed else RATE_NAMES)
    if signed:
        low, high = F(-1), F(1)
    elif wide:
        low, high = F(0), draw(st.sampled_from([F(2), F(3, 2), F(10)]))
    else:
        low, high = F(0), F(1)
    declared = signed or wide or draw(st.integers(0, 5)) == 0
    decl = Decl(name, "rate", low=low if declared else None, high=high if declared else None)
    expr, sub_low, sub_high = ref(name), low, high
    if signed:
        expr, sub_low, sub_high = absolute(expr, draw(st.integers(0, 4)) > 0), F(0), F(1)

    def realize(draw, value, exact=False):
        if signed and draw(st.booleans()):
            value = -value
        return {name: decl.cell(decl.clamp(value), draw)}

    def free(draw):
        return {name: decl.cell(anywhere(draw, low, high), draw)}

    return Subject(expr, "rate", None, sub_low, sub_high, [decl], realize=realize, free=free)


def amount_ratio(draw, names: Names, signed: bool = False) -> Subject:
    """率 = 甲 / 乙 of two amounts (0 and up), or |调整数 / 预算数| with a signed numerator."""
    top, bottom = names.take_pair(SIGNED_MONEY if signed else AMOUNT_PAIRS)
    unit = draw(st.sampled_from(["万元", "元", "万元", "千元"]))
    a, b = Decl(top, "money", unit, signed=signed), Decl(bottom, "money", unit)
    ratio = binop("/", ref(top), ref(bottom), draw(st.sampled_from(["/", "÷", "／"])))
    derived = []
    if draw(st.booleans()):
        dname = names.take(RATIO_NAMES)
        derived.append((dname, ratio))
        ratio = ref(dname)
    if signed:
        ratio = absolute(ratio, draw(st.integers(0, 3)) > 0)

    def realize(draw, value, exact=False):
        base = F(10000) if exact else draw(st.sampled_from([F(100), F(1000), F(10000), F(8), F(3), F(99999)]))
        num = value * base
        if signed and draw(st.booleans()):
            num = -num
        return {top: a.cell(num, draw), bottom: b.cell(base, draw)}

    def free(draw):
        base = F(draw(st.sampled_from([1, 7, 100, 2500, 10**6])))
        num = F(draw(st.integers(-3 * 10**6 if signed else 0, 3 * 10**6)), 100)
        return {top: a.cell(num, draw), bottom: b.cell(base, draw)}

    def zero(draw):
        return {top: a.cell(F(draw(st.integers(0, 5))), draw), bottom: Num(Decimal(0))}

    return Subject(ratio, "rate", None, F(0), None, [a, b], derived, realize=realize, free=free, extra=zero)


def share(draw, names: Names) -> Subject:
    """完成比例 = 已完成 ÷ (已完成 + 未完成): a share of a whole, 0%～100%."""
    done, left = names.take_pair(COUNT_PAIRS)
    unit = draw(st.sampled_from(["个", "件", "户"]))
    a, b = Decl(done, "count", unit), Decl(left, "count", unit)
    dname = names.take(DERIVED_NAMES)
    expr = binop("/", ref(done), binop("+", ref(done), ref(left)), pick(draw, "÷", "/"))

    def realize(draw, value, exact=False):
        total = F(10000) if exact else draw(st.sampled_from([F(100), F(10000), F(8)]))
        first = F(figure4(value * total))
        return {done: a.cell(first, draw), left: b.cell(total - first, draw)}

    def free(draw):
        return {done: Num(Decimal(draw(st.integers(0, 40)))), left: Num(Decimal(draw(st.integers(0, 40))))}

    def zero(draw):
        return {done: Num(Decimal(0)), left: Num(Decimal(0))}

    return Subject(ref(dname), "rate", None, F(0), F(1), [a, b], [(dname, expr)], realize=realize, free=free,
                   extra=zero)


def count_input(draw, names: Names) -> Subject:
    name, unit = draw(st.sampled_from(COUNT_NAMES))
    name = names.take([name])
    decl = Decl(name, "count", unit)

    def realize(draw, value, exact=False):
        return {name: decl.cell(decl.clamp(value), draw)}

    def free(draw):
        return {name: decl.cell(F(draw(st.integers(0, 20000)), draw(st.sampled_from([1, 1, 100]))), draw)}

    return Subject(ref(name), "count", unit, F(0), None, [decl], realize=realize, free=free, grain=F(1))


def number_input(draw, names: Names) -> Subject:
    name = names.take(NUMBER_NAMES)
    high = draw(st.sampled_from([F(2), F(1), F(5)]))
    decl = Decl(name, "number", low=F(0), high=high)

    def realize(draw, value, exact=False):
        return {name: decl.cell(decl.clamp(value), draw)}

    def free(draw):
        return {name: decl.cell(anywhere(draw, F(0), high), draw)}

    return Subject(ref(name), "number", None, F(0), high, [decl], realize=realize, free=free, grain=F(1, 10))


def questionnaire_subject(draw, names: Names) -> Subject:
    name = names.take(["综合满意率", "满意度调查率", "群众满意率"])
    options = draw(st.sampled_from([
        [("A", F(10)), ("B", F(7)), ("C", F(4)), ("D", F(0))],
        [("A", F(1)), ("B", F(0))],
        [("满意", F(5)), ("基本满意", F(3)), ("不满意", F(0))],
        [("D", F(0)), ("A", F(2)), ("B", F(3, 2))],
    ]))
    count = draw(st.integers(1, 3))
    q = Questionnaire(name, options, QUESTIONS[:count])
    top = max(range(len(options)), key=lambda i: options[i][1])
    bottom = min(range(len(options)), key=lambda i: options[i][1])

    def realize(draw, value, exact=False):
        size = 10000 if exact else draw(st.sampled_from([100, 20, 8]))
        hits = min(max(math.floor(value * size + F(1, 2)), 0), size)
        rows = []
        for _ in range(count):
            row = [0] * len(options)
            row[top] += hits
            row[bottom] += size - hits
            rows.append(row)
        return {name: rows}

    def free(draw):
        return {name: [[draw(st.integers(0, 12)) for _ in options] for _ in range(count)]}

    def nobody(draw):
        return {name: [[0] * len(options) for _ in range(count)]}

    return Subject(ref(name), "rate", None, F(0), F(1), questionnaires=[q], realize=realize, free=free, extra=nobody)


def year_members(draw, names: Names, count: int, kind: str = "rate") -> list[Decl]:
    """A rate given once per year (名称：比率 年度 2022～2024): its members, in year order."""
    base = names.take(SERIES_RATE_NAMES)
    first = draw(st.sampled_from([2020, 2022]))
    return [Decl(f"{base}{y}", kind, series=(base, pick(draw, "年度", "by-year"), first, first + count - 1))
            for y in range(first, first + count)]


def weighted_years(draw, names: Names) -> Subject:
    """加权平均(历年进度, 20%, 30%, 50%): a rate per year, weighted; one value everywhere realizes that value."""
    weights = draw(st.sampled_from(SERIES_WEIGHTS))
    members = year_members(draw, names, len(weights))
    base = members[0].series[0]
    text = f"{pick(draw, '加权平均', 'weighted_mean')}({base}, {', '.join(pct(w) for w in weights)})"
    expr = Expr(text, 3, lambda env: sum((w * env.get(m.name) for w, m in zip(weights, members)), F(0)))

    def realize(draw, value, exact=False):
        return {m.name: m.cell(m.clamp(value), draw) for m in members}

    def free(draw):
        return {m.name: m.cell(anywhere(draw, F(0), F(1)), draw) for m in members}

    return Subject(expr, "rate", None, F(0), F(1), members, realize=realize, free=free)


def subproject_ratio(draw, names: Names) -> Subject:
    """合计(子项执行数) / 合计(子项预算数): the sub-projects' execution weighted by their budgets."""
    top, bottom = names.take_pair(SUBPROJECT_PAIRS)
    count = draw(st.integers(1, 3))
    word = pick(draw, "子项目", "by-subproject")
    a = [Decl(f"{top}{k}", "money", "万元", series=(top, word, 1, count)) for k in range(1, count + 1)]
    b = [Decl(f"{bottom}{k}", "money", "万元", series=(bottom, word, 1, count)) for k in range(1, count + 1)]
    total = pick(draw, "合计", "series_sum")

    def summed(base, group):
        return Expr(f"{total}({base})", 3, lambda env: sum((env.get(m.name) for m in group), F(0)))

    ratio = binop("/", summed(top, a), summed(bottom, b), pick(draw, "/", "÷"))

    def realize(draw, value, exact=False):
        budgets = [F(10000) if exact else draw(st.sampled_from([F(100), F(0), F(3)])) for _ in b]
        if sum(budgets) == 0:
            budgets[0] = F(100)
        return {**{m.name: m.cell(value * x, draw) for m, x in zip(a, budgets)},
                **{m.name: m.cell(x, draw) for m, x in zip(b, budgets)}}

    def free(draw):
        return {**{m.name: m.cell(F(draw(st.integers(0, 300))), draw) for m in a},
                **{m.name: m.cell(F(draw(st.integers(0, 200))), draw) for m in b}}

    def zero(draw):
        return {**{m.name: m.cell(F(draw(st.integers(0, 5))), draw) for m in a}, **{m.name: Num(Decimal(0)) for m in b}}

    return Subject(ratio, "rate", None, F(0), None, a + b, realize=realize, free=free, extra=zero)


def any_subject(draw, names: Names) -> Subject:
    kind = draw(st.sampled_from(["rate", "rate", "ratio", "share", "questionnaire", "number", "wide", "count",
                                 "signed_rate", "signed_ratio", "weighted_years", "subproject_ratio"]))
    if kind == "weighted_years":
        return weighted_years(draw, names)
    if kind == "subproject_ratio":
        return subproject_ratio(draw, names)
    if kind in ("rate", "wide", "signed_rate"):
        return rate_input(draw, names, signed=kind == "signed_rate", wide=kind == "wide")
    if kind in ("ratio", "signed_ratio"):
        return amount_ratio(draw, names, signed=kind == "signed_ratio")
    return {"share": share, "questionnaire": questionnaire_subject, "number": number_input,
            "count": count_input}[kind](draw, names)


def subject_values(draw, subject: Subject, interesting: list[F]) -> Values:
    """Inputs that put the subject on, near or away from the interesting values (or undefined)."""
    k = draw(st.integers(0, 9))
    if k < 6 and interesting:
        value = max(near(draw, draw(st.sampled_from(interesting)), subject.grain), subject.low)
        if subject.high is not None:
            value = min(value, subject.high)
        return subject.realize(draw, value, False)
    if k < 9 or subject.extra is None:
        return subject.free(draw)
    return subject.extra(draw)


# ---------------------------------------------------------------- rules


@dataclass
class Reserved:
    """A reserved field of the rule: 要素 (a checklist's elements) or 得分 (a discretionary score)."""

    kind: str  # 'items', 'score' or 'graded' (评级's score: tests/spec_gen_graded.py)
    points: list[F] = field(default_factory=list)  # items: each element's points
    partial: bool = False
    low: F = F(0)  # score: its range
    high: F = F(0)
    tiers: tuple = ()  # graded: each grade's range (spec_gen_graded.Tier), top first
    written: tuple[str, ...] = ()  # graded: the grades in the order written
    reason: bool = False  # graded: 须说明理由 below the top grade

    @property
    def field_name(self) -> str:
        return "要素" if self.kind == "items" else "得分"


@dataclass
class Rule:
    lines: list[str]
    award: Callable[[Env], F]  # the rule's exact award, before the score is held within 0 … points
    decls: list[Decl] = field(default_factory=list)  # written under 输入
    implicit: list[Decl] = field(default_factory=list)  # inputs the rule declares itself (选择)
    derived: list[tuple[str, Expr]] = field(default_factory=list)
    questionnaires: list[Questionnaire] = field(default_factory=list)
    reserved: Reserved | None = None
    values: Callable[[Any], Values] | None = None  # (draw) → values for the rule's inputs
    witness: Callable[[Any], Values] | None = None  # (draw) → values earning full points (None: not known)
    options: set[str] = field(default_factory=set)  # option words the rule makes visible
    uses_shared: bool = False  # reads a spec-level input
    guard: tuple[str, str] | None = None  # (kind, input) a special case could guard: a zero denominator
    over_cut: bool = False  # a target with 超额调减: its deduction needs a reason when above 0
    zeroed: Callable[[Env], bool] | None = None  # a 若 line of the rule's own gave 不得分: no 另扣/另加 after it
    adjustment: Callable[[Env, F], F] | None = None  # (env, an award) → that award moved by the lines after the rule
    unreachable: bool = False  # a target outside its input's range: its witness cannot earn the full points


# -- 分档


@dataclass
class Interval:
    lo: F
    hi: F | None  # None: no upper bound
    lo_closed: bool
    hi_closed: bool


def _cuts(draw, subject: Subject) -> list[F]:
    """Cut points strictly inside the subject's range."""
    low = subject.low
    high = subject.high if subject.high is not None else low + (F(2) if subject.kind == "rate" else F(200))
    grain = subject.grain
    count = int((high - low) / grain)
    if count < 2:
        return []
    round_ones = [p for p in range(1, count) if (p * grain * (100 if subject.kind == "rate" else 1)) % 10 == 0]
    pool = round_ones if round_ones and draw(st.booleans()) else list(range(1, count))
    n = draw(st.integers(1, min(3, len(pool))))
    return sorted(low + grain * p for p in draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n, unique=True)))


STEPS = {"rate": [F(1, 100), F(1, 200), F(2, 100), F(5, 100), F(1, 1000)], "count": [F(1), F(2), F(5), F(10)],
         "number": [F(1, 10), F(1, 2), F(1, 100)]}
DEDUCTS = [F(1, 10), F(1, 5), F(1, 4), F(1, 2), F(1), F(3, 10), F(1, 20), F(1, 100)]


def _linear(draw, iv: Interval, start: F, subject: Subject):
    """A linear outcome (step, deduct, rounding, 扣完为止) whose award stays ≥ 0 over the whole interval (E402),
    or, with 扣完为止, any deduction: it stops at 0."""
    step = draw(st.sampled_from(STEPS[subject.kind]))
    rounding = draw(st.sampled_from([None, "half_up", "floor", "ceil"]))
    most = ROUNDINGS[rounding](F(iv.hi - iv.lo) / step)
    if most == 0:
        return None
    if draw(st.integers(0, 3)) == 0:
        return step, draw(st.sampled_from([d for d in DEDUCTS + [start] if d > 0])), rounding, True
    exact = start / most
    choices = [d for d in DEDUCTS if d <= exact] + ([exact] if finite(exact) else [])
    if not choices:
        return None
    return step, draw(st.sampled_from(choices)), rounding, False


def _linear_award(direction: str, anchor: F, step: F, deduct: F, rounding, start: F, x: F) -> F:
    distance = anchor - x if direction == "down" else x - anchor
    return max(start - deduct * ROUNDINGS[rounding](max(distance, F(0)) / step), F(0))


def _flip(op: str) -> str:
    return {">=": "<=", ">": "<", "<=": ">=", "<": ">"}[op]


def deducted(value: F, points: F) -> tuple[str, ...]:
    """An award below the points written as the tables often do, as what it takes off them: `扣 1 分`."""
    return (f"扣 {fmt(points - value)} 分",) if 0 < value < points else ()


def bands_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    subject = any_subject(draw, names)
    cuts = _cuts(draw, subject)
    if not cuts:
        cuts = [subject.low + 1]
    bounds = [subject.low] + cuts + [subject.high]
    below = [draw(st.booleans()) for _ in cuts]  # each cut belongs to the band below it, or above
    intervals = [Interval(bounds[i], bounds[i + 1], i == 0 or not below[i - 1], i == len(cuts) or below[i])
                 for i in range(len(cuts) + 1)]
    if subject.high is not None and draw(st.integers(0, 4)) == 0:  # 比率 = 100% as a band of its own
        intervals[-1].hi_closed = False
        intervals.append(Interval(subject.high, subject.high, True, True))
    n = len(intervals)
    full_at = draw(st.integers(0, n - 1))
    outcomes: list[tuple] = []
    for i, iv in enumerate(intervals):
        kind = draw(st.sampled_from(["full", "full", "down", "up"] if i == full_at else ["fixed", "fixed", "down", "up"]))
        outcome = None
        if kind in ("down", "up") and iv.hi is not None and iv.lo != iv.hi:
            anchor_closed = iv.hi_closed if kind == "down" else iv.lo_closed
            start = None
            if i != full_at and draw(st.integers(0, 2)) == 0:
                start = draw(st.sampled_from([p for p in (points / 2, points * 3 / 4, F(1)) if 0 < p < points
                                              and finite(p)] or [None]))
            if i != full_at or anchor_closed:
                made = _linear(draw, iv, points if start is None else start, subject)
                if made is not None:
                    outcome = ("linear", kind, *made, start)
        if outcome is None:
            if i == full_at:
                outcome = ("fixed", None)
            else:
                value = draw(st.sampled_from([F(0), points / 2, points / 4, F(1), points - F(1, 2)]))
                outcome = ("fixed", value if 0 <= value < points and finite(value) else F(0))
        outcomes.append(outcome)

    def award_at(i: int, x: F) -> F:
        outcome = outcomes[i]
        if outcome[0] == "fixed":
            return points if outcome[1] is None else outcome[1]
        _, direction, step, deduct, rounding, _until, start = outcome
        iv = intervals[i]
        return _linear_award(direction, iv.hi if direction == "down" else iv.lo, step, deduct, rounding,
                             points if start is None else start, x)

    # neighbours may both include a cut where they award the same (≥ 80% 得满分；60%～80% 每降低 …)
    for i, cut in enumerate(cuts):
        left, right = intervals[i], intervals[i + 1]
        if draw(st.integers(0, 1)) == 0 and right.lo == cut and award_at(i, cut) == award_at(i + 1, cut):
            left.hi_closed = right.lo_closed = True

    subj = subject.expr
    c = subject.const

    def g(op):
        return draw(st.sampled_from(OP_GLYPHS[op]))

    def written(i: int, iv: Interval) -> Cond:
        lo_op, hi_op = (">=" if iv.lo_closed else ">"), ("<=" if iv.hi_closed else "<")
        if iv.lo == iv.hi:
            return pick(draw, chain([subj, c(iv.lo)], ["="], [g("=")]), implied("=", g("="), c(iv.lo)))
        first, last = i == 0, i == n - 1
        outcome = outcomes[i]
        needs = None if outcome[0] == "fixed" else "lo" if outcome[1] == "up" else "hi"  # a linear band's anchor
        forms = []
        mark = pick(draw, "（含）", "(含)", "（含）", "(incl)")
        end_mark = pick(draw, mark, mark, "及")  # 90%及以上, 60%及以下: held always
        english = draw(st.integers(0, 4)) == 0
        high_first = draw(st.integers(0, 3)) == 0  # 90%～80%（含）, 90%-80%: the tables' other order
        if first and iv.hi is not None and needs != "lo":
            forms += [chain([subj, c(iv.hi)], [hi_op], [g(hi_op)]), implied(hi_op, g(hi_op), c(iv.hi)),
                      open_end(c(iv.hi), False, iv.hi_closed, end_mark, english)]
        if last and not first and needs != "hi":
            forms += [chain([subj, c(iv.lo)], [lo_op], [g(lo_op)]), implied(lo_op, g(lo_op), c(iv.lo)),
                      open_end(c(iv.lo), True, iv.lo_closed, end_mark, english)]
        if iv.hi is not None and (iv.lo_closed or iv.hi_closed):  # 80%（含）～90%: the tables mark the ends held
            glyphs = ["～", "~", "至", "—"] + (["-"] if iv.lo >= 0 else [])
            forms.append(marked_range(c(iv.lo), c(iv.hi), iv.lo_closed, iv.hi_closed, pick(draw, *glyphs), mark,
                                      high_first))
        if iv.hi is not None:
            forms.append(chain([c(iv.lo), subj, c(iv.hi)], [_flip(lo_op), hi_op], [g(_flip(lo_op)), g(hi_op)]))
            forms.append(chain([c(iv.hi), subj, c(iv.lo)], [_flip(hi_op), lo_op], [g(_flip(hi_op)), g(lo_op)]))
            forms.append(both([chain([subj, c(iv.lo)], [lo_op], [g(lo_op)]),
                               chain([subj, c(iv.hi)], [hi_op], [g(hi_op)])], pick(draw, "且", "并且")))
            if iv.lo_closed and iv.hi_closed:
                glyphs = ["～", "~", "～", "至", "—"] + (["-"] if iv.lo >= 0 else [])  # 60%-80%: a range too
                forms.append(range_cond(c(iv.lo), c(iv.hi), pick(draw, *glyphs), high_first))
        else:
            forms.append(chain([subj, c(iv.lo)], [lo_op], [g(lo_op)]))
        return draw(st.sampled_from(forms))

    conds = [written(i, iv) for i, iv in enumerate(intervals)]
    order = list(range(n))
    fixed = [i for i, o in enumerate(outcomes) if o[0] == "fixed"]
    otherwise_at = None
    if fixed and draw(st.integers(0, 3)) == 0:  # 否则 for one band with a fixed award
        otherwise_at = draw(st.sampled_from(fixed))
        conds[otherwise_at] = OTHERWISE
    conds = settle_open_ends(conds)
    pairs = [(i, j) for i in fixed for j in fixed if i < j - 1 and outcomes[i] == outcomes[j] and otherwise_at not in (i, j)]
    if pairs and draw(st.booleans()):  # two bands with the same award joined by 或
        i, j = draw(st.sampled_from(pairs))
        conds[i] = either([conds[i], conds[j]], pick(draw, "或", "或者"))
        order.remove(j)
    if draw(st.integers(0, 2)) == 0:
        order.reverse()
    if otherwise_at is not None:
        order.remove(otherwise_at)
        at = draw(st.integers(0, len(order))) if rare(draw, include, "otherwise_first", 3) else len(order)
        order.insert(at, otherwise_at)

    def outcome_text(i: int) -> str:
        outcome = outcomes[i]
        if outcome[0] == "fixed":
            value = outcome[1]
            if value is None:
                return pick(draw, "得满分", f"得 {fmt(points)} 分", "不扣分")
            if value == 0:
                return pick(draw, "不得分", "得 0 分")
            return pick(draw, f"得 {fmt(value)} 分", f"{fmt(value)} 分", *deducted(value, points))
        _, direction, step, deduct, rounding, until, start = outcome
        verb = draw(st.sampled_from(["每降低", "每下降", "每减少"] if direction == "down" else ["每增加", "每提高", "每超出", "每增长"]))
        rtext = f"（{draw(st.sampled_from(ROUNDING_WORDS[rounding]))}）" if rounding else ""
        text = f"{verb} {subject.step_text(step)}{rtext} 扣 {fmt(deduct)} 分"
        text += f"{pick(draw, '，', ' ')}起扣 {fmt(start)} 分" if start is not None else ""
        return text + (f"{pick(draw, '，', ' ')}扣完为止" if until else "")

    texts = [f"{conds[i].text}{pick(draw, '：', ' ', '，')}{outcome_text(i)}" for i in order]
    if draw(st.booleans()):
        lines = [f"分档 {subj.text}：" + "；".join(texts)]
    else:
        lines = [f"分档 {subj.text}"] + [f"  {t}" for t in texts]

    def award(env: Env) -> F:
        x = subj.eval(env)
        # grammar/README.md §11.3: the first band written that holds; 否则 holds where no other band does
        others = [i for i in order if not conds[i].otherwise and conds[i].holds(env, x)]
        if others:
            return award_at(others[0], x)
        if otherwise_at is not None:
            return award_at(otherwise_at, x)
        raise OracleError("no band holds")

    interesting = [b for b in bounds if b is not None] + [F(0)]

    def witness(draw):
        iv, outcome = intervals[full_at], outcomes[full_at]
        if outcome[0] == "linear":
            x = iv.hi if outcome[1] == "down" else iv.lo
        elif iv.lo_closed:
            x = iv.lo
        elif iv.hi is not None and iv.hi_closed:
            x = iv.hi
        else:
            x = (iv.lo + iv.hi) / 2 if iv.hi is not None else iv.lo + 1
        return subject.realize(draw, x, True)

    return Rule(lines, award, subject.decls, derived=subject.derived, questionnaires=subject.questionnaires,
                values=lambda d: subject_values(d, subject, interesting), witness=witness)


# -- 偏离


def deviation_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    kind = draw(st.sampled_from(["signed_rate", "signed_ratio", "rate", "count"]))
    if kind == "signed_rate":
        subject = rate_input(draw, names, signed=True)
        if draw(st.booleans()):
            subject.expr = ref(subject.decls[0].name)  # deviations count either side: |x| or x is the same
        target, far = F(0), F(1)
    elif kind == "signed_ratio":
        subject = amount_ratio(draw, names, signed=True)
        target, far = F(0), None
    elif kind == "rate":
        subject = rate_input(draw, names)
        target = draw(st.sampled_from([F(1, 2), F(9, 10), F(1), F(0), F(3, 10)]))
        far = max(target, 1 - target)
    else:
        subject = count_input(draw, names)
        target, far = F(draw(st.integers(0, 60))), None
    step = draw(st.sampled_from([F(1), F(2), F(1, 2)] if kind == "count" else [F(1, 100), F(2, 100), F(5, 100), F(1, 200)]))
    rounding = draw(st.sampled_from([None, "half_up", "floor", "ceil"]))
    deduct = draw(st.sampled_from([d for d in (F(1, 10), F(1, 5), F(1, 2), F(1), F(1, 4)) if d <= points]))

    def least(distance: F) -> F:
        return points - deduct * ROUNDINGS[rounding](distance / step)

    limits = [step * k for k in range(1, 41) if least(step * k) >= 0]
    limit = None
    until = draw(st.integers(0, 3)) == 0  # 扣完为止: deductions stop at 0, so no limit is needed
    if until and draw(st.booleans()):
        deduct = draw(st.sampled_from([F(1, 10), F(1, 2), F(1), points]))
        limits = [step * k for k in range(1, 41)]
    elif far is None or least(far) < 0 or draw(st.booleans()):
        limit = draw(st.sampled_from(limits))  # a limit the deductions do not pass (E402 otherwise)
    beyond = None
    if limit is not None and rare(draw, include, "deviation_beyond_points", 2):
        beyond = draw(st.sampled_from([p for p in (F(1), points / 2) if 0 < p <= points and finite(p)]))
    rtext = f"（{draw(st.sampled_from(ROUNDING_WORDS[rounding]))}）" if rounding else ""
    line = (f"偏离 {subject.expr.text} 目标 {subject.const(target).text}{pick(draw, '，', ' ', ', ')}每 "
            f"{subject.step_text(step)}{rtext} 扣 {fmt(deduct)} 分")
    if until:
        line += f"{pick(draw, '，', ' ')}扣完为止"
    if limit is not None:
        tail = f"得 {fmt(beyond)} 分" if beyond is not None else pick(draw, "不得分", "得 0 分")
        line += f"{pick(draw, '，', ' ')}超过 {subject.step_text(limit)} {tail}"

    def award(env: Env) -> F:
        gap = abs(subject.expr.eval(env) - target)
        if limit is not None and gap > limit:
            return beyond if beyond is not None else F(0)
        return max(least(gap), F(0))

    edge = limit if limit is not None else step
    interesting = [target, target + edge, target - edge, target + step, target + edge + step / 2, F(0)]
    if kind == "signed_rate":
        interesting = [abs(v) for v in interesting]
    interesting = [v for v in interesting if v >= subject.low]
    return Rule([line], award, subject.decls, derived=subject.derived,
                values=lambda d: subject_values(d, subject, interesting),
                witness=lambda d: subject.realize(d, target, True))


# -- 目标


def target_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    kind = draw(st.sampled_from(["rate", "rate", "count", "money"]))
    op = draw(st.sampled_from(["<", ">", "!="])) if rare(draw, include, "strict_target") else draw(st.sampled_from([">=", "<=", "="]))
    all_or_nothing = draw(st.integers(0, 3)) == 0
    unreachable = False
    if kind == "rate":
        name = names.take(RATE_NAMES)
        wide = draw(st.integers(0, 3)) == 0
        decl = Decl(name, "rate", low=F(0) if wide else None, high=F(10) if wide else None)
        goal = draw(st.sampled_from([F(1), F(9, 10), F(4, 100), F(3, 4), F(0), F(1, 2)] + ([F(6, 5)] if wide else [])))
        unreachable = op != "<=" and rare(draw, include, "unreachable_target")
        if unreachable:
            goal = F(12) if wide else F(6, 5)
        goal_text = pct(goal)
        if goal and rare(draw, include, "bare_rate_numbers", 60):
            goal_text = fmt(goal * 100)  # 目标 完成率 ≥ 80, meant as 80%
        grain = F(1, 100)
    elif kind == "count":
        name, unit = draw(st.sampled_from(COUNT_NAMES))
        name = names.take([name])
        written = draw(st.sampled_from(["人", "万人"])) if unit in ("人", "万人") else unit
        decl = Decl(name, "count", unit)
        amount = draw(st.sampled_from([F(4194, 100), F(120), F(50), F(1, 2), F(3)]))
        if not finite(amount * UNIT_FACTORS[written] / UNIT_FACTORS[unit]):
            written = unit  # a target the input's cells cannot write (0.5 人 for 万人) is not one anybody sets
        goal_text, goal, grain = f"{fmt(amount)} {written}", amount * UNIT_FACTORS[written] / UNIT_FACTORS[unit], F(1)
    else:
        name = names.take(["实际收入", "完成投资额", "到位金额"])
        unit = draw(st.sampled_from(["万元", "元", "亿元"]))
        written = draw(st.sampled_from(["万元", "元", "亿元", unit]))
        decl = Decl(name, "money", unit)
        amount = draw(st.sampled_from([F(500), F(1250), F(3, 2), F(10)]))
        if not finite(amount * UNIT_FACTORS[written] / UNIT_FACTORS[unit]):
            written = unit
        goal = amount * UNIT_FACTORS[written] / UNIT_FACTORS[unit]
        goal_text, grain = f"{fmt(amount)} {written}", F(1)
    line = f"目标 {name} {draw(st.sampled_from(OP_GLYPHS[op]))} {goal_text}"
    if all_or_nothing:
        line += pick(draw, "，未达标不得分", " 未达标不得分")
    cut = None  # 超额调减 (第十六条): the most the evaluator may deduct from a met target
    if op in (">=", "<=") and draw(st.integers(0, 3)) == 0:
        cut = draw(st.sampled_from([c for c in (points, points / 2, points / 4, F(1)) if 0 < c <= points and finite(c)]))
        line += f"{pick(draw, '，', ' ')}超额调减 {pick(draw, '最多 ', '')}{fmt(cut)} 分"
    cut_decl = Decl(OVER_CUT, "number", low=F(0), high=cut) if cut is not None else None

    def award(env: Env) -> F:
        actual = env.get(name)
        deduction = env.get(OVER_CUT) if cut is not None else F(0)
        if holds(actual, op, goal):
            return points - deduction
        if deduction > 0:  # a target not met cannot be cut for exceeding it
            raise OracleError("an over-achievement deduction on a target not met")
        if all_or_nothing:
            return F(0)
        # grammar/README.md §11.8: the share achieved of the full points
        if op in (">=", ">"):
            share_ = actual / goal if goal else F(1)
        elif op in ("<=", "<"):
            share_ = goal / actual if actual else F(1)
        else:
            share_ = min(actual / goal, goal / actual) if actual and goal else F(0)
        return points * min(max(share_, F(0)), F(1))

    def values(draw):
        k = draw(st.integers(0, 9))
        if k < 6:
            value = near(draw, goal, grain)
        elif k < 8:
            value = anywhere(draw, *decl.domain())
        else:
            value = draw(st.sampled_from([F(0), goal * 2, goal / 2]))
        given = {name: decl.cell(decl.clamp(value), draw)}
        if cut_decl is not None:
            given[OVER_CUT] = Num(figure4(draw(st.sampled_from([F(0), F(0), cut / 2, cut, cut + 1]))))
        return given

    def witness(d):
        return {name: decl.cell(goal, d), **({OVER_CUT: Num(Decimal(0))} if cut_decl is not None else {})}

    return Rule([line], award, [decl], implicit=[cut_decl] if cut_decl else [], values=values, witness=witness,
                over_cut=cut_decl is not None, unreachable=unreachable)


# -- 区间赋分


def intervals_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    """区间赋分 (101号 §三(七)2): completed within the budget, full; not completed, 80%–100% 7/10, 60%–80% 5/10
    of the points, below 60% none; the two cases 101号 leaves open are written first as special cases."""
    rate = names.take(RATE_NAMES)
    flag = names.take(["项目完成", "已完工", "任务完成"])
    decl, done = Decl(rate, "rate", low=F(0), high=F(3, 2)), Decl(flag, "bool")
    over = draw(st.sampled_from([F(0), points / 2]))
    level = draw(st.sampled_from([F(0), points * F(7, 10), points]))

    def said(value: F) -> str:
        return "不得分" if value == 0 else "得满分" if value == points else f"得 {fmt(value)} 分"

    lines = [f"若 {flag} 且 {rate} > 100% 则 {said(over)}", f"若 {flag} = 否 且 {rate} ≥ 100% 则 {said(level)}",
             f"区间赋分 {rate}{pick(draw, '，', '、', ', ')}{flag}"]

    def award(env: Env) -> F:
        value, completed = env.get(rate), env.get(flag)
        if completed:
            return over if value > 1 else points
        if value >= 1:
            return level
        return points * F(7, 10) if value >= F(4, 5) else points / 2 if value >= F(3, 5) else F(0)

    def zeroed(env: Env) -> bool:  # its 若 lines are the leaf's special cases (§11.12: 不得分 stops the leaf)
        value, completed = env.get(rate), env.get(flag)
        return over == 0 if completed and value > 1 else level == 0 if not completed and value >= 1 else False

    def values(draw):
        value = near(draw, draw(st.sampled_from([F(1), F(4, 5), F(3, 5)])), F(1, 100))
        return {rate: decl.cell(decl.clamp(value), draw), flag: draw(st.sampled_from(["是", "否"]))}

    return Rule(lines, award, [decl, done], values=values, witness=lambda d: {rate: decl.cell(F(1), d), flag: "是"},
                zeroed=zeroed)


# -- 要素


def checklist_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    count = draw(st.integers(1, 4))
    shape = draw(st.sampled_from(["each", "own", "mixed", "equal"]))
    each = points / count if shape == "each" and finite(points / count) else None
    if shape == "equal":  # 要素 均分 (§11.1): points ÷ count each, exactly, even where it does not end
        item_points, own = [points / count] * count, [False] * count
    elif each is not None:
        item_points, own = [each] * count, [False] * count
    else:
        quarters = int(points * 4)
        count = min(count, quarters)
        cuts = sorted(draw(st.lists(st.integers(1, quarters - 1), min_size=count - 1, max_size=count - 1, unique=True))
                      ) if count > 1 else []
        edges = [0] + cuts + [quarters]
        item_points = [F(edges[i + 1] - edges[i], 4) for i in range(count)]
        own = [True] * count
        if shape == "mixed":
            each = max(set(item_points), key=item_points.count)
            own = [p != each or draw(st.integers(0, 3)) == 0 for p in item_points]
            if all(own):
                each = None
    partial = shape != "equal" and draw(st.integers(0, 2)) == 0
    head = "要素" + (f" 每项 {fmt(each)} 分" if each is not None else "")
    if shape == "equal":
        head += " " + pick(draw, "均分", "每项均分", "equal-split")
    if partial:
        head += pick(draw, "，可酌情", " 可酌情", "、可酌情")
    texts = draw(st.lists(st.sampled_from(CHECK_ITEMS), min_size=count, max_size=count))
    lines = [head] + [f"  - {t}" + (f"（{fmt(p)}分）" if o else "") for t, p, o in zip(texts, item_points, own)]

    def award(env: Env) -> F:
        return sum(env.get("要素"), F(0))

    def item_value(draw, p: F):
        if partial and draw(st.integers(0, 3)) == 0:
            return Num(Decimal(fmt(draw(st.sampled_from([F(0), p, p / 2, p / 4])))))
        return draw(st.sampled_from(YES[:2] + NO[:2] if draw(st.integers(0, 5)) else YES + NO))

    return Rule(lines, award, reserved=Reserved("items", item_points, partial),
                values=lambda d: {"要素": [item_value(d, p) for p in item_points]},
                witness=lambda d: {"要素": [d(st.sampled_from(YES)) if not partial or d(st.booleans())
                                           else Num(Decimal(fmt(p))) for p in item_points]})


# -- 酌情


def discretionary_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    low, line = F(0), "酌情"
    if points >= 1 and draw(st.integers(0, 2)) == 0:
        low = draw(st.sampled_from([p for p in (F(1, 2), F(1), points / 2) if p < points]))
        line = f"酌情 {fmt(low)}{pick(draw, '～', '~')}{fmt(points)} 分"
    middle = F(figure4(low + (points - low) / 3))

    def values(draw):
        return {"得分": Num(figure4(draw(st.sampled_from([low, points, middle, low + F(1, 100)])))),
                "理由": draw(st.sampled_from(["自评", "有依据", "部分完成"]))}

    return Rule([line], lambda env: env.get("得分"), reserved=Reserved("score", low=low, high=points), values=values,
                witness=lambda d: {"得分": Num(Decimal(fmt(points))), "理由": "全部完成"})


# -- 趋势


TREND_NAMES = ["满意率", "完成率", "达标率"]


def trend_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    """趋势 本年X 较 上年X: 提高, 持平, 下降 in any order, each a fixed award; one of them full points."""
    base = draw(st.sampled_from(TREND_NAMES))
    now, before = names.take([f"本年{base}", f"本年{base}2"]), names.take([f"上年{base}", f"上年{base}2"])
    decls = [Decl(now, "rate"), Decl(before, "rate")]
    awards = draw(st.lists(st.sampled_from([F(0), points / 2, points]), min_size=3, max_size=3))
    awards[draw(st.integers(0, 2))] = points
    awards = [a if finite(a) else F(0) for a in awards]
    words = {">": ["提高", "上升", "rise"], "=": ["持平", "flat"], "<": ["下降", "降低", "fall"]}
    order = draw(st.permutations([">", "=", "<"]))
    award_of = dict(zip([">", "=", "<"], awards))

    def outcome(value: F) -> str:
        if value == points:
            return pick(draw, "得满分", "不扣分")
        return "不得分" if value == 0 else pick(draw, f"得 {fmt(value)} 分", *deducted(value, points))

    bands = "；".join(f"{draw(st.sampled_from(words[op]))} {outcome(award_of[op])}" for op in order)
    line = f"{pick(draw, '趋势', 'trend')} {now} {pick(draw, '较', 'versus')} {before}：{bands}"

    def award(env):
        change = env.get(now) - env.get(before)
        return award_of[">" if change > 0 else "=" if change == 0 else "<"]

    rates = [F(0), F(1, 2), F(9, 10), F(1), F(899, 1000)]

    def values(d):
        first = d(st.sampled_from(rates))
        second = first if d(st.integers(0, 2)) == 0 else d(st.sampled_from(rates))
        return {now: decls[0].cell(first, d), before: decls[1].cell(second, d)}

    best = next(op for op in order if award_of[op] == points)
    pair = {">": (F(1), F(1, 2)), "=": (F(1, 2), F(1, 2)), "<": (F(1, 2), F(1))}[best]
    return Rule([line], award, decls, values=values,
                witness=lambda d: {now: decls[0].cell(pair[0], d), before: decls[1].cell(pair[1], d)})


def _graded_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    """评级, a grade then a score inside it (tests/spec_gen_graded.py, which builds on this module)."""
    from spec_gen_graded import graded_rule
    return graded_rule(draw, names, points, include)


def _compound_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    """分档 over two inputs (tests/spec_gen_compound.py, which builds on this module)."""
    from spec_gen_compound import compound_rule
    return compound_rule(draw, names, points, include)


# -- 选择


def choice_rule(draw, names: Names, points: F, include: frozenset, bare: bool = False) -> Rule:
    name, labels = draw(st.sampled_from(CHOICE_RULES))
    name = names.take([name])
    labels = BARE_LABELS if bare else labels
    labels = labels[: draw(st.integers(2, len(labels)))]
    awards = list(draw(st.permutations([points] + [draw(st.sampled_from([F(0), points / 2, points / 4, points]))
                                                    for _ in labels[1:]])))
    lines = [f"选择 {name}"] + [f"  {label}{pick(draw, '：', ':')}{fmt(v)} 分" for label, v in zip(labels, awards)]
    decl = Decl(name, "choice", options=tuple(labels))

    def values(draw):
        label = draw(st.sampled_from(labels))
        letter = chr(ord("A") + labels.index(label))
        return {name: draw(st.sampled_from([label, label, letter, letter.lower()]))}

    return Rule(lines, lambda env: dict(zip(labels, awards))[env.get(name)], implicit=[decl], values=values,
                witness=lambda d: {name: labels[awards.index(points)]}, options=set(labels))


# -- 按项扣分


def per_finding_rule(draw, names: Names, points: F, include: frozenset, item: bool = False) -> Rule:
    name = names.take(FINDING_NAMES)
    deduct = draw(st.sampled_from([d for d in (F(1), F(1, 2), F(2), F(1, 4), points) if finite(d)]))
    cap = None
    if draw(st.booleans()):  # an item's deductions must be able to reach its points (E401)
        cap = draw(st.sampled_from([p for p in (F(3), points / 2, points, points * 2)
                                    if finite(p) and p > 0 and (not item or p >= points)]))
    line = f"按项扣分 {name} 每项 {fmt(deduct)} 分"
    if cap is not None:
        line += pick(draw, f"，最多 {fmt(cap)} 分", f"，上限 {fmt(cap)} 分", f" 最多 {fmt(cap)} 分")
    if draw(st.booleans()):
        line += pick(draw, "，扣完为止", " 扣完为止")

    def award(env: Env) -> F:
        taken = deduct * env.get(name)
        if cap is not None:
            taken = min(taken, cap)
        # grammar/README.md §12: in a penalty block the rule gives the deduction (the interpreter's reading)
        return taken if item else max(points - taken, F(0))

    decl = Decl(name, "findings")
    return Rule([line], award, [decl], values=lambda d: {name: Num(Decimal(d(st.sampled_from([0, 0, 1, 2, 3, 5, 9, 40]))))},
                witness=lambda d: {name: Num(Decimal(0 if not item else math.ceil(points / deduct)))})


# -- 得分 = …


def formula_rule(draw, names: Names, points: F, include: frozenset, shared: SharedInputs | None = None,
                 kind: str | None = None) -> Rule:
    """A formula of `kind` (drawn when None)."""
    kinds = ["rate", "ratio_min", "ratio_min", "average", "share", "coefficient", "capped_number", "sum",
             "floor_at_zero", "questionnaire"]
    if shared is not None:
        kinds += ["shared", "shared"]
    kind = kind or draw(st.sampled_from(kinds))
    times = pick(draw, "×", "*", "×")
    pts = points_ref(draw)
    decls: list[Decl] = []
    derived: list[tuple[str, Expr]] = []
    qs: list[Questionnaire] = []
    guard = None
    full = F(1)  # the share of the points `at` takes to earn them all
    if kind in ("rate", "questionnaire", "share", "coefficient"):
        subject = {"rate": rate_input, "questionnaire": questionnaire_subject, "share": share,
                   "coefficient": number_input}[kind](draw, names)
        decls, derived, qs = subject.decls, subject.derived, subject.questionnaires
        base = subject.expr
        if kind == "coefficient":
            base = binop("/", base, lit(subject.high), pick(draw, "÷", "/"))
        expr = binop("*", base, pts, times)
        scale = subject.high if kind == "coefficient" else F(1)

        def at(d, v, exact=False, subject=subject, scale=scale):
            if subject.extra is not None and not exact and d(st.integers(0, 7)) == 0:
                return subject.extra(d)
            return subject.realize(d, v * scale, exact)

        if kind == "share":
            guard = ("both_zero", subject.decls[1].name)
    elif kind == "ratio_min":
        top, bottom = names.take_pair(AMOUNT_PAIRS)
        units = draw(st.sampled_from([("万元", "万元", None), ("元", "万元", "万元"), ("元", "元", None)]))
        a, b = Decl(top, "money", units[0]), Decl(bottom, "money", units[1])
        decls = [a, b]
        numerator = ref(top)
        factor = F(1)
        if units[2]:
            factor = UNIT_FACTORS[units[0]] / UNIT_FACTORS[units[2]]
            numerator = convert(numerator, units[2], factor)
        ratio = binop("/", numerator, ref(bottom), pick(draw, "/", "÷"))
        if draw(st.booleans()):
            dname = names.take(RATIO_NAMES)
            derived.append((dname, ratio))
            ratio = ref(dname)
        expr = binop("*", minimum(pick(draw, "min", "最小值"), ratio, pick(draw, lit(F(1), "%"), lit(F(1)))), pts, times)
        if draw(st.integers(0, 2)) == 0:
            expr = rounded(pick(draw, "四舍五入", "round"), expr, 2)

        def at(d, v, exact=False):
            budget = F(10000) if exact else d(st.sampled_from([F(100), F(84229, 100), F(3), F(0), F(99999)]))
            return {top: a.cell(v * budget / factor, d), bottom: b.cell(budget, d)}

        guard = ("zero", bottom)
    elif kind in ("average", "sum"):
        first, second = names.take(RATE_NAMES), names.take(RATE_NAMES)
        a, b = Decl(first, "rate"), Decl(second, "rate")
        decls = [a, b]
        if kind == "average":
            dname = names.take(DERIVED_NAMES)
            derived.append((dname, binop("/", binop("+", ref(first), ref(second)), lit(F(2)), pick(draw, "÷", "/"))))
            expr = binop("*", ref(dname), pts, times)
        else:
            weight = draw(st.sampled_from([F(1, 2), F(1, 4), F(3, 4)]))
            expr = binop("+", binop("*", binop("*", ref(first), pts, times), lit(weight)),
                         binop("*", binop("*", ref(second), pts, times), lit(1 - weight)))

        def at(d, v, exact=False):
            other = v if exact else d(st.sampled_from([v, F(0), F(1), F(1, 3)]))
            return {first: a.cell(v, d), second: b.cell(other, d)}
    elif kind == "capped_number":  # an unsigned 数值 without a range: ≥ 0 by grammar/README.md §7
        name = names.take(NUMBER_NAMES)
        a = Decl(name, "number")
        decls = [a]
        expr = binop("*", minimum(pick(draw, "min", "最小值"), ref(name), lit(F(1))), pts, times)

        def at(d, v, exact=False):
            return {name: a.cell(v * (1 if exact else d(st.sampled_from([1, 1, 2]))), d)}
    elif kind == "floor_at_zero":
        name = names.take(["差错率", "退回率", "问题发生率"])
        a = Decl(name, "rate")
        decls = [a]
        inner = binop("-", lit(F(1), "%"), binop("*", ref(name), lit(F(2))))
        expr = binop("*", minimum(pick(draw, "max", "最大值"), inner, lit(F(0), "%"), largest=True), pts, times)

        def at(d, v, exact=False):
            return {name: a.cell((1 - v) / 2, d)}
    else:  # a spec-level input, or a spec-level quantity over it
        base = shared.subject(draw)
        expr = binop("*", base, pts, times)
        return Rule([f"得分 = {expr.text}"], expr.eval, values=lambda d: {}, witness=None, uses_shared=True)
    line = f"得分 {pick(draw, '=', '＝')} {expr.text}"
    interesting = [F(0), F(1), F(1, 2), F(99, 100), F(1, 3)] + ([F(101, 100), F(2)] if kind == "ratio_min" else [])

    def values(d):
        v = near(d, d(st.sampled_from(interesting)), F(1, 100)) if d(st.integers(0, 3)) else F(d(st.integers(0, 100)), 100)
        return at(d, max(v, F(0)) if kind == "ratio_min" else min(max(v, F(0)), F(1)))

    return Rule([line], expr.eval, decls, derived=derived, questionnaires=qs, values=values,
                witness=lambda d: at(d, full, True), guard=guard)


# ---------------------------------------------------------------- spec-level inputs and quantities


class SharedInputs:
    """A spec-level input (a rate, or a questionnaire's rate), perhaps a quantity over it: given once, under 共用."""

    def __init__(self, draw, names: Names):
        self.questionnaire = None
        if draw(st.integers(0, 2)) == 0:
            self.name = names.take(["综合满意率", "群众满意率"])
            self.questionnaire = Questionnaire(self.name, [("A", F(10)), ("B", F(6)), ("C", F(0))], QUESTIONS[:2])
            self.decl = None
        else:
            self.name = names.take(["全年支出进度", "整体执行率", "总体完成率"])
            self.decl = Decl(self.name, "rate")
        self.quantity = names.take(["结转结余率", "未执行率"]) if draw(st.booleans()) else None
        self.used = False
        # 一票否决 / 一票否优 over the rate (a questionnaire's too): (kind, threshold), the veto holding below the
        # threshold
        self.vetoes: list[tuple[str, F]] = []
        if draw(st.integers(0, 2 if self.questionnaire is None else 1)) == 0:
            kinds = ["total", "top", "cap", "section"]
            for kind in draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=4, unique=True)):
                self.vetoes.append((kind, draw(st.sampled_from([F(1, 10), F(1, 2), F(9, 10), F(1)]))))
        self.section: tuple[str, ...] | None = None  # the indicator a 一票否决 of a section zeroes (§3)
        # 可缺 (§11.15): a unit may leave it blank, and every leaf reading it says what it does then (no veto
        # reads it: a veto's input is required)
        self.optional = self.decl is not None and not self.vetoes and draw(st.integers(0, 3)) == 0
        if self.optional:
            self.decl.optional = True

    def veto_lines(self, draw, grades: int, tree: list) -> list[str]:
        """The vetoes as written (一票否优 only where there are two grades or more: E435 otherwise; a section
        veto names a level-1 or level-2 indicator no other at those levels shares: E458 otherwise)."""
        sections = _sections(tree)
        self.vetoes = [(k, t) for k, t in self.vetoes
                       if (k != "top" or grades > 1) and (k != "section" or sections)]
        if any(k == "section" for k, _t in self.vetoes):
            self.section = draw(st.sampled_from(sections))
        words = {"total": ["一票否决", "veto"], "top": ["一票否优", "veto-top"]}
        return [f"{pick(draw, '总分上限 = ', '总分上限：', 'total-cap ')}{self.name} × {pick(draw, '分值', '满分分值')}"
                if k == "cap" else
                f"{pick(draw, '一票否决', 'veto')} {written_name(self.section[-1])} 若 {self.name} < {fmt(t * 100)}%"
                if k == "section" else
                f"{draw(st.sampled_from(words[k]))}{pick(draw, ' 若 ', '：', ' ')}{self.name} < {fmt(t * 100)}%"
                for k, t in self.vetoes]

    def vetoed(self, kind: str, value: F) -> bool:
        """Whether a veto of the kind holds for the input's value."""
        return any(k == kind and value < t for k, t in self.vetoes)

    def zeroes(self, path: tuple[str, ...], value: Any) -> bool:
        """Whether a 一票否决 of a section holds over this leaf (a leaf under the section, or the section); a
        value it cannot read raises, as reading it in the leaf's rule would (blank: SharedUnavailable)."""
        if self.section is None or path[:len(self.section)] != self.section:
            return False
        if value is UNAVAILABLE:
            raise SharedUnavailable(self.name)
        if value is UNANSWERED:
            raise OracleError("nobody answered the questionnaire a veto reads")
        return self.vetoed("section", value)

    def veto_value(self, raw: Any) -> Any:
        """What a veto reads of the unit's raw value: the rate (a questionnaire's from its counts), UNAVAILABLE
        where it is blank or given wrongly, UNANSWERED where nobody answered the questionnaire."""
        if not _complete(raw) or not self.valid(raw):
            return UNAVAILABLE
        if self.questionnaire is None:
            return self.parse(raw)
        try:
            return self.questionnaire.rate(raw)
        except OracleError:
            return UNANSWERED

    @property
    def what(self):
        """The field's description: a Decl, or the Questionnaire."""
        return self.questionnaire or self.decl

    def subject(self, draw) -> Expr:
        self.used = True
        return ref(self.quantity) if self.quantity and draw(st.booleans()) else ref(self.name)

    def lines(self) -> list[str]:
        out = self.questionnaire.lines() if self.questionnaire else [f"输入 {self.decl.text()}"]
        if self.quantity:
            out.append(f"{self.quantity} = 1 - {self.name}")
        return out

    def derived(self, raw) -> dict[str, Expr]:
        """Quantities over the input (and the questionnaire's rate, evaluated when a leaf reads it)."""
        name = self.name
        found = {self.quantity: Expr(f"1 - {name}", 1, lambda env: 1 - env.get(name))} if self.quantity else {}
        if self.questionnaire:
            found[name] = Expr(name, 3, lambda env: self.questionnaire.rate(raw))
        return found

    def value(self, draw, witness: bool = False):
        if self.questionnaire:
            if witness:
                return [[5, 0, 0], [3, 0, 0]]
            rows = [[draw(st.integers(0, 6)) for _ in range(3)] for _ in range(2)]
            return [[0, 0, 0], [0, 0, 0]] if draw(st.integers(0, 7)) == 0 else rows
        if witness:
            return self.decl.cell(F(1))
        if self.optional and draw(st.integers(0, 3)) == 0:
            return BLANK  # no data (§11.15)
        return self.decl.cell(draw(st.sampled_from([F(0), F(1), F(1, 2), F(9, 10), F(3333, 10000)])), draw)

    def blank(self, draw):
        """The input left blank: a questionnaire's counts all, or one of them."""
        if self.questionnaire is None:
            return BLANK
        rows = self.value(draw)
        if draw(st.booleans()):
            return [[BLANK] * len(row) for row in rows]
        row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(rows[0]) - 1))
        rows[row][column] = BLANK
        return rows

    def valid(self, raw) -> bool:
        return self.questionnaire.valid(raw) if self.questionnaire else self.decl.valid(raw)

    def parse(self, raw):
        return raw if self.questionnaire else self.decl.parse(raw)


# ---------------------------------------------------------------- special cases


@dataclass
class Special:
    cond: Cond
    points: F | None  # None: full points
    text: str
    decls: list[Decl] = field(default_factory=list)  # its own inputs
    values: Callable[[Any], Values] | None = None  # (draw) → values of its own inputs
    calm: Callable[[Any], Values] | None = None  # values under which it does not hold


def special_cases(draw, names: Names, rule: Rule, points: F, include: frozenset) -> list[Special]:
    out: list[Special] = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["bool", "bool_or", "choice", "rate", "signed", "guard", "guard", "range", "gate",
                                     "rising"]))
        value = draw(st.sampled_from([None, F(0), F(0), points / 2, F(1)]))
        if value is not None and not (0 <= value <= points and finite(value)):
            value = F(0)
        outcome = ("得满分" if value is None else pick(draw, "不得分", "得 0 分") if value == 0 else f"得 {fmt(value)} 分")
        decls: list[Decl] = []
        values = calm = None
        if kind in ("bool", "bool_or"):
            flags = [names.take(BOOL_NAMES) for _ in range(1 if kind == "bool" else 2)]
            decls = [Decl(n, "bool") for n in flags]
            cond = truth(flags[0]) if kind == "bool" else either([truth(f) for f in flags], pick(draw, "或", "或者"))
            values = lambda d, fl=flags: {n: d(st.sampled_from(YES[:2] + NO[:2] + NO[:1] * 4)) for n in fl}
            calm = lambda d, fl=flags: {n: "否" for n in fl}
        elif kind == "choice":
            name, options = draw(st.sampled_from(CHOICE_INPUTS))
            name = names.take([name])
            decls = [Decl(name, "choice", options=options)]
            option = draw(st.sampled_from(options[1:]))
            op = draw(st.sampled_from(["=", "!="]))
            cond = chain([ref(name), word(option)], [op], [draw(st.sampled_from(OP_GLYPHS[op]))])
            values = lambda d, n=name, o=options: {n: d(st.sampled_from(list(o) + ["A", "b"]))}
            calm = lambda d, n=name, o=options, op=op, w=option: {n: o[0] if op == "=" else w}
        elif kind == "rate":
            name = names.take(RATE_NAMES)
            decl = Decl(name, "rate")
            decls = [decl]
            lo, hi = sorted(draw(st.lists(st.sampled_from([F(k, 10) for k in range(1, 10)]), min_size=2, max_size=2,
                                          unique=True)))
            bare = rare(draw, include, "bare_rate_numbers", 60)
            show = (lambda v: lit(v * 100)) if bare else (lambda v: lit(v, "%"))
            form = draw(st.sampled_from(["chain", "below", "and"]))
            if form == "chain":
                text_cond = chain([show(lo), ref(name), show(hi)], ["<=", "<"], ["≤", "<"])
            elif form == "below":
                text_cond = chain([ref(name), show(lo)], ["<"], ["<"])
            else:
                text_cond = both([chain([ref(name), show(lo)], [">="], ["≥"]), chain([ref(name), show(hi)], ["<"], ["<"])])
            # what the author meant: the thresholds as rates
            meant = {"chain": lambda env, s, n=name, lo=lo, hi=hi: lo <= env.get(n) < hi,
                     "below": lambda env, s, n=name, lo=lo: env.get(n) < lo,
                     "and": lambda env, s, n=name, lo=lo, hi=hi: env.get(n) >= lo and env.get(n) < hi}[form]
            cond = Cond(text_cond.text, meant)
            values = lambda d, dl=decl, lo=lo, hi=hi: {
                dl.name: dl.cell(dl.clamp(near(d, d(st.sampled_from([lo, hi, F(0), F(1)])), F(1, 100))), d)}
            calm = lambda d, dl=decl: {dl.name: dl.cell(F(1), d)}
        elif kind == "rising":  # 若 逐年提高(历年进度) 则 …: each year above the one before
            decls = year_members(draw, names, draw(st.integers(2, 3)))
            names_ = [d.name for d in decls]
            cond = Cond(f"{pick(draw, '逐年提高', 'rising')}({decls[0].series[0]})",
                        lambda env, s, ns=names_: all(env.get(x) < env.get(y) for x, y in zip(ns, ns[1:])))
            values = lambda d, dl=decls: {m.name: m.cell(d(st.sampled_from([F(1, 2), F(1, 2), F(3, 5), F(9, 10)])), d)
                                          for m in dl}
            calm = lambda d, dl=decls: {m.name: m.cell(F(1, 2), d) for m in dl}
        elif kind == "signed":  # a signed 数值 (可负)
            decl = Decl(names.take(["偏差值", "净增减数"]), "number", signed=True)
            decls = [decl]
            cond = chain([ref(decl.name), lit(F(0))], ["<"], [draw(st.sampled_from(OP_GLYPHS["<"]))])
            values = lambda d, dl=decl: {dl.name: dl.cell(d(st.sampled_from([F(-5), F(0), F(3), F(-1, 100)])), d)}
            calm = lambda d, dl=decl: {dl.name: dl.cell(F(1), d)}
        elif kind == "range" and rare(draw, include, "range_special", 60):
            name = names.take(RATE_NAMES)
            decl = Decl(name, "rate")
            decls = [decl]
            cond = range_cond(lit(F(6, 10), "%"), lit(F(8, 10), "%"))
            values = calm = lambda d, dl=decl: {dl.name: dl.cell(d(st.sampled_from([F(7, 10), F(1, 2)])), d)}
        elif kind == "guard" and rule.guard is not None:
            cond = chain([ref(rule.guard[1]), lit(F(0))], ["="], [draw(st.sampled_from(OP_GLYPHS["="]))])
            if rule.guard[0] == "both_zero":  # 若 未完成 = 0 则 得满分: the witness has nothing left undone
                value, outcome = None, "得满分"
        elif kind == "gate":  # 计分条件 样本 ≥ N 份: the case applies when the sample falls short
            out.append(_gate(draw, names, value))
            continue
        else:
            continue
        text = f"{pick(draw, '若', '如果')} {cond.text}{pick(draw, ' 则 ', '，则 ', ' 则 ')}{outcome}"
        out.append(Special(cond, value, text, decls, values, calm))
    return out


def _gate(draw, names: Names, value: F | None) -> Special:
    """计分条件 over a count of answers, with 否则 不得分 / 得 N 分 or nothing (不得分)."""
    decl = Decl(names.take(GATE_NAMES), "count", "份")
    need = draw(st.sampled_from([F(1), F(10), F(30)]))
    written = chain([ref(decl.name), lit(need, "份")], [">="], [draw(st.sampled_from(OP_GLYPHS[">="]))])
    value = F(0) if value is None else value  # 否则 得满分 is not a gate's outcome
    shown = pick(draw, "", "，否则 不得分") if value == 0 else f"，否则 得 {fmt(value)} 分"
    text = f"{pick(draw, '计分条件', '计分条件：', 'score-if')} {written.text}{shown}"
    cond = Cond(written.text, lambda env, subject, w=written: not w.holds(env, subject))
    values = lambda d, dl=decl, n=need: {dl.name: dl.cell(d(st.sampled_from([F(0), n - 1, n, n + 5])), d)}
    calm = lambda d, dl=decl, n=need: {dl.name: dl.cell(n + 5, d)}
    return Special(cond, value, text, [decl], values, calm)


# ---------------------------------------------------------------- the tree


@dataclass
class Body:
    """A scoring unit: a leaf's (or a part's, or an item's) inputs, quantities, special cases and rule."""

    rule: Rule | None  # None: the leaf is scored by its parts
    specials: list[Special]
    points: F
    parts: list[tuple[str, F, Body]] = field(default_factory=list)
    own: list[Decl] = field(default_factory=list)  # a 分项 leaf's own inputs (its special case's)
    floor: F | None = None  # 最低 -1 分 (§11.14): a formula less its 另扣 may go below 0, down to this
    nodata: Any = None  # 无数据时 (§11.15): a spec_gen_nodata.NoData

    @property
    def written_decls(self) -> list[Decl]:
        found = list(self.own) + (list(self.rule.decls) if self.rule else [])
        for s in self.specials:
            found.extend(s.decls)
        return found

    @property
    def decls(self) -> list[Decl]:
        return self.written_decls + (list(self.rule.implicit) if self.rule else [])

    @property
    def uses_shared(self) -> bool:
        """Whether the rule (or a part's) reads a spec-level input."""
        if self.parts:
            return any(sub.uses_shared for _n, _p, sub in self.parts)
        return bool(self.rule and self.rule.uses_shared)

    @property
    def reserved_users(self) -> list[str]:
        return [name for name, _p, sub in self.parts if sub.rule.reserved is not None]

    def lines(self, draw) -> list[str]:
        out: list[str] = []
        decls = self.written_decls
        if decls:
            if draw(st.booleans()):
                out.append("输入 " + pick(draw, "，", "、", ", ").join(d.text() for d in decls if d.text()))
            else:
                out += ["输入"] + [f"  {d.text()}" for d in decls if d.text()]
        if self.rule:
            out += [f"{name} {pick(draw, '=', '＝')} {expr.text}" for name, expr in self.rule.derived]
            for q in self.rule.questionnaires:
                out += q.lines()
        if self.nodata is not None:
            out.append(self.nodata.text)
        out += [s.text for s in self.specials]
        if self.rule:
            out += self.rule.lines
        for name, points, body in self.parts:
            out.append(f"{pick(draw, '分项', '分项', 'part')} {name}（{fmt(points)}）")
            out += ["  " + line for line in body.lines(draw)]
        if self.floor is not None:
            out.append(f"{pick(draw, '最低', 'lowest')} {fmt(self.floor)} 分")
        return out


@dataclass
class Leaf:
    path: tuple[str, ...]  # names from level 1 down (an item: the block's name, its own)
    name: str  # its name
    points: F | None  # None: an item written without points
    body: Body
    na: str | None = None  # 'full' or 'exclude'
    role: str = "leaf"  # 'leaf', 'penalty' or 'bonus'
    reason_below: bool = False  # 扣分须说明理由 (§11.11): a score below the points needs a 理由
    places: int | None = None  # 小数 N 位 of the leaf (§11.14): rounded there, the sums at the header's
    gate: bool | None = None  # 适用 若 (§6): the answer of its yes/no input GATE under which it applies
    alternative: bool = False  # under 择一 / 任选 k 项 (§4): it counts only where its own fields are given

    @property
    def key(self) -> str:
        return "/".join(self.path)

    @property
    def mode(self) -> str | None:
        """What 不适用 does: as written; a leaf with 适用 若 and no 不适用 line is left out (剔除)."""
        return self.na or ("exclude" if self.gate is not None else None)

    @property
    def cap(self) -> F:
        return self.points if self.points is not None else F(0)


@dataclass
class Branch:
    path: tuple[str, ...]
    name: str
    points: F
    children: list  # Branch | Leaf
    pool: tuple[str, int] | None = None  # 择一 / 任选 k 项 / 取最高 k 项 (§4): ('one' | 'any' | 'best', k)

    @property
    def key(self) -> str:
        return "/".join(self.path)


@dataclass
class Block:
    kind: str  # 'penalty' or 'bonus'
    name: str  # its name (the key of its items)
    heading: str  # as written
    cap: F | None
    items: list[Leaf]


@dataclass
class Grade:
    name: str
    cond: Cond


RULES = ["bands", "bands", "bands", "deviation", "target", "checklist", "discretionary", "choice", "per_finding",
         "formula", "formula", "parts", "intervals", "trend", "compound", "graded"]


def leaf_body(draw, names: Names, points: F, include: frozenset, shared: SharedInputs | None, role: str = "leaf",
              parts: bool = True, graded: bool = True, formula: str | None = None) -> Body:
    """A leaf's (or a 分项 part's, with `parts` False) rule; `formula` asks for a formula of that kind."""
    if role != "leaf":
        kind = draw(st.sampled_from(["discretionary", "choice", "checklist"]
                                    + (["per_finding"] if "penalty_per_finding" in include and role == "penalty" else [])))
    elif formula is not None:
        kind = "formula"
    else:
        kind = draw(st.sampled_from([k for k in RULES if (parts or k != "parts") and (graded or k != "graded")]))
    if kind == "parts" and int(points * 4) >= 2:
        quarters = int(points * 4)
        # now and then every part a ratio of amounts: two over whole points (37 digits over 36 in the SQL engine),
        # or two or three over quarter points (one fraction would pass 38 digits: the SQL engine rounds term by term)
        whole = "sql_too_wide" in include and points.denominator == 1 and 2 <= points <= 20
        wider = "sql_wider_sums" in include
        summed = None  # which sum of ratios, if any
        if (whole or wider) and draw(st.integers(0, 3)) == 1:  # not on 0: the least choice, drawn often
            summed = "whole" if not wider or (whole and draw(st.booleans())) else "wider"
        if summed == "whole":
            count, cuts = 2, [4 * draw(st.integers(1, int(points) - 1))]
        else:
            count = draw(st.integers(2, min(3, quarters)))
            cuts = sorted(draw(st.lists(st.integers(1, quarters - 1), min_size=count - 1, max_size=count - 1,
                                        unique=True)))
        edges = [0] + cuts + [quarters]
        part_names = draw(st.lists(st.sampled_from(PART_NAMES), min_size=count, max_size=count, unique=True))
        made = [(name, F(edges[i + 1] - edges[i], 4)) for i, name in enumerate(part_names)]
        subs: list[tuple[str, F, Body]] = []
        ratios = count if summed else 0
        for name, p in made:  # one 评级 part at most: its 等级 is the leaf's field
            graded = not any(sub.rule.reserved is not None and sub.rule.reserved.kind == "graded" for *_x, sub in subs)
            ratio = "ratio_min" if len(subs) < ratios else None
            subs.append((name, p, leaf_body(draw, names, p, include, shared, parts=False, graded=graded, formula=ratio)))
        body = Body(None, [], points, subs)
        if rare(draw, include, "special_on_parts", 3):
            flag = names.take(BOOL_NAMES)
            body.own = [Decl(flag, "bool")]
            body.specials = [Special(truth(flag), F(0), f"若 {flag} 则 不得分", [],
                                     lambda d, f=flag: {f: d(st.sampled_from(["是", "否", "否"]))},
                                     lambda d, f=flag: {f: "否"})]
        from spec_gen_nodata import draw_parts_nodata  # the leaf's own 无数据时, for the parts' blank figures
        body.nodata = draw_parts_nodata(draw, body, points)
        return body
    if kind == "parts":
        kind = "discretionary"
    if kind == "per_finding":
        rule = per_finding_rule(draw, names, points, include, item=role != "leaf")
    elif kind == "formula":
        rule = formula_rule(draw, names, points, include, shared, kind=formula)
    else:
        rule = {"bands": bands_rule, "deviation": deviation_rule, "target": target_rule, "checklist": checklist_rule,
                "discretionary": discretionary_rule, "choice": choice_rule,
                "intervals": intervals_rule, "trend": trend_rule, "compound": _compound_rule,
                "graded": _graded_rule}[kind](draw, names, points, include)
    specials = special_cases(draw, names, rule, points, include) if role == "leaf" and not rule.uses_shared else []
    floor = None
    if role == "leaf" and parts and not specials and kind not in ("discretionary", "graded") \
            and draw(st.integers(0, 4)) == 0:  # (E443: the evaluator's own score takes no further cut)
        rule = with_adjusts(draw, names, rule, points)
        if kind == "formula" and draw(st.booleans()):  # the formula is not held inside: 另扣 may pass 0
            floor = -draw(st.sampled_from([F(1), F(1, 2), points]))
    if kind == "choice" and role == "leaf" and draw(st.integers(0, 2)) == 0:
        # a special case on the choice's own option words (若 预算公开情况 = 没有公开 则 不得分)
        names.taken.discard(rule.implicit[0].name)  # the rule drawn first is replaced: its name is free again
        rule = choice_rule(draw, names, points, include, bare=True)
        name = rule.implicit[0].name
        option = draw(st.sampled_from(sorted(rule.options)))
        best = rule.witness(draw)[name]
        value = None if option == best else draw(st.sampled_from([F(0), None]))
        op_glyph = draw(st.sampled_from(OP_GLYPHS["="]))
        specials = [Special(chain([ref(name), word(option)], ["="], [op_glyph]), value,
                            f"若 {name} {op_glyph} {option} 则 {'得满分' if value is None else '不得分'}")]
    from spec_gen_nodata import draw_nodata  # 无数据时 (§11.15), with 另扣/另加 too
    nodata = draw_nodata(draw, rule, points, na=parts) if role == "leaf" else None  # no part is 不适用 (E440)
    if nodata is None and role == "leaf" and rule.uses_shared and shared is not None and shared.optional:
        nodata = draw_nodata(draw, rule, points, na=parts, always=True)  # a 可缺 共用 input read: E426 without
    return Body(rule, specials, points, floor=floor, nodata=nodata)


def with_adjusts(draw, names: Names, rule: Rule, points: F) -> Rule:
    """Lines after the rule (§11.12): 另扣/另加 per finding with a cap (另扣 also 扣完为止: at most the score before
    it), 酌情扣分 with a cap and a reason; the award is the rule's less the cuts plus the bonuses, line by line
    (the leaf then holds it within 0 … points)."""
    lines, decls, implicit = list(rule.lines), list(rule.decls), list(rule.implicit)
    counted: list[tuple[str, F, F | None, int]] = []  # (input, each, cap (None: 扣完为止), sign)
    for sign in draw(st.sampled_from([[-1], [1], [-1, 1], [1, -1], []])):
        name = names.take(FINDING_NAMES)
        each = draw(st.sampled_from([F(1, 2), F(1), F(1, 4)]))
        cap = draw(st.sampled_from([c for c in (points, points / 2, F(1)) if 0 < c <= points and finite(c)]))
        word = "扣" if sign < 0 else "加"
        until_zero = sign < 0 and draw(st.integers(0, 2)) == 0
        limit = "扣完为止" if until_zero else f"{pick(draw, '最多', '最多' + word)} {fmt(cap)} 分"
        lines.append(f"{pick(draw, '另' + word, 'also-deduct' if sign < 0 else 'also-add')} {name} 每项 {fmt(each)} 分"
                     f"{pick(draw, '，', ' ')}{limit}")
        cap = None if until_zero else cap
        decls.append(Decl(name, "findings"))
        counted.append((name, each, cap, sign))
    cut = None
    if not counted or draw(st.booleans()):
        cut = draw(st.sampled_from([c for c in (points, points / 2, F(1, 2)) if 0 < c <= points and finite(c)]))
        lines.append(f"{pick(draw, '酌情扣分', 'discretionary-cut')} 最多 {fmt(cut)} 分"
                     + pick(draw, "，须说明理由", " reason-required", ""))
        implicit.append(Decl(DISCRETION_CUT, "number", low=F(0), high=cut))
    base_award, base_values, base_witness = rule.award, rule.values, rule.witness

    def adjustment(env: Env, total: F) -> F:  # (apart: it moves a 无数据时 award too, §11.15)
        for name, each, cap, sign in counted:
            asked = each * env.get(name)
            total += sign * min(asked, max(total, F(0)) if cap is None else cap)  # 扣完为止: what is left above 0
        return total - (env.get(DISCRETION_CUT) if cut is not None else F(0))

    def award(env: Env) -> F:
        total = base_award(env)
        if rule.zeroed is not None and rule.zeroed(env):
            return total  # a special case gave 不得分: the leaf stays at 0 (§11.12)
        return adjustment(env, total)

    def extra(d, witness: bool) -> Values:
        given: Values = {name: Num(Decimal(0 if witness else d(st.sampled_from([0, 0, 1, 2, 5])))) for name, *_ in counted}
        if cut is not None:
            given[DISCRETION_CUT] = Num(Decimal(0) if witness else figure4(d(st.sampled_from([F(0), F(0), cut / 2, cut, cut + 1]))))
        return given

    values = (lambda d: {**base_values(d), **extra(d, False)}) if base_values else None
    witness = (lambda d: {**base_witness(d), **extra(d, True)}) if base_witness else None
    return Rule(lines, award, decls, implicit, rule.derived, rule.questionnaires, rule.reserved, values, witness,
                rule.options, rule.uses_shared, rule.guard, rule.over_cut or cut is not None, rule.zeroed,
                adjustment)


def _leaf_name(draw, used: set[str], include: frozenset) -> str:
    pools = [LEAVES] * 6 + [QUOTED_LEAVES] + ([SEPARATOR_LEAVES] if rare(draw, include, "path_separator_names") else [])
    pool = draw(st.sampled_from(pools))
    free = [n for n in pool if n not in used] or [n for n in LEAVES if n not in used]
    name = draw(st.sampled_from(free))
    used.add(name)
    return name


def written_name(name: str) -> str:
    """A name as written: quoted when it is not a bare name."""
    from idsl.frontend.printer import is_bare_name

    return name if is_bare_name(name) else f'"{name}"'


LEAF_POINTS = [F(1), F(2), F(3), F(4), F(5), F(6), F(10), F(1, 2), F(3, 2), F(5, 2)]


@dataclass
class SpecModel:
    text: str
    total: F
    places: int
    grades: list[Grade]
    tree: list  # Branch | Leaf
    blocks: list[Block]
    shared: SharedInputs | None
    rescale_total: bool = False  # 不适用 按实际适用分值折算 (§6): leaves left out rescale the total only
    share_siblings: bool = False  # 不适用 分值平均分配给同级指标 (§6): leaves left out hand their points to siblings
    # 等级不高于 (§3): (grade, rate in percent or None for 不得分, count) — at least `count` leaves scored
    # below `rate` of their points (or at 0) cap the grade at `grade`
    limits: list = field(default_factory=list)
    # 结果 (§3): (name, [(lower end or None, value text)]) — bands over the reported total, best first
    consequences: list = field(default_factory=list)
    classes: tuple[str, ...] | None = None  # 单位类别 (§11.13; tests/spec_gen_class.py)

    def leaves(self) -> list[Leaf]:
        found: list[Leaf] = []

        def walk(nodes):
            for n in nodes:
                if isinstance(n, Leaf):
                    found.append(n)
                else:
                    walk(n.children)

        walk(self.tree)
        return found

    def items(self) -> list[Leaf]:
        return [item for block in self.blocks for item in block.items]

    def all_leaves(self) -> list[Leaf]:
        return self.leaves() + self.items()


@st.composite
def specs(draw, include: frozenset = NOTHING) -> SpecModel:
    top_names = Names(draw, set())
    shared = SharedInputs(draw, top_names) if draw(st.integers(0, 3)) == 0 else None
    budget = draw(st.integers(2, 7))  # leaves
    made = 0
    classes = declared_classes(draw) if "by_class" in include and draw(st.integers(0, 2)) == 0 else None

    def make_leaf(parent: tuple[str, ...], used: set[str], name: str | None = None) -> Leaf:
        nonlocal made
        made += 1
        name = name or _leaf_name(draw, used, include)
        points = draw(st.sampled_from(LEAF_POINTS))
        if classes is not None and draw(st.integers(0, 1)) == 0:  # 按类别 (§11.13)
            body = Body(by_class_rule(draw, Names(draw, top_names.taken), points, include, classes), [], points)
        else:
            body = leaf_body(draw, Names(draw, top_names.taken), points, include, shared)
        na = draw(st.sampled_from([None, None, None, "exclude", "full"]))
        gate = draw(st.sampled_from([None] * 4 + [True, False]))  # 适用 若 有此业务 / 有此业务 = 否
        own = draw(st.sampled_from([None] * 5 + [3, 4]))  # 小数 N 位 under the leaf (§11.14)
        return Leaf(parent + (name,), name, points, body, na, reason_below=draw(st.integers(0, 4)) == 0, gate=gate,
                    places=own)

    def make_pool(path: tuple[str, ...], name: str, inner: set[str]) -> Branch:
        """Alternatives of equal points, none 不适用 or 适用 若 (E444); one without fields of its own is drawn under
        取最高, and now and then under 择一 and 任选, where only a written 选用 chooses it."""
        points = draw(st.sampled_from(LEAF_POINTS))
        alternatives = []
        for _ in range(draw(st.integers(2, 3))):
            leaf = make_leaf(path, inner)
            body = leaf_body(draw, Names(draw, top_names.taken), points, include, shared)
            alternatives.append(Leaf(leaf.path, leaf.name, points, body, reason_below=leaf.reason_below))
        named_only = shared is not None and rare(draw, include, "named_only_alternative", 2)
        if named_only:  # one alternative over the 共用 input only
            at = draw(st.integers(0, len(alternatives) - 1))
            alternatives[at].body = shared_only_body(draw, shared, points)
        kind = draw(st.sampled_from(["one", "any", "best"]))
        if any(not fields_of(a.body) for a in alternatives) and not named_only:
            kind = "best"  # nothing to give: under 择一 / 任选 only 选用 chooses such an alternative (§4)
        count = 1 if kind == "one" else draw(st.integers(1, len(alternatives) - 1))
        for leaf in alternatives:
            leaf.alternative = kind != "best"
            if leaf.alternative:  # never 不适用 (E444); a 可缺 figure left blank is not given
                from spec_gen_nodata import without_na
                leaf.body.nodata = without_na(leaf.body.nodata, points)
        return Branch(path, name, points * count, alternatives, (kind, count))

    tree: list = []
    for l1 in draw(st.lists(st.sampled_from(LEVEL1), min_size=1, max_size=3, unique=True)):
        if draw(st.integers(0, 5)) == 0 or made >= budget:
            tree.append(make_leaf((), set(), l1))
            continue
        children: list = []
        used: set[str] = set()
        for _ in range(draw(st.integers(1, 3))):
            if made >= budget and children:
                break
            if draw(st.integers(0, 3)) == 0:
                l2 = draw(st.sampled_from([n for n in LEVEL2 if n not in used]))
                used.add(l2)
                inner: set[str] = set()
                if draw(st.integers(0, 2)) == 0:  # 择一 / 任选 k 项 / 取最高 k 项 (§4)
                    children.append(make_pool((l1, l2), l2, inner))
                    continue
                grandchildren = [make_leaf((l1, l2), inner) for _ in range(draw(st.integers(1, 2)))]
                children.append(Branch((l1, l2), l2, sum(c.points for c in grandchildren), grandchildren))
            else:
                children.append(make_leaf((l1,), used))
        tree.append(Branch((l1,), l1, sum(c.points for c in children), children))
    if shared is not None and not shared.used:  # a leaf over the spec-level input, so it is not unused (W505)
        path = tree[0].path + ("共用进度指标",) if isinstance(tree[0], Branch) else ("共用进度指标",)
        leaf = Leaf(path, "共用进度指标", F(2), shared_only_body(draw, shared, F(2)))
        if isinstance(tree[0], Branch):
            tree[0].children.append(leaf)
            tree[0].points += 2
        else:
            tree.append(leaf)
    total = sum(n.points for n in tree)

    blocks: list[Block] = []
    for kind in ("penalty", "bonus"):
        if draw(st.integers(0, 2)) != 0:
            continue
        heading = draw(st.sampled_from(["逆向指标", "扣分项", '扣分项 "加减分项（扣分）"'] if kind == "penalty"
                                       else ["加分项", '加分项 "创新加分"']))
        name = heading.split('"')[1] if '"' in heading else heading
        items: list[Leaf] = []
        for item_name in draw(st.lists(st.sampled_from(ITEM_NAMES), min_size=1, max_size=3, unique=True)):
            points = draw(st.sampled_from([F(1), F(2), F(3), F(5), F(10)]))
            body = leaf_body(draw, Names(draw, top_names.taken), points, include, shared, role=kind)
            written = None if rare(draw, include, "item_without_points") else points
            items.append(Leaf((name, item_name), item_name, written, body, role=kind))
        blocks.append(Block(kind, name, heading, draw(st.sampled_from([None, F(15), F(3), F(1)])), items))

    places = draw(st.sampled_from([None, None, 2, 1, 0, 3, 4]))
    if "coarse_places" not in include:  # 小数 N 位 no coarser than the finest points written
        finest = max(_decimals(p) for p in _all_points(tree, blocks))
        if (2 if places is None else places) < finest:
            places = draw(st.sampled_from([finest, 4]))
    grades, grade_texts = _grades(draw, total, include)
    na_rule = draw(st.sampled_from(["", "", "total", "siblings"]))
    model = SpecModel("", total, 2 if places is None else places, grades, tree, blocks, shared,
                      na_rule == "total", na_rule == "siblings")
    model.classes = classes
    model.limits = _limits(draw, grades)
    model.consequences = _consequences(draw, total)
    model.text = _write(draw, model, places, grade_texts)
    return model


def _limits(draw, grades: list[Grade]) -> list[tuple[str, F | None, int]]:
    """Up to two 等级不高于 lines, each capping at a grade below the top (W526 at the top, not drawn)."""
    if len(grades) < 2 or draw(st.integers(0, 2)) != 0:
        return []
    below_top = sorted((g.name for g in grades), key="优良中差".index)[1:]
    return [(draw(st.sampled_from(below_top)), draw(st.sampled_from([None, F(30), F(50), F(60), F(100)])),
             draw(st.integers(1, 3))) for _ in range(draw(st.integers(1, 2)))]


def _consequences(draw, total: F) -> list[tuple[str, list[tuple[F | None, str]]]]:
    """Up to two 结果 blocks: 2–4 bands cut at shares of 总分, the last one 否则 (or below the last cut)."""
    found = []
    if draw(st.integers(0, 2)) != 0:
        return found
    for name in draw(st.lists(st.sampled_from(["付费比例", "奖补系数"]), min_size=1, max_size=2, unique=True)):
        shares = sorted(draw(st.lists(st.sampled_from([F(k, 10) for k in range(3, 10)]), min_size=1, max_size=3,
                                      unique=True)), reverse=True)
        values = draw(st.lists(st.sampled_from(["100%", "95%", "80%", "0%", "1.2", "0.5", "0"]),
                               min_size=len(shares) + 1, max_size=len(shares) + 1))
        found.append((name, [(total * share, value) for share, value in zip(shares, values)] + [(None, values[-1])]))
    return found


def _consequence_lines(draw, consequences: list) -> list[str]:
    """The 结果 blocks as written: `总分 ≥ c：v`, `c ≤ 总分 < d：v`, the last `否则：v` or `总分 < c：v`."""
    lines = []
    for name, bands in consequences:
        english = draw(st.booleans())
        lines.append(f"result {name}" if english else f"结果 {name}")
        total = "total" if english else "总分"
        for i, (low, value) in enumerate(bands):
            high = bands[i - 1][0] if i else None
            if low is None:
                cond = pick(draw, "否则", f"{total} < {fmt(high)}") if high is not None else "否则"
            elif high is None:
                cond = f"{total} ≥ {fmt(low)}"
            else:
                cond = pick(draw, f"{fmt(low)} ≤ {total} < {fmt(high)}", f"{total} >= {fmt(low)} and {total} < {fmt(high)}"
                            if english else f"{total} ≥ {fmt(low)} 且 {total} < {fmt(high)}")
            lines.append(f"  {cond}{pick(draw, '：', ': ')}{value}")
    return lines


def consequence_values(model: SpecModel, total: Decimal | None) -> dict[str, str | None]:
    """Each 结果's value for the reported total (§3): the first band whose lower end it reaches."""
    return {name: None if total is None else next(v for low, v in bands if low is None or F(total) >= low)
            for name, bands in model.consequences}


def _limit_lines(draw, limits: list) -> list[str]:
    """The 等级不高于 lines in their spellings (任一 only for a count of 1 over a rate)."""
    lines = []
    for grade, rate, count in limits:
        head = pick(draw, f"等级不高于 {grade} 若 ", f"grade-at-most {grade} if ")
        times = pick(draw, f"≥ {count} 个", f"{count} 个及以上", f">= {count}")
        if rate is None:
            lines.append(head + pick(draw, "不得分的指标 ", "不得分指标 ", "zero-leaves ") + times)
        elif count == 1 and draw(st.booleans()):
            lines.append(head + pick(draw, f"任一指标得分率低于 {fmt(rate)}%", f"any-leaf-below {fmt(rate)}%"))
        else:
            lines.append(head + pick(draw, f"得分率低于 {fmt(rate)}% 的指标 ", f"rate-below {fmt(rate)}% leaves ") + times)
    return lines


def limited_grade(model: SpecModel, outcomes: dict, grade: str) -> str:
    """The grade after 等级不高于 (§3): the lowest any limit whose count is reached allows."""
    for name, rate, count in model.limits:
        below = [leaf for leaf in model.leaves() if outcomes[leaf.key].status == "scored"
                 and (F(outcomes[leaf.key].score) <= 0 if rate is None
                      else F(outcomes[leaf.key].score) < rate / 100 * leaf.cap)]
        if len(below) >= count and "优良中差".index(name) > "优良中差".index(grade):
            grade = name
    return grade


def _sections(tree: list) -> list[tuple[str, ...]]:
    """The level-1 and level-2 indicators whose name no other indicator at those levels has."""
    found = [n.path for n in tree] + [c.path for n in tree if isinstance(n, Branch) for c in n.children]
    names = [p[-1] for p in found]
    return [p for p in found if names.count(p[-1]) == 1]


def _decimals(value: F) -> int:
    return next(n for n in range(12) if (value * 10**n).denominator == 1)


def _all_points(tree: list, blocks: list) -> list[F]:
    found: list[F] = []

    def walk(nodes):
        for n in nodes:
            found.append(n.points if n.points is not None else F(0))
            if isinstance(n, Branch):
                walk(n.children)
            else:
                found.extend(p for _name, p, _b in n.body.parts)

    walk(tree)
    for block in blocks:
        walk(block.items)
        found.append(block.cap or F(0))
    return found


TOTAL = "__total__"


def _grades(draw, total: F, include: frozenset) -> tuple[list[Grade], list[str]]:
    if draw(st.integers(0, 3)) == 0:
        return [], []
    count = draw(st.integers(2, 4))
    shares = sorted(draw(st.lists(st.sampled_from([F(k, 10) for k in range(3, 10)]), min_size=count - 1,
                                  max_size=count - 1, unique=True)), reverse=True)
    cuts = [total * s for s in shares]
    title = draw(st.sampled_from(["总分", "总分", "总分", "total", "合计", "得分", "评价得分"]))
    if rare(draw, include, "grade_other_name"):
        title = draw(st.sampled_from(["分数", "总得分", "评分"]))
    t = Expr(title, 3, lambda env: env.get(TOTAL))
    grades: list[Grade] = []
    texts: list[str] = []
    names = ["优", "良", "中", "差"][: count]
    for i, name in enumerate(names):
        upper = cuts[i - 1] if i > 0 else None
        lower = cuts[i] if i < len(cuts) else None
        if upper is None:
            cond = pick(draw, chain([t, lit(lower)], [">="], ["≥"]),
                        Cond(f"≥ {fmt(lower)}", lambda env, s, c=lower: env.get(TOTAL) >= c))
        elif lower is not None:
            cond = chain([lit(lower), t, lit(upper)], ["<=", "<"], ["≤", "<"])
        elif draw(st.booleans()):
            cond = OTHERWISE
        else:
            cond = chain([t, lit(upper)], ["<"], ["<"])
        grades.append(Grade(name, cond))
        texts.append(pick(draw, f"{name}：否则", name) if cond.otherwise else f"{name}：{cond.text}")
    if draw(st.booleans()):
        grades.reverse()
        texts.reverse()
    return grades, texts


def _write(draw, model: SpecModel, places: int | None, grade_texts: list[str]) -> str:
    title = draw(st.sampled_from(["测试体系", "2024年度部门整体支出绩效评价", "例"]))
    lines = ([f'体系 "{title}" 总分 {fmt(model.total)}'] if draw(st.booleans())
             else [f'体系 "{title}"', f"总分 {fmt(model.total)}"])
    if places is not None:
        lines.append(f"小数 {places} 位")
    if model.rescale_total:
        lines.append(f"不适用{pick(draw, ' ', '：')}{pick(draw, '按实际适用分值折算', 'rescale-total')}")
    if model.share_siblings:
        lines.append(f"不适用{pick(draw, ' ', '：')}{pick(draw, '分值平均分配给同级指标', 'share-to-siblings')}")
    if grade_texts:
        if draw(st.booleans()):
            lines.append("等级 " + pick(draw, "；", "，").join(grade_texts))
        else:
            lines += ["等级"] + [f"  {g}" for g in grade_texts]
    if model.classes is not None:
        lines.append(class_line(draw, model.classes))
    if model.shared is not None:
        lines += model.shared.veto_lines(draw, len(model.grades), model.tree)
        lines += model.shared.lines()
    lines += _limit_lines(draw, model.limits)
    lines += _consequence_lines(draw, model.consequences)
    lines.append("")

    def heading(name: str, points: F | None, depth: int, parent: F | None) -> str:
        if points is None:
            return "  " * depth + written_name(name)
        weight = points * 100 / parent if parent else None  # §4: a weight, the share of the parent's points
        if weight is not None and (weight * 10000).denominator == 1 and draw(st.integers(0, 3)) == 0:
            return "  " * depth + written_name(name) + pick(draw, "（", " (") + pick(draw, "", "权重 ", "weight ") \
                + fmt(weight) + pick(draw, "%", "％") + pick(draw, "）", ")")
        return "  " * depth + written_name(name) + pick(draw, "（", " (") + fmt(points) + pick(draw, "", "", "分") \
            + pick(draw, "）", ")")

    def indicator(node, depth: int, parent: F | None) -> None:
        lines.append(heading(node.name, node.points, depth, parent))
        if isinstance(node, Branch) and node.pool is not None:
            kind, count = node.pool
            words = {"one": [pick(draw, "择一", "二者择其一", "choose-one")] * 1,
                     "any": [f"{pick(draw, '任选', 'any-of')} {count}{pick(draw, ' 项', '项', '')}"],
                     "best": [f"{pick(draw, '取最高', 'best-of')} {count}{pick(draw, ' 项', '')}"]}[kind]
            lines.append("  " * (depth + 1) + words[0])
        if isinstance(node, Branch):
            for child in node.children:
                indicator(child, depth + 1, node.points)
            return
        pad = "  " * (depth + 1)
        lines.append(f"{pad}{pick(draw, '解释', '说明', '指标解释')} 考察{node.name}的情况。")
        if node.na:
            lines.append(f"{pad}不适用{pick(draw, ' ', '：')}{'剔除' if node.na == 'exclude' else '得满分'}")
        if node.reason_below:
            lines.append(f"{pad}{pick(draw, '扣分须说明理由', 'reason-if-cut')}")
        if node.gate is not None:
            lines.append(f"{pad}{pick(draw, '输入', 'input')} {GATE}：{pick(draw, '是否', 'yes-no')}")
            wanted = "" if node.gate else pick(draw, " = 否", " ≠ 是", " = no")
            lines.append(f"{pad}{pick(draw, '适用 若', '适用：若', 'applies if')} {GATE}{wanted}")
        lines.extend(pad + line for line in node.body.lines(draw))  # its 最低 too (§11.14)
        if node.places is not None:
            lines.append(f"{pad}{pick(draw, '小数', 'places')} {node.places} {pick(draw, '位', 'digits')}")

    for node in model.tree:
        indicator(node, 0, model.total)
    for block in model.blocks:
        lines += ["", block.heading + (f"（{fmt(block.cap)}）" if block.cap is not None else "")]
        for item in block.items:
            indicator(item, 1, None)  # an item's points are its own cap: no weight
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- units and their values


@dataclass
class Unit:
    """One evaluated unit: its values by (owner key, field); owner '共用' for spec-level inputs.

    Fields: an input's name; 要素 (a list) and 得分, prefixed 'part.' when several parts use them;
    理由; a questionnaire's name (rows of counts); 不适用 (True)."""

    name: str
    values: dict[tuple[str, str], Any]
    witness: bool = False


def own_field(sub: Body, f: str) -> bool:
    """A field kept in its part's own object where several parts use theirs: 要素, 得分, and 评级's 等级 beside its 得分."""
    graded = sub.rule.reserved is not None and sub.rule.reserved.kind == "graded"
    return f in ("要素", "得分") or (graded and f == "等级")


def fields_of(body: Body) -> list[tuple[str, Any]]:
    """(field, what) of a scoring unit: what is a Decl, a Reserved or a Questionnaire."""
    if body.parts:
        out: list[tuple[str, Any]] = [(d.name, d) for d in body.own]
        several = len(body.reserved_users) > 1
        for name, _p, sub in body.parts:
            for f, what in fields_of(sub):
                out.append((f"{name}.{f}" if several and (isinstance(what, Reserved) or own_field(sub, f)) else f, what))
        return out
    out = [(d.name, d) for d in body.decls]
    out += [(q.name, q) for q in body.rule.questionnaires]
    if body.rule.reserved is not None:
        out.append((body.rule.reserved.field_name, body.rule.reserved))
    return out


def needs_reason(body: Body) -> bool:
    from spec_gen_nodata import judged
    rules = [sub.rule for _n, _p, sub in body.parts] if body.parts else [body.rule]
    return judged(body) or any((r.reserved is not None and (r.reserved.kind == "score" or r.reserved.partial or r.reserved.reason))
               or r.over_cut
               for r in rules)


def _body_values(draw, body: Body, witness: bool) -> Values:
    values: Values = {}
    for s in body.specials:
        if s.values is not None:
            values.update(s.calm(draw) if witness else s.values(draw))
    if body.parts:
        several = len(body.reserved_users) > 1
        for name, _p, sub in body.parts:
            for f, v in _body_values(draw, sub, witness).items():
                values[f"{name}.{f}" if several and own_field(sub, f) else f] = v
        return values
    rule = body.rule
    got = rule.witness(draw) if witness and rule.witness is not None else rule.values(draw)
    values = {**got, **values}
    for f, what in fields_of(body):
        if f not in values and isinstance(what, Decl):
            values[f] = _any_value(draw, what)
        if isinstance(what, Decl) and what.optional and not witness and draw(st.integers(0, 2)) == 0:
            values[f] = BLANK  # 可缺: no data (§11.15)
    return values


def _any_value(draw, decl: Decl):
    if decl.kind == "bool":
        return draw(st.sampled_from(YES[:2] + NO[:2]))
    if decl.kind == "choice":
        return draw(st.sampled_from(decl.options))
    if decl.kind == "findings":
        return Num(Decimal(draw(st.integers(0, 5))))
    return decl.cell(anywhere(draw, *decl.domain()), draw)


def _spoil(draw, what: Any, value: Any, include: frozenset, mode: str = "mixed") -> Any:
    """A blank (mode 'blank'), or a value the reader should refuse ('bad'), or either ('mixed'), for a field."""
    if mode == "blank":
        return BLANK
    choices: list[Any] = ([BLANK, BLANK] if mode == "mixed" else []) + (
        [Bad("abc")] if isinstance(what, Decl) or getattr(what, "kind", "") in ("score", "graded") else [])
    if isinstance(what, Decl):
        low, high = what.domain()
        if what.numeric and what.kind != "number" and (low is None or low > -3):
            choices.append(Num(Decimal(-3)))
        if what.kind == "number" and what.low is None and not what.signed and "unsigned_number_negative" in include:
            choices.append(Num(Decimal(-3)))
        if what.numeric and high is not None:
            choices.append(what.cell(high + F(1, 100)))
        if what.kind == "findings":
            choices.append(Num(Decimal("1.5")))
        if what.kind in ("bool", "choice"):
            choices.append(Bad("也许"))
    elif isinstance(what, Reserved) and what.kind in ("score", "graded"):
        choices += [Num(figure4(what.high + 1)), Num(Decimal(-1))]
    elif isinstance(what, Reserved):
        if isinstance(value, list):
            choices += [[Num(Decimal(99))] + value[1:], [Bad("也许")] + value[1:]]
            if mode == "mixed":
                choices.append([BLANK] + value[1:])
    elif isinstance(what, Questionnaire) and isinstance(value, list):
        choices += [[[-1] + value[0][1:]] + value[1:]]
        if mode == "mixed":
            choices.append([[BLANK] + value[0][1:]] + value[1:])
    return draw(st.sampled_from(choices)) if choices else BLANK


def _huge(decl: Decl) -> Num | None:
    if not decl.numeric or decl.domain()[1] is not None or decl.kind == "findings":
        return None
    return Num(Decimal(999999999) if decl.kind == "count" else Decimal("99999999999.9999"))


GATE = "有此业务"  # the yes/no input of a leaf with 适用 若
CHOSEN = "选用"  # a 择一 / 任选 parent's field: the alternatives the unit uses, named (§4)


def left_out(leaf: Leaf, raw: dict[str, Any]) -> bool:
    """Whether a unit's values leave the leaf out: its 不适用 mark, or the 适用 若 answer it does not apply under."""
    return bool(leaf.mode) and (raw.get("不适用") is True or (leaf.gate is not None and raw.get(GATE) != leaf.gate))


def chosen_alternative(model: SpecModel, leaf: Leaf, values: dict[tuple[str, str], Any]) -> bool:
    """Whether an alternative of 择一 / 任选 is chosen: named by its parent's 选用 where written, else given (§4)."""
    parent = next(branch for branch in pools_of(model) if any(child is leaf for child in branch.children))
    named = values.get((parent.key, CHOSEN))
    if named:
        return leaf.name in (named if isinstance(named, list) else [named])
    return given(leaf, {f: v for (o, f), v in values.items() if o == leaf.key})


def left_out_by(model: SpecModel, owner: str, values: dict[tuple[str, str], Any]) -> bool:
    leaf = next((leaf for leaf in model.all_leaves() if leaf.key == owner), None)
    return leaf is not None and left_out(leaf, {f: v for (o, f), v in values.items() if o == owner})


def zeroed_by_section_veto(model: SpecModel, owner: str, values: dict[tuple[str, str], Any]) -> bool:
    """Whether a 一票否决 of a section held over this leaf: 0, whatever its rule gives (§3)."""
    shared = model.shared
    if shared is None or shared.section is None:
        return False
    value = shared.veto_value(values.get(("共用", shared.name), BLANK))
    if value is UNAVAILABLE or value is UNANSWERED:
        return False
    leaf = next((leaf for leaf in model.leaves() if leaf.key == owner), None)
    return leaf is not None and shared.zeroes(leaf.path, value)


def all_fields(model: SpecModel) -> list[tuple[str, str, Any]]:
    found = [(leaf.key, f, what) for leaf in model.all_leaves() for f, what in fields_of(leaf.body)]
    if model.shared is not None:
        found.append(("共用", model.shared.name, model.shared.what))
    if model.classes is not None:
        found.append(("共用", CLASS, class_decl(model.classes)))
    return found


def pools_of(model: SpecModel) -> list[Branch]:
    """The branches with 择一 / 任选 k 项 / 取最高 k 项."""
    found = []

    def walk(nodes):
        for n in nodes:
            if isinstance(n, Branch):
                found.extend([n] if n.pool is not None else [])
                walk(n.children)
    walk(model.tree)
    return found


def given(leaf: Leaf, raw: dict[str, Any]) -> bool:
    """Whether a unit gives an alternative: any field of its own (its 理由 alone does not)."""
    return any(_complete(raw.get(f, BLANK)) for f, _w in fields_of(leaf.body))


def shared_only_body(draw, shared: SharedInputs, points: F) -> Body:
    """得分 = the spec-level input (or a quantity over it) × 分值: a leaf with no field of its own."""
    expr = binop("*", shared.subject(draw), points_ref(draw))
    rule = Rule([f"得分 = {expr.text}"], expr.eval, values=lambda d: {}, uses_shared=True)
    from spec_gen_nodata import draw_nodata
    line = draw_nodata(draw, rule, points, always=True) if shared.optional else None  # (§11.15)
    return Body(rule, [], points, nodata=line)


@st.composite
def units_for(draw, model: SpecModel, include: frozenset = NOTHING) -> list[Unit]:
    """Several units (mostly clean; some with a blank or bad field, some 不适用, a huge value), then the witness."""
    count = draw(st.integers(3, 7))
    found: list[Unit] = []
    fields = all_fields(model)
    chosen_by_giving = {c.key for b in pools_of(model) for c in b.children if c.alternative}
    fields = [f for f in fields if f[0] not in chosen_by_giving]  # spoiling one could change which were chosen
    for number in range(count + 1):
        witness = number == count
        values: dict[tuple[str, str], Any] = {}
        for leaf in model.all_leaves():
            for f, v in _body_values(draw, leaf.body, witness).items():
                values[(leaf.key, f)] = v
            if needs_reason(leaf.body) and (leaf.key, "理由") not in values:
                values[(leaf.key, "理由")] = "部分符合"  # (left out only as a unit's spoiled field, below)
            if leaf.reason_below and (leaf.key, "理由") not in values and draw(st.booleans()):
                values[(leaf.key, "理由")] = draw(st.sampled_from(["扣分原因", "　"]))  # a blank one too
            if not witness and draw(st.integers(0, 15)) == 0:
                values[(leaf.key, "理由")] = "备注"  # a reason nobody needs reads as a note
            if leaf.na and not witness and draw(st.integers(0, 3)) == 0:
                values[(leaf.key, "不适用")] = True
            if leaf.gate is not None:  # 适用 若: the answer that leaves the leaf out, now and then
                out = not witness and draw(st.integers(0, 2)) == 0
                values[(leaf.key, GATE)] = leaf.gate != out
        if model.shared is not None:
            values[("共用", model.shared.name)] = model.shared.value(draw, witness)
            if model.shared.vetoes and not witness and draw(st.integers(0, 4)) == 0:
                values[("共用", model.shared.name)] = model.shared.blank(draw)  # required: the unit is not scored
        if model.classes is not None:
            values[("共用", CLASS)] = class_value(draw, model.classes, witness)
            given_class = unit_class(model.classes, values[("共用", CLASS)])
            for leaf in model.leaves():  # an input only other classes read, left blank now and then
                for name in not_needed(leaf.body.rule, given_class):
                    if draw(st.integers(0, 2)) == 0:
                        values[(leaf.key, name)] = BLANK
        for branch in pools_of(model):  # 择一 / 任选 k 项: k alternatives given, the others not at all
            kind, k = branch.pool
            if kind != "best":
                chosen = branch.children[:k] if witness else draw(st.permutations(branch.children))[:k]
                for child in branch.children:
                    if child not in chosen:
                        for key in [key for key in values if key[0] == child.key]:
                            del values[key]
                    elif not given(child, {f: v for (o, f), v in values.items() if o == child.key}):
                        # its 可缺 figures all left blank give nothing (§11.15): one given, so it is chosen
                        blanked = [(f, w) for f, w in fields_of(child.body) if isinstance(w, Decl) and w.optional]
                        if blanked:
                            values[(child.key, blanked[0][0])] = _any_value(draw, blanked[0][1])
                named_only = any(not fields_of(child.body) for child in chosen)  # only 选用 chooses it (§4)
                if named_only or draw(st.integers(0, 2)) == 0:  # 选用 now and then written: the ones chosen, as drawn
                    names = [child.name for child in chosen]
                    values[(branch.key, CHOSEN)] = names if kind == "any" else names[0]
                if named_only and not witness and not model.shared.vetoes and draw(st.integers(0, 2)) == 0:
                    values[("共用", model.shared.name)] = BLANK  # what it reads left blank: its failure, or 无数据时
        if not witness and fields and draw(st.integers(0, 3)) == 0:
            if "refused_row_rescaled" not in include:  # no 剔除 marks in a row about to be refused
                for leaf in model.all_leaves():
                    if leaf.mode == "exclude":
                        values.pop((leaf.key, "不适用"), None)
                    if leaf.gate is not None:
                        values[(leaf.key, GATE)] = leaf.gate
            several = "several_bad_cells" in include
            mode = draw(st.sampled_from(["blank", "bad"] + (["mixed"] if several else [])))
            for _ in range(draw(st.integers(1, 2 if several or mode == "blank" else 1))):
                owner, f, what = draw(st.sampled_from(fields))
                if isinstance(what, Reserved) and what.kind in ("score", "graded") and mode != "blank" \
                        and draw(st.booleans()):
                    values[(owner, "理由")] = BLANK
                elif (isinstance(what, Reserved) and left_out_by(model, owner, values)
                      and "not_applicable_bad_score" not in include):
                    values[(owner, f)] = BLANK
                else:
                    values[(owner, f)] = _spoil(draw, what, values.get((owner, f)), include, mode)
        if not witness and draw(st.integers(0, 4)) == 0:
            numeric = [(o, f, w) for o, f, w in fields if isinstance(w, Decl) and _huge(w) is not None]
            if numeric:
                owner, f, what = draw(st.sampled_from(numeric))
                values[(owner, f)] = _huge(what)
        if model.shared is not None and "unread_shared_blank" not in include and \
                not _complete(values.get(("共用", model.shared.name), BLANK)):
            for leaf in model.all_leaves():  # some leaf reads the blank 共用 input: it applies, no special case holds
                if leaf.body.uses_shared and not leaf.alternative:  # (an alternative given would change the choice)
                    values.pop((leaf.key, "不适用"), None)
                    if leaf.gate is not None:
                        values[(leaf.key, GATE)] = leaf.gate
                    for special in leaf.body.specials:
                        values.update({(leaf.key, k): v for k, v in (special.calm(draw) if special.calm else {}).items()})
                    break
        found.append(Unit(f"单位{number}", values, witness))
    return found


# ---------------------------------------------------------------- what a unit should score (grammar/README.md)


@dataclass
class LeafOutcome:
    status: str  # 'scored', 'missing', 'error' or 'excluded'
    score: Decimal | None = None
    why: str = ""


@dataclass
class Expected:
    leaves: dict[str, LeafOutcome]  # leaves and items, by key
    branches: dict[str, tuple[Decimal | None, str]]  # branch key → (score, status)
    blocks: dict[str, Decimal]
    subtotal: Decimal | None
    total: Decimal | None
    grade: str | None
    input_errors: set[str]  # owners (leaf keys, 共用) with a field the reader should refuse or a blank
    consequences: dict = field(default_factory=dict)  # 结果 name → value (None: a partial total, as the grade)

    @property
    def erred(self) -> set[str]:
        return {k for k, o in self.leaves.items() if o.status == "error"}


def _check_fields(body: Body, raw: dict[str, Any], penalty: bool) -> tuple[list[str], list[str]]:
    """(problems, missing) of a scoring unit's raw values, as the reader should find them."""
    from spec_gen_nodata import NODATA_SCORE
    problems: list[str] = []
    missing: list[str] = []
    partial_given = False
    reason = raw.get("理由")
    has_reason = isinstance(reason, str) and reason.strip() != ""
    for f, what in fields_of(body):
        value = raw.get(f, BLANK)
        if isinstance(what, Decl):
            if value is BLANK:
                if not (_blank_is_zero(f, what) or what.optional):  # 可缺: 无数据时 scores it (§11.15)
                    missing.append(f)
            elif not what.valid(value):
                problems.append(f)
            elif (f in REASONED_CUTS and what.parse(value) > 0 or f == NODATA_SCORE) and not has_reason:
                problems.append("理由")  # 超额调减, 酌情扣分 need a reason (§11.8, §11.12), 无数据得分 one given (§11.15)
        elif isinstance(what, Questionnaire):
            if value is BLANK or any(c is BLANK for row in value for c in row):
                missing.append(f)
            elif not what.valid(value):
                problems.append(f)
        elif what.kind == "graded":
            from spec_gen_graded import GRADE, graded_problems
            part = f[: -len(what.field_name)]  # a part's 得分 and 等级 carry its name where several parts have theirs
            wrong, absent = graded_problems(what, value, raw.get(part + GRADE, BLANK), has_reason)
            problems += wrong
            missing += absent
        elif what.kind == "items":
            if value is BLANK or any(v is BLANK for v in value):
                missing.append(f)
                continue
            for v, p in zip(value, what.points):
                if isinstance(v, Num):
                    if not what.partial or not 0 <= F(v.figure) <= p:
                        problems.append(f)
                    elif 0 < F(v.figure) < p:
                        partial_given = True
                elif isinstance(v, Bad) or (v not in YES and v not in NO):
                    problems.append(f)
        else:  # a discretionary score
            if value is BLANK:
                missing.append(f)
            elif isinstance(value, Bad) or not what.low <= F(value.figure) <= what.high:
                problems.append(f)
            elif not has_reason and not (penalty and F(value.figure) == 0):
                problems.append("理由")
    if partial_given and not has_reason:
        problems.append("理由")
    return problems, missing


def _blank_is_zero(name: str, decl: Decl) -> bool:
    """A blank 超额调减 or 酌情扣分 is no cut (§11.8, §11.12); a blank sub-project figure is no such sub-project (§7.1)."""
    return name in REASONED_CUTS or (decl.series is not None and decl.series[1] in ("子项目", "by-subproject"))


def _parse_fields(body: Body, raw: dict[str, Any]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for f, what in fields_of(body):
        value = raw.get(f, BLANK)
        if isinstance(what, Decl) and value is BLANK and _blank_is_zero(f, what):
            parsed[f] = F(0)
        elif isinstance(what, Decl) and value is BLANK:
            parsed[f] = BLANK  # 可缺 (无数据时 scores the unit before anything reads it), or read by other classes only
        elif isinstance(what, Decl):
            parsed[f] = what.parse(value)
        elif isinstance(what, Questionnaire):
            parsed[f] = value
        elif what.kind == "items":
            parsed[f] = [F(v.figure) if isinstance(v, Num) else (p if v in YES else F(0))
                         for v, p in zip(value, what.points)]
        else:
            parsed[f] = F(value.figure)
    return parsed


def _evaluate(body: Body, parsed: dict[str, Any], shared: dict[str, Any], shared_derived: dict[str, Expr],
              points: F) -> F:
    """The exact award of a scoring unit (special cases first, then the rule; a 分项 leaf: its parts)."""
    options = set(body.rule.options) if body.rule else set()
    for s in body.specials:
        for d in s.decls:
            options |= set(d.options)
    for d in body.decls:
        options |= set(d.options)
    derived = dict(shared_derived)
    if body.rule:
        derived.update({name: expr for name, expr in body.rule.derived})
        for q in body.rule.questionnaires:
            derived[q.name] = Expr(q.name, 3, lambda env, q=q: q.rate(parsed[q.name]))
    env = Env({**shared, **{k: v for k, v in parsed.items() if k not in derived}}, derived, options, points)
    import spec_gen_nodata as nodata
    if nodata.blank_data(body, parsed, nodata.shared_blank(body, shared)):  # 无数据时, before the special cases;
        # 另扣/另加 move it (§11.15)
        given = nodata.award(body, parsed, points)
        moves = body.rule.adjustment if body.rule is not None else None
        return moves(env, given) if moves is not None else given
    for s in body.specials:
        if s.cond.holds(env):
            return points if s.points is None else s.points
    if body.parts:
        several = len(body.reserved_users) > 1
        total = F(0)
        for name, p, sub in body.parts:
            mine = {}
            for f, _what in fields_of(sub):
                key = f"{name}.{f}" if several and own_field(sub, f.split(".")[-1]) else f
                mine[f] = parsed[key]
            total += min(max(_evaluate(sub, mine, shared, shared_derived, p), F(0)), p)
        return total
    env.values.update({"要素": parsed.get("要素"), "得分": parsed.get("得分")})
    return body.rule.award(env)


def _combine(children: list[tuple[Decimal | None, str, F]], points: F, places: int) -> tuple[Decimal | None, str]:
    """A parent's score from its children's rounded scores: rescaled when some are 不适用 剔除 (§6);
    children not scored are left out (§15)."""
    total, status = _held_sum(children)
    applicable = [c for c in children if c[1] != "excluded"]
    if total is None or len(applicable) == len(children):
        return total, status
    return half_up(F(total) * points / sum(c[2] for c in applicable), places), "scored"


def _share(children: list[tuple[Decimal | None, str, F]], places: int) -> tuple[Decimal | None, str]:
    """分值平均分配给同级指标 (§6): the points left out, split equally over the applicable children; each
    counts its score × (its points + the share) ÷ its points, the sum rounded half up once."""
    total, status = _held_sum(children)
    applicable = [c for c in children if c[1] != "excluded"]
    if total is None or len(applicable) == len(children):
        return total, status
    share = sum((c[2] for c in children if c[1] == "excluded"), F(0)) / len(applicable)
    exact = sum((F(c[0]) * (c[2] + share) / c[2] for c in applicable if c[0] is not None and c[2]), F(0))
    return half_up(exact, places), "scored"


def _held_sum(children: list[tuple[Decimal | None, str, F]]) -> tuple[Decimal | None, str]:
    """按实际适用分值折算 (§6): a branch adds its applicable children's scores, not rescaled."""
    applicable = [c for c in children if c[1] != "excluded"]
    if not applicable:
        return None, "excluded"
    scored = [c for c in applicable if c[0] is not None]
    if not scored:
        return None, "missing"
    return sum((c[0] for c in scored), Decimal(0)), "scored"


def expected(model: SpecModel, unit: Unit, allow_missing: bool = False) -> Expected:
    import spec_gen_nodata as nodata
    places = model.places
    input_errors: set[str] = set()
    shared: dict[str, Any] = {}
    shared_derived: dict[str, Expr] = {}
    if model.shared is not None:
        raw = unit.values.get(("共用", model.shared.name), BLANK)
        if raw is BLANK and model.shared.optional:  # 可缺: the leaves reading it score their 无数据时 line (§11.15)
            shared[model.shared.name] = BLANK
            shared_derived = model.shared.derived(raw)
        elif not _complete(raw) or not model.shared.valid(raw):
            input_errors.add("共用")
            shared[model.shared.name] = UNAVAILABLE
            shared_derived = model.shared.derived(raw)
            shared_derived.pop(model.shared.name, None)
        else:
            if not model.shared.questionnaire:
                shared[model.shared.name] = model.shared.parse(raw)
            shared_derived = model.shared.derived(raw)
    vetoes = model.shared.vetoes if model.shared is not None else []
    # What the vetoes read: a rate, or UNAVAILABLE (blank, wrong), UNANSWERED (a questionnaire nobody answered)
    read = model.shared.veto_value(unit.values.get(("共用", model.shared.name), BLANK)) if vetoes else None
    if model.classes is not None:  # 单位类别 (§11.13): blank or not declared, no 按类别 leaf can be scored
        shared[CLASS] = unit_class(model.classes, unit.values.get(("共用", CLASS), BLANK))
        if shared[CLASS] is UNAVAILABLE:
            input_errors.add("共用")
    outcomes: dict[str, LeafOutcome] = {}
    for leaf in model.all_leaves():
        raw = {f: v for (owner, f), v in unit.values.items() if owner == leaf.key}
        own = leaf.places if leaf.places is not None else places  # 小数 N 位 of the leaf, whatever scores it (§11.14)
        if left_out(leaf, raw):
            outcomes[leaf.key] = (LeafOutcome("scored", half_up(leaf.cap, own)) if leaf.mode == "full"
                                  else LeafOutcome("excluded"))
            continue
        if leaf.alternative and not chosen_alternative(model, leaf, unit.values):  # 择一 / 任选 k 项: not chosen (§4)
            outcomes[leaf.key] = LeafOutcome("excluded")
            continue
        problems, missing = _check_fields(leaf.body, raw, leaf.role != "leaf")
        unread = not_needed(leaf.body.rule, shared.get(CLASS))  # inputs only other classes' rules read
        missing = [f for f in missing if f not in unread]
        if problems or missing:
            input_errors.add(leaf.key)
        if problems:
            outcomes[leaf.key] = LeafOutcome("error", why=f"refused {problems}")
            continue
        if missing:
            outcomes[leaf.key] = LeafOutcome("missing" if allow_missing else "error", why=f"missing {missing}")
            continue
        if nodata.left_out(leaf.body, _parse_fields(leaf.body, raw), nodata.shared_blank(leaf.body, shared)):  # §11.15
            outcomes[leaf.key] = (LeafOutcome("scored", half_up(leaf.cap, own)) if leaf.na == "full"
                                  else LeafOutcome("excluded"))
            continue
        try:
            if model.shared is not None and leaf.role == "leaf" and model.shared.zeroes(leaf.path, read):
                outcomes[leaf.key] = LeafOutcome("scored", half_up(F(0), own))  # 一票否决 of its section (§3)
                continue
            exact = _evaluate(leaf.body, _parse_fields(leaf.body, raw), shared, shared_derived, leaf.cap)
        except SharedUnavailable:  # a 共用 input matters where the evaluation reads it (a special case may not)
            outcomes[leaf.key] = LeafOutcome("missing" if allow_missing else "error", why="missing 共用")
            continue
        except OracleError as problem:
            outcomes[leaf.key] = LeafOutcome("error", why=str(problem))
            continue
        held = max(exact, leaf.body.floor if leaf.body.floor is not None else F(0))  # 最低 (§11.14)
        if leaf.points is not None:  # an item written without points has no cap of its own (§12)
            held = min(held, leaf.points)
        reason = raw.get("理由")
        if leaf.reason_below and half_up(held, own) < leaf.cap and not (isinstance(reason, str) and reason.strip()):
            outcomes[leaf.key] = LeafOutcome("error", why="扣分须说明理由 (§11.11)")
            continue
        outcomes[leaf.key] = LeafOutcome("scored", half_up(held, own))

    branches: dict[str, tuple[Decimal | None, str]] = {}

    def node(n) -> tuple[Decimal | None, str, F, F]:  # score, status, points, the points of leaves that apply
        if isinstance(n, Leaf):
            o = outcomes[n.key]
            return o.score, o.status, n.cap, F(0) if o.status == "excluded" else n.cap
        below = [node(c) for c in n.children]
        if n.pool is not None:  # §4: the exact sum of the alternatives that count, never rescaled
            kind, k = n.pool
            scored = [b[0] for b in below if b[1] == "scored"]
            counted = sorted(scored, reverse=True)[:k] if kind == "best" else scored
            score = sum(counted, Decimal(0)) if counted else None
            branches[n.key] = (score, "scored" if counted else "missing")
            return score, branches[n.key][1], n.points, n.points
        if model.rescale_total:  # 按实际适用分值折算: branches add as they are
            score, status = _held_sum([b[:3] for b in below])
        elif model.share_siblings:
            score, status = _share([b[:3] for b in below], places)
        else:
            score, status = _combine([b[:3] for b in below], n.points, places)
        if score is not None:  # leaves kept finer than the header: the sum is rounded at its places (§11.14)
            score = half_up(F(score), places)
        branches[n.key] = (score, status)
        return score, status, n.points, sum((b[3] for b in below), F(0))

    top = [node(n) for n in model.tree]
    if model.rescale_total:  # the total: the applicable leaves' scores ÷ their points × 总分
        subtotal, status = _held_sum([t[:3] for t in top])
        if subtotal is not None:
            subtotal = half_up(F(subtotal) * model.total / sum((t[3] for t in top), F(0)), places)
    elif model.share_siblings:
        subtotal, status = _share([t[:3] for t in top], places)
    else:
        subtotal, status = _combine([t[:3] for t in top], model.total, places)
    if subtotal is not None:
        subtotal = half_up(F(subtotal), places)
    blocks: dict[str, Decimal] = {}
    total: Decimal | None = None
    room = F(0)
    moved = F(0)
    for block in model.blocks:
        got = sum((F(outcomes[i.key].score) for i in block.items if outcomes[i.key].score is not None), F(0))
        if block.cap is not None:
            got = min(got, block.cap)
        blocks[block.name] = half_up(got, places)
        moved += got if block.kind == "bonus" else -got
        if block.kind == "bonus":
            room += block.cap if block.cap is not None else sum((i.cap for i in block.items), F(0))
    if subtotal is not None:
        total = half_up(min(max(F(subtotal) + moved, F(0)), model.total + room), places)
    grade = None
    incomplete = status != "scored" or any(o.status in ("missing", "error") for o in outcomes.values())
    # A partial total (some leaf 未评 or in error) is no evaluation's total: it gets no grade (idsl 7278f03).
    if read is UNAVAILABLE:  # a veto's input blank or wrong: not scored
        # (a blank 单位类别 beside it leaves its 按类别 leaves 未评; a veto that holds still zeroes the total)
        total, incomplete = None, True
    if read is UNANSWERED and any(k != "section" for k, _t in vetoes):  # the total's or the grade's veto cannot
        total, incomplete = None, True  # be read: the unit is not scored (a section's fails on its leaves)
    value = read
    if total is not None and any(k == "cap" for k, _t in vetoes):  # 总分上限 = rate × 总分 (§3)
        total = half_up(max(min(F(total), value * model.total), F(0)), places)
    if total is not None and vetoes and model.shared.vetoed("total", value):  # 一票否决 (§3)
        total = half_up(F(0), places)
    if total is not None and model.grades and not incomplete:
        env = Env({TOTAL: F(total)}, {}, set(), F(0))
        holding = [g.name for g in model.grades if not g.cond.otherwise and g.cond.holds(env)]
        rest = [g.name for g in model.grades if g.cond.otherwise]
        grade = holding[0] if holding else rest[0] if rest else None
        if grade == "优" and vetoes and model.shared.vetoed("top", value):  # 一票否优: at most the next grade
            grade = "良"
        if grade is not None:
            grade = limited_grade(model, outcomes, grade)
    figures = consequence_values(model, total if total is not None and not incomplete else None)
    return Expected(outcomes, branches, blocks, subtotal, total, grade, input_errors, figures)


# ---------------------------------------------------------------- the unit as an input file and as a batch row


def _json_value(value: Any, decl: Decl | None = None) -> Any:
    if isinstance(value, Num):
        if value.style == "percent":
            return f"{value.figure}%"
        return value.figure  # a unit after the figure is for batch cells only (examples/README.md)
    if isinstance(value, Bad):
        return value.text
    return value


def _complete(value: Any) -> bool:
    if value is BLANK:
        return False
    if isinstance(value, list):
        return all(_complete(v) for v in value)
    return True


def input_file(model: SpecModel, unit: Unit) -> dict:
    """The unit as an input file (idsl/io/inputs.py), blanks left out."""
    leaves: dict[str, dict] = {}
    decls = {(leaf.key, f): what for leaf in model.all_leaves() for f, what in fields_of(leaf.body)}
    for (owner, f), value in unit.values.items():
        if owner == "共用" or not _complete(value):
            continue
        what = decls.get((owner, f))
        target = leaves.setdefault(owner, {})
        if "." in f and f.split(".", 1)[1] in ("要素", "得分", "等级"):
            part, f = f.split(".", 1)
            target = target.setdefault(part, {})
        if isinstance(value, list) and value and isinstance(value[0], list):
            target[f] = value
        elif isinstance(value, list):
            target[f] = [_json_value(v) for v in value]
        else:
            target[f] = _json_value(value, what if isinstance(what, Decl) else None)
    data: dict[str, Any] = {"unit": unit.name, "inputs": leaves}
    if model.classes is not None and _complete(unit.values.get(("共用", CLASS), BLANK)):
        leaves.setdefault("共用", {})[CLASS] = _json_value(unit.values[("共用", CLASS)])
    if model.shared is not None:
        value = unit.values.get(("共用", model.shared.name), BLANK)
        if _complete(value):
            leaves.setdefault("共用", {})[model.shared.name] = value if isinstance(value, list) else _json_value(value)
    return data


def _cell(value: Any, decl: Decl | None = None) -> str:
    if value is BLANK or value is None:
        return ""
    if isinstance(value, Num):
        if value.style == "percent":
            return f"{value.figure}%"
        if value.style == "unit" and decl is not None and decl.unit:
            return f"{value.figure}{decl.unit}"
        return format(value.figure, "f")
    if isinstance(value, Bad):
        return value.text
    if value is True:
        return "是"
    return str(value)


def batch_row(model: SpecModel, unit: Unit) -> dict[str, str]:
    """The unit as a row of a batch file (idsl/io/columns.py), header → cell text."""
    row = {"单位": unit.name}
    for leaf in model.all_leaves():
        for f, what in fields_of(leaf.body):
            value = unit.values.get((leaf.key, f), BLANK)
            if isinstance(what, Reserved) and what.kind == "items":
                items = value if isinstance(value, list) else [BLANK] * len(what.points)
                for number, item in enumerate(items, start=1):
                    row[f"{leaf.key}.{f}{number}"] = _cell(item)
            elif isinstance(what, Questionnaire):
                rows = value if isinstance(value, list) else [[BLANK] * len(what.options)] * len(what.questions)
                for q, counts in enumerate(rows, start=1):
                    for (letter, _s), count in zip(what.options, counts):
                        row[f"{leaf.key}.{f}.第{q}题.{letter}"] = _cell(count)
            else:
                row[f"{leaf.key}.{f}"] = _cell(value, what if isinstance(what, Decl) else None)
        if needs_reason(leaf.body) or leaf.reason_below or (leaf.key, "理由") in unit.values:
            reason = unit.values.get((leaf.key, "理由"), BLANK)
            if needs_reason(leaf.body) or leaf.reason_below:
                row[f"{leaf.key}.理由"] = _cell(reason)
        if leaf.na:  # a 适用 若 leaf without a 不适用 line has no mark (its answer alone leaves it out)
            row[f"{leaf.key}.不适用"] = "是" if unit.values.get((leaf.key, "不适用")) is True else ""
        if leaf.gate is not None:
            row[f"{leaf.key}.{GATE}"] = "是" if unit.values.get((leaf.key, GATE)) else "否"
    for branch in pools_of(model):  # 择一's / 任选's 选用 (§4); blank: the alternatives given are the ones
        if branch.pool[0] != "best":
            chosen = unit.values.get((branch.key, CHOSEN), "")
            row[f"{branch.key}.{CHOSEN}"] = "、".join(chosen) if isinstance(chosen, list) else chosen
    if model.shared is not None:
        value = unit.values.get(("共用", model.shared.name), BLANK)
        if model.shared.questionnaire:
            q = model.shared.questionnaire
            rows = value if isinstance(value, list) else [[BLANK] * len(q.options)] * len(q.questions)
            for number, counts in enumerate(rows, start=1):
                for (letter, _s), count in zip(q.options, counts):
                    row[f"共用.{q.name}.第{number}题.{letter}"] = _cell(count)
        else:
            row[f"共用.{model.shared.name}"] = _cell(value, model.shared.decl)
    if model.classes is not None:
        row[f"共用.{CLASS}"] = _cell(unit.values.get(("共用", CLASS), BLANK))
    return row


# ---------------------------------------------------------------- cases


class Case:
    def __init__(self, spec: SpecModel, units: list[Unit]):
        self.spec = spec
        self.units = units

    def __repr__(self) -> str:
        import json

        files = [json.dumps(self.input_file(u), ensure_ascii=False, default=str) for u in self.units]
        return "Case(spec:\n" + self.text + "units:\n" + "\n".join(files) + ")"

    @property
    def text(self) -> str:
        return self.spec.text

    def expected(self, unit: Unit, allow_missing: bool = False) -> Expected:
        return expected(self.spec, unit, allow_missing)

    def input_file(self, unit: Unit) -> dict:
        return input_file(self.spec, unit)

    def batch_row(self, unit: Unit) -> dict[str, str]:
        return batch_row(self.spec, unit)


@st.composite
def cases(draw, include: frozenset = NOTHING) -> Case:
    model = draw(specs(include))
    return Case(model, draw(units_for(model, include)))


# ---------------------------------------------------------------- rules across units (§11.10)
#
# A unit of `cases()` is scored on its own; a rule comparing units is scored over the whole batch, so
# these specs are drawn apart: `peer_cases()` gives a spec using every function over the units scored
# together (比最高, 比最低 of a rate or of a ratio of amounts, 名次 bands with whole-number ranges, 名次比,
# the difference from 平均, 缺失取平均, 不适用 剔除, 总分排名) and a batch whose values tie, sit on the
# band ends, are blank, malformed or marked 不适用. tests/test_peers.py has both batch engines score it.

PEER_RATES = ("0%", "0.5%", "10%", "20%", "33.33%", "50%", "66.67%", "80%", "90%", "100%")
PEER_AMOUNTS = ("0", "1", "3", "7.5", "100", "333.333333", "999999.999999")


@dataclass
class PeerCase:
    text: str  # the spec
    rows: list[dict[str, str]]  # the batch: header → cell
    points: dict[str, F]  # each leaf's points, by path

    def __repr__(self) -> str:
        return f"PeerCase(spec:\n{self.text}rows: {self.rows})"


@st.composite
def peer_cases(draw) -> PeerCase:
    leaves: list[tuple[str, list[str], list[tuple[str, str]]]] = []  # name, lines, (input, kind) columns
    fill = " 缺失取平均" if draw(st.booleans()) else ""
    ratio = draw(st.sampled_from(["比最高", "比最低"]))
    if draw(st.booleans()):
        leaves.append(("比值", ["输入 执行数：金额 万元 范围 0～1000000，预算数：金额 万元 范围 0～1000000",
                                "执行率 = 执行数 / 预算数", f"得分 = {ratio}(执行率) × 分值"],
                       [("执行数", "amount"), ("预算数", "amount")]))
    else:
        leaves.append(("比值", [f"输入 率：比率{fill}", f"得分 = {ratio}(率) × 分值"], [("率", "rate")]))
    first = draw(st.integers(1, 3))
    second = first + draw(st.integers(1, 3))
    middle, last = draw(st.sampled_from([(3, 1), (2, 0), (3, 2)]))
    leaves.append(("名次", ["输入 进度：比率",
                            f"分档 名次(进度)：1～{first} 得满分；{first + 1}～{second} 得 {middle} 分；否则 得 {last} 分"],
                   [("进度", "rate")]))
    share = draw(st.sampled_from(["10%", "20%", "50%"]))
    leaves.append(("名次比", ["输入 质量分：数值 范围 0～100",
                              f"分档 名次比(质量分)：≤ {share} 得满分；> {share} 得 2 分"], [("质量分", "score")]))
    width, per = draw(st.sampled_from([(4, 1), (8, 0.5), (10, 0.4)]))
    leaves.append(("平均", [f"输入 满意率：比率{fill}",
                            f"分档 满意率 - 平均(满意率)：≥ 0 得满分；-{width}%～0 每降低 1% 扣 {per} 分；< -{width}% 不得分"],
                   [("满意率", "rate")]))
    excluded = draw(st.sampled_from([None, 0, 1, 2, 3]))
    lines = ['体系 "生成" 总分 16'] + (["总分排名"] if draw(st.booleans()) else []) + ["比较（16）"]
    for number, (name, body, _columns) in enumerate(leaves):
        lines.append(f"  {name}（4）")
        lines += ["    不适用 剔除"] if number == excluded else []
        lines += [f"    {line}" for line in body]
    count = draw(st.integers(1, 8))
    rows = []
    for number in range(count):
        row = {"单位": f"单位{number}"}
        for index, (name, _body, columns) in enumerate(leaves):
            if index == excluded and draw(st.integers(0, 3)) == 0:
                row[f"比较/{name}.不适用"] = "是"
            for field_name, kind in columns:
                values = {"amount": PEER_AMOUNTS, "rate": PEER_RATES, "score": ("0", "50", "70", "70", "100")}[kind]
                roll = draw(st.integers(0, 19))
                row[f"比较/{name}.{field_name}"] = "" if roll == 0 else "x" if roll == 1 else draw(st.sampled_from(values))
        rows.append(row)
    return PeerCase("\n".join(lines) + "\n", rows, {f"比较/{name}": F(4) for name, _b, _c in leaves})


# 按类别 lives in a module of its own, which builds on the definitions above (imported last for that reason).
from spec_gen_class import (CLASS, by_class_rule, class_decl, class_line, class_value,  # noqa: E402
                            declared_classes, not_needed, unit_class)
