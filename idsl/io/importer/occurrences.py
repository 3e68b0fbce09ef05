"""Whether something happened, as a 评分标准 scores it (如无安全事故，则本项得满分，否则不得分): bands over its count."""

from __future__ import annotations

import re

from idsl.io.importer.counts import count_name, none_count, occurs, thing_of_none
from idsl.io.importer.leaf import Leaf
from idsl.io.importer.phrases import NUM, band_award

# Nouns of things that happen and are counted one by one: 无X and 发生X count X only when X is one of them, so that
# 无结余, 无需整改 or 发生违反相关规定，受到处罚的 (a case the evaluator judges, items.penalty_case) keep their readings.
_HAPPENINGS = ("事故", "舆情", "事件", "投诉", "违规", "违纪", "差错", "案件")
_NONE = re.compile(r"(?:如|若)?(?:全年|年内|年度内|本年度)?(?:未发生|未出现|没有发生|没有出现|无)"
                   r"(?P<thing>[\u4e00-\u9fff]{0,12}?)的?")
_SOME = re.compile(r"(?:如|若)?(?:发生|出现)了?(?P<thing>[\u4e00-\u9fff]{0,12}?)的?")
_AWARD = rf"(?:则)?(?:本项)?(?:得满分|不得分|不扣分|不加分|(?:得|扣|加){NUM}分)"
_OUTCOME = re.compile(_AWARD)
# What a penalty or bonus item's case may say: its rule gives the deduction or the addition, so 得满分 there would take
# off (or add) the item's whole points, and 不得分 says neither.
_OWN_OUTCOME = {"penalty": re.compile(rf"(?:本项)?(?:不扣分|扣{NUM}分)"),
                "bonus": re.compile(rf"(?:本项)?(?:不加分|加{NUM}分)")}
_GLUED = re.compile(rf"(?P<condition>.+?的?)(?P<outcome>{_AWARD})")


def occurrence_cases(flat: str, leaf: Leaf):
    """A count of what happens scored by whether any happened: 如无安全事故，则本项得满分，否则不得分, 未发生安全事故的，
    得满分；发生安全事故的，不得分, 出现重大负面舆情的，不得分；未出现的，得满分, or one case alone, the other then
    scoring the opposite end (如无事故，则本项得满分: any accident 0; 发生安全事故的，本项不得分: none full marks; in a
    逆向指标 发生安全事故的，扣5分: none deducted; in a 加分项 全年无安全事故的，加2分: any adds nothing). The count is
    named after what happens (安全事故次数), a whole 问题数.

    >>> occurrence_cases("如无安全事故，则本项得满分，否则不得分。", Leaf(None, "score", "安全生产"))
    ('分档', ['分档 安全事故次数', '  安全事故次数 = 0：得满分', '  安全事故次数 ≥ 1：不得分'])
    >>> occurrence_cases("发生安全事故的，扣5分。", Leaf(None, "penalty", "安全生产"))
    ('分档', ['分档 安全事故次数', '  安全事故次数 ≥ 1：扣 5 分', '  安全事故次数 = 0：不扣分'])
    >>> occurrence_cases("全年无安全事故的，加2分。", Leaf(None, "bonus", "安全生产"))
    ('分档', ['分档 安全事故次数', '  安全事故次数 = 0：得 2 分', '  安全事故次数 ≥ 1：不得分'])
    >>> occurrence_cases("如无结余，则本项得满分。", Leaf(None, "score", "结余")) is None
    True
    >>> occurrence_cases("未发生安全事故的，得满分；发生安全事故的，不得分。", Leaf(None, "penalty", "安全生产")) is None
    True
    """
    clauses = _clauses(flat.rstrip("。"))
    if not clauses or leaf.kind not in ("score", "penalty", "bonus"):
        return None
    cases = [_case(condition) for condition, _ in clauses]
    things = {thing for _, thing in filter(None, cases) if thing}
    if None in cases or len(things) != 1 or not things.pop().endswith(_HAPPENINGS) or len(clauses) > 2:
        return None
    said = [case for case, _ in cases]
    if len(set(said)) != len(said) or said == ["否则"]:
        return None
    name = count_name(next(thing for _, thing in cases if thing), "次")
    lines = [f"分档 {name}"]
    for (_, outcome), case in zip(clauses, said):
        written = _outcome(outcome.removeprefix("则"), leaf.kind)
        if written is None:
            return None
        lines.append(f"  {_band(case, name, said)}：{written}")
    if len(clauses) == 1:
        unsaid = _unsaid(said[0], lines[1].partition("：")[2], leaf.kind)
        if unsaid is None:
            return None
        lines.append(f"  {_band('否则', name, said)}：{unsaid}")
    leaf.uses.append(name)
    leaf.counted[name] = "问题数"
    return "分档", lines


def occurrence_bands(segments: list[tuple[str, str]], leaf: Leaf):
    """Bands already split from a compact or numbered text, 无事故得满分，发生事故不得分 or 未发现问题得满分，发现问题
    不得分: a band of none and bands of some (发生/出现/存在/发现 the same thing) or 否则, over the count none_count
    names (事故次数, 问题数, or 违规笔数 where the text counts 违规 in 笔) = 0 and ≥ 1, a whole 问题数 (a 数量 would
    leave 0 < n < 1 to no band); None for other bands, or for outcomes a penalty or bonus item does not give.

    >>> penalty = Leaf(None, "penalty", "安全生产", text="无事故不扣分，发生事故扣5分。")
    >>> occurrence_bands([("无事故", "不扣分"), ("发生事故", "扣5分")], penalty)
    ('分档', ['分档 事故次数', '  事故次数 = 0：不扣分', '  事故次数 ≥ 1：扣 5 分'])
    >>> occurrence_bands([("无事故", "得满分"), ("发生事故", "不得分")], penalty) is None
    True
    """
    nones = [condition for condition, _ in segments if thing_of_none(condition)]
    found = none_count(nones[0], leaf.text) if len(nones) == 1 else None
    if found is None:
        return None
    name, thing = found[0], thing_of_none(nones[0])
    lines = [f"分档 {name}"]
    for condition, outcome in segments:
        written = f"{name} = 0" if condition == nones[0] else f"{name} ≥ 1" if occurs(condition, thing) else \
            "否则" if condition == "否则" else None
        result = _outcome(outcome, leaf.kind)
        if written is None or result is None:
            return None
        lines.append(f"  {written}：{result}")
    leaf.uses.append(name)
    leaf.counted[name] = "问题数"
    return "分档", lines


def _outcome(text: str, kind: str) -> str | None:
    """A case's outcome as a band writes it; in a penalty item only a deduction (扣5分, 不扣分) and in a bonus item
    only an addition (加2分, 不加分), as their rules give; None for any other."""
    own = _OWN_OUTCOME.get(kind)
    if own is not None and not own.fullmatch(text.strip().rstrip("。；;，,")):
        return None
    return band_award(text, kind)


def _clauses(flat: str) -> list[tuple[str, str]] | None:
    """The text's (condition, outcome) pairs, an outcome after its condition's comma or glued to it (否则不得分)."""
    out: list[tuple[str, str]] = []
    pending = None
    for piece in re.split("[，；]", flat):
        if _OUTCOME.fullmatch(piece) and pending is not None:
            out.append((pending, piece))
            pending = None
            continue
        glued = ("否则", piece[2:]) if piece.startswith("否则") else _GLUED.fullmatch(piece)
        if pending is not None:
            return None
        if glued:
            out.append(glued if isinstance(glued, tuple) else (glued.group("condition"), glued.group("outcome")))
        else:
            pending = piece
    return None if pending is not None else out


def _case(condition: str) -> tuple[str, str] | None:
    """Which case a condition says, none, some or 否则, and what it names happening (empty after 未出现的)."""
    if condition == "否则":
        return "否则", ""
    for case, pattern in (("none", _NONE), ("some", _SOME)):
        found = pattern.fullmatch(condition)
        if found:
            return case, found.group("thing")
    return None


def _band(case: str, name: str, said: list[str]) -> str:
    """A case's band; 否则 is the case the other clause leaves, written as it (read back, 否则 would not name the count)."""
    if case == "否则":
        case = "some" if "none" in said else "none"
    return f"{name} = 0" if case == "none" else f"{name} ≥ 1"


def _unsaid(case: str, written: str, kind: str) -> str | None:
    """What the case a text leaves unsaid scores: the opposite end of the one it says (none at full marks leaves
    不得分 to any, an addition in a 加分项 nothing added; any at 0 leaves none at full marks, a deduction in a 逆向指标
    nothing deducted); None when the said case is no end (如无事故，则本项得2分 leaves an accident's score unsaid, and so
    does 扣2分 in a scored indicator, as items.penalty_case takes it)."""
    if case == "none":
        if kind == "bonus":  # 全年无安全事故的，加2分: an accident adds nothing
            return "不得分" if written.startswith("得 ") else None
        return "不得分" if kind == "score" and written == "得满分" else None
    if kind != "score":  # 发生事故的，加1分 in a 加分项 would leave none unsaid
        return "不扣分" if kind == "penalty" and written.startswith("扣 ") else None
    return "得满分" if written == "不得分" else None  # 扣2分 alone leaves the points above it unsaid


__all__ = ["occurrence_bands", "occurrence_cases"]
