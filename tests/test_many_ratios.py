"""Sums of many ratios of counts (specs/008's C301: four yearly rates averaged, beside two more, ÷3 × 分值) rounded
exactly by the SQL engine: ties, values 10⁻³⁰ either side of a tie that a DOUBLE cannot tell apart, zero
denominators, each score the exact sum half up and the interpreter's."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from idsl.engines.batch import score_rows
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.semantics.lower import lower

SPEC = """体系 "例" 总分 2
产出（2）
  及时率（2）
    解释 例
    输入 当年发放赛项数：数量 项 年度 2021～2024，应发放赛项数：数量 项 年度 2021～2024
    输入 当年补助基地数：数量 个，应补助基地数：数量 个，奖补及时率：比率
    及时率2021 = min(取值(当年发放赛项数, 2021) ÷ 取值(应发放赛项数, 2021), 100%)
    及时率2022 = min(取值(当年发放赛项数, 2022) ÷ 取值(应发放赛项数, 2022), 100%)
    及时率2023 = min(取值(当年发放赛项数, 2023) ÷ 取值(应发放赛项数, 2023), 100%)
    及时率2024 = min(取值(当年发放赛项数, 2024) ÷ 取值(应发放赛项数, 2024), 100%)
    一次性竞赛补贴及时率 = (及时率2021 + 及时率2022 + 及时率2023 + 及时率2024) ÷ 4
    集训基地及时率 = min(当年补助基地数 ÷ 应补助基地数, 100%)
    得分 = (一次性竞赛补贴及时率 + 集训基地及时率 + 奖补及时率) ÷ 3 × 分值
"""
LEAF = "产出/及时率"
YEARS = (2021, 2022, 2023, 2024)
BIG = Fraction(999999999999999, 10 ** 6)  # the largest count the readers accept
TIE = [(1, 3), (2, 3), (1, 7), (6, 7), (1, 2)]  # (years' ratios, then the base's): 2/3 with the rate 50.75%, 1.005


def near(value: Fraction, den: Fraction, step: int) -> tuple[Fraction, Fraction]:
    """A count over `den` within 10⁻⁶/den of `value`, moved `step` millionths: a ratio 10⁻¹⁵ from value."""
    return Fraction(math.floor(value * den * 10 ** 6) + step, 10 ** 6), den


def row(name: str, ratios: list[tuple[Fraction, Fraction]], rate: str) -> dict[str, str]:
    """A unit's cells: four years' (发放, 应发放), the base's (补助, 应补助), the rate as a percent figure."""
    cells = {"单位": name, f"{LEAF}.奖补及时率": f"{rate}%"}
    for year, (a, b) in zip(YEARS, ratios):
        cells[f"{LEAF}.当年发放赛项数{year}"] = _text(a)
        cells[f"{LEAF}.应发放赛项数{year}"] = _text(b)
    cells[f"{LEAF}.当年补助基地数"], cells[f"{LEAF}.应补助基地数"] = _text(ratios[4][0]), _text(ratios[4][1])
    return cells


def _text(value: Fraction | int) -> str:
    return str(Decimal(Fraction(value).numerator) / Decimal(Fraction(value).denominator))


def exact(ratios: list[tuple[Fraction, Fraction]], rate: str) -> Decimal:
    """The score half up to 2 decimals, from the fractions."""
    capped = [min(Fraction(a) / Fraction(b), 1) for a, b in ratios]
    total = (sum(capped[:4]) / 4 + capped[4] + Fraction(Decimal(rate)) / 100) / 3 * 2
    return Decimal(math.floor(total * 100 + Fraction(1, 2))) / 100


def edges() -> dict[str, tuple[list, str]]:
    """Ties and their neighbours, written plainly and 10⁻¹⁵ off in one ratio (its denominator the largest count)."""
    found = {"平分": (TIE, "50.75"), "略低": ([(1, Fraction(3000001, 10 ** 6))] + TIE[1:], "50.75"),
             "略高": (TIE, "50.750001"), "满": ([(1, 1)] * 5, "100"), "超过": ([(5, 2)] * 5, "100"),
             "零": ([(0, 1)] * 5, "0"), "零分母": ([(1, 0)] + TIE[1:], "50.75")}
    for step in (-1, 0, 1):  # 2/3 of the largest count exactly, a millionth either side: the sum 10⁻¹⁶ off the tie
        found[f"近{step}"] = ([TIE[0], near(Fraction(2, 3), BIG, step)] + TIE[2:], "50.75")
    # N/10⁶ the largest count: (N−1)/N + 1/(N−1) = 1 + 1/(N(N−1)), 1/N + (N−2)/(N−1) = 1 − 1/(N(N−1)), in place
    # of 1/3 + 2/3: the sum 10⁻³⁰ either side of the tie, which no DOUBLE tells apart
    n, m = BIG, BIG - Fraction(1, 10 ** 6)
    micro = Fraction(1, 10 ** 6)
    found["上"] = ([(n - micro, n), (micro, m)] + TIE[2:], "50.75")
    found["下"] = ([(micro, n), (m - micro, m)] + TIE[2:], "50.75")
    return found


def randomised(count: int, seed: int) -> dict[str, tuple[list, str]]:
    """Small counts (many ties) and large ones near simple fractions."""
    rng = random.Random(seed)
    found = {}
    for number in range(count):
        ratios = []
        for _ in range(5):
            if rng.random() < 0.5:
                ratios.append((rng.randint(0, 12), rng.randint(1, 12)))
            else:
                a, b = near(Fraction(rng.randint(0, 8), 8), BIG - rng.randint(0, 10 ** 6), rng.randint(-2, 2))
                ratios.append((max(a, Fraction(0)), b))
        found[f"随机{number}"] = (ratios, str(Decimal(rng.randint(0, 400)) / 4))
    return found


@pytest.mark.parametrize("cases", [edges(), randomised(120, 11)], ids=["edges", "random"])
def test_a_sum_of_many_ratios_of_counts_is_rounded_exactly(cases):
    plan = lower(*_loaded())
    rows = [row(name, ratios, rate) for name, (ratios, rate) in cases.items()]
    sql, sql_errors = score_rows(plan, rows, engine="duckdb")
    python, python_errors = score_rows(plan, rows, engine="python")
    assert sql == python
    assert {e.unit for e in sql_errors} == {e.unit for e in python_errors} == {n for n in cases if n == "零分母"}
    scored = {r["单位"]: r[LEAF] for r in sql}
    for name, (ratios, rate) in cases.items():
        if name != "零分母":
            assert scored[name] == exact(ratios, rate), name
    if "平分" in cases:
        assert (scored["平分"], scored["略低"], scored["略高"]) == (Decimal("1.01"), Decimal("1.00"), Decimal("1.01"))
        assert [scored[f"近{s}"] for s in (-1, 0, 1)] == [Decimal("1.00"), Decimal("1.01"), Decimal("1.01")]
        assert (scored["上"], scored["下"]) == (Decimal("1.01"), Decimal("1.00"))


def _loaded():
    loaded = load_text(Source("many.idsl", SPEC))
    return loaded.spec, loaded.sources
