"""Reference values (参照) for a unit scored alone: the figures a rule comparing units would take from the batch.

An input file may give, under its top-level key "参照", the best, least or mean value of a peer set, or
the unit's rank, so that `idsl score SPEC inputs.json` scores a spec with 最高/平均/名次 rules (§11.10).
A value is keyed by the leaf and a word: `预算执行/预算执行率.最高` (the leaf's own name alone when no
other leaf has it); where one leaf compares two figures in the same way the figure follows in
brackets, `预算执行率.最高(执行率)`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from idsl.io.inputfile import REFERENCE, InputError, did_you_mean
from idsl.semantics import ir
from idsl.semantics.numbers import to_decimal

# The word under which each peer aggregate's reference value is given (比最高 needs the best value …).
WORDS = {"max": "最高", "ratio_max": "最高", "min": "最低", "ratio_min": "最低", "mean": "平均", "fill": "平均",
         "rank": "名次", "rank_share": "名次比"}
COUNT = "参评单位数"  # with 名次, gives 名次比 = 名次 ÷ 参评单位数


class References:
    """The reference values given for one unit, resolved against the program's peer sets."""

    def __init__(self, peers: tuple[ir.Peer, ...], raw: dict[str, Any]):
        self.keys = _keys(peers)  # (peer set, word) → the key written in the file
        self.errors: list[InputError] = []
        self.values: dict[str, Fraction] = {}
        self.aliases = aliases = _aliases(self.keys)
        known = set(self.keys.values()) | {_count_key(key) for key in self.keys.values() if key.endswith(".名次")}
        for written, value in raw.items():
            key = aliases.get(written, written)
            if key not in known:
                shown = sorted(set(aliases) | known - set(aliases.values()))
                self.errors.append(InputError(REFERENCE, written, "体系里没有用到这个参照值。",
                                              did_you_mean(written, shown) or _expected(shown)))
                continue
            number = _number(value)
            if number is None:
                self.errors.append(InputError(REFERENCE, written, f"参照值应是一个数（比率可写成 98%），不是 {value!r}。"))
                continue
            self.values[key] = number

    def key(self, agg: str, name: str) -> str:
        """The key a message asks for: the leaf's own name where it is one leaf's, else its path."""
        key = self.keys[(name, WORDS[agg])]
        return next((short for short, full in self.aliases.items() if full == key), key)

    def get(self, agg: str, name: str) -> Fraction | None:
        """The reference value an aggregate needs (for 比最高 the best value), None when not given."""
        key = self.keys[(name, WORDS[agg])]
        if key in self.values:
            return self.values[key]
        if agg == "rank_share":  # 名次 and 参评单位数 given instead of 名次比
            rank_key = self.keys.get((name, "名次"), key[: -len("名次比")] + "名次")
            rank, count = self.values.get(rank_key), self.values.get(_count_key(rank_key))
            if rank is not None and count:
                return rank / count
        return None


def _keys(peers: tuple[ir.Peer, ...]) -> dict[tuple[str, str], str]:
    """Each (peer set, word) and its key: leaf.word, with the figure in brackets where the leaf has two."""
    keys: dict[tuple[str, str], str] = {}
    for peer in peers:
        word = WORDS[peer.agg]
        subjects = {p.name for p in peers if p.leaf == peer.leaf and WORDS[p.agg] == word}
        figure = f"({_subject(peer)})" if len(subjects) > 1 else ""
        keys[(peer.name, word)] = f"{peer.leaf}.{word}{figure}"
        if word == "名次比":  # 名次 + 参评单位数 may stand for it
            keys.setdefault((peer.name, "名次"), f"{peer.leaf}.名次{figure}")
    return keys


def _subject(peer: ir.Peer) -> str:
    return peer.name.split("|")[1]


def _aliases(keys: dict[tuple[str, str], str]) -> dict[str, str]:
    """The keys written with the leaf's own name instead of its path, where that name is one leaf's."""
    leaves = {key.split(".")[0] for key in keys.values()}
    names: dict[str, list[str]] = {}
    for leaf in leaves:
        names.setdefault(leaf.split("/")[-1], []).append(leaf)
    aliases = {}
    for key in list(keys.values()) + [_count_key(k) for k in keys.values() if ".名次" in k]:
        leaf, rest = key.split(".", 1)
        short = leaf.split("/")[-1]
        if len(names[short]) == 1 and short != leaf:
            aliases[f"{short}.{rest}"] = key
    return aliases


def _count_key(rank_key: str) -> str:
    return rank_key.split(".")[0] + "." + COUNT


def _number(value: Any) -> Fraction | None:
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            return Fraction(to_decimal(value.strip()[:-1])) / 100
        return Fraction(to_decimal(value))
    except (ValueError, TypeError, ArithmeticError):
        return None


def _expected(known: list[str]) -> str:
    return "可以给的参照值：" + "、".join(known) + "。" if known else "这个体系没有与其他单位比较的规则，不需要参照值。"


__all__ = ["COUNT", "WORDS", "References"]
