"""A deliberate edge batch for any spec: ratios on band boundaries and one step either side, half-up ties,
the largest and smallest amounts a batch allows, zero denominators, every option, and a few bad cells."""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

from idsl.engines.cells import figure_digits
from idsl.engines.sql.limits import value_limits
from idsl.io.columns import Column, unit_columns

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synth  # noqa: E402

# Shares of a whole, as percent figures: the usual band boundaries (50 … 100%) and one smallest step
# (0.0001%) either side, ties that round half up at two decimals once multiplied by the points
# (89.9% × 5 = 4.495, 70.1% × 5 = 3.505), 0, and over 100%.
SHARES = ("0", "0.0001", "49.9999", "50", "59.9999", "60", "60.0001", "69.9999", "70", "70.1", "79.9999", "80",
          "80.0001", "84.9", "85", "89.9", "89.95", "90", "90.0001", "94.99", "95", "99.9", "99.99", "99.9999", "100",
          "100.0001", "100.5", "120")
TINY = "0.000001"  # the smallest amount a cell may be written with (six decimals)


def edge_rows(plan, count: int = 120, seed: int = 8) -> list[list[str]]:
    """`count` units whose numbers sit on the edges; each row starts from a valid synthetic unit so that
    most of its leaves score, and every share and every base amount turns up across the batch."""
    rng = random.Random(seed)
    columns = unit_columns(plan)
    rows = synth.rows(plan, count, seed=seed, prefix="边界")
    for number, row in enumerate(rows):
        wholes: dict[str, Decimal] = {}
        for at, column in enumerate(columns):
            value = _edge(column, number, at, rng, wholes)
            if value is not None:
                row[at] = value
        if number % 17 == 5:  # a bad cell now and then: its row is listed, not scored, in every engine
            numeric = [at for at, c in enumerate(columns) if c.numeric and c.kind == "input"]
            if numeric:
                row[rng.choice(numeric)] = "不详"
    return rows


def _edge(column: Column, number: int, at: int, rng: random.Random, wholes: dict[str, Decimal]) -> str | None:
    """The edge value of one cell, or None to keep the synthetic one."""
    decl = column.decl if column.kind == "input" else None
    if column.kind == "tally":
        return rng.choice(["0", "0", "1", "2", "999999999"]) if number % 3 == 0 else None
    if column.kind == "score" or column.kind == "item":
        return _points(column, number) if number % 4 == 1 else None
    if decl is None or not column.numeric:
        return None
    if decl.kind == "findings":
        return ("0", "1", "2", "3", "10", "999999999")[(number + at) % 6]
    if decl.kind == "rate":
        return SHARES[(number * 7 + at) % len(SHARES)] + "%"
    return _amount(column, number, at, wholes)


def _amount(column: Column, number: int, at: int, wholes: dict[str, Decimal]) -> str:
    """The first amount of a leaf is its whole (100, 0, the smallest, the largest …); the next ones are
    shares of it, so that part ÷ whole lands on a boundary, a tie or a zero denominator."""
    largest = Decimal(10) ** figure_digits(column) - 1
    decimals = value_limits(column)[2]
    whole = wholes.get(column.key)
    if whole is None:
        bases = (Decimal(100), Decimal(1000), Decimal(0), Decimal(TINY) if decimals else Decimal(1), largest,
                 Decimal(3), Decimal(7))
        whole = bases[number % len(bases)]
        wholes[column.key] = whole
        if column.decl.signed and number % 5 == 4:
            return format(_within_range(column, -whole), "f")
        return format(_within_range(column, whole), "f")
    share = Decimal(SHARES[(number * 3 + at) % len(SHARES)]) / 100
    part = min((whole * share).quantize(Decimal(1).scaleb(-decimals)), largest)
    return format(_within_range(column, part), "f")


def _within_range(column: Column, amount: Decimal) -> Decimal:
    """An amount held to the input's declared range (a cut of 0～6 分): its ends are the edges there, and a
    value outside would make the row a bad one, which the few 不详 cells already cover."""
    decl = column.decl
    if decl.high is not None and amount > decl.high.amount:
        return Decimal(decl.high.amount)
    if decl.low is not None and amount < decl.low.amount:
        return Decimal(decl.low.amount)
    return amount


def _points(column: Column, number: int) -> str:
    """A discretionary score or a part-scored element at its least, its highest, a half or a smallest step."""
    if column.kind == "item":
        if not column.partial:
            return ("是", "否")[number % 2]
        high, low = Decimal(column.points or 0), Decimal(0)
    else:
        high, low = Decimal(column.high or 0), Decimal(column.low or 0)
    choices = (high, low, (high + low) / 2, high - Decimal(TINY), low + Decimal("0.005"))
    return format(choices[number % len(choices)].normalize(), "f")


def edge_batch(plan, count: int = 120, seed: int = 8) -> tuple[list[str], list[list[str]]]:
    """The headers and rows of the edge batch."""
    return [c.header for c in unit_columns(plan)], edge_rows(plan, count, seed)
