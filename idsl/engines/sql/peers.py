"""Figures over the units scored together (`ir.Peer`), printed with window functions over the whole unit table.

A peer set is one subject of one leaf: the rows where it is a peer (`ok`: a row read without a
problem — the others reach the query with blank inputs —, the leaf applicable, every field of the
subject given, the subject without error) and each row's own value. A decimal subject is ranked
and aggregated by window functions (`MAX(v) OVER ()`, `RANK() OVER (ORDER BY v DESC)`); a quotient
num/den cannot be ordered exactly as a DECIMAL, so its rank counts the peers above it with an
exact cross-multiplied comparison (a correlated subquery) and its largest and least are read from
a peer of rank 1. The mean of a quotient has no exact SQL form: SqlError (the interpreter scores it).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs

from idsl.engines.sql.fragments import (Cond, Dec, SqlError, add, c_and, c_not, check, err_case, err_seq, err_when, lit,
                                        mul, sub)
from idsl.engines.sql.quantities import Q, q_case, q_div
from idsl.semantics import ir

MAX_UNITS = Fraction(10) ** 9  # the most rows a batch holds, for the digits of counts and sums
OUTER = "cur"
LIMB = 10 ** 10  # the base of the limbs a wide comparison is split into  # the alias of a layer's source table, for a correlated subquery to name the outer row


@attrs.define
class PeerSet:
    """One peer set's columns, made as they are first needed."""

    ok: Cond  # this row is one of the set's peers
    num: Dec  # the row's own value num/den (den None: a decimal)
    den: Dec | None
    layer: int  # the layer the set's own columns are computed by
    made: dict[str, Any] = attrs.field(factory=dict)  # 'count', 'rank', 'max', 'min', 'sum' → column


def print_peer(p: Any, node: ir.Peer) -> Q:
    """A Peer's value for this row, its errors in the interpreter's order (the row's own subject first)."""
    own = p.number(node.subject)
    if node.agg == "fill":
        own = own.plain()  # a blank is no error here: it is filled
    peers = _peer_set(p, node, own)
    empty = err_when(Cond(f"{_count(p.compiler, peers).text} = 0", None, peers.layer + 1), ir.PEER_EMPTY)
    if node.agg == "fill":
        given = c_and([Cond(f"{p.compiler.field(f).text} IS NOT NULL", None, p.compiler.field(f).layer)
                       for f in ir.fields(node.subject)])
        mean = Q(_sum(p.compiler, peers), _count(p.compiler, peers))
        # a row refused for its cells reaches the query with every input blank: it is not filled (no value)
        good = [Cond("_fast", None, 0)] if "_fast" in p.compiler.carry else []
        good += [Cond("_errors = ''", None, 0)] if "_errors" in p.compiler.carry else []
        branches = [(given, own)] + ([(c_and(good), mean)] if good else [])
        nothing = Q(Dec("CAST(NULL AS DECIMAL(1,0))", Fraction(0), 0, True))
        value = q_case(branches, nothing if good else mean)
        return attrs.evolve(value, err=err_case([(None, given, None)], empty))
    if node.agg in ("max", "min"):
        return attrs.evolve(_best(p.compiler, peers, node.agg == "max"), err=empty)
    if node.agg == "mean":
        if peers.den is not None:
            raise SqlError("平均(…)的比较对象是两个数之比，SQL 引擎不能精确求和；请用 --engine python。")
        return Q(_sum(p.compiler, peers), _count(p.compiler, peers), empty)
    own_value = own.plain()  # the unit's own value (a blank input filled with the mean, 缺失取平均)
    if node.agg == "rank":
        return Q(rank_of(p.compiler, peers), None, own.err)
    if node.agg == "rank_share":
        return Q(rank_of(p.compiler, peers), _count(p.compiler, peers), own.err)
    if node.agg == "ratio_max":
        ratio = q_div(own_value, _best(p.compiler, peers, True), ir.PEER_ZERO_BEST)
    else:
        ratio = q_div(_best(p.compiler, peers, False), own_value, ir.PEER_ZERO_OWN)
    return Q(ratio.num, ratio.den, err_seq(own.err, empty, ratio.err))


def given_only(node: Any) -> Any:
    """An expression with every input filled with the peers' mean (缺失取平均) read as given, its named values
    renamed so they are printed apart from the filled ones."""
    if isinstance(node, ir.Peer) and node.agg == "fill":
        return given_only(node.subject)
    if isinstance(node, ir.Named):
        return ir.Named(f"given:{node.name}", given_only(node.value))
    if isinstance(node, tuple):
        return tuple(given_only(x) for x in node)
    if not attrs.has(type(node)):
        return node
    changes = {f.name: given_only(getattr(node, f.name)) for f in attrs.fields(type(node))
               if isinstance(getattr(node, f.name), tuple) or attrs.has(type(getattr(node, f.name)))}
    return attrs.evolve(node, **changes) if changes else node


def _peer_set(p: Any, node: ir.Peer, own: Q) -> PeerSet:
    c = p.compiler
    found = c.peer_sets.get(node.name)
    if found is not None:
        return found
    if node.agg != "fill" and any(isinstance(n, ir.Peer) for n in ir.walk(node.subject)):
        own = p.number(given_only(node.subject))  # the peers gave every input: none of theirs is filled
    given = [Cond(f"{c.field(f).text} IS NOT NULL", None, c.field(f).layer) for f in ir.fields(node.subject)]
    parts = given + ([Cond(f"{own.err.text} IS NULL", None, own.err.layer)] if own.err is not None else [])
    leaf = c.plan.find(node.leaf)
    if leaf is not None and leaf.not_applicable is not None and leaf.na_mark:
        parts.append(c_not(c.yes(c.input(node.leaf, "不适用"))))
    ok = c.keep_cond(c_and(parts))
    num = c.keep(own.num, "n")
    den = c.keep(own.den, "d") if own.den is not None else None
    layer = max(ok.layer, num.layer, den.layer if den is not None else 0)
    found = c.peer_sets[node.name] = PeerSet(ok, num, den, layer)
    return found


def _best(c: Any, peers: PeerSet, largest: bool) -> Q:
    found = _extreme(c, peers, largest)
    return Q(*found) if isinstance(found, tuple) else Q(found)


def _masked(peers: PeerSet, text: str) -> str:
    return f"CASE WHEN {peers.ok.text} THEN {text} END"


def _window(c: Any, peers: PeerSet, key: str, text: str, prefix: str) -> str:
    if key not in peers.made:
        peers.made[key] = c.column(text, peers.layer, prefix)
    return peers.made[key]


def _count(c: Any, peers: PeerSet) -> Dec:
    alias, layer = _window(c, peers, "count", f"COUNT({_masked(peers, peers.num.text)}) OVER ()", "w")
    return Dec(alias, MAX_UNITS, 0, True, None, layer)


def _sum(c: Any, peers: PeerSet) -> Dec:
    check(peers.num.bound * MAX_UNITS, peers.num.scale)
    alias, layer = _window(c, peers, "sum", f"SUM({_masked(peers, peers.num.text)}) OVER ()", "w")
    return Dec(alias, peers.num.bound * MAX_UNITS, peers.num.scale, peers.num.nonneg, None, layer)


def rank_of(c: Any, peers: PeerSet) -> Dec:
    """1 + the number of peers with a larger value (competition ranking: 1, 2, 2, 4)."""
    if peers.den is None:
        alias, layer = _window(c, peers, "rank", f"RANK() OVER (ORDER BY {_masked(peers, peers.num.text)} DESC NULLS LAST)",
                               "w")
        return Dec(alias, MAX_UNITS, 0, True, None, layer)
    beyond = _beyond(c, peers, True)
    return Dec(f"(1 + {beyond.text})", MAX_UNITS + 1, 0, True, None, beyond.layer)


def _beyond(c: Any, peers: PeerSet, largest: bool) -> Dec:
    """How many peers have a larger (smaller) value than this row's, compared exactly: o.n × d vs n × o.d."""
    ours, theirs = (OUTER, "o") if largest else ("o", OUTER)
    test = _greater(c, peers, theirs, ours)  # their value > ours (largest), ours > theirs (least)
    text = f"(SELECT COUNT(*) FROM s{peers.layer} AS o WHERE o.{peers.ok.text} AND {test})"
    alias, layer = _window(c, peers, "above" if largest else "below", text, "w")
    return Dec(alias, MAX_UNITS, 0, True, None, layer)


def _greater(c: Any, peers: PeerSet, a: str, b: str) -> str:
    """Row a's value n/d above row b's: a.n × b.d > b.n × a.d (dens > 0), in one product where it fits 38 digits,
    else in limbs of ten digits (`_limbs`) so that no product is wider."""
    assert peers.den is not None
    try:
        left = mul(_qualified(peers.num, a), _qualified(peers.den, b))
        right = mul(_qualified(peers.num, b), _qualified(peers.den, a))
        return f"{left.text} > {right.text}"
    except SqlError:
        pass
    n1, n0 = _limbs(c, peers, "num")
    d1, d0 = _limbs(c, peers, "den")

    def at(x: Dec, row: str) -> Dec:
        return _qualified(x, row)

    def product(p1: Dec, p0: Dec, q1: Dec, q0: Dec) -> tuple[Dec, Dec, Dec]:  # (p1·B + p0)(q1·B + q0) by powers of B
        return mul(p1, q1), add(mul(p1, q0), mul(p0, q1)), mul(p0, q0)

    x = product(at(n1, a), at(n0, a), at(d1, b), at(d0, b))
    y = product(at(n1, b), at(n0, b), at(d1, a), at(d0, a))
    high, mid, low = (sub(p, q) for p, q in zip(x, y))
    upper = add(mul(high, lit(LIMB)), mid)  # the difference is upper × B + low, with |low| < 2·B²
    # |upper| ≥ 10·B decides the sign (upper × B outweighs low); below that, upper × B + low fits 38 digits.
    return (f"CASE WHEN {upper.text} >= {LIMB * 10} THEN TRUE WHEN {upper.text} <= {-LIMB * 10} THEN FALSE "
            f"ELSE CAST({upper.text} AS DECIMAL(38,0)) * {LIMB} + {low.text} > 0 END")


def _limbs(c: Any, peers: PeerSet, which: str) -> tuple[Dec, Dec]:
    """A value as a whole number x·10^scale = hi·B + lo (0 ≤ lo < B, B = 10^10), hi and lo columns of the set's layer."""
    key = f"limbs:{which}"
    if key not in peers.made:
        x = peers.num if which == "num" else peers.den
        whole_bound = x.bound * 10 ** x.scale
        if whole_bound >= Fraction(LIMB) ** 2:
            raise SqlError("比较的数太大（超过 20 位），SQL 引擎不能精确比较；请用 --engine python。")
        whole = Dec(f"CAST({mul(x, lit(10 ** x.scale)).text} AS DECIMAL(38,0))", whole_bound, 0, x.nonneg, None, x.layer)
        hi = c.keep(Dec(f"CAST(FLOOR({mul(whole, lit(Fraction(1, LIMB))).text}) AS DECIMAL(38,0))",
                        whole_bound / LIMB + 1, 0, x.nonneg, None, x.layer), "h")
        lo = c.keep(Dec(f"({whole.text} - {hi.text} * {LIMB})", Fraction(LIMB), 0, True, None, hi.layer), "l")
        peers.made[key] = (hi, lo)
        peers.layer = max(peers.layer, lo.layer)
    return peers.made[key]


def _qualified(x: Dec, table: str) -> Dec:
    return attrs.evolve(x, text=f"{table}.{x.text}")


def _extreme(c: Any, peers: PeerSet, largest: bool) -> Dec:
    """The set's largest (or least) value: a window aggregate of a decimal; a quotient is read from the peers
    with no other peer beyond them (they all hold the same value), num and den from the same one."""
    word = "max" if largest else "min"
    if peers.den is None:
        alias, layer = _window(c, peers, word, f"{word.upper()}({_masked(peers, peers.num.text)}) OVER ()", "w")
        return Dec(alias, peers.num.bound, peers.num.scale, peers.num.nonneg, None, layer)
    if word not in peers.made:
        beyond = _beyond(c, peers, largest)
        best, best_layer = c.column(f"{peers.ok.text} AND {beyond.text} = 0", beyond.layer, "b")
        den, den_layer = c.column(f"MIN(CASE WHEN {best} THEN {peers.den.text} END) OVER ()", best_layer, "w")
        num, num_layer = c.column(f"MIN(CASE WHEN {best} AND {peers.den.text} = {den} THEN {peers.num.text} END) OVER ()",
                                  den_layer, "w")
        peers.made[word] = (Dec(num, peers.num.bound, peers.num.scale, peers.num.nonneg, None, num_layer),
                            Dec(den, peers.den.bound, peers.den.scale, True, None, den_layer))
    return peers.made[word]


__all__ = ["MAX_UNITS", "PeerSet", "given_only", "print_peer", "rank_of"]
