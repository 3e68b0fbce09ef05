"""A filled 项目支出绩效自评表 (财预〔2020〕10号 附1) read from a table into a spec with a 自评表 block.

The table is found by its rows, not by a header of indicator levels: 项目名称, 主管部门/实施单位, the funds
block under 年初预算数/全年预算数/全年执行数, 年度总体目标, then the indicator rows under 一级指标 … 偏差原因分析及
改进措施, and 总分. Each 年度指标值 becomes a `目标` rule (≥735人次, =100%, ≤75元), a `定性` one, or the rule a scoring
standard of one value states (101号's satisfaction bands); the
actuals and scores of the table become a worked example (`示例`), so `idsl test` says whether the rules give
the table's scores. A row whose 年度指标值 names the rows below it (下设各项得分之和：…, 二者择其一：…) is their
parent, as idsl writes it: a level-3 indicator over level-4 ones, or a pool's (择一, 任选, 取最高); a figure in
brackets, （10）, is one such a row counts. A table of the 衔接资金 postings (分值 before 年度指标值, 全年实际值, no 年初预算数
column, no 上年结转资金 row) is told by its funds header and read back with `表式 衔接资金`.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from idsl.frontend import ast
from idsl.io.importer.cells import Grid
from idsl.io.importer.draft import _name
from idsl.io.importer.layout import digits, split_name
from idsl.io.importer.leaf import Drafted
from idsl.io.importer.rules import draft_rule
from idsl.frontend.form import row_label
from idsl.io.importer.phrases import NUM, target_kind
from idsl.limits import DEFAULT_PLACES, MAX_PLACES
from idsl.semantics.bounded import split_bound
from idsl.semantics.numbers import format_points

INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
ACTUAL_TITLES = ("实际完成值", "全年实际值")  # 附1's, 衔接资金's
FUNDS_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
GOAL_TITLES = (("预期目标", "实际完成情况"), ("年初设定目标", "年度总体目标完成情况综述"))  # 附1's, 衔接资金's
TIERS = ("达成", "部分达成", "未达成")
# 年度指标值 of a parent row (docx_form.branch_text): what its score is made of, then its indicators' names
_PARENT = re.compile(r"(?:下设各项得分之和|二者择其一|\d+项择其一|\d+项任选(?P<any>\d+)项|\d+项取得分最高的(?P<best>\d+)项)"
                     r"：(?P<names>.+)")


@attrs.frozen
class FormLeaf:
    path: tuple[str, ...]  # (一级, 二级[, 三级])
    points: Decimal | None
    target: str  # 年度指标值 as printed
    actual: str  # 实际完成值 as printed
    score: str  # 得分 as printed
    reason: str  # 偏差原因分析及改进措施


@attrs.frozen
class FormParent:
    """A row above indicators of its own: its path (the level-2 indicator's own for a pool of it), its pool line
    (择一, 任选 k 项, 取最高 k 项; None for a sum of level-4 indicators), and the 选用 and score the table gives."""

    path: tuple[str, ...]
    pool: str | None
    chosen: str
    score: str


def form_grid(grids: list[Grid]) -> Grid | None:
    """The first table laid out as 附1 (or its 衔接资金 variant): a 项目名称 row, a funds header and an indicator header."""
    for grid in grids:
        texts = {cell.strip() for row in grid.rows for cell in row}
        if "项目名称" in texts and _indicator_header(texts) and any(_titled(t, "全年执行数") for t in texts):
            return grid
    return None


def _indicator_header(cells) -> bool:
    return set(INDICATOR_HEADER) - {ACTUAL_TITLES[0]} <= set(cells) and any(t in cells for t in ACTUAL_TITLES)


def _titled(cell: str, title: str) -> bool:
    """Whether a header cell is that column's: its title, or its title with a mark, 全年预算数（A）, 执行率（B/A）."""
    return cell == title or (cell.startswith(title) and cell[len(title):len(title) + 1] in ("（", "("))


def _row_name(cell: str) -> str:
    """A funds row's label as the spec names the row: 其中：本年财政拨款 → 当年财政拨款, 年度资金总额： → 年度资金总额."""
    name = re.sub(r"^其中[：:]?", "", cell).rstrip("：:").strip()
    return next((row for row in ast.FUNDS_ROWS if row_label(ast.STYLE_XIANJIE, row) == name), name)


class _Form:
    """The table's rows read into the form's parts."""

    def __init__(self, grid: Grid):
        self.rows = [tuple(cell.strip() for cell in row) for row in grid.rows]
        self.project = self.after("项目名称")
        self.department = self.after("主管部门")
        self.implementer = self.after("实施单位")
        self.expected, self.achieved = self.goals()
        self.unit, self.funds, self.rate_points, self.rate_score = self.read_funds()
        rows, self.total = self.read_indicators()
        self.leaves, self.parents = _nest(rows)

    def after(self, label: str) -> str:
        """The text of the cell right of a label (the next cell holding something else)."""
        for row in self.rows:
            if label in row:
                rest = [c for c in row[row.index(label):] if c != label]
                return rest[0] if rest else ""
        return ""

    def goals(self) -> tuple[str, str]:
        for number, row in enumerate(self.rows[:-1]):
            for expected, achieved in GOAL_TITLES:
                if expected in row and achieved in row:
                    below = self.rows[number + 1]
                    return below[row.index(expected)], below[row.index(achieved)]
        return "", ""

    def read_funds(self):
        head = next(i for i, row in enumerate(self.rows) if any(_titled(c, "全年执行数") for c in row))
        header = self.rows[head]
        found = re.search(r"[（(](.+?)[）)]", header[0])
        unit = found.group(1) if found else "万元"
        at = {name: next(i for i, c in enumerate(header) if _titled(c, name))
              for name in FUNDS_HEADER if any(_titled(c, name) for c in header)}
        # no 年初预算数 column: the 衔接资金 form, written back with its 表式
        self.style = ast.STYLE_ANNEX if "年初预算数" in at else ast.STYLE_XIANJIE
        columns = [column for column in ast.FUNDS_COLUMNS if column in at]
        funds, points, score = [], None, None
        total = ["—"] * len(columns)  # the total's figures, once read
        for row in self.rows[head + 1:head + 1 + len(ast.FUNDS_ROWS)]:
            name = next((n for n in ast.FUNDS_ROWS if any(_row_name(c) == n for c in row[:3])), None)
            if name is None:
                break
            cells = [row[at[column]] for column in columns]
            if name == ast.FUNDS_ROWS[0]:
                points, score = _number(row[at["分值"]]), row[at["得分"]]
                total = [_figure(cell, True) for cell in cells]
                funds.append((name, total))
            elif any(cells):  # a 其中 row left blank throughout is not given, as a blank header field is not
                # a part's blank cell is to fill as the total's is, but not under a total of none (E420)
                funds.append((name, [_figure(cell, figure != "—") for cell, figure in zip(cells, total)]))
        return unit, funds, points, score

    def read_indicators(self) -> tuple[list[FormLeaf], tuple[str, str]]:
        head = next(i for i, row in enumerate(self.rows) if _indicator_header(row))
        header = self.rows[head]
        at = {name: header.index(name) for name in INDICATOR_HEADER if name in header}
        at["实际完成值"] = next(header.index(t) for t in ACTUAL_TITLES if t in header)
        reason_at = len(header) - 1
        leaves, total = [], ("", "")
        for row in self.rows[head + 1:]:
            if row[0] == "总分":
                total = (row[at["分值"]], row[at["得分"]])
                break
            names = [row[at[level]] for level in INDICATOR_HEADER[:3]]
            if not names[0]:
                continue
            path = tuple(n for n in names if n)
            if len(path) > 1 and path[-1] == path[-2]:  # a level-2 leaf merged across 三级
                path = path[:-1]
            if not any(row[at[column]] for column in INDICATOR_HEADER[3:]):
                continue  # a row the posting prints empty: a 二级指标 without indicators (经济效益指标), ……
            leaves.append(FormLeaf(path, _number(row[at["分值"]]), row[at["年度指标值"]], row[at["实际完成值"]],
                                   row[at["得分"]], row[reason_at] if reason_at not in at.values() else ""))
        return leaves, total


def _nest(rows: list[FormLeaf]) -> tuple[list[FormLeaf], list[FormParent]]:
    """The rows as leaves under the parents the table shows above them (paths made longer), and those parents."""
    leaves: list[FormLeaf] = []
    parents: list[FormParent] = []
    at = 0
    while at < len(rows):
        at = _take(rows, at, rows[at].path[:-1], leaves, parents)
    return leaves, parents


def _take(rows: list[FormLeaf], at: int, above: tuple[str, ...], leaves: list, parents: list) -> int:
    """The row at `at` under the path `above`, with the rows of its own indicators when it is a parent; the index
    of the row after them."""
    row = rows[at]
    found = _PARENT.fullmatch(row.target)
    names = found.group("names").split("、") if found else []
    if not names or at + 1 >= len(rows) or _plain(rows[at + 1].path[-1]) != names[0]:
        leaves.append(attrs.evolve(row, path=(*above, row.path[-1])))
        return at + 1
    name = _plain(row.path[-1])
    path = _parent_path(above, name, rows[at + 1].path[:-1], row.points)
    parents.append(FormParent(path, _pool_line(found), row.actual, row.score))
    at += 1
    for child in names:
        if at >= len(rows) or _plain(rows[at].path[-1]) != child:
            break
        at = _take(rows, at, path, leaves, parents)
    return at


def _parent_path(above: tuple[str, ...], name: str, first_child: tuple[str, ...],
                 points: Decimal | None) -> tuple[str, ...]:
    """The path of a parent row named `name` under the level cells `above`, told by its first child's row: a pool of
    the 一级 or 二级指标 itself (named in its own level cell alone, the cells to its right blank; a form written
    before that named a 二级指标's pool again in 三级), or a level-3 indicator of its own over the rows below."""
    if first_child[:-1] == above and _plain(first_child[-1]) == name:
        return first_child
    if len(above) == 2 and _plain(above[-1]) == name:
        return above
    return (*above, name + (f"（{format_points(points)}）" if points is not None else ""))


def _pool_line(found: re.Match) -> str | None:
    """The spec's line for the pool a parent row names: 择一, 任选 k 项, 取最高 k 项; None for a sum."""
    if found.group(0).startswith("下设各项得分之和"):
        return None
    if found.group("any"):
        return f"任选 {found.group('any')} 项"
    if found.group("best"):
        return f"取最高 {found.group('best')} 项"
    return "择一"


def _plain(cell: str) -> str:
    return split_name(cell)[0]


def _figure(text: str, to_fill: bool) -> str:
    """A funds figure as the spec writes it: a number, — for none, and 待填 for a blank cell `to_fill`: one of
    年度资金总额 (the blank form's figure the evaluator gives, without which 执行率 cannot be had), or of a 其中 row
    with figures of its own where the total's is no — (a 其中 row blank throughout is left out)."""
    text = digits(text).replace(",", "").strip()
    if to_fill and not text:
        return "待填"
    return text if re.fullmatch(NUM, text) else "—"


def _number(text: str) -> Decimal | None:
    """A figure of the table; one in brackets, （10）, is one a row above counts."""
    text = _unbracketed(digits(text).replace(",", "").strip())
    return Decimal(text) if re.fullmatch(NUM, text) else None


def form_draft(grid: Grid, source_name: str) -> tuple[str, int, dict[str, int], list[tuple[str, ...]]]:
    """The spec of a filled 附1 table: its text, the leaves read, the rules recognised by kind, the leaves left
    as placeholders (their 年度指标值 kept in 评分标准)."""
    form = _Form(grid)
    xianjie = form.style == ast.STYLE_XIANJIE
    total = _number(form.total[0])
    heading = "绩效目标自评表" if xianjie else "项目支出绩效自评表"
    title = grid.title if grid.title and not grid.title.startswith("被评价单位") else f"{form.project}{heading}"
    places = _draft_places(form)
    kind = "绩效目标自评表（衔接资金）" if xianjie else "项目支出绩效自评表（财预〔2020〕10号 附1）"
    lines = [f"# 草稿：由 idsl import 从 {source_name} 的{kind}生成，请逐项核对。",
             "# 预算执行率按 执行率 × 分值 计分（执行率以 100% 为限）；用 101号 区间赋分的，改写这一条。",
             f'体系 "{title.replace(chr(34), "”")}"' + (f" 总分 {format_points(total)}" if total is not None else "")]
    if places is not None:
        shown = f"最多 {places[1]} 位小数" if places[1] else "都是整数"
        lines += [f"# 表上不印小数位数：所印得分{shown}，按 {places[0]} 位计分；原体系另有规定的，改这一行。",
                  f"小数 {places[0]} 位"]
    lines += ["", "自评表"] + (["  表式 衔接资金"] if xianjie else [])
    lines += [f"  {label}：{text}" for label, text in (("项目名称", form.project), ("主管部门", form.department),
                                                     ("实施单位", form.implementer)) if text]
    lines.append(f"  项目资金（{form.unit}）")
    lines += [f"    {row_label(form.style, name)}：{'、'.join(figures)}" for name, figures in form.funds]
    points = f"（{format_points(form.rate_points)}）" if form.rate_points is not None else ""
    lines += [f"  预算执行率{points}", "    得分 = min(执行率, 100%) × 分值"]
    if form.expected or form.achieved:
        lines += ["  年度总体目标", f"    预期目标：{form.expected}", f"    实际完成情况：{form.achieved}"]
    writer = _Leaves(form)
    writer.count("得分")  # 预算执行率's
    lines += writer.tree()
    lines += writer.example()
    return "\n".join(lines) + "\n", len(form.leaves) + 1, dict(writer.kinds), writer.placeholders


def _unbracketed(text: str) -> str:
    found = re.fullmatch(r"[（(](.*)[）)]", text.strip())
    return found.group(1).strip() if found else text.strip()


def _score(text: str) -> str | None:
    """A score the table prints as a number (one in brackets too); None for a blank, 未选用, 未评 or 不适用 — no score
    a worked example can expect."""
    text = _unbracketed(digits(text).replace(",", ""))
    return text if re.fullmatch(NUM, text) else None


def _draft_places(form: _Form) -> tuple[int, int] | None:
    """小数 N 位 of the draft and the most decimals a printed score shows; None for a table with no score printed.

    A guess: the form prints scores without trailing zeros (9.50 as 9.5) and 财预〔2020〕10号 fixes no decimals, so
    the decimals a score shows are only the least the table was scored to. The draft keeps idsl's default (2, the
    usual 保留两位小数) unless a score shows more: taking the most shown (1 for a table whose scores end in .5)
    would round the other inputs a user gives to fewer places than the original did."""
    shown = [_places(leaf.score) for leaf in form.leaves if _score(leaf.score) is not None]
    shown += [_places(text) for text in (form.rate_score or "", form.total[1]) if _score(text) is not None]
    return (min(max(DEFAULT_PLACES, *shown), MAX_PLACES), max(shown)) if shown else None


def _places(text: str) -> int:
    found = re.fullmatch(r"-?\d+\.(\d+)", _unbracketed(digits(text)))
    return len(found.group(1).rstrip("0")) if found else 0


class _Leaves:
    """The indicator tree with each leaf's rule, and the worked example of the table's actuals and scores."""

    def __init__(self, form: _Form):
        self.form = form
        self.kinds: dict[str, int] = {}
        self.placeholders: list[tuple[str, ...]] = []
        self.sets: list[str] = []
        self.expects: list[str] = []
        self.parents = {parent.path: parent for parent in form.parents}
        # a target's input is named as the column the form prints its value in: the form prints no other name
        self.actual = ACTUAL_TITLES[1] if form.style == ast.STYLE_XIANJIE else ACTUAL_TITLES[0]

    def tree(self) -> list[str]:
        lines: list[str] = []
        shown: list[str] = []
        for leaf in self.form.leaves:
            for depth, cell in enumerate(leaf.path[:-1]):
                if len(shown) <= depth or shown[depth] != cell:
                    del shown[depth:]
                    shown.append(cell)
                    lines += ([""] if depth == 0 else []) + [f"{'  ' * depth}{self.level_name(leaf.path[:depth + 1])}"]
                    lines += self.parent(leaf.path[:depth + 1], "  " * (depth + 1))
            del shown[len(leaf.path) - 1:]
            lines += self.leaf(leaf, "  " * (len(leaf.path) - 1))
        return lines

    def level_name(self, path: tuple[str, ...]) -> str:
        """A level cell as an indicator line; one printed without points (衔接资金's 二级指标) gets the sum of the
        rows under it, as the 分值 column adds up."""
        cell = path[-1]
        if split_name(cell)[1] is not None:
            return _cell_name(cell)
        under = [leaf.points for leaf in self.form.leaves if leaf.path[:len(path)] == path]
        if not under or any(points is None for points in under) or any(p in self.parents for p in self._below(path)):
            return _cell_name(cell)
        return _cell_name(cell) + f"（{format_points(sum(under, Decimal(0)))}）"

    def _below(self, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The parent rows under a level cell (their alternatives' points are not all counted)."""
        return [p for p in self.parents if p[:len(path)] == path]

    def leaf(self, leaf: FormLeaf, pad: str) -> list[str]:
        name, _points, _share = split_name(leaf.path[-1])
        points = f"（{format_points(leaf.points)}）" if leaf.points is not None else ""
        written = " ".join(leaf.target.split())  # a 年度指标值 of lines (101号's satisfaction bands) on one line
        lines = [f"{pad}{_cell_name(name)}{points}", f"{pad}  解释 年度指标值 {written or '（未填）'}。"]
        target = target_kind(digits(leaf.target).replace(" ", "")) if leaf.target != "定性" else None
        leaf = attrs.evolve(leaf, actual=_compared(leaf.actual)) if leaf.target == "定性" or target else leaf
        if leaf.target == "定性":
            lines += [f"{pad}  输入 档次：选项 {'/'.join(TIERS)}", f"{pad}  定性 档次"]
            self.count("定性")
            if leaf.actual:
                self.sets.append(f"  设 {_ref(name)}.档次 = {leaf.actual}")
            if _score(leaf.score) is not None:  # an alternative's score in brackets; 未选用 is none
                self.sets.append(f"  设 {_ref(name)} = {_score(leaf.score)}")
        elif target is not None:
            comparison, kind = target
            lines += [f"{pad}  输入 {self.actual}：{kind}", f"{pad}  目标 {self.actual} {comparison}"]
            self.count("目标")
            if leaf.actual:
                self.sets += _actual_sets(_ref(name), leaf.actual)
        elif (drafted := _one_value_rule(leaf, name)) is not None:
            lines += [f"{pad}  {line}" for line in drafted.lines]
            self.count(drafted.kind)
            if leaf.actual:
                self.sets.append(f"  设 {_ref(name)} = {_quantity(leaf.actual)}")
        else:
            self.placeholders.append(tuple(split_name(p)[0] for p in leaf.path))
            lines += [f"{pad}  # 待定：年度指标值未能识别为规则，原文如下；请据此写出规则。",
                      f"{pad}  评分标准 {written or '（表中没有年度指标值）'}"]
            return lines
        if _score(leaf.score) is not None:
            self.expects.append(f"  期望 {_ref(name)} = {_score(leaf.score)}")
        return lines

    def parent(self, path: tuple[str, ...], pad: str) -> list[str]:
        """A parent row's pool line under its name; its 选用 and score into the worked example."""
        parent = self.parents.get(path)
        if parent is None:
            return []
        name = _ref(_plain(path[-1]))
        if parent.chosen:
            self.sets.append(f"  设 {name}.选用 = {parent.chosen}")
        if _score(parent.score) is not None:
            self.expects.append(f"  期望 {name} = {_score(parent.score)}")
        return [f"{pad}{parent.pool}"] if parent.pool else []

    def count(self, kind: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def example(self) -> list[str]:
        """The table's actuals and scores as a worked example: `idsl test` checks the rules give them."""
        if not (self.sets or self.expects) or self.placeholders:
            return []
        lines = ["", "示例 自评表原表"] + self.sets
        if _score(self.form.rate_score or "") is not None:
            lines.append(f"  期望 预算执行率 = {_score(self.form.rate_score)}")
        lines += self.expects
        if _score(self.form.total[1]) is not None:
            lines.append(f"  期望 总分 = {_score(self.form.total[1])}")
        return lines


def _compared(actual: str) -> str:
    """The value a target (or 定性 leaf) compares, printed first in its 实际完成值 cell, the leaf's other inputs given
    following it named (30处；超额调减：2分): inputs the draft has not (the form prints no bound of a cut)."""
    parts = [part.strip() for part in actual.split("；")]
    named = [bool(re.fullmatch(r"[^：]+：[^：]+", part)) for part in parts]
    if len(parts) > 1 and all(named[1:]):
        return "" if named[0] else parts[0]  # all named: the compared value was not given
    return actual


def _one_value_rule(leaf: FormLeaf, name: str) -> Drafted | None:
    """The rule a 年度指标值 states as a scoring standard (101号's satisfaction bands, as the form prints them), read
    as a scoring table's is, where it scores one value: the one the 实际完成值 column holds."""
    drafted = draft_rule(leaf.target, leaf.points, "score", name)
    if drafted is None or drafted.kind == "分项":
        return None
    inputs = [line for line in drafted.lines if line.startswith("输入 ")]
    return drafted if len(inputs) == 1 and "，" not in inputs[0] else None


def _cell_name(text: str) -> str:
    """A level cell as an indicator line: 产出指标（50） stays so; the name made safe as idsl writes names."""
    name, points, _share = split_name(text)
    return _name(name) + (f"（{format_points(points)}）" if points is not None else "")


def _ref(name: str) -> str:
    return _name(name)


def _actual_sets(name: str, actual: str) -> list[str]:
    """An actual as the worked example sets it. One printed as a bound (≥266米) is set to the bound's figure, with the
    printed text above it: a worked example takes numbers, and a bound scores as its figure where it shows the target
    met (elsewhere it is no score at all, which the evaluator's input then says)."""
    bound = split_bound(digits(actual))
    if bound is None:
        return [f"  设 {name} = {_quantity(actual)}"]
    return [f"  # 表上的全年实际值 {actual.strip()}：只知{'下限' if bound[0] in ('>=', '>') else '上限'}，这里写其界值",
            f"  设 {name} = {_quantity(bound[2])}"]


def _quantity(text: str) -> str:
    """An actual as a worked example writes it: 735人次 → 735 人次, 98% as is."""
    text = digits(text).replace(",", "").strip()
    found = re.fullmatch(rf"({NUM})\s*([^\d\s%]+)", text)
    return f"{found.group(1)} {found.group(2)}" if found else text


__all__ = ["FormLeaf", "FormParent", "form_draft", "form_grid"]
