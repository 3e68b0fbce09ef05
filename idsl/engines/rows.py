"""One batch row and the interpreter: a row's cells as an input object (and back), scored by
`idsl.engines.python`, its result as a row of the results file."""

from __future__ import annotations

import bisect
from decimal import Decimal
from fractions import Fraction
from typing import Any

from idsl.engines import cellwords
from idsl.engines.cellwords import with_hint
from idsl.engines.cells import chosen_cell, is_rate, not_yes_no, parse_bool, parse_choice, parse_number, range_problem
from idsl.engines.differences import difference_places, written_difference
from idsl.engines.evaluate import peer_value
from idsl.engines.python import peer_values, score
from idsl.engines.sql import TOTAL_RANK, UNSCORED, UNSCORED_SEPARATOR, output_columns
from idsl.frontend.form import funds_sums
from idsl.io.excel import marked_cell
from idsl.io.columns import (CLASS_HEADER, GRADE, SHARED, TOTAL, Column, class_exempt, error_column, gate_columns,
                             grade_problem, unchosen, unit_columns)
from idsl.io.inputfile import MAX_NAME, long_unit
from idsl.io.inputs import PARTIAL_REASON, REASON_NEEDED, InputError, read_inputs
from idsl.io.series_json import flatten
from idsl.io.tables import Layout, strip
from idsl.semantics.applies import gate_fails
from idsl.semantics.model import Plan
from idsl.semantics.lower import CUT_REASONS
from idsl.semantics.numbers import half_up
from idsl.semantics.program import lower_program, rank_set

Problems = list[tuple[str, str]]  # (column header, message)


def score_cells(plan: Plan, layout: Layout, cells: dict[str, str | None], allow_missing: bool = False,
                peers: Peers | None = None) -> tuple[list[Any], Problems]:
    """One row with the interpreter: the output values (as `output_columns`, without 错误) or the problems
    (column, message). With `allow_missing`, a leaf with a blank cell is 未评, as in `idsl.score`.
    `peers` holds the batch's peer sets (`row_peer_values` of every row, sorted) when a rule compares units."""
    data, problems, _covered = row_inputs(plan, layout, cells, allow_missing)
    inputs = read_inputs(data)
    result = score(plan, inputs, allow_missing=allow_missing, peers=None if peers is None else peers.sets)
    headers = [c.header for c in layout.columns]
    # one problem per column and message: a blank 共用 input read by several leaves is one mistake
    found = list(dict.fromkeys((error_column(error.path, error.field, headers, error.index,
                                             lambda header: not strip(cells.get(header))),
                                with_hint(error.message, error.hint)) for error in result.errors))
    checks = cell_checks(plan) if found else ()  # (built for a row with errors alone)
    checked = _first_per_cell([(column, message) for column, message in found if message in checks], checks)
    if problems or checked:  # a row refused at its cells lists those and what DuckDB checks with them, not its
        # rules' failures (扣分须说明理由, a zero denominator, a score outside its grade): as the DuckDB engine, it
        # does not score it
        reported = {column for column, _message in problems}
        return [], problems + [(column, message) for column, message in checked if column not in reported]
    problems = found
    if problems:
        return [], problems
    ranks = peers.ranks(peer_values(plan, inputs)) if peers is not None else {}
    return _result_row(plan, layout, result, allow_missing, ranks), []


def cell_checks(plan: Plan) -> tuple[str, ...]:
    """The rule errors the DuckDB engine finds from a row's cells alone, before scoring it (`validation`), in the
    order it tries them on one cell: a 理由 that a judged score, an evaluator's cut or a part-scored element needs,
    and the 其中 rows of the funds."""
    cuts = (with_hint(message, None) for message in CUT_REASONS.values())
    funds = (with_hint(*f.message()) for f in funds_sums(plan.form))
    return tuple(dict.fromkeys([with_hint(*REASON_NEEDED), *cuts, with_hint(PARTIAL_REASON, None), *funds]))


def _first_per_cell(problems: list[tuple[str, str]], order: tuple[str, ...]) -> list[tuple[str, str]]:
    """One problem per cell, the one DuckDB's check of that cell tries first: a 理由 left blank that a judged part
    and a part-scored element both need is one mistake, listed once."""
    first: dict[str, str] = {}
    for column, message in sorted(problems, key=lambda problem: order.index(problem[1])):
        first.setdefault(column, message)
    return [(column, message) for column, message in problems if first[column] == message]


class Peers:
    """The batch's peer sets: each set's values over the units (ascending), and the set each 名次 column shows."""

    def __init__(self, plan: Plan, rows: list[dict[str, Fraction]]):
        program = lower_program(plan)
        self.sets: dict[str, list[Fraction]] = {p.name: sorted(r[p.name] for r in rows if p.name in r)
                                                for p in program.peers}
        self.shown = {key: rank_set(program.leaf(key)) for key in program.ranked()}

    def ranks(self, own: dict[str, Fraction]) -> dict[str, int]:
        """A unit's rank in each 名次 column (missing where it is not one of the set's peers)."""
        return {key: int(peer_value("rank", self.sets[name], own[name]))
                for key, name in self.shown.items() if name in own}


def row_peer_values(plan: Plan, layout: Layout, cells: dict[str, str | None],
                    allow_missing: bool = False) -> dict[str, Fraction] | None:
    """The batch's first pass over one row: its value in each peer set; None for a row with a problem."""
    data, problems, _covered = row_inputs(plan, layout, cells, allow_missing)
    if problems or (not allow_missing and _blank_cell(layout, cells)):
        return None  # a row the batch refuses (a blank is refused by the readers of both engines)
    return peer_values(plan, read_inputs(data))


def gated_out(layout: Layout, cells: dict[str, str | None]) -> set[str]:
    """The leaves a row's 适用 若 answers leave out (a blank or unreadable answer leaves none out)."""
    return {column.key for column, gate in gate_columns(layout.columns)
            if gate_fails(gate, parse_bool(strip(cells.get(column.header))))}


def class_exempted(layout: Layout, cells: dict[str, str | None]) -> set[str]:
    """按类别: the input columns the row's class (单位类别) leaves blank; none when the class is not given right."""
    column = next((c for c in layout.columns if c.header == CLASS_HEADER), None)
    given = parse_choice(column, strip(cells.get(CLASS_HEADER))) if column is not None else None
    return {c.header for c in layout.columns if given is not None and given in class_exempt(c)} if given else set()


_OPTIONAL = ("unit", "reason", "grade", "na", "recorded")  # the columns that may be left blank


def _blank_cell(layout: Layout, cells: dict[str, str | None]) -> bool:
    """Whether a cell the row needs is blank (one of a leaf marked 不适用 is not needed)."""
    excluded = {c.key for c in layout.columns if c.kind == "na" and parse_bool(strip(cells.get(c.header))) is True}
    excluded |= gated_out(layout, cells) | unchosen(layout.columns, lambda h: not strip(cells.get(h)))
    exempt = class_exempted(layout, cells)
    return any(not strip(cells.get(c.header)) for c in layout.columns
               if c.kind not in _OPTIONAL and c.key not in excluded
               and not (c.decl is not None and (c.decl.fill_mean or c.decl.blank_zero or c.decl.optional))
               and not c.named_where_read
               and c.header not in exempt)


def row_inputs(plan: Plan, layout: Layout, cells: dict[str, str | None],
               allow_missing: bool = False) -> tuple[dict, Problems, set]:
    """The input object (as read_inputs takes it) for one row, the cell problems found on the way, and
    the (path, field) pairs those problems already cover. With `allow_missing` a blank element or tally
    is left out (the interpreter then finds its leaf 未评) instead of being a problem."""
    return _RowReader(layout, cells, allow_missing).read()


class _RowReader:
    """A row's cells, column by column, into the object read_inputs takes."""

    def __init__(self, layout: Layout, cells: dict[str, str | None], allow_missing: bool = False):
        self.layout = layout
        self.cells = cells
        self.allow_missing = allow_missing
        self.leaves: dict[str, dict[str, Any]] = {}
        self.shared: dict[str, Any] = {}
        self.recorded: dict[str, Any] = {}
        self.problems: Problems = []
        self.covered: set[tuple[str, str]] = set()
        self.items: dict[tuple[str, str], dict[int, Any]] = {}  # (key, part) → element number → value
        self.item_counts: dict[tuple[str, str], int] = {}
        self.tallies: dict[tuple[str, str], dict[tuple[int, int], Any]] = {}  # (key, questionnaire) → grid
        self.tally_shape: dict[tuple[str, str], tuple[int, int]] = {}  # → (questions, options)
        self.not_applicable = {c.key for c in layout.columns
                               if c.kind == "na" and parse_bool(cells.get(c.header) or "") is True}
        # 适用 若: an answer that leaves the leaf out is read alone, its other cells not needed
        self.gated = gated_out(layout, cells) - self.not_applicable
        self.answers = {column.header for column, _gate in gate_columns(layout.columns)}
        self.unchosen = unchosen(layout.columns, lambda h: not strip(cells.get(h)))  # 择一: an alternative not given
        self.exempt = class_exempted(layout, cells)  # 按类别: inputs the unit's class does not need
        self.unit: str | None = None

    def read(self) -> tuple[dict, Problems, set]:
        for column in self.layout.columns:
            text = strip(self.cells.get(column.header))
            skipped = column.key in self.not_applicable or column.key in self.unchosen or (
                column.key in self.gated and column.header not in self.answers)
            if skipped and column.kind not in ("unit", "na", "recorded", "grade"):
                continue
            if column.header in self.exempt and not text:
                continue
            getattr(self, f"_{column.kind}")(column, text)
        for column, error in self.layout.strays:  # a 记录得分 naming no indicator: refused where it is given
            if strip(self.cells.get(column.header)):
                self.problem(column, with_hint(error.message, error.hint), "recorded")
        self._collect()
        inputs = dict(self.leaves, **({SHARED: self.shared} if self.shared else {}))
        return {"unit": self.unit, "inputs": inputs, "recorded": self.recorded}, self.problems, self.covered

    def problem(self, column: Column, message: str, field: str | None = None) -> None:
        """A cell's problem; `field` is what the interpreter would name it by (not reported twice)."""
        self.problems.append((column.header, message))
        if field is not None:
            self.covered.add((column.key, field))

    def target(self, column: Column) -> dict[str, Any]:
        if column.key == SHARED:
            return self.shared
        fields = self.leaves.setdefault(column.key, {})
        if column.in_part:
            return fields.setdefault(column.name, {})
        return fields

    # -- one cell, by its column's kind

    def _unit(self, column: Column, text: str) -> None:
        self.unit = text
        if not text:
            self.problem(column, "缺少单位名称。")
        elif len(text) > MAX_NAME:  # as a JSON input's "unit" (idsl.io.inputfile), under the same field
            self.problem(column, with_hint(*long_unit(len(text))), "unit")

    def _reason(self, column: Column, text: str) -> None:
        marked = marked_cell(text)  # a date where a reason goes is a slip, as the input workbook refuses it
        if marked is not None:
            self.problem(column, with_hint(*marked), "理由")
        elif text:
            self.target(column)["理由"] = text

    def _na(self, column: Column, text: str) -> None:
        flag = parse_bool(text) if text else False
        if flag is None:
            self.problem(column, not_yes_no(column, text), "不适用")
        elif flag:
            self.target(column)["不适用"] = True

    def _grade(self, column: Column, text: str) -> None:
        if text and (problem := grade_problem(text, self.layout.grades)):
            self.problem(column, with_hint(*problem), "recorded")
        elif text:
            self.recorded[GRADE] = text

    def _recorded(self, column: Column, text: str) -> None:
        if not text:
            return
        value, problem = parse_number(column, text)
        if problem:
            self.problem(column, problem)
        else:
            self.recorded[column.key] = value

    def _item(self, column: Column, text: str) -> None:
        group = (column.key, column.name)
        self.item_counts[group] = max(self.item_counts.get(group, 0), column.index)
        slot = self.items.setdefault(group, {})
        field = f"{column.name}.要素" if column.name else "要素"
        if not text:
            if not self.allow_missing:
                self.problem(column, cellwords.blank(column), field)
        elif parse_bool(text) is not None:
            slot[column.index] = text
        elif not column.partial:
            self.problem(column, not_yes_no(column, text), field)
        else:
            value = self.number(column, text, field)
            if value is not None:
                slot[column.index] = value

    def _tally(self, column: Column, text: str) -> None:
        group = (column.key, column.name)
        questions, options = self.tally_shape.get(group, (0, 0))
        self.tally_shape[group] = (max(questions, column.index), max(options, column.option + 1))
        grid = self.tallies.setdefault(group, {})
        if not text:  # a 共用 questionnaire's count: named by the interpreter where a leaf reads it
            if not self.allow_missing and not column.named_where_read:
                self.problem(column, cellwords.blank(column), column.name)
            return
        value = self.number(column, text, column.name)
        if value is not None:
            grid[(column.index, column.option)] = value

    def _input(self, column: Column, text: str) -> None:
        """An input (or, via _score, a discretionary score), checked cell by cell as the DuckDB engine's
        check does (`idsl.engines.validation`), in the same words (`idsl.engines.cellwords`)."""
        field = column.field.split(".")[-1] if column.kind == "score" or column.in_part else column.field
        named = f"{SHARED}.{field}" if column.key == SHARED else column.field if column.kind == "input" else field
        decl = column.decl
        if not text:
            # A blank 共用 input is named by the interpreter where a leaf reads it, as by the scoring query.
            blank_allowed = decl is not None and (decl.fill_mean or decl.blank_zero or decl.optional)
            if not self.allow_missing and not blank_allowed and not column.named_where_read:
                self.problem(column, cellwords.blank(column), named)
            return
        if column.several_chosen:  # 任选's 选用: its names, as the SQL's check writes them
            chosen, problem = chosen_cell(column, text)
            if problem is not None:
                self.problem(column, problem, named)
            self.target(column)[field] = chosen
            return
        if column.kind == "score" or (decl is not None and decl.kind not in ("bool", "choice")):
            value = self.number(column, text, named)
            if value is not None:
                # A rate's figure goes on with its %: the cell was read already, 0.98% is no bare 0.98.
                self.target(column)[field] = f"{format(value, 'f')}%" if is_rate(column) else value
        elif decl.kind == "bool" and parse_bool(text) is None:
            self.problem(column, not_yes_no(column, text), named)
        else:
            label = parse_choice(column, text) if decl.kind == "choice" else None
            if decl.kind == "choice" and label is None:
                self.problem(column, cellwords.not_option(column, text), named)
            # 择一's 选用 goes on by its name (a letter B is 阶段性验收, as the SQL's check reads it); a tier as
            # written, even when refused: it decides whether a reason is due
            self.target(column)[field] = label if label is not None and column.pool_choice else text

    def number(self, column: Column, text: str, field: str) -> Decimal | None:
        """A numeric cell's figure, or None once its problem is reported: not a number, then out of range."""
        value, problem = parse_number(column, text)
        if problem is None:
            problem = range_problem(column, value)
        if problem:
            self.problem(column, problem, field)
            return None
        return value

    _score = _input

    def _collect(self) -> None:
        """Checklists and questionnaires whose every cell was read, as the lists the JSON holds."""
        for group, slot in self.items.items():
            count = self.item_counts[group]
            if len(slot) == count:
                key, part = group
                fields = self.leaves.setdefault(key, {})
                (fields.setdefault(part, {}) if part else fields)["要素"] = [slot[i] for i in range(1, count + 1)]
        for group, grid in self.tallies.items():
            questions, options = self.tally_shape[group]
            if len(grid) == questions * options:
                key, name = group
                rows = [[grid[(q, o)] for o in range(options)] for q in range(1, questions + 1)]
                (self.shared if key == SHARED else self.leaves.setdefault(key, {}))[name] = rows
        for key in self.not_applicable:
            self.leaves[key] = {"不适用": True}


def _result_row(plan: Plan, layout: Layout, result, allow_missing: bool = False,
                ranks: dict[str, int] | None = None) -> list[Any]:
    places = plan.places
    rows = {row.path: row for row in result.nodes}
    out: list[Any] = [result.unit or ""]
    out += [_q(rows[node.path].score, plan.places_of(node)) for node in plan.leaves()]  # 小数 N 位 of a leaf
    items = {item.path: item for block in result.blocks for item in block.items}
    out += [_q(items[item.path].score, places) for _block, item in plan.items()]
    out += [_q(rows[node.path].score, places) for node in plan.nodes]
    out += [_q(block.total, places) for block in result.blocks]
    out += [_q(result.total, places), result.grade] + [value for _name, value in result.consequences]
    out += [None] if plan.rank_total else []  # 总分名次: filled in once every unit is scored (`rank_totals`)
    out += [(ranks or {}).get(key) for key in lower_program(plan).ranked()]
    if allow_missing:  # the leaves and items left 未评, as the SQL engine lists them
        unscored = [n.key for n in plan.leaves() if rows[n.path].status == "missing"]
        unscored += [i.key for _b, i in plan.items() if items[i.path].status == "missing"]
        out.append(UNSCORED_SEPARATOR.join(unscored) or None)
    differences = {d.key: d for d in result.audit}
    for key in layout.audit:
        d = differences.get(key)
        if d is None or d.difference is None and key != GRADE:
            out.append(None)
        elif key == GRADE:
            out.append(str(d.recorded))
        else:
            out.append(written_difference(d.difference, difference_places(plan, key)))
    return out


def rank_totals(plan: Plan, rows: list[list[Any]], allow_missing: bool = False) -> None:
    """Fill each result row's 总分名次: 1 + the number of units with a larger total, among the units whose
    total is complete (none of its leaves 未评)."""
    names = output_columns(plan, (), allow_missing)  # a row's values start with 单位, as these names do
    at, total = names.index(TOTAL_RANK), names.index(TOTAL)
    unscored = names.index(UNSCORED) if allow_missing else None
    ranked = [row for row in rows if row[total] is not None and (unscored is None or row[unscored] is None)]
    totals = sorted(row[total] for row in ranked)
    for row in ranked:
        row[at] = 1 + len(totals) - bisect.bisect_right(totals, row[total])


def _q(value: Decimal | None, places: int) -> Decimal | None:
    return None if value is None else half_up(value, places)


# ---------------------------------------------------------------- the other way: JSON to a row


def row_from_json(plan: Plan, data: dict, audit: bool = False) -> dict[str, str]:
    """One batch row (header → cell text) holding what an input JSON object holds (as read with
    idsl.semantics.numbers.loads). Handy to move a unit scored one at a time into a batch.

    >>> from idsl.engines.example import example_plan
    >>> row_from_json(example_plan(), {"unit": "甲局", "inputs": {"重点支出安排率": {"重点项目支出": 75, "项目总支出": 100}}})
    {'单位': '甲局', '决策/重点支出安排率.重点项目支出': '75', '决策/重点支出安排率.项目总支出': '100'}
    """
    by_node = _fields_by_node(plan, data.get("inputs") or {})
    recorded = _recorded_by_key(plan, data.get("recorded") or {})
    row: dict[str, str] = {}
    for column in unit_columns(plan, audit=audit):
        if column.kind == "unit":
            row[column.header] = str(data.get("unit") or "")
        elif column.kind in ("recorded", "grade"):
            if column.key in recorded:
                row[column.header] = _cell_text(recorded[column.key])
        else:
            text = _field_text(column, by_node.get(column.key) or {})
            if text is not None:
                row[column.header] = text
    return row


def _fields_by_node(plan: Plan, inputs: dict) -> dict[str, dict]:
    by_node: dict[str, dict] = {}
    for key, fields in inputs.items():
        if key in (SHARED, "shared"):
            by_node[SHARED] = fields if isinstance(fields, dict) else {}  # null: nothing given
            continue
        node = plan.find(key)
        if node is not None and isinstance(fields, dict):
            by_node[node.key] = flatten(node.leaf.own_inputs, fields)[0] if node.leaf is not None else fields
    return by_node


def _recorded_by_key(plan: Plan, given: dict) -> dict[str, Any]:
    recorded = {}
    for key, value in given.items():
        if key in (GRADE, "grade", "评价等级"):
            recorded[GRADE] = value
        elif key in ("总分", "total", "合计", "评价得分"):
            recorded[TOTAL] = value
        elif any(block.name == key for block in plan.adjustments):
            recorded[key] = value
        else:
            node = plan.find(key)
            if node is not None:
                recorded[node.key] = value
    return recorded


def _field_text(column: Column, fields: dict) -> str | None:
    """The cell a column gets from its indicator's JSON object, None when the object does not give it."""
    if column.in_part and isinstance(fields.get(column.name), dict):
        fields = fields[column.name]
    if fields.get("不适用") is True and column.kind != "na":
        return None
    if column.kind == "item":
        items = fields.get("要素") or fields.get("items")
        ok = isinstance(items, list) and len(items) >= column.index
        return _cell_text(items[column.index - 1]) if ok else None
    if column.kind == "score":
        given = "得分" in fields or "score" in fields
        return _cell_text(fields.get("得分", fields.get("score"))) if given else None
    if column.kind == "reason":
        reason = fields.get("理由") or fields.get("reason")
        return str(reason) if reason else None
    if column.kind == "na":
        return "是" if fields.get("不适用") is True else None
    if column.kind == "tally":
        grid = fields.get(column.name)
        row = grid[column.index - 1] if isinstance(grid, list) and len(grid) >= column.index else None
        ok = isinstance(row, list) and len(row) > column.option  # a question left blank (null): blank cells
        return _cell_text(row[column.option]) if ok else None
    field = column.field.split(".")[-1] if column.in_part else column.field
    if column.several_chosen and isinstance(fields.get(field), list):  # 任选's 选用: the names in one cell
        return "、".join(_cell_text(name) for name in fields[field])
    return _cell_text(fields[field]) if field in fields else None


def _cell_text(value: Any) -> str:
    if value is None:  # null: the cell left empty
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


__all__ = ["Peers", "rank_totals", "row_from_json", "row_inputs", "row_peer_values", "score_cells"]
