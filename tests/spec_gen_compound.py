"""The equivalence generator's 分档 over two inputs (分档 是否按期完成、完成率：是，≥ 95% 得满分；…), with its oracle.

The first input is a yes/no, a choice or a rate; the second a rate. For each answer (or each piece of the
first rate) the second rate is cut into half-open pieces that cover 0%～100% once, each with a fixed award
or, now and then, a linear one (每降低 … 扣完为止); a group may end in `否则` on the second side, and one
group may be left to a closing `否则 …` band. So every combination lies in exactly one band, as the checker
requires (E445, E446), and the oracle finds it by the pieces it wrote, without the engines' lowering.
"""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import strategies as st

from spec_gen import RATE_NAMES, Decl, Env, Names, Rule, deducted, finite, fmt, near, pct, pick

FLAG_NAMES = ["是否按期完成", "按期完成", "是否通过验收"]
CHOICES = [("评审结论", ("优秀", "合格", "不合格")), ("验收结论", ("通过", "整改后通过", "未通过"))]
CUTS = [F(3, 5), F(7, 10), F(4, 5), F(9, 10), F(19, 20)]


def _pieces(draw, count: int) -> list[F]:
    """Cut points inside 0%～100%, ascending: `count` pieces."""
    return sorted(draw(st.lists(st.sampled_from(CUTS), min_size=count - 1, max_size=count - 1, unique=True)))


def _where(cuts: list[F], index: int, name: str, draw) -> str:
    """The condition of the index-th half-open piece [cuts[i-1], cuts[i]) on `name`, written a few ways."""
    low = cuts[index - 1] if index > 0 else None
    high = cuts[index] if index < len(cuts) else None
    if low is None and high is None:
        return pick(draw, f"{name} ≥ 0%", "≥ 0%")
    if low is None:
        return pick(draw, f"< {pct(high)}", f"{name} < {pct(high)}")
    if high is None:
        return pick(draw, f"≥ {pct(low)}", f"{name} ≥ {pct(low)}")
    return pick(draw, f"{pct(low)} ≤ {name} < {pct(high)}", f"{pct(high)} > {name} ≥ {pct(low)}")


def _piece(cuts: list[F], value: F) -> int:
    return sum(1 for c in cuts if value >= c)


def _group(draw, points: F, second: str, top: bool):
    """The bands of one answer of the first input over the second: (their conditions, an award function)."""
    cuts = _pieces(draw, draw(st.integers(1, 3)))
    awards = [draw(st.sampled_from([F(0), points / 2, points])) for _ in range(len(cuts) + 1)]
    awards = [a if finite(a) else F(0) for a in awards]
    if top:
        awards[-1] = points
    linear = None  # (piece, deduct per 1%): full points at its upper end, less per 1% below, 扣完为止
    if len(cuts) >= 2 and draw(st.integers(0, 3)) == 0:
        deduct = draw(st.sampled_from([points / 10, points / 4]))
        linear = (len(cuts) - 1, deduct) if finite(deduct) else None
    texts = []
    for index, award in enumerate(awards):
        otherwise = index == len(awards) - 1 and index > 0 and draw(st.integers(0, 2)) == 0
        where = "否则" if otherwise else _where(cuts, index, second, draw)
        if linear is not None and index == linear[0]:
            texts.append((where, f"每降低 1% 扣 {fmt(linear[1])} 分，扣完为止"))
        else:
            texts.append((where, _said(award, points, draw)))

    def award(value: F) -> F:
        index = _piece(cuts, value)
        if linear is not None and index == linear[0]:
            return max(points - linear[1] * (cuts[index] - value) * 100, F(0))
        return awards[index]

    return texts, award, cuts


def _said(value: F, points: F, draw=None) -> str:
    """An award as a band says it; with `draw`, one below the points now and then as what it takes off them."""
    if value == points:
        return pick(draw, "得满分", "不扣分") if draw else "得满分"
    if value == 0:
        return "不得分"
    return pick(draw, f"得 {fmt(value)} 分", *deducted(value, points)) if draw else f"得 {fmt(value)} 分"


def compound_rule(draw, names: Names, points: F, include: frozenset) -> Rule:
    """分档 a、b over a yes/no, choice or rate input and a rate input."""
    kind = draw(st.sampled_from(["bool", "choice", "rate"]))
    second = names.take(RATE_NAMES)
    if kind == "bool":
        first = names.take(FLAG_NAMES)
        first_decl, words = Decl(first, "bool"), ["是", "否"]
    elif kind == "choice":
        name, options = draw(st.sampled_from(CHOICES))
        first = names.take([name])
        first_decl, words = Decl(first, "choice", options=options), list(options)
    else:
        first = names.take(RATE_NAMES)
        first_decl = Decl(first, "rate")
        first_cuts = _pieces(draw, draw(st.integers(2, 3)))
        words = [_where(first_cuts, i, first, draw) for i in range(len(first_cuts) + 1)]
    second_decl = Decl(second, "rate")
    best = draw(st.integers(0, len(words) - 1))
    rest = draw(st.sampled_from([None, *[i for i in range(len(words)) if i != best]]))  # left to a closing 否则
    rest_award = draw(st.sampled_from([F(0), points / 2])) if rest is not None else F(0)
    rest_award = rest_award if finite(rest_award) else F(0)
    groups, lines = {}, []
    for index, word in enumerate(words):
        if index == rest:
            continue
        texts, award, cuts = _group(draw, points, second, index == best)
        groups[index] = (award, cuts)
        lines.append("；".join(f"{word}{pick(draw, '，', ',')}{where} {said}" for where, said in texts))
    order = draw(st.permutations(lines))
    if rest is not None:
        order = [*order, f"否则 {_said(rest_award, points)}"]
    head = f"分档 {first}{pick(draw, '、', '，')}{second}"
    text = [head + "：" + "；".join(order)] if draw(st.booleans()) else [head + "："] + ["  " + line for line in order]

    def which(env: Env) -> int:
        value = env.get(first)
        if kind == "bool":
            return 0 if value else 1
        if kind == "choice":
            return words.index(value)
        return _piece(first_cuts, value)

    def award(env: Env) -> F:
        index = which(env)
        return groups[index][0](env.get(second)) if index in groups else rest_award

    def first_value(draw, index: int):
        if kind == "bool":
            return draw(st.sampled_from(["是", "符合", "yes"] if index == 0 else ["否", "不符合", "no"]))
        if kind == "choice":
            return words[index]
        ends = [F(0), *first_cuts, F(1)]
        return first_decl.cell(first_decl.clamp(near(draw, draw(st.sampled_from(ends[index:index + 2])), F(1, 100))),
                               draw)

    def values(draw):
        index = draw(st.integers(0, len(words) - 1))
        cuts = groups[index][1] if index in groups else CUTS
        value = second_decl.clamp(near(draw, draw(st.sampled_from([F(0), *cuts, F(1)])), F(1, 100)))
        return {first: first_value(draw, index), second: second_decl.cell(value, draw)}

    def witness(draw):
        return {first: first_value(draw, best) if kind != "rate" else first_decl.cell(_inside(first_cuts, best), draw),
                second: second_decl.cell(F(1), draw)}

    return Rule(text, award, [first_decl, second_decl], values=values, witness=witness,
                options=set(words) if kind == "choice" else set())


def _inside(cuts: list[F], index: int) -> F:
    """A value inside the index-th piece of 0%～100%."""
    return cuts[index - 1] if index > 0 else F(0)
