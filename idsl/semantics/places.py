"""A leaf's own bounds and decimals (最低 -2 分, 小数 4 位, §11.14), read alike by the engines and the checker."""

from __future__ import annotations

from fractions import Fraction

from idsl.semantics.model import Node


def leaf_floor(node: Node) -> Fraction:
    """The least score of a leaf: its 最低 (a negative score the table allows), else 0."""
    leaf = node.leaf
    return Fraction(leaf.floor) if leaf is not None and leaf.floor is not None else Fraction(0)


def finer_than(node: Node, places: int) -> bool:
    """Whether a leaf keeps more decimals than the header's: its parent's sum is rounded again."""
    leaf = node.leaf
    return leaf is not None and leaf.places is not None and leaf.places > places


__all__ = ["finer_than", "leaf_floor"]
