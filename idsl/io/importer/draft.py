"""The idsl draft written from a table read: header, tree, blocks and layout, each leaf's rule or its placeholder."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import attrs

from idsl.check import check
from idsl.diagnostics import SpecError
from idsl.frontend.printer_text import quote_name
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.importer.cells import Place
from idsl.io.importer.grades import grade_lines
from idsl.io.importer.layout import DraftBlock, DraftNode, RowFigure, TableRead, digits
from idsl.io.importer.rules import Drafted, draft_rule
from idsl.semantics.numbers import format_points

PLACEHOLDER = "待定"
_CANONICAL = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "points": "分值",
              "explanation": "指标解释", "standard": "评分标准", "reason": "得分原因", "score": "得分"}
_KNOWN_TITLES = {"一级指标", "二级指标", "三级指标", "分值", "权重", "指标解释", "指标说明", "评分标准", "得分原因",
                 "扣分原因", "得分", "自评分数", "评分"}
_DEFAULT_COLUMNS = ("一级指标", "二级指标", "三级指标", "指标解释", "评分标准", "得分原因", "得分")
_ROW_ORDER = ("小计", "逆向指标", "合计", "等级")
_REJECT = re.compile(r"E1|E2|E409|E410")  # what a guessed declaration or a misread text causes


@attrs.frozen
class Draft:
    """The draft spec and what was read into it."""

    text: str  # the idsl source
    where: str  # which table of the file
    leaves: int  # leaves and penalty/bonus items read
    kinds: dict[str, int]  # rules recognised, by kind (要素, 分档 …)
    placeholders: tuple[tuple[str, ...], ...]  # paths of the leaves whose text is kept for a rule still to write
    scores: tuple[RecordedScore, ...] = ()  # the score cell of each indicator and item, in table order
    figures: tuple[RowFigure, ...] = ()  # … and of the 小计 / 合计 / 等级 rows


@attrs.frozen
class RecordedScore:
    """An indicator's or item's score as the table records it, named as the draft names the indicator."""

    path: tuple[str, ...]  # the indicator's path in the draft (a penalty or bonus item: its block's name, its own)
    key: str  # what names it in a recorded-scores file: its bare name where unique, else its path joined by /
    kind: str  # "score" (a leaf), "branch" (a level-1 or level-2 indicator), "penalty" or "bonus" (an item)
    points: Decimal | None  # the indicator's points, an item's cap
    text: str  # the score cell as printed, "" when blank
    row: Place  # the row it was read from


def write_draft(table: TableRead, source_name: str) -> Draft:
    """The idsl text of a table read (see `import_table`)."""
    writer = _Writer()
    roots = list(table.nodes)
    total = table.total
    _resolve(roots, total)
    level1 = [n.points for n in roots]
    if total is None and all(p is not None for p in level1):
        total = sum(level1, Decimal(0))
    lines = [f"# 草稿：由 idsl import 从 {source_name}（{table.where}）生成，请逐项核对。",
             (f"# 评分标准未能识别为规则的末级指标标为“{PLACEHOLDER}”：原文保留在“评分标准”中，"
              "idsl check 以 E406 一一列出，补写规则后即可评分。")]
    title, layout_title = _titles(table.title, source_name)
    lines.append(f'体系 {_quoted(title)}' + (f" 总分 {format_points(total)}" if total is not None else ""))
    lines.extend(grade_lines(table.grades, total))
    lines.append("")
    for node in roots:
        writer.node(node, 0, (), lines)
    for block in table.blocks:
        lines.append("")
        writer.block(block, lines)
    lines.extend(_layout(table, layout_title))
    return Draft("\n".join(lines) + "\n", table.where, writer.leaves, dict(writer.kinds), tuple(writer.placeholders),
                 writer.scores(), table.figures)


def _resolve(nodes: list[DraftNode], parent: Decimal | None) -> None:
    """Points written as a percentage of the parent's made absolute; a blank branch given its children's sum."""
    if parent is None and nodes and all(n.percent for n in nodes):
        parent = Decimal(100)
    for node in nodes:
        if node.percent and node.points is not None and parent is not None:
            node.points = node.points * parent / 100
            node.percent = False
        _resolve(node.children, node.points)
        if node.points is None and node.children and all(c.points is not None for c in node.children):
            node.points = sum((c.points for c in node.children), Decimal(0))


def _titles(found: str, source_name: str) -> tuple[str, str]:
    """The 体系 title, and the 表格 title when the table's own title line cannot be derived from it."""
    title = " ".join(found.split()) or source_name.rsplit(".", 1)[0]
    if title.endswith("指标体系及评分表") and len(title) > len("指标体系及评分表"):
        return title[:-len("指标体系及评分表")], ""
    return title, (title if found else "")


def _layout(table: TableRead, title: str) -> list[str]:
    columns = [(kind, t) for kind, t in table.columns if kind in _CANONICAL]
    titles = tuple(t for _, t in columns)
    rows = [row for row in _ROW_ORDER if row in table.extra_rows]
    if titles == _DEFAULT_COLUMNS and not rows and not title:
        return []
    out = ["", "表格"]
    if title:
        out.append(f"  标题 {_quoted(title)}")
    out.append("  列 " + "、".join(t if t in _KNOWN_TITLES else f"{_quoted(t)} = {_CANONICAL[k]}" for k, t in columns))
    if rows:
        out.append("  行 " + "、".join(rows))
    return out


# An ASCII comma, semicolon or colon in a Chinese text (1. 比率≤3%的,得2分;); not a comma grouping digits (1,000).
_FULL_WIDTH = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|[;:]")
_WIDE = {",": "，", ";": "；", ":": "："}


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "”") + '"'


def _name(text: str) -> str:
    """An indicator name as idsl accepts it: path separators (E207) and straight quotes replaced, quoted if need be."""
    return quote_name(_bare_name(text))


def _bare_name(text: str) -> str:
    """The name the draft gives an indicator, before quoting."""
    for mark in ("/", "／", "›", ">"):
        text = text.replace(mark, "、")
    return text.replace('"', "”").strip() or "未命名指标"


def _free(text: str) -> str:
    """Free text on one line (解释, 评分标准): the cell's lines run together."""
    flat = "".join(line.strip() for line in text.splitlines())
    return flat.lstrip('"') if flat.startswith('"') else flat


def _for_reading(text: str) -> str:
    """A text as the rules are read from it: ASCII digits, no blanks inside a line (the published tables
    space out numbers: “符合得 1 分”), * as ×, and the ASCII , ; : of a Chinese text as ，；： (a comma grouping
    digits, 1,000, stays). The draft keeps the original text where a rule is not read.

    >>> _for_reading("1. 比率≤3%的,得2分; 2. 3%<比率≤10%的,得1分。其中:金额1,000万元")
    '1.比率≤3%的，得2分；2.3%<比率≤10%的，得1分。其中：金额1,000万元'
    """
    lines = (re.sub(r"[ \t\u3000]+", "", line) for line in digits(text).splitlines())
    read = "\n".join(line for line in lines if line).replace("*", "×")
    return _FULL_WIDTH.sub(lambda found: _WIDE[found.group()], read)


class _Writer:
    def __init__(self):
        self.leaves = 0
        self.kinds: Counter = Counter()
        self.placeholders: list[tuple[str, ...]] = []
        self.names: Counter = Counter()  # every name written: a score's key is its bare name only where unique
        self.recorded: list[tuple[tuple[str, ...], str, DraftNode]] = []  # (path in the draft, kind, node)

    def scores(self) -> tuple[RecordedScore, ...]:
        """The score cell of every indicator and item, in table order (blank where the table records none)."""
        return tuple(RecordedScore(path, path[-1] if self.names[path[-1]] == 1 else "/".join(path), kind, node.points,
                                   node.recorded, node.row)
                     for path, kind, node in self.recorded)

    def written(self, node: DraftNode, path: tuple[str, ...], kind: str) -> None:
        """Keep an indicator's or item's place in the draft for its recorded score."""
        self.recorded.append((path, kind, node))

    def node(self, node: DraftNode, depth: int, path: tuple[str, ...], lines: list[str],
             drafted: tuple[str, ...] = ()) -> None:
        """An indicator and its subtree; `path` as the table names it, `drafted` as the draft does."""
        pad = "  " * depth
        points = f"（{format_points(node.points)}）" if node.points is not None else ""
        lines.extend(f"{pad}# {conflict}" for conflict in node.conflicts)
        lines.append(f"{pad}{_name(node.name)}{points}")
        self.names[_bare_name(node.name)] += 1
        path, drafted = path + (node.name,), drafted + (_bare_name(node.name),)
        if node.children:
            self.written(node, drafted, "branch")  # a score on its own row: the table's subtotal of its children
            for child in node.children:
                self.node(child, depth + 1, path, lines, drafted)
            return
        self.written(node, drafted, "score")
        self.leaf(node, pad + "  ", path, lines, "score")

    def block(self, block: DraftBlock, lines: list[str]) -> None:
        if block.kind == "mixed":
            self.mixed_block(block, lines)
            return
        keyword = "加分项" if block.kind == "bonus" else "逆向指标"
        named = "" if block.name in ("逆向指标", "加分项") else f" {_quoted(block.name)}"
        points = f"（{format_points(block.points)}）" if block.points else ""
        lines.append(f"{keyword}{named}{points}")
        self.names[block.name.replace('"', "”")] += 1
        for item in block.items:
            item_points = f"（{format_points(item.points)}）" if item.points is not None else ""
            lines.append(f"  {_name(item.name)}{item_points}")
            self.names[_bare_name(item.name)] += 1
            self.written(item, (block.name.replace('"', "”"), _bare_name(item.name)), block.kind)
            self.leaf(item, "    ", (block.name, item.name), lines, block.kind)

    def mixed_block(self, block: DraftBlock, lines: list[str]) -> None:
        """A 加减分项: idsl adds in a 加分项 and deducts in a 扣分项, so its items go to one or the other by what
        their text does (an item doing both to the 扣分项, left to write)."""
        adding = [i for i in block.items if _additions(_for_reading(i.standard))
                  and not _deductions(_for_reading(i.standard))]
        parts = [("bonus", "加分", adding), ("penalty", "扣分", [i for i in block.items if i not in adding])]
        cap = f"，原表的上限 {format_points(block.points)} 分两块各写一次，请核对" if block.points else ""
        lines.append(f"# 原表的「{block.name}」既加分又扣分：按各项的评分标准拆成加分项、扣分项两块{cap}。")
        for kind, word, items in parts:
            if items:
                if kind == "penalty" and adding:
                    lines.append("")
                self.block(DraftBlock(f"{block.name}（{word}）", kind, block.points, items), lines)

    def leaf(self, node: DraftNode, pad: str, path: tuple[str, ...], lines: list[str], kind: str) -> None:
        self.leaves += 1
        explanation, drafted = _rule_in_explanation(node, kind)
        if explanation:
            lines.append(f"{pad}解释 {explanation}")
        standard = _for_reading(node.standard)
        contradiction = _contradiction(standard, kind)
        if drafted is None and not contradiction:
            drafted = draft_rule(standard, node.points, kind, node.name, _for_reading(node.target))
        if drafted is not None and _valid(drafted, node.points, kind):
            self.kinds[drafted.kind] += 1
            lines.extend(pad + line for line in drafted.lines)
            return
        self.placeholders.append(path)
        text = _free(node.standard) or (f"年度指标值 {_free(node.target)}" if node.target else
                                        "（表中没有评分标准，指标说明见上面的“解释”）" if explanation else "（表中没有评分标准）")
        lines.append(f"{pad}# {PLACEHOLDER}：{contradiction or '评分标准未能识别为规则'}，原文如下；请据此写出规则。")
        lines.append(f"{pad}评分标准 {text}")


def _rule_in_explanation(node: DraftNode, kind: str) -> tuple[str, Drafted | None]:
    """The leaf's 解释, and the rule its last sentences state when the 评分标准 cell is blank (a 逆向指标 item
    written whole in the 指标说明 column: “①…②…。按实际情况酌情扣分处理，上限10分。”); the sentences before it stay
    the 解释. None when no ending of the text reads as a rule: the text is then all 解释."""
    explanation = _free(node.explanation)
    if node.standard.strip() or node.target.strip() or not explanation:
        return explanation, None
    sentences = [s + "。" for s in explanation.rstrip("。").split("。")]
    for start in range(len(sentences) - 1, -1, -1):
        rule = _for_reading("".join(sentences[start:]))
        if _contradiction(rule, kind):
            return explanation, None
        drafted = draft_rule(rule, node.points, kind, node.name)
        if drafted is not None and _valid(drafted, node.points, kind):
            return "".join(sentences[:start]), drafted
    return explanation, None


def _contradiction(text: str, kind: str) -> str:
    """What an item's text does against its block (a 加分项 that deducts, a 逆向指标 that adds), or ''. Read as
    the block's own direction, 扣1分 in a 加分项 would add the point it takes away, and 加1分 in a 逆向指标 deduct it."""
    deductions, additions = _deductions(text), _additions(text)
    if kind == "bonus" and deductions:
        return (f"加分项只加分，这一项的评分标准却写着{'、'.join(deductions)}，与加分项自相矛盾"
                "（扣分的情形可写进逆向指标）")
    if kind == "penalty" and additions and deductions:
        return (f"这一项既加分又扣分（{'、'.join(additions + deductions)}）；加分写进加分项、扣分写进逆向指标，"
                "请把它拆成两项")
    if kind == "penalty" and additions:
        return (f"逆向指标只扣分，这一项的评分标准却写着{'、'.join(additions)}，与逆向指标自相矛盾"
                "（加分的情形可写进加分项）")
    return ""


def _deductions(text: str) -> list[str]:
    """The deductions an item's text writes (扣1分, 酌情扣分, 扣完为止; 不扣分 and a block's name 扣分项 are none),
    each once.

    >>> _deductions("受到通报批评的，扣1分"), _deductions("获得表彰的，加1分；受到批评的，扣0.5分"), _deductions("不扣分。")
    (['扣1分'], ['扣0.5分'], [])
    """
    return list(dict.fromkeys(re.findall(r"(?<!不)扣(?:\d+(?:\.\d+)?)?分(?![项指])|扣完为止", text)))


def _additions(text: str) -> list[str]:
    """The additions an item's text writes (加1分, 酌情加分; 不加分 and a block's name 加分项 are none), each once.

    >>> _additions("获得省级表彰的，加1分；不符合的，不加分。"), _additions("计入加分项"), _additions("不扣分。")
    (['加1分'], [], [])
    """
    return list(dict.fromkeys(re.findall(r"(?<!不)加(?:\d+(?:\.\d+)?)?分(?![项指])", text)))


def _valid(drafted: Drafted, points: Decimal | None, kind: str) -> bool:
    """Whether a drafted rule parses and declares what it uses: a misread text becomes a placeholder instead."""
    value = format_points(points) if points is not None else "10"
    body = "\n".join("    " + line for line in drafted.lines)
    if kind == "score":
        text = f'体系 "草稿" 总分 {value}\n甲（{value}）\n  乙（{value}）\n{body}\n'
    else:
        block = "加分项" if kind == "bonus" else "逆向指标"
        text = f'体系 "草稿" 总分 1\n甲（1）\n  乙（1）\n    酌情\n{block}\n  丙（{value}）\n{body}\n'
    try:
        loaded = load_text(Source("草稿.idsl", text))
    except SpecError:
        return False
    if loaded.spec is None or any(_REJECT.match(d.code) for d in loaded.diagnostics):
        return False
    return not any(_REJECT.match(d.code) for d in check(loaded))


__all__ = ["PLACEHOLDER", "Draft", "RecordedScore", "write_draft"]
