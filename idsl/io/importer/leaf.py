"""What a 评分标准 text defines around its rule, and the rule drafted from it."""

from __future__ import annotations

from decimal import Decimal

import attrs


@attrs.frozen
class Drafted:
    """A rule read from a text: its kind (as the summary counts it) and its idsl lines under the leaf."""

    kind: str  # 要素, 得分, 分档, 偏离, 按项扣分, 选择, 酌情, 定性, 目标, 分项, 趋势
    lines: tuple[str, ...]  # inputs, questionnaires, quantities, special cases and the rule, indented from 0


@attrs.define
class Leaf:
    """What the sentences around the rule define: quantities, questionnaires, special cases, 不适用."""

    points: Decimal | None
    kind: str  # score, penalty or bonus
    name: str
    derived: list[tuple[str, str]] = attrs.Factory(list)
    questionnaires: list[tuple[str, list[str], int]] = attrs.Factory(list)  # name, options, questions
    specials: list[str] = attrs.Factory(list)
    not_applicable: str = ""
    reason_below: bool = False  # 扣分的，须说明扣分理由
    declared: set[str] = attrs.Factory(set)  # names the rule declares itself (a choice's input)
    inputs: list[str] = attrs.Factory(list)  # input lines the rule needs beyond the guessed ones
    uses: list[str] = attrs.Factory(list)  # the expressions and conditions whose names are inputs unless defined
    bare: set[str] = attrs.Factory(set)  # names standing alone as a condition (yes/no inputs)
    adjusts: list[str] = attrs.Factory(list)  # the lines after the rule: 另扣, 另加, 酌情扣分 (§11.12)
    counted: dict[str, str] = attrs.Factory(dict)  # band subjects whose numbers carry a counting word: their kind
    text: str = ""  # the whole 评分标准, where a count of none (无违规) finds the count it names (违规次数)
    missing: list[str] = attrs.Factory(list)  # inputs a table may lack (可缺): 无…数据的，本项得满分
    nodata: str = ""  # the award where they are missing, as `无数据时` writes it
    series: dict[str, tuple[str, int, int]] = attrs.Factory(dict)  # 支出进度按2022—2024年逐年填列: 年度, 2022, 2024
    kept: bool = False  # the rule reads part of the text only (notes around it): the text stays as 评分标准
