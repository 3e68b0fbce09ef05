"""无数据时 in the equivalence generator (grammar/README.md §11.15): which figures a leaf reads may be missing
(可缺, a year series as a whole), what the leaf does then — a fixed award, the evaluator's 无数据得分 within a
range (酌情, with a 理由), or 不适用 — and how the oracle scores a unit that leaves such a figure blank.

Drawn on plain leaves, leaves with 另扣/另加/酌情扣分 (the lines move the 无数据时 award as any result), the
alternatives of 择一/任选/取最高 (never 不适用 there: E444) and leaves reading a 可缺 共用 input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction as F
from typing import Any

from hypothesis import strategies as st
from spec_gen import BLANK, REASONED_CUTS, Decl, SharedUnavailable, finite, fmt, pick

NODATA_SCORE = "无数据得分"  # the evaluator's score of a leaf whose figure is missing (无数据时 酌情)


@dataclass
class NoData:
    """A leaf's 无数据时 line: what it does when a 可缺 figure it reads is blank."""

    outcome: str  # 'points' (得 N 分, 得满分, 不得分), 'discretion' (酌情 low～high 分) or 'na' (不适用)
    text: str  # the line as written
    value: F | None = None  # 'points': the award (None: the full points)
    low: F = F(0)  # 'discretion': the range of 无数据得分
    high: F = F(0)


class JudgedScoreMissing(SharedUnavailable):
    """A figure is blank and so is the 无数据得分 that should score it: the leaf cannot be scored (未评 with
    allow_missing, as a blank 共用 input the evaluation reaches)."""


ADJUSTING = ("另扣", "另加", "酌情扣分", "also-deduct", "also-add", "discretionary-cut")  # lines after the rule


def readable(rule) -> list[list[Decl]]:
    """The figures a rule reads that may be declared 可缺, each a group declared together: one input, or the
    members of a year series (a sub-project left blank is 0, not missing: §7.1). Not those only the lines
    after the rule read (另扣, 另加: 无数据时 does not cover them, E426)."""
    lines = [line for line in rule.lines if not line.startswith(ADJUSTING)]
    written = "\n".join(lines + [e.text for _n, e in rule.derived])
    groups: dict[str, list[Decl]] = {}
    for decl in rule.decls:
        if not decl.numeric or decl.name in REASONED_CUTS:
            continue
        if decl.series is not None and decl.series[1] not in ("年度", "by-year"):
            continue
        name = decl.series[0] if decl.series is not None else decl.name
        if re.search(f"(?<![^\\W\\d_]){re.escape(name)}(?![^\\W\\d_])", written):
            groups.setdefault(name, []).append(decl)
    return list(groups.values())


def draw_nodata(draw, rule, points: F, na: bool = True, always: bool = False) -> NoData | None:
    """Now and then some figures the rule reads are declared 可缺, with the line saying what a blank does
    (`na`: 不适用 may be drawn; `always`: the rule reads a 可缺 input already, and must have a line)."""
    groups = readable(rule)
    if not always and (not groups or draw(st.integers(0, 4)) != 0):
        return None
    if groups:
        for group in draw(st.lists(st.sampled_from(groups), min_size=1, max_size=2, unique_by=lambda g: g[0].name)):
            for decl in group:
                decl.optional = True
    word = pick(draw, "无数据时", "无数据时：", "if-no-data")
    outcome = draw(st.sampled_from(["points", "points", "discretion"] + (["na"] if na else [])))
    if outcome == "na":
        return NoData("na", f"{word} {pick(draw, '不适用', 'not-applicable')}")
    if outcome == "discretion":
        ends = [e for e in (F(0), points / 4, points / 2, points) if finite(e)]
        low, high = sorted(draw(st.lists(st.sampled_from(ends), min_size=2, max_size=2)))
        rule.implicit.append(Decl(NODATA_SCORE, "number", low=low, high=high, optional=True))
        return NoData("discretion", f"{word} {pick(draw, '酌情', 'discretionary')} {fmt(low)}～{fmt(high)} 分",
                      low=low, high=high)
    value = draw(st.sampled_from([None, F(0), points / 2]))
    value = value if value is None or finite(value) else F(0)
    award = "得满分" if value is None else "不得分" if value == 0 else f"得 {fmt(value)} 分"
    return NoData("points", f"{word} {award}", value)


def draw_parts_nodata(draw, body, points: F) -> NoData | None:
    """Now and then a leaf of 分项 says what it scores, as a whole, when a figure a part reads without a line of
    its own is blank (§11.15): a fixed award or 不适用 (its 无数据得分 would be one more field of the leaf's)."""
    if draw(st.integers(0, 5)) != 0:
        return None
    groups = [g for _n, _p, sub in body.parts if sub.nodata is None and sub.rule is not None for g in readable(sub.rule)]
    if not groups:
        return None
    for group in draw(st.lists(st.sampled_from(groups), min_size=1, max_size=2, unique_by=lambda g: g[0].name)):
        for decl in group:
            decl.optional = True
    word = pick(draw, "无数据时", "无数据时：", "if-no-data")
    value = draw(st.sampled_from([None, F(0), points / 2, "na"]))
    if value == "na":
        return NoData("na", f"{word} 不适用")
    value = value if value is None or finite(value) else F(0)
    return NoData("points", f"{word} {'得满分' if value is None else '不得分' if value == 0 else f'得 {fmt(value)} 分'}", value)


def without_na(nodata: NoData | None, points: F) -> NoData | None:
    """An alternative of a pool cannot be 不适用 (E444): its line gives the full points instead."""
    if nodata is None or nodata.outcome != "na":
        return nodata
    return NoData("points", nodata.text.replace("not-applicable", "得满分").replace("不适用", "得满分"))


def blank_data(body, parsed: dict[str, Any], shared_blank: bool = False) -> bool:
    """Whether a 可缺 figure the unit reads is blank (its 无数据得分 is no figure; `shared_blank`: a 可缺 共用
    input the unit reads is)."""
    if body.nodata is None:
        return False
    decls = list(body.decls) + [d for _n, _p, sub in body.parts if sub.nodata is None for d in sub.decls]
    return shared_blank or any(parsed.get(d.name) is BLANK for d in decls if d.optional and d.name != NODATA_SCORE)


def left_out(body, parsed: dict[str, Any], shared_blank: bool = False) -> bool:
    """无数据时 不适用 where a figure is blank: the leaf is 不适用 for the unit (§6 says what that does)."""
    return body.nodata is not None and body.nodata.outcome == "na" and blank_data(body, parsed, shared_blank)


def shared_blank(body, shared: dict[str, Any]) -> bool:
    """Whether the unit left blank a 可缺 共用 input this body's line covers (its rule, or the parts without a
    line of their own, read it)."""
    if not any(value is BLANK for value in shared.values()):
        return False
    if body.parts:
        return any(sub.uses_shared and sub.nodata is None for _n, _p, sub in body.parts)
    return body.uses_shared


def award(body, parsed: dict[str, Any], points: F) -> F:
    """What the line gives where a figure is blank ('points' and 'discretion'; 'na' leaves the leaf out)."""
    nodata = body.nodata
    if nodata.outcome == "discretion":
        given = parsed.get(NODATA_SCORE, BLANK)
        if given is BLANK:
            raise JudgedScoreMissing(NODATA_SCORE)
        return given
    return points if nodata.value is None else nodata.value


def judged(body) -> bool:
    """Whether a unit has a 无数据得分 (its own line, or a part's), which needs a 理由 whenever given (§11.15)."""
    bodies = [body] + [sub for _n, _p, sub in body.parts]
    return any(b.nodata is not None and b.nodata.outcome == "discretion" for b in bodies)


__all__ = ["JudgedScoreMissing", "NODATA_SCORE", "NoData", "award", "blank_data", "draw_nodata", "draw_parts_nodata", "judged", "left_out",
           "readable", "shared_blank", "without_na"]
