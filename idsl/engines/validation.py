"""Checking a batch in DuckDB: the query that types every cell and lists every row's problems.

A cell is *canonical* when DuckDB reads it as the batch rule does: a number of plain digits, a
sign and a point within the limits (a rate may end in %) that DuckDB's cast reads whole, a yes/no
as 是 or 否, a choice as one of its labels, or empty. DuckDB checks canonical rows itself, fast;
the few rows with any other cell ("842.29万元", " 是", "B", "1,000") are normalized in Python by
the rule the interpreter's engine uses (`idsl.engines.cells.normalize_cells`) and then checked by
the same SQL, so both engines accept the same rows.
"""

from __future__ import annotations

import re
from itertools import combinations, islice
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple, Sequence

from idsl.engines import cellwords
from idsl.engines.cells import figure_cell, figure_digits, is_rate, is_yes_no
from idsl.engines.cellwords import SHOWN, with_hint
from idsl.engines.sql import quote, value_limits
from idsl.engines.sql.fragments import class_needs
from idsl.engines.sql.pools import named_conditions
from idsl.frontend import ast
from idsl.io.columns import CLASS_HEADER, NO_GRADES, long_grade, Column, alternative_cells, class_exempt, gate_columns, unknown_grade
from idsl.io.excel import DATE_CELL, DATE_HINT, DATE_MARK, ERROR_VALUES, NO_CACHE, UNCALCULATED, error_value
from idsl.io.inputfile import MAX_NAME, MAX_TEXT, long_unit
from idsl.io.inputs import PARTIAL_REASON, REASON_NEEDED
from idsl.io.tables import BLANKS, Layout
from idsl.io.values import OTHER_DIGITS, TARGET_SIGNS, full_width
from idsl.semantics.domains import AMBIGUOUS_RATE, input_domain
from idsl.semantics.graded import tier_ranges, top_grade
from idsl.semantics.lower import NODATA_SCORE, reasoned_cuts
from idsl.semantics.numbers import decimal_text
from idsl.semantics.pools import choice_text

ESC = "\x1b"  # escapes a newline inside one problem of `_errors`, whose problems are joined by newlines

MAX_CHOSEN_TEXTS = 200  # 任选's 选用 cells listed as canonical; with more ways to choose, every one is read in Python


def validation_select(layout: Layout, source: str = "raw_units", allow_missing: bool = False) -> str:
    """The DuckDB query that checks every row of `source`: `_row`, `_fast` (every cell canonical), the
    typed columns the scoring query reads (numbers as exact DECIMALs, yes/no as 是/否, choices by label)
    and `_errors` (one line `header<TAB>message` per problem; '' for a good row; meaningful only when
    `_fast`). This step is DuckDB's own SQL (TRY_CAST, regexp_matches); the scoring query itself is
    standard. With `allow_missing` a blank cell is no problem: the scoring query leaves its leaf 未评."""
    return _Validation(layout, allow_missing).build(source)


class _Validation:
    def __init__(self, layout: Layout, allow_missing: bool = False):
        self.layout = layout
        self.allow_missing = allow_missing
        self.canonical: list[str] = []  # per checked column: the SQL that holds when its cell is canonical
        self.quick: list[str] = []  # per checked column: a cheap test that implies its `canonical`
        self.out: list[str] = []  # typed columns
        self.checks: dict[str, tuple[Column, list[str]]] = {}  # header → its column and its WHEN … THEN clauses
        self.na: dict[str, str] = {}  # leaf key → SQL condition "not applicable"
        self.gates: set[str] = set()  # the 适用 若 columns: never gated by their own answer
        self.figures: list[str] = []  # each number cell cast once, in an inner projection the others read

    def build(self, source: str) -> str:
        columns = self.layout.columns
        for column in columns:
            if column.kind == "na":
                self.na[column.key] = f"{quote(column.header)} = '是'"
        for column, gate in gate_columns(self.layout.columns):  # 适用 若: an answer that leaves the leaf out gates it too
            out = f"{quote(column.header)} = '{'否' if gate.wanted else '是'}'"
            self.na[column.key] = f"({self.na[column.key]} OR {out})" if column.key in self.na else out
            self.gates.add(column.header)
        for key, headers in alternative_cells(columns).items():  # 择一 / 任选: an alternative not given is not checked
            blank = " AND ".join(f"NULLIF(trim({quote(h)}, {_lit(BLANKS)}), '') IS NULL" for h in headers)
            self.na[key] = f"({self.na[key]} OR ({blank}))" if key in self.na else f"({blank})"
        for column in columns:
            self._column(column)
        for column, error in self.layout.strays:  # a 记录得分 naming no indicator: refused where it is given
            self._error(column, f"NULLIF(trim({quote(column.header)}, {_lit(BLANKS)}), '') IS NOT NULL",
                        with_hint(error.message, error.hint))
        self._cross_checks()
        self._funds()
        errors = ", ".join(self._first_problem(*checks) for checks in self.checks.values()) or "NULL"
        fast = self._fast()
        # DuckDB does not share a subexpression inside CASE between columns: each cast done once, below.
        cells = f"(SELECT *, {', '.join(self.figures)} FROM {source}) AS cells" if self.figures else source
        return (f"SELECT _row,\n  ({fast}) AS _fast,\n  " + ",\n  ".join(self.out) +
                f",\n  concat_ws(chr(10), {errors}) AS _errors\nFROM {cells}")

    def _fast(self) -> str:
        """Every checked cell of the row canonical. Most rows pass the quick test: each cell empty, one of its
        words, or a number written as DuckDB prints the value its cast read (`_as_printed`). Only the rows
        that do not (a blank, 不详, 1e3, 007 …) are judged cell by cell: a CASE reads its ELSE on those rows alone."""
        if not self.canonical:
            return "TRUE"
        return f"CASE WHEN {' AND '.join(self.quick)} THEN TRUE ELSE {' AND '.join(self.canonical)} END"

    def _figure(self, cast: str) -> str:
        """A cast computed once per row (a column of the inner projection): its name."""
        name = f"_figure{len(self.figures)}"
        self.figures.append(f"{cast} AS {name}")
        return name

    def _error(self, column: Column, condition: str, message: str, shown: str | None = None) -> None:
        """A problem of a cell: `message` (`cellwords.SHOWN` in it stands for the SQL expression `shown`) when
        `condition` holds. A cell's problems are tried in the order they are added, as the interpreter's row
        reader tries them, and only the first is listed."""
        pieces = [_lit(escape(piece)) for piece in (column.header + "\t" + message).split(SHOWN)]
        shown = f"replace(replace({shown}, chr(27), chr(27) || chr(27)), chr(10), chr(27) || 'n')" if shown else None
        text = f" || {shown} || ".join(pieces) if shown is not None else pieces[0]
        self.checks.setdefault(column.header, (column, []))[1].append(f"WHEN {condition} THEN {text}")

    def _first_problem(self, column: Column, clauses: list[str]) -> str:
        gate = self.na.get(column.key) if column.kind not in ("na", "unit", "recorded", "grade") else None
        gate = None if column.header in self.gates else gate
        return "CASE " + (f"WHEN {gate} THEN NULL " if gate else "") + " ".join(clauses) + " END"

    def _column(self, column: Column) -> None:
        r = quote(column.header)
        if column.kind == "unit":
            self.out.append(f"COALESCE(trim({r}, {_lit(BLANKS)}), '') AS {r}")
            self._error(column, f"NULLIF(trim({r}, {_lit(BLANKS)}), '') IS NULL", cellwords.blank(column))
            self._too_long(column, with_hint(*long_unit(SHOWN)), MAX_NAME)
        elif column.kind in ("reason", "grade"):
            self.out.append(f"NULLIF(trim({r}, {_lit(BLANKS)}), '') AS {r}")
            if column.kind == "reason":  # a date, as the row reader refuses it; bounded as idsl.io.inputfile bounds it
                self._marked(column, f"{r} IS NOT NULL", f"trim({r}, {_lit(BLANKS)})")
                self._too_long(column, f"理由有 {SHOWN} 个字，最多 {MAX_TEXT} 个。（写要点，长文放在报告里。）", MAX_TEXT)
            else:
                self._too_long(column, with_hint(*long_grade(SHOWN, self.layout.grades)), MAX_NAME)
                self._grade(column)
        elif column.kind == "na":
            self.canonical.append(_one_of(r, ["是", "否"]))
            self.quick.append(self.canonical[-1])
            self.out.append(f"CASE WHEN {r} = '是' THEN '是' ELSE '否' END AS {r}")
        elif is_yes_no(column):
            self._text(column, ["是", "否"])
        elif column.several_chosen:
            self._chosen(column)
        elif column.kind == "input" and column.decl is not None and column.decl.kind == "choice":
            self._text(column, column.decl.options)
        else:
            self._number(column)

    def _grade(self, column: Column) -> None:
        """A recorded grade that is none of the spec's (or any, for a spec without grades): the interpreter's
        words (`columns.grade_problem`), the cell's text where they show it."""
        grade = f"NULLIF(trim({quote(column.header)}, {_lit(BLANKS)}), '')"
        grades = self.layout.grades
        if not grades:
            self._error(column, f"{grade} IS NOT NULL", with_hint(*NO_GRADES))
        else:
            listed = ", ".join(_lit(name) for name in grades)
            self._error(column, f"{grade} NOT IN ({listed})", with_hint(*unknown_grade(SHOWN, grades)), grade)

    def _too_long(self, column: Column, message: str, limit: int) -> None:
        """A text cell longer than `limit` characters (its length where `message` has SHOWN), worded as the
        interpreter's readers word it."""
        length = f"length(trim({quote(column.header)}, {_lit(BLANKS)}))"
        self._error(column, f"{length} > {limit}", message, f"CAST({length} AS VARCHAR)")

    def _typed(self, column: Column, value: str) -> None:
        """A number the scoring query reads; none where the row marks its leaf 不适用, as then it is not
        checked (an unused score out of its range must not reach the query's exact types)."""
        gate = self.na.get(column.key) if column.kind not in ("na", "recorded") and column.header not in self.gates else None
        self.out.append(f"{'CASE WHEN ' + gate + ' THEN NULL ELSE ' + value + ' END' if gate else value} AS "
                        f"{quote(column.header)}")

    def _text(self, column: Column, allowed: Sequence[str]) -> None:
        """A yes/no or a choice: canonical when one of the allowed words; required."""
        r = quote(column.header)
        self.canonical.append(_one_of(r, allowed))
        self.quick.append(self.canonical[-1])
        self.out.append(f"{r} AS {r}")
        self._blank(column)

    def _chosen(self, column: Column) -> None:
        """任选's 选用: canonical when blank or k names in the spec's order separated by 、 (`pools.choice_text`);
        any other spelling (a comma, another order, a wrong name) is read in Python (`cells.chosen_cell`)."""
        r = quote(column.header)
        node = column.node
        sets = combinations([child.name for child in node.children], node.pool.count)
        texts = [_lit(choice_text(names)) for names in islice(sets, MAX_CHOSEN_TEXTS + 1)]
        listed = f" OR {r} IN ({', '.join(texts)})" if len(texts) <= MAX_CHOSEN_TEXTS else ""
        self.canonical.append(f"({r} IS NULL{listed})")
        self.quick.append(self.canonical[-1])
        self.out.append(f"{r} AS {r}")

    def _blank(self, column: Column) -> None:
        """A blank cell of a required column (a problem unless blanks are allowed: then the scoring query
        leaves its leaf 未评, or one whose evaluation reads a blank 共用 input)."""
        if column.named_where_read:
            return  # as in the interpreter, the scoring query names a blank 共用 input only where a leaf reads it
        decl = column.decl  # 缺失取平均: the peers' mean; a cut left blank: 0
        if not self.allow_missing and not (decl is not None and (decl.fill_mean or decl.blank_zero or decl.optional)):
            needs = class_needs(class_exempt(column), quote(CLASS_HEADER))  # 按类别: only the classes that read it
            self._error(column, f"{quote(column.header)} IS NULL{needs}", cellwords.blank(column))

    def _number(self, column: Column) -> None:
        """Inputs, partial elements, scores, tallies and recorded scores: exact DECIMALs within the limits."""
        r = quote(column.header)
        _bound, scale, decimals = value_limits(column)
        precision = figure_digits(column) + decimals
        if is_rate(column):
            bare = f"CASE WHEN suffix({r}, '%') THEN left({r}, length({r}) - 1) ELSE {r} END"
            figure = self._figure(f"TRY_CAST({bare} AS DECIMAL({precision},{decimals}))")
            value = f"CAST({figure} * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL({precision},{scale}))"
        else:
            figure = value = self._figure(f"TRY_CAST({r} AS DECIMAL({precision},{decimals}))")
        if column.kind == "item":  # a partial element: a number of points, or 是/否
            points = _dec(column.points or 0)
            unusual = _unusual(decimals, "是否")  # a 是 or 否 is no number, but is no unusual character either
            self.canonical.append(f"CASE WHEN {r} IS NULL OR {r} = '是' OR {r} = '否' THEN TRUE "
                                  f"WHEN {figure} IS NOT NULL THEN NOT regexp_matches({r}, {_lit(unusual)}) ELSE FALSE END")
            self.quick.append(f"({r} IS NULL OR {r} = '是' OR {r} = '否' OR {_as_printed(figure, r)})")
            self._typed(column, f"CASE WHEN {r} = '是' THEN {points} WHEN {r} = '否' THEN 0 ELSE {figure} END")
            self._blank(column)
            self._error(column, f"{r} <> '是' AND {r} <> '否' AND ({figure} < 0 OR {figure} > {_constant(column.points or 0)})",
                        cellwords.element_out_of_range(column, SHOWN), _shown(column, figure))
            return
        # A cell without a digit or a % sign is no number however it is tidied: named here, in DuckDB, with
        # the words of the Python rule (`cells.parse_number`), so a batch of such rows stays on the fast path.
        cell = f"trim({r}, {_lit(BLANKS)})"
        hopeless = _hopeless(r, column.kind == "input")
        # CASE, not OR: DuckDB evaluates a WHEN on the rows the earlier ones left, so the regular expressions
        # of `hopeless` only see the rare cell that is no number.
        unusual = _unusual(decimals, "%" if is_rate(column) else "")
        self.canonical.append(f"CASE WHEN {r} IS NULL THEN TRUE WHEN {figure} IS NOT NULL THEN "
                              f"NOT regexp_matches({r}, {_lit(unusual)}) ELSE {hopeless} END")
        self.quick.append(f"({r} IS NULL OR {_as_printed(figure, bare if is_rate(column) else r)})")
        self._typed(column, value)
        if column.kind != "recorded":
            self._blank(column)
        unread = f"{figure} IS NULL AND {r} IS NOT NULL"  # the cheap test first: only such a cell is tested further
        self._marked(column, unread, cell)
        if figure_cell(column):  # ９５%, ９０分: before a comma, as `cells.parse_number`
            other = f"regexp_matches(regexp_replace({r}, '[0-9]', '', 'g'), {_lit(OTHER_DIGITS)})"
            self._error(column, f"{unread} AND {other}", with_hint(*full_width(f"“{SHOWN}”", "０")), cell)
        # Only a cell that is no number can be hopeless: the cheap test first spares the regex on the others.
        if column.kind == "input" and column.decl is not None:  # 很多，很多: a comma first, as `cells.parse_number`
            self._error(column, f"{figure} IS NULL AND {r} IS NOT NULL AND {hopeless} AND regexp_matches({r}, '[,，]')",
                        cellwords.comma_in_number(column, SHOWN), cell)
        self._error(column, f"{unread} AND {cell} IN ('true', 'false')", cellwords.not_a_number(column, SHOWN, True), cell)
        self._error(column, f"{figure} IS NULL AND {r} IS NOT NULL AND {hopeless}", cellwords.not_a_number(column, SHOWN),
                    cell)
        self._range(column, figure, value)

    def _marked(self, column: Column, unread: str, cell: str) -> None:
        """A workbook's date, uncalculated formula or error value (a cell `unread` as a number): the input
        workbook's words (`excel.marked_cell`)."""
        self._error(column, f"{unread} AND {cell} = {_lit(DATE_MARK)}", with_hint(DATE_CELL, DATE_HINT))
        self._error(column, f"{unread} AND {cell} = {_lit(NO_CACHE)}", UNCALCULATED)
        self._error(column, f"{unread} AND {cell} IN ({', '.join(map(_lit, ERROR_VALUES))})", error_value(SHOWN), cell)

    def _range(self, column: Column, figure: str, value: str) -> None:
        """The declared range of an input, a discretionary score's range, a count's sign: the words and the
        order of `cells.range_problem`, after an ambiguous rate (which `cells.parse_number` finds first)."""
        shown = _shown(column, figure)
        if column.kind == "input" and column.decl is not None:
            decl = column.decl
            if decl.kind == "findings":
                self._error(column, f"{figure} < 0", cellwords.negative_findings(SHOWN), shown)
                return
            if decl.kind == "rate":
                self._error(column, f"NOT suffix({quote(column.header)}, '%') AND {figure} <> 0 AND abs({figure}) <= 1",
                            AMBIGUOUS_RATE)
            low, high = input_domain(decl)
            if low is not None and low > 0:  # under a bound above 0 without being negative: no 可负 hint
                self._error(column, f"{value} < 0", cellwords.out_of_range(column, SHOWN, True), shown)
                self._error(column, f"{value} < {_constant(low)}", cellwords.out_of_range(column, SHOWN, False), shown)
            elif low is not None:
                self._error(column, f"{value} < {_constant(low)}", cellwords.out_of_range(column, SHOWN, True), shown)
            if high is not None:
                self._error(column, f"{value} > {_constant(high)}", cellwords.out_of_range(column, SHOWN, False), shown)
        elif column.kind == "score":
            self._error(column, f"{figure} < {_constant(column.low or 0)} OR {figure} > {_constant(column.high or 0)}",
                        cellwords.score_out_of_range(column, SHOWN), shown)
        elif column.kind == "tally":
            self._error(column, f"{figure} < 0", cellwords.negative_tally(SHOWN), shown)

    def _funds(self) -> None:
        """The 自评表's 其中 rows given add up to 年度资金总额, column by column, as `io.inputs.funds_errors` checks."""
        key = next((c.key for c in self.layout.columns if c.kind == "input" and self.layout.funds and
                    c.field == self.layout.funds[0].blamed), None)
        by_field = {c.field: c for c in self.layout.columns if c.kind == "input" and c.key == key}
        # A figure with a problem of its own (-1, out of range) is left to it, as the interpreter compares only
        # figures that read: its cell's checks, taken before this sum's is added to one of them.
        fine = {field: self._no_problem(column) for field, column in by_field.items()}
        for funds in self.layout.funds:
            terms = [funds.total, *(term for _row, term in funds.parts)]
            values = [_dec(term) if not isinstance(term, str) else
                      f"TRY_CAST({quote(by_field[term].header)} AS DECIMAL(38,10))" for term in terms]
            given = " AND ".join([f"{v} IS NOT NULL" for v in values] +
                                 [fine[term] for term in terms if isinstance(term, str)])
            self._error(by_field[funds.blamed], f"{given} AND {' + '.join(values[1:])} <> {values[0]}",
                        with_hint(*funds.message()))

    def _no_problem(self, column: Column) -> str:
        """A condition that holds when none of the cell's own checks added so far finds a problem in it."""
        clauses = self.checks.get(column.header, (column, []))[1]
        return f"(CASE {' '.join(clauses)} END) IS NULL" if clauses else "TRUE"

    def _cross_checks(self) -> None:
        """Reasons: a discretionary score (not a zero deduction) and a partial element need one."""
        by_key: dict[str, list[Column]] = {}
        for column in self.layout.columns:
            by_key.setdefault(column.key, []).append(column)
        for _key, columns in by_key.items():
            reason = next((c for c in columns if c.kind == "reason"), None)
            if reason is None:
                continue
            missing = (f"NULLIF(trim({quote(reason.header)}, {_lit(BLANKS)}), '') IS NULL"
                       + _named_or_blank(reason, self.layout.columns))
            for column in columns:
                if column.kind != "score":
                    continue
                figure = f"TRY_CAST({quote(column.header)} AS DECIMAL(38,10))"
                ok = f"{figure} >= {_dec(column.low)} AND {figure} <= {_dec(column.high)}"
                zero_ok = f" AND NOT {figure} = 0" if column.penalty else ""
                top_ok = _top_tier(column, columns)
                self._error(reason, f"{missing} AND {ok}{zero_ok}{top_ok}", with_hint(*REASON_NEEDED))
            for column in columns:
                message = _cut_message(column)  # 超额调减, 酌情扣分 above 0 need a reason
                if message is not None:
                    cut = f"TRY_CAST({quote(column.header)} AS DECIMAL(38,10))"
                    given = f">= {_dec(column.decl.low.amount)}" if column.field == NODATA_SCORE else "> 0"  # as read
                    self._error(reason, f"{missing} AND {cut} {given} AND {cut} <= {_dec(column.decl.high.amount)}", message)
            partial = [c for c in columns if c.kind == "item" and c.partial]
            if partial:
                some, every = [], []
                for c in partial:
                    r = quote(c.header)
                    figure = f"TRY_CAST({r} AS DECIMAL(38,10))"
                    points = _dec(c.points or 0)
                    some.append(f"({r} <> '是' AND {r} <> '否' AND {figure} > 0 AND {figure} < {points})")
                    every.append(f"({r} = '是' OR {r} = '否' OR ({figure} >= 0 AND {figure} <= {points}))")
                self._error(reason, f"{missing} AND ({' OR '.join(some)}) AND {' AND '.join(every)}",
                            PARTIAL_REASON)


class _Stated(NamedTuple):
    """A 选用 cell as `named_conditions` reads it: its SQL and its layer (the check has one)."""
    text: str
    layer: int


def _named_or_blank(reason: Column, columns: Sequence[Column]) -> str:
    """An alternative's reason is asked for only where 选用 is blank or names it: where it names another, the
    alternative is not scored and the row's error is that its inputs were given (选用“A”，却给了“B”的输入), as the
    interpreter lists it. (A 选用 the batch rule refuses reaches this check blank.)"""
    node = reason.node
    chosen = next((c for c in columns if c.pool_choice and node is not None and node.alternative
                   and node in c.node.children), None)
    if chosen is None:
        return ""
    parent, cell = chosen.node, quote(chosen.header)
    named = named_conditions(parent, _Stated(cell, 0))
    return f" AND ({cell} IS NULL OR {named[parent.children.index(node)].text})"


def _cut_message(column: Column) -> str | None:
    """An input column that is an evaluator's cut needing a reason above 0 (超额调减, 酌情扣分): its message."""
    if column.kind != "input" or column.decl is None or column.node is None:
        return None
    leaf = column.node.leaf
    units = [leaf] + [part.leaf for part in leaf.parts] if leaf is not None else []  # a part's 无数据得分
    return next((m for u in units if (m := reasoned_cuts(u).get(column.field)) is not None), None)


def _top_tier(score: Column, columns: list[Column]) -> str:
    """A judged score whose grade needs no reason (定性's top tier, 评级's top grade): the SQL that exempts it;
    a 评级 without 须说明理由 never needs one; '' for other scores."""
    rule = _scored_rule(score)
    if not isinstance(rule, ast.Qualitative):
        return ""
    if isinstance(rule, ast.Graded) and not rule.reason:
        return " AND FALSE"
    # 评级's 等级 beside a part's own 得分 (one grade per part), else the leaf's input
    fields = ([f"{score.name}.{rule.tier}"] if score.name else []) + [rule.tier]
    tier = next((c for f in fields for c in columns if c.kind == "input" and c.field == f and c.decl is not None), None)
    if tier is None or not tier.decl.options:
        return ""
    top = top_grade(tier_ranges(rule, tier.decl.options, Fraction(score.high)), Fraction(score.high))
    if top is None:
        return ""
    # A blank tier (or one refused, read as blank) decides nothing: its own cell is the problem, as in the interpreter.
    return f" AND coalesce(trim(CAST({quote(tier.header)} AS VARCHAR)) <> {_lit(top)}, FALSE)"


def _scored_rule(score: Column) -> ast.Rule | None:
    """The rule whose score the column holds: the leaf's, or that of its part (a 分项 scored by the evaluator;
    `score.name` names it where several parts are)."""
    leaf = score.node.leaf if score.node is not None else None
    if leaf is None or not leaf.parts:
        return leaf.rule if leaf is not None else None
    users = [p for p in leaf.parts if isinstance(p.leaf.rule, ast.Discretionary)]
    named = [p for p in users if p.name == score.name] or users
    return named[0].leaf.rule if len(named) == 1 else None


def _shown(column: Column, figure: str) -> str:
    """A number in a message, as `cellwords.shown_number` writes it: no trailing zeros, then its % or unit."""
    text = f"CAST({figure} AS VARCHAR)"
    digits = f"CASE WHEN contains({text}, '.') THEN rtrim(rtrim({text}, '0'), '.') ELSE {text} END"
    suffix = cellwords.shown_number(column, Decimal(0))[1:]
    return digits + (f" || {_lit(suffix)}" if suffix else "")


# Python's own blanks (str.strip, which `io.values.written_problem` applies) and the signs of a target written
# where the actual value goes: a cell starting with one gets its own words there, so it is not "hopeless".
_SPACES = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
_SIGN_FIRST = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in _SPACES) + "]*[" + "".join(
    f"\\x{{{ord(c):x}}}" for c in TARGET_SIGNS) + "]"


def _hopeless(r: str, signs: bool) -> str:
    """A cell with neither a digit nor a % sign, not blank and (for an input, `signs`) not a target's sign: no
    number however it is tidied, and worded in SQL as the Python rule words it (`cells.parse_number`)."""
    sign = f" AND NOT regexp_matches({r}, {_lit(_SIGN_FIRST)})" if signs else ""
    return f"(trim({r}, {_lit(BLANKS)}) <> '' AND NOT regexp_matches({r}, '[0-9%％]'){sign})"


def _unusual(decimals: int, also: str = "") -> str:
    """The RE2 finding what makes a number cell DuckDB's cast has read (not NULL) other than the Python rule
    reads it: a character but digits, a sign and a point (DuckDB also takes blanks, +, 1e3 and 1_000), or more
    decimals than allowed (which DuckDB rounds; a rate's % ends the digits). `also`: characters let through
    (a rate's %, the 是/否 of an element). Without decimals any point is unusual (5. goes the slow way)."""
    point = f"|[.][0-9]{{{decimals + 1}}}" if decimals else ""
    return f"[^0-9{'.' if decimals else ''}{also}\\x1f-]{point}"


def _one_of(r: str, allowed: Sequence[str]) -> str:
    """A text cell empty or one of the allowed words."""
    words = ", ".join(_lit(word) for word in allowed)
    return f"({r} IS NULL OR {r} IN ({words}))" if allowed else f"{r} IS NULL"


def escape(text: str) -> str:
    """A problem's text with its newlines escaped: the problems of a row are joined by newlines, and a cell
    quoted in one may hold any character (ESC doubled, a newline as ESC n)."""
    return text.replace(ESC, ESC + ESC).replace("\n", ESC + "n")


def unescape(text: str) -> str:
    """One problem as `escape` wrote it, back as it was."""
    return re.sub(f"{ESC}(.)", lambda m: "\n" if m[1] == "n" else m[1], text, flags=re.S) if ESC in text else text


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _as_printed(figure: str, written: str) -> str:
    """A number cell written as DuckDB prints the value its cast read, but for trailing zeros: 842.29 as
    842.290000. Such a cell holds only digits, a point and a sign and no more decimals than the cast's scale,
    so it is canonical (what `_unusual` finds makes the printed value differ: a blank, +, 1e3, 1_000 and
    extra decimals, which the cast rounds). Cheaper in DuckDB than a regular expression; a canonical cell
    that fails it (007, .5) is judged by `canonical` instead."""
    return f"starts_with(CAST({figure} AS VARCHAR), {written})"


def _constant(value: Any) -> str:
    """A constant a figure is compared with, as a DECIMAL of its own digits: the comparison then stays within
    the figure's 64-bit integers, where a DECIMAL(38,10) would widen every cell to 128 bits."""
    text = decimal_text(Fraction(value) if not isinstance(value, Decimal) else value)
    scale = len(text.partition(".")[2])
    width = max(len(text.lstrip("-").replace(".", "")), scale + 1)
    if width > 18 or scale > 10:
        return _dec(value)
    return f"CAST({text} AS DECIMAL({width},{scale}))" if not text.startswith("-") else \
        f"CAST(({text}) AS DECIMAL({width},{scale}))"


def _dec(value: Any) -> str:
    text = decimal_text(Fraction(value) if not isinstance(value, Decimal) else value)
    return f"CAST({text} AS DECIMAL(38,10))" if not text.startswith("-") else f"CAST(({text}) AS DECIMAL(38,10))"


def _range_text(decl: ast.Input, low, high) -> str:
    def show(x):
        if decl.kind == "rate":
            return decimal_text(Fraction(x) * 100) + "%"
        return decimal_text(Fraction(x)) + (decl.unit or "")
    if low is not None and high is not None:
        return f"{show(low)}～{show(high)}"
    if low is not None:
        return f"不小于 {show(low)}"
    return f"不大于 {show(high)}"


__all__ = ["escape", "unescape", "validation_select"]
