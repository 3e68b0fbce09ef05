"""The unit names the language knows and which convert to each other (万元 = 10000 元, 万人 = 10000 人)."""

from __future__ import annotations

from decimal import Decimal

import attrs


@attrs.frozen
class Unit:
    """A unit: what it measures, its base unit and how many base units one of it is."""

    kind: str  # 'money' or 'count'
    base: str  # 元 for money; the counted thing for counts (人, 个 …)
    factor: Decimal  # 万元 is 10000 元


MONEY = {"元": 1, "千元": 1000, "万元": 10_000, "百万元": 1_000_000, "亿元": 100_000_000}
SCALES = {"万": 10_000, "亿": 100_000_000, "千": 1000, "百": 100}


def unit(name: str) -> Unit:
    """What a unit name means: 万元 is 10000 元; 万人 is 10000 人; other words count themselves.

    >>> unit("万元")
    Unit(kind='money', base='元', factor=Decimal('10000'))
    >>> unit("万人").factor, unit("个").base
    (Decimal('10000'), '个')
    """
    if name in MONEY:
        return Unit("money", "元", Decimal(MONEY[name]))
    if len(name) > 1 and name[0] in SCALES:
        return Unit("count", name[1:], Decimal(SCALES[name[0]]))
    return Unit("count", name, Decimal(1))


def convertible(source: str, target: str) -> bool:
    """Whether an amount in `source` can be expressed in `target` (same kind and base)."""
    a, b = unit(source), unit(target)
    return a.kind == b.kind and a.base == b.base


def convertible_units(name: str) -> frozenset[str]:
    """Every unit an amount in `name` converts to (itself included): the money units for one of them, the
    counted thing with each scale before it for a count.

    >>> sorted(convertible_units("万元")), sorted(convertible_units("万人"))
    (['万元', '亿元', '元', '千元', '百万元'], ['万人', '人', '亿人', '千人', '百人'])
    """
    found = unit(name)
    candidates = MONEY if found.kind == "money" else [found.base] + [scale + found.base for scale in SCALES]
    return frozenset(other for other in candidates if convertible(other, name))


__all__ = ["MONEY", "SCALES", "Unit", "convertible", "convertible_units", "unit"]
