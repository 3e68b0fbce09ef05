"""Synthetic units for a plan: plausible, valid rows of the unit table (idsl.io.columns), seeded; a number
drawn outside its input's declared range (输入 … 范围) is drawn again inside it.

Used by the benchmarks (10k … 1M units of 001) and to make examples/batch_001_units.csv.
"""

from __future__ import annotations

import random
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from pathlib import Path

from idsl.frontend import ast
from idsl.io.columns import Column, unit_columns
from idsl.semantics.domains import input_domain
from idsl.semantics.model import Plan


def rows(plan: Plan, count: int, seed: int = 2024, prefix: str = "单位") -> list[list[str]]:
    """`count` rows (lists of cell texts in `unit_columns(plan)` order)."""
    rng = random.Random(seed)
    columns = unit_columns(plan)
    makers = [_maker(c) for c in columns]
    out = []
    for number in range(1, count + 1):
        row = []
        context: dict[str, str] = {}
        for column, make in zip(columns, makers):
            row.append(f"{prefix}{number:07d}" if column.kind == "unit" else make(rng, context))
        out.append(row)
    return out


def _maker(column: Column):
    kind = column.kind
    if kind == "item":
        if column.partial:
            return lambda rng, ctx: rng.choice(["是", "是", "是", "否"])
        return lambda rng, ctx: "是" if rng.random() < 0.85 else "否"
    if kind == "score" and _qualitative(column):
        return _tier_score(column)
    if kind == "score":
        low, high = Decimal(column.low or 0), Decimal(column.high or 0)
        return lambda rng, ctx: str((low + (high - low) * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal("0.1")))
    if kind == "reason":
        return lambda rng, ctx: "按实际情况评定"
    if kind == "na":
        return lambda rng, ctx: ""
    if kind == "tally":
        return lambda rng, ctx: str(rng.choice([0, 0, 1, 2, 3, 5, 6]) if column.option else rng.randint(1, 8))
    if kind != "input" or column.decl is None:
        return lambda rng, ctx: ""
    decl = column.decl
    if decl.kind == "bool":
        return lambda rng, ctx: rng.choice(["是", "否"])
    if decl.kind == "choice":
        def option(rng, ctx, key=f"{column.key}.{decl.name}"):
            ctx[key] = rng.choice(decl.options)  # a 定性 score that follows is drawn inside this tier
            return ctx[key]
        return option
    if decl.kind == "findings":
        return lambda rng, ctx: str(_inside(decl, Decimal(rng.choice([0, 0, 0, 1, 2, 3])), rng, Decimal(1)))
    if decl.kind == "rate":
        def rate(rng, ctx):
            drawn = rng.randint(5000, 10000)
            inside = _inside(decl, Decimal(drawn) / 10000, rng, Decimal("0.0001"))  # a fraction of 1
            return f"{drawn / 100}%" if inside == Decimal(drawn) / 10000 else f"{(inside * 100).normalize():f}%"
        return rate
    # money, counts, numbers: a pair of like quantities is usually a part and its whole; keep the
    # first value of the leaf and draw the next near it so ratios fall around the bands.
    def quantity(rng, ctx, key=column.key, signed=decl.signed, count=decl.kind == "count"):
        previous = ctx.get(key)
        if previous is None:
            value = Decimal(rng.randint(1, 900000)) / (1 if count else 100)
            ctx[key] = str(value)
            if signed and rng.random() < 0.5:
                value = -Decimal(rng.randint(0, 5000)) / 100
            return str(_inside(decl, value, rng, step))
        base = Decimal(previous)
        value = (base * Decimal(rng.randint(60, 130)) / 100).quantize(step)
        return str(_inside(decl, max(value, Decimal(1)), rng, step))
    step = Decimal("1") if decl.kind == "count" else Decimal("0.01")
    return quantity


def _inside(decl: ast.Input, value: Decimal, rng: random.Random, step: Decimal) -> Decimal:
    """`value` when it lies in the input's declared range; else a value drawn inside it (in steps of `step`),
    or its nearer end when the range is open on the other side."""
    low, high = input_domain(decl)
    if (low is None or value >= low) and (high is None or value <= high):
        return value
    if low is not None and high is not None:
        low_d, high_d = Decimal(low.numerator) / low.denominator, Decimal(high.numerator) / high.denominator
        start = low_d.quantize(step, rounding=ROUND_CEILING)
        steps = int((high_d - start) / step) if high_d >= start else 0
        return start + step * rng.randint(0, max(steps, 0))
    end = low if low is not None else high
    return (Decimal(end.numerator) / end.denominator).quantize(step, rounding=ROUND_CEILING if low is not None
                                                              else ROUND_DOWN)


def _qualitative(column: Column):
    leaf = column.node.leaf if column.node is not None else None
    return leaf.rule if leaf is not None and isinstance(leaf.rule, ast.Qualitative) else None


def _tier_score(column: Column):
    """A 定性 score inside the tier drawn for its row (第十六条: 80%–100%, 60%–80%, 0–60% of the points)."""
    rule, high = _qualitative(column), Decimal(column.high or 0)
    decl = next(d for d in column.node.leaf.own_inputs if d.name == rule.tier)

    def score(rng, ctx):
        at = decl.options.index(ctx.get(f"{column.key}.{rule.tier}", decl.options[0]))
        start, width = ((Decimal("0.8"), Decimal("0.2")), (Decimal("0.6"), Decimal("0.2")), (Decimal(0), Decimal("0.6")))[at]
        value = high * start + high * width * Decimal(rng.randint(0, 90)) / 100
        return str(value.quantize(Decimal("0.1"), rounding=ROUND_DOWN))
    return score


def write(plan: Plan, path: str | Path, count: int, seed: int = 2024) -> Path:
    """Write `count` synthetic units as CSV (idsl's batch layout)."""
    from idsl.io.tables import write_csv

    path = Path(path)
    write_csv(path, [c.header for c in unit_columns(plan)], rows(plan, count, seed))
    return path
