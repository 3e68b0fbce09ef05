"""The evaluator's view: a form with one field per cell of the plan's unit table, read and scored as a
batch row is (idsl.engines.rows), so the page validates exactly as workbooks and batches do."""

from __future__ import annotations

from typing import Any

import attrs

from idsl.engines.python import score
from idsl.engines.rows import row_inputs
from idsl.engines.result import Result, plain, score_rate
from idsl.io.columns import UNIT, bound_column, error_column, recorded_columns, unit_columns
from idsl.io.inputs import Inputs, read_inputs
from idsl.io.tables import match_headers
from idsl.render.workbook_rows import SUMMARY_KINDS, sheet_rows
from idsl.semantics.bounded import split_bound
from idsl.semantics.model import Plan
from idsl.semantics.numbers import format_points

MAX_CELLS = 20000  # fields a request may carry
MAX_CELL_CHARS = 2000  # characters in one field (a 理由 is a paragraph at most)


class FormError(ValueError):
    """Fields the form cannot have sent (unknown names, too many, not text)."""


def form_rows(plan: Plan) -> list[dict]:
    """The form's rows in the workbook's order: what to enter, its kind, unit, what is allowed, and the
    names of its fields (a questionnaire row has one per option; summary rows a 记录得分 field only)."""
    recorded = {column.key: column.header for column in recorded_columns(plan)}
    tallies: dict[tuple[str, str, int], list[str]] = {}
    for column in unit_columns(plan):
        if column.kind == "tally":
            tallies.setdefault((column.key, column.name, column.index), []).append(column.header)
    rows = []
    for row in sheet_rows(plan):
        fields: list[str] = []
        if row.kind == "unit":
            fields = [UNIT]
        elif row.kind == "tally" and row.column is not None:
            fields = tallies.get((row.column.key, row.column.name, row.column.index), [])
        elif row.column is not None:
            fields = [row.column.header]
        rows.append({"kind": row.kind, "path": row.path, "field": row.field, "kind_text": row.kind_text,
                     "unit": row.unit, "allowed": row.allowed, "options": list(row.options), "fields": fields,
                     "level": row.level, "recorded": recorded.get(row.node_key or "") if row.kind in
                     SUMMARY_KINDS or row.kind in ("input", "item", "score", "none", "tally") else None})
        rows[-1]["note"] = row.node_key if row.kind in ("input", "item", "score", "none", "tally", "na") else None
    _once_per_node(rows, "recorded")
    _once_per_node(rows, "note")
    return rows


def _once_per_node(rows: list[dict], name: str) -> None:
    """A leaf with several rows gets its 记录得分 and 备注 fields on its first row only, as the workbook has them."""
    seen: set[str] = set()
    for row in rows:
        if row[name] in seen:
            row[name] = None
        elif row[name]:
            seen.add(row[name])


def checked_cells(plan: Plan, cells: Any) -> dict[str, str]:
    """The form's fields as text cells, refusing names the plan's table does not have."""
    if not isinstance(cells, dict):
        raise FormError("cells 应是一个对象：字段名 → 文字。")
    if len(cells) > MAX_CELLS:
        raise FormError(f"字段太多（{len(cells)}）。")
    known = {c.header for c in unit_columns(plan)} | {c.header for c in recorded_columns(plan)}
    unknown = [name for name in cells if name not in known]
    if unknown:
        raise FormError(f"体系里没有这些字段：{'、'.join(map(str, unknown[:5]))}。")
    checked = {}
    for name, value in cells.items():
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise FormError(f"字段“{name}”应是文字。")
        text = str(value)
        if len(text) > MAX_CELL_CHARS:
            raise FormError(f"字段“{name}”太长（超过 {MAX_CELL_CHARS} 字）。")
        checked[name] = text
    return checked


def checked_notes(notes: Any) -> dict[str, str]:
    """The evaluator's notes (indicator → text), appended to the 得分原因 as the input file's `notes` are."""
    if notes is None:
        return {}
    if not isinstance(notes, dict) or len(notes) > MAX_CELLS:
        raise FormError("notes 应是一个对象：指标 → 备注。")
    if not all(isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_CELL_CHARS for k, v in notes.items()):
        raise FormError(f"每条备注应是不超过 {MAX_CELL_CHARS} 字的文字。")
    return {key: text.strip() for key, text in notes.items() if text.strip()}


def score_form(plan: Plan, cells: dict[str, str], notes: dict[str, str] | None = None) -> tuple[Result, list[dict], Inputs]:
    """Score the form's cells (blank leaves are 未评) with the notes, and list every problem by field; the inputs
    read are returned too (a 自评表's filled Word table prints its 实际完成值 and 待填 figures from them)."""
    given = [name for name, text in cells.items() if text.strip()]
    recorded = [c.header for c in recorded_columns(plan) if c.header in given]
    layout = match_headers(plan, [c.header for c in unit_columns(plan)] + recorded)
    data, problems, covered = row_inputs(plan, layout, cells, allow_missing=True)
    if not (cells.get(UNIT) or "").strip():  # the unit's name is asked for, not required to see scores
        problems = [(column, message) for column, message in problems if column != UNIT]
        data["unit"] = None
    data["notes"] = notes or {}
    inputs = read_inputs(data)
    result = score(plan, inputs, allow_missing=True)
    headers = {c.header for c in layout.columns}
    found = [{"field": column, "message": message} for column, message in problems]
    for error in result.errors:
        if (error.path, error.field or "") in covered:
            continue
        found.append({"field": _field_of(error, headers), "message": error.message, "hint": error.hint,
                      "where": error.indicator})
    return result, found, as_entered(layout.columns, cells, inputs)


def as_entered(columns, cells: dict[str, str], inputs: Inputs) -> Inputs:
    """The inputs as the form prints them: an actual written as a bound (≥266米) as entered, as `idsl score
    --docx` prints an input file's; the scorer read the figure the bound shows met."""
    leaves = {key: dict(fields) for key, fields in inputs.leaves.items()}
    for column in columns:
        text = (cells.get(column.header) or "").strip()
        if column.in_part or column.key not in leaves or column.field not in leaves[column.key]:
            continue
        if split_bound(text) is not None and bound_column(column) is not None:
            leaves[column.key][column.field] = text
    return attrs.evolve(inputs, leaves=leaves)


def _field_of(error, headers: set[str]) -> str | None:
    """The form field an input error is about (its element's own field when it names one), None for the
    indicator as a whole."""
    column = error_column(error.path, error.field, headers, error.index)
    return column if column in headers else None


def result_data(plan: Plan, result: Result) -> dict:
    """What the evaluator's view shows: every row's score and reason, subtotals, total, grade, audit."""
    data = result.to_data()
    # named as in the report's summary table (汇总名称: 部门决策 for 决策), as `idsl score` names them
    data["level1"] = [{"name": result.label(row.name), "points": format_points(row.points), "score": plain(row.score),
                       "rate": plain(score_rate(row.score, row.points))} for row in result.nodes if row.level == 1]
    return data
