"""The equivalence generator's 评级 (a grade, then a score inside it; grammar/README.md §11.7), with its oracle.

The grades cover 0 … points once, each a range in % of the points or in 分, written high first or low first.
Either no end is marked （含） — then each grade holds its lower end — or every shared end is marked on the side
of the grade that holds it (and now and then 0 or the full points too, which always belong). `，须说明理由` asks a
理由 of every grade but the top one (the grade that holds the full points). The oracle reads the ranges from
what it wrote, as the grammar reference says, without the engines' lowering.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction as F
from typing import Any

from hypothesis import strategies as st

from spec_gen import BLANK, Bad, Decl, Names, Num, OracleError, Reserved, Rule, figure4, fmt, pct, pick

GRADE_SETS = [("优", "良", "中", "差"), ("达成", "部分达成", "未达成"), ("好", "较好", "一般", "较差")]
CUTS = [F(k, 100) for k in (50, 60, 70, 75, 80, 85, 90, 95)]
GRADE = "等级"  # the evaluator's grade (a choice of the grades, in the order written)
REASONS = ["评定理由充分", "部分达成目标", "　"]  # "　" is a blank reason


@dataclass(frozen=True)
class Tier:
    """One grade's range in points, each end in or out."""

    name: str
    least: F
    most: F
    low_in: bool
    high_in: bool

    def holds(self, score: F) -> bool:
        above = score > self.least or (self.low_in and score == self.least)
        return above and (score < self.most or (self.high_in and score == self.most))


def _end(draw, share: F, points: F, percent: bool, included: bool, last: bool) -> str:
    """One end of a range as written: 80%, 0, 8 分, 8（含）."""
    mark = pick(draw, "（含）", "(含)") if included else ""
    if percent:
        return ("0" if share == 0 and draw(st.booleans()) else pct(share)) + mark
    unit = pick(draw, " 分", "分", "") if not last else pick(draw, " 分", "分")
    return fmt(share * points) + (unit.strip() if mark else unit) + mark


def graded_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    """评级 with two to four grades; the written order top first, now and then not (W524 only)."""
    grade_set = draw(st.sampled_from(GRADE_SETS))
    count = draw(st.integers(2, len(grade_set)))
    labels = list(grade_set[: count - 1]) + [grade_set[-1]]
    cuts = sorted(draw(st.lists(st.sampled_from(CUTS), min_size=count - 1, max_size=count - 1, unique=True)),
                  reverse=True)
    edges = [F(1)] + cuts + [F(0)]  # shares, top down: grade i lies between edges[i + 1] and edges[i]
    marked = draw(st.booleans())
    upper_owns = [draw(st.booleans()) if marked else True for _ in cuts]  # a shared end: whose grade holds it
    tiers, texts = [], []
    for i, label in enumerate(labels):
        low_in = i == count - 1 or upper_owns[i]
        high_in = i == 0 or not upper_owns[i - 1]
        tiers.append(Tier(label, edges[i + 1] * points, edges[i] * points, low_in, high_in))
        low_mark = marked and (upper_owns[i] if i < count - 1 else draw(st.integers(0, 3)) == 0)
        high_mark = marked and (not upper_owns[i - 1] if i > 0 else draw(st.integers(0, 3)) == 0)
        percent = draw(st.booleans())
        high_first = draw(st.booleans())
        ends = [(edges[i + 1], low_mark), (edges[i], high_mark)]
        ends = ends[::-1] if high_first else ends
        first = _end(draw, ends[0][0], points, percent, ends[0][1], last=False)
        second = _end(draw, ends[1][0], points, percent, ends[1][1], last=True)
        texts.append(f"{label}{pick(draw, '：', ':')}{first}{pick(draw, '～', '~', '～', '至')}{second}")
    order = list(range(count)) if draw(st.integers(0, 5)) else list(draw(st.permutations(range(count))))
    reason = draw(st.booleans())
    line = f"{pick(draw, '评级', 'graded')} " + pick(draw, "；", "; ").join(texts[i] for i in order)
    if reason:
        line += pick(draw, "，须说明理由", " 须说明理由", "，reason-required")
    written = tuple(labels[i] for i in order)  # the drop-down and the letters A, B, C … follow this order
    reserved = Reserved("graded", low=F(0), high=points, tiers=tuple(tiers), written=written, reason=reason)

    def grade_word(d, label: str) -> str:
        letter = chr(ord("A") + written.index(label))
        return d(st.sampled_from([label, label, letter, letter.lower()]))

    def values(d) -> dict[str, Any]:
        tier = d(st.sampled_from(tiers))
        scored = d(st.sampled_from(tiers)) if d(st.integers(0, 5)) == 0 else tier  # now and then another's score
        grain = d(st.sampled_from([F(1, 100), F(1, 10)]))
        score = d(st.sampled_from([scored.least, scored.most, scored.least + grain, scored.most - grain,
                                   (scored.least + scored.most) / 2]))
        given = {GRADE: grade_word(d, tier.name), "得分": Num(figure4(score))}
        if reason or d(st.integers(0, 3)) == 0:
            given["理由"] = d(st.sampled_from(REASONS + [BLANK]))
        return given

    def witness(d) -> dict[str, Any]:
        return {GRADE: grade_word(d, tiers[0].name), "得分": Num(Decimal(fmt(points))), "理由": "全部达成"}

    return Rule([line], graded_award(tuple(tiers)), implicit=[Decl(GRADE, "choice", options=written)],
                reserved=reserved, values=values, witness=witness)


def graded_problems(what: Reserved, value: Any, grade: Any, has_reason: bool) -> tuple[list[str], list[str]]:
    """(problems, missing) of 评级's 得分 and 理由 as read, given its 得分 and 等级 (the grade itself is checked
    as the choice it is): a score outside 0 … points, and under 须说明理由 a grade below the top without a reason."""
    if value is BLANK:
        return [], ["得分"]
    if isinstance(value, Bad) or not what.low <= F(value.figure) <= what.high:
        return ["得分"], []
    decl = Decl(GRADE, "choice", options=what.written)
    if grade is BLANK or not decl.valid(grade):
        return [], []  # the grade's own error (or its absence) speaks for the leaf
    top = next(t for t in what.tiers if t.holds(what.high))
    if what.reason and decl.parse(grade) != top.name and not has_reason:
        return ["理由"], []
    return [], []


def graded_award(tiers: tuple[Tier, ...]):
    """The award: the score when it lies in the chosen grade's range. Outside it the rule gives no score — an
    error on the leaf, unless a special case (若 … 则) or a veto of its section scores the leaf first."""

    def award(env) -> F:
        score, grade = env.get("得分"), env.get(GRADE)
        if not next(t for t in tiers if t.name == grade).holds(score):
            raise OracleError(f"得分 {score} outside “{grade}”")
        return score

    return award
