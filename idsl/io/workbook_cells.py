"""The input workbook's cells and its 输入 sheet's reader, shared by the readers of both layouts
(idsl.io.workbook for the 输入 sheet, idsl.io.workbook_form for the 自评表 laid out as 附1)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from idsl.frontend import ast
from idsl.io.columns import GRADE, SHARED, unit_columns
from idsl.io.excel import DATE_CELL, DATE_HINT, UNCALCULATED, cell_decimal, error_value
from idsl.io.inputs import InputError, Inputs, read_inputs
from idsl.io.points_words import read_score
from idsl.semantics.model import Plan
from idsl.semantics.numbers import decimal_text

INPUT_SHEET = "输入"
FORM_SHEET = "自评表"  # the input workbook of a spec with a 自评表 block: the form laid out as 附1 (io.workbook_form)
STANDARD_SHEET = "评分标准"
LISTS_SHEET = "选项"
HEADERS = ("指标", "输入", "种类", "单位", "可填")
VALUE = "值"
NOTE = "备注"
RECORD = "记录得分"
KEY = "键"  # the hidden column that ties a row to the plan
_VALUE_ROWS = ("unit", "input", "item", "score", "reason", "na", "tally")  # rows with value cells, read by _<kind>


def key_text(kind: str, path: str, field: str, question: int | None = None) -> str:
    """The hidden key of a row: what it holds, for whom (a questionnaire row also names its question)."""
    return "\t".join([kind, path, field] + ([str(question)] if question is not None else []))


@attrs.frozen
class WorkbookInputs(Inputs):
    """Inputs read from a workbook, with where each field was (to name cells in messages)."""

    cells: dict[tuple[str, str], str] = attrs.field(factory=dict)  # (indicator path, field) → its cell on 输入 ("F12")
    sheet: str = INPUT_SHEET  # the sheet those cells are on (输入, or 自评表 for the form)


def _unreadable(path: Path, message: str) -> WorkbookInputs:
    return WorkbookInputs(errors=(InputError("", None, message),), origin=str(path), unreadable=True)


class _SheetReader:
    """The 输入 sheet, row by row, into the object `read_inputs` takes."""

    def __init__(self, plan: Plan, cells: "_Cells", columns: dict[str, int]):
        self.plan = plan
        self.cells = cells
        self.value_col, self.note_col = columns[VALUE], columns[NOTE]
        self.record_col, self.key_col = columns[RECORD], columns[KEY]
        self.inputs = {(c.key, c.field): c for c in unit_columns(plan) if c.kind == "input" and c.decl is not None}
        self.leaves: dict[str, dict[str, Any]] = {}
        self.shared: dict[str, Any] = {}
        self.notes: dict[str, list[str]] = {}
        self.recorded: dict[str, tuple[Any, str]] = {}  # key → (value, cell)
        self.items: dict[tuple[str, str], dict[int, Any]] = {}  # (path, part) → element number → value
        self.tallies: dict[tuple[str, str], dict[int, list[Any]]] = {}  # (path, questionnaire) → question → counts
        self.blank_tallies: dict[tuple[str, str], str] = {}  # (path, questionnaire) → its first blank count's cell
        self.unit: str | None = None

    def read(self, path: Path) -> WorkbookInputs:
        for number in range(2, self.cells.sheet.max_row + 1):
            self.row(number)
        inputs = read_inputs(self.data(), origin=str(path))
        return WorkbookInputs(inputs.leaves, inputs.shared, inputs.notes, inputs.recorded, inputs.spec, inputs.unit,
                              tuple(self.cells.errors) + inputs.errors, str(path), cells=dict(self.cells.where_is),
                              sheet=self.cells.name)

    def row(self, number: int) -> None:
        key = self.cells.sheet.cell(number, self.key_col).value
        if not key:
            return
        kind, path_key, field, *rest = str(key).split("\t") + [""]
        node_key = path_key if kind != "unit" and path_key != SHARED else None
        self.note(number, node_key)
        self.record(number, kind, node_key)
        if kind in _VALUE_ROWS:
            target = self.shared if path_key == SHARED else self.leaves.setdefault(path_key, {})
            getattr(self, f"_{kind}")(number, path_key, field, target, rest[0])

    def note(self, number: int, node_key: str | None) -> None:
        note = self.cells.text(number, self.note_col, node_key or "", "notes")
        if note and node_key:
            self.notes.setdefault(node_key, []).append(note)

    def record(self, number: int, kind: str, node_key: str | None, col: int | None = None) -> None:
        """The row's 记录得分 (its recorded grade for the 等级 row), in `col` where a layout puts it elsewhere."""
        col = col or self.record_col
        value = self.cells.value(number, col, node_key or "", "recorded")
        if value is None or not node_key:
            return
        self.cells.where_is[(node_key, "recorded")] = self.cells.coordinate(number, col)
        where = self.cells.where(number, col)
        if kind == "grade":  # checked against the spec's grades by the audit, as a JSON file's (columns.grade_problem)
            self.recorded[GRADE] = (str(value), where)
            return
        number_value, problem = read_score(score_cell(value, self.cells.percent(number, col)), judged=False)
        if number_value is None:
            self.cells.error(number, col, problem[0], node_key, "recorded", hint=problem[1])
        elif node_key in self.recorded and self.recorded[node_key][0] != number_value:
            self.cells.error(number, col, f"与 {self.recorded[node_key][1]} 记录的得分不同。", node_key, "recorded")
        else:
            self.recorded[node_key] = (number_value, where)

    # -- one row's value cell(s), by the row's kind

    def _unit(self, number: int, path_key: str, field: str, target: dict, _rest: str) -> None:
        cell = self.cells.value(number, self.value_col, path_key, field)
        self.unit = str(cell).strip() if cell is not None else None

    def _input(self, number: int, path_key: str, field: str, target: dict, _rest: str) -> None:
        cell = self.value_at(number, path_key, field)
        column = self.inputs.get((path_key, field))
        if cell is not None and column is not None:
            value = _typed(column.decl, cell, self.cells.percent(number, self.value_col))
            if column.in_part:  # 评级's 等级 of one part: in the part's own object, beside its 得分
                target.setdefault(column.name, {})[column.decl.name] = value
            else:
                target[field] = value

    def _item(self, number: int, path_key: str, field: str, target: dict, _rest: str) -> None:
        owner, _, element = field.rpartition(".")
        index = int(element.removeprefix("要素"))
        items = f"{owner}.要素" if owner else "要素"  # the field as the binder names it, with the element's index
        cell = self.value_at(number, path_key, items, index)
        self.cells.where_is.setdefault((path_key, items), self.cells.coordinate(number, self.value_col))
        self.items.setdefault((path_key, owner), {})[index] = _item_value(cell)

    def _score(self, number: int, path_key: str, field: str, target: dict, _rest: str) -> None:
        owner, _, _name = field.rpartition(".")
        cell = self.value_at(number, path_key, field)
        if cell is not None:  # read as the JSON file's 得分 is (io.points_words.read_score)
            (target.setdefault(owner, {}) if owner else target)["得分"] = \
                score_cell(cell, self.cells.percent(number, self.value_col))

    def _reason(self, number: int, path_key: str, field: str, target: dict, _rest: str) -> None:
        cell = self.value_at(number, path_key, "理由")
        if cell is not None and str(cell).strip():
            target["理由"] = str(cell).strip()

    def _na(self, number: int, path_key: str, field: str, target: dict, _rest: str) -> None:
        cell = self.value_at(number, path_key, "不适用")
        if cell is not None and str(cell).strip() not in ("", "否"):
            target["不适用"] = True if str(cell).strip() == "是" else str(cell).strip()

    def _tally(self, number: int, path_key: str, field: str, target: dict, question: str) -> None:
        index = int(question or 0)
        self.cells.where_is.setdefault((path_key, field), self.cells.coordinate(number, self.value_col))
        self.cells.where_is[(path_key, f"{field}.第{index}题")] = self.cells.coordinate(number, self.value_col)
        counts = []
        for k in range(_tally_width(self.plan, path_key, field)):
            cell = self.cells.value(number, self.value_col + k, path_key, field, index)
            if cell is None:
                self.blank_tallies.setdefault((path_key, field), self.cells.coordinate(number, self.value_col + k))
            value = cell_decimal(cell) if cell is not None else None
            counts.append(None if cell is None else (value if value is not None else str(cell)))
        self.tallies.setdefault((path_key, field), {})[index] = counts

    def value_at(self, number: int, path_key: str, field: str, index: int | None = None) -> Any:
        """The row's value cell, remembered as where (path, field) — or its element — was given."""
        at = f"{field}{index}" if index is not None else field
        self.cells.where_is[(path_key, at)] = self.cells.coordinate(number, self.value_col)
        return self.cells.value(number, self.value_col, path_key, field, index)

    # -- the object read_inputs takes

    def data(self) -> dict:
        self._collect_items()
        self._collect_tallies()
        data = {"unit": self.unit, "inputs": {k: v for k, v in self.leaves.items() if v},
                "notes": {k: "；".join(v) for k, v in self.notes.items()},
                "recorded": {k: v for k, (v, _w) in self.recorded.items()}}
        if self.shared:
            data["inputs"][SHARED] = self.shared
        return data

    def _collect_items(self) -> None:
        """Each checklist's 要素 list, a blank element as None: the binder reads a list not given in full as the
        field not given, as in JSON (缺少输入, or 未评 with --allow-missing); none given leaves the field out."""
        for (path_key, owner), found in self.items.items():
            if all(v is None for v in found.values()):
                continue
            values = [found.get(i) for i in range(1, max(found) + 1)]
            items = f"{owner}.要素" if owner else "要素"
            blank = next((i for i, v in enumerate(values, start=1) if v is None), None)
            first_blank = self.cells.where_is.get((path_key, f"{items}{blank}"))
            if first_blank is not None:  # the field's error is named at its first blank element
                self.cells.where_is[(path_key, items)] = first_blank
            target = self.leaves.setdefault(path_key, {})
            (target.setdefault(owner, {}) if owner else target)["要素"] = values

    def _collect_tallies(self) -> None:
        """Each questionnaire's counts, a blank count as None (the questionnaire not given in full, as in JSON);
        a grid left blank throughout leaves it out."""
        for (path_key, name), grid in self.tallies.items():
            if all(count is None for row in grid.values() for count in row):
                continue
            first_blank = self.blank_tallies.get((path_key, name))
            if first_blank is not None:  # the questionnaire's error is named at its first blank count
                self.cells.where_is[(path_key, name)] = first_blank
            target = self.shared if path_key == SHARED else self.leaves.setdefault(path_key, {})
            target[name] = [grid[q] for q in sorted(grid)]


def _tally_width(plan: Plan, path_key: str, name: str) -> int:
    """How many options the questionnaire has (value cells per question row)."""
    return sum(1 for column in unit_columns(plan)
               if column.kind == "tally" and column.key == path_key and column.name == name and column.index == 1)


class _Cells:
    """Cell access with the rules of the module doc, collecting errors by cell."""

    def __init__(self, sheet, formulas, name: str = INPUT_SHEET):
        from openpyxl.utils import get_column_letter  # deliberately lazy: openpyxl is slow to import

        self.sheet, self.name = sheet, name
        self.formulas = formulas
        self.letter = get_column_letter
        self.errors: list[InputError] = []
        self.where_is: dict[tuple[str, str], str] = {}  # (path, field) → its cell ("F12")

    def coordinate(self, row: int, col: int) -> str:
        return f"{self.letter(col)}{row}"

    def where(self, row: int, col: int) -> str:
        return f"{self.name}!{self.coordinate(row, col)}"

    def error(self, row: int, col: int, message: str, path: str = "", field: str | None = None,
              index: int | None = None, hint: str | None = None) -> None:
        self.errors.append(InputError(path, field, message, hint, index=index, sheet=self.name,
                                      cell=self.coordinate(row, col)))

    def value(self, row: int, col: int, path: str = "", field: str | None = None, index: int | None = None) -> Any:
        """The cell's value (its cached value for a formula), None when empty; problems recorded as about
        (path, field, index)."""
        owner = (path, field, index)
        cell = self.sheet.cell(row, col)
        formula = self.formulas.cell(row, col)
        value = cell.value
        if formula.data_type == "f" or (isinstance(formula.value, str) and formula.value.startswith("=")):
            if value is None:
                self.error(row, col, UNCALCULATED, *owner)
                return None
        if cell.data_type == "e":
            self.error(row, col, error_value(str(value)), *owner)
            return None
        if isinstance(value, str) and not value.strip():
            return None
        if hasattr(value, "year"):
            self.error(row, col, DATE_CELL, *owner, hint=DATE_HINT)
            return None
        return value

    def text(self, row: int, col: int, path: str = "", field: str | None = None) -> str | None:
        value = self.value(row, col, path, field)
        return str(value).strip() if value is not None else None

    def percent(self, row: int, col: int) -> bool:
        return "%" in (self.sheet.cell(row, col).number_format or "")


def score_cell(value: Any, percent_format: bool) -> Any:
    """A judged or recorded score's cell as a JSON file gives it: a number exact, text as typed; a percent-formatted
    number (90% typed into the cell, held as 0.9) as "90%", which is no score, rather than 0.9 points."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = cell_decimal(value)
        return decimal_text(number * 100) + "%" if percent_format else number
    return str(value).strip() if isinstance(value, str) else value


def _typed(decl: ast.Input, value: Any, percent_format: bool) -> Any:
    """A cell's value as the JSON reader takes it: numbers exact (a percent-formatted cell holding 0.8967
    is "89.67%", for any input: a batch's cell_text reads it so), text as text."""
    if isinstance(value, bool):  # TRUE is 是 only where 是/否 is asked; elsewhere a JSON file's true
        return ("是" if value else "否") if decl.kind == "bool" else value
    if isinstance(value, (int, float)):
        number = cell_decimal(value)
        if percent_format:  # 90% typed into a count's cell is held as 0.9: read as typed, which only a rate takes
            return decimal_text(number * 100) + "%"
        return number
    return str(value).strip()


def _item_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return cell_decimal(value)
    return str(value).strip()
