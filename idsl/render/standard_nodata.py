"""The 评分标准 sentence of a 无数据时 line (§11.15): 无上年支出数据的，本项得满分。"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from idsl.semantics.model import LeafPlan
from idsl.semantics.numbers import format_points


def nodata_line(leaf: LeafPlan, tail: str, outcome: Callable[[Decimal | None], str],
                names_in: Callable[[object], set[str]]) -> str:
    """无上年支出数据的，本项得满分。 (…由评价人在1～3分之间酌情给分，须说明理由。 …本指标不适用，予以剔除，…);
    '' where the leaf has no line or reads no 可缺 input. `tail` says how a leaf left out counts, `outcome`
    words a fixed award, `names_in` finds the names a rule reads."""
    nodata = leaf.nodata
    missing = _optional_read(leaf, names_in)
    if nodata is None or not missing:
        return ""
    where = f"无{'、'.join(missing)}数据的，"
    if nodata.outcome == "na":
        return f"{where}本指标不适用，{tail}"
    if nodata.outcome == "discretion":
        return f"{where}由评价人在{format_points(nodata.low)}～{format_points(nodata.high)}分之间酌情给分，须说明理由。"
    return f"{where}{outcome(nodata.points)}。"


def _optional_read(leaf: LeafPlan, names_in: Callable[[object], set[str]]) -> list[str]:
    """The 可缺 inputs a leaf's line covers, in declaration order: those its rule reads, and (a leaf of 分项)
    those its parts read without a 无数据时 line of their own."""
    wanted = names_in((leaf.rule, leaf.specials, tuple(d.expr for d in leaf.derived)))
    names = [d.name for d in leaf.inputs if d.optional and d.name in wanted]
    for part in leaf.parts:
        if part.leaf.nodata is None:
            names += [n for n in _optional_read(part.leaf, names_in) if n not in names]
    return names


__all__ = ["nodata_line"]
