"""The equality view's tests of independence give scipy's figures (scipy is the reference
here only: the app computes them in closed form)."""

from __future__ import annotations

import random

import pytest
from scipy.stats import chi2, chi2_contingency, fisher_exact

from app.stats import significance


def tables(seed: int, count: int) -> list[list[list[int]]]:
    """Tables of (asked, not asked) per group: 2 to 40 groups, a handful to tens of
    thousands of opportunities each, rates near and far apart."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        groups = rng.choice([2, 2, 3, 5, 12, 40])
        size = rng.choice([8, 60, 900, 40_000])
        found.append([[rng.randint(1, size), rng.randint(1, size)] for _ in range(groups)])
    return found


@pytest.mark.parametrize("table", tables(seed=16, count=120))
def test_chi_square_is_scipys(table: list[list[int]]) -> None:
    expected = chi2_contingency(table)
    statistic, p_value = significance.chi_square(table)
    assert statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert p_value == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("freedom", [1, 2, 3, 4, 7, 20, 39, 120])
@pytest.mark.parametrize("x", [0.0, 1e-6, 0.3, 1.0, 3.84, 10.0, 55.5, 300.0, 2000.0])
def test_the_chi_square_tail_is_scipys(freedom: int, x: float) -> None:
    assert significance.chi_square_tail(x, freedom) == pytest.approx(
        chi2.sf(x, freedom), rel=1e-9, abs=1e-300
    )


def test_one_degree_of_freedom_is_corrected_for_continuity() -> None:
    statistic, _p = significance.chi_square([[40, 10], [10, 40]])
    assert statistic == pytest.approx((14.5**2 / 25) * 4)  # |40 - 25| - 0.5 in each cell


def small_tables() -> list[list[list[int]]]:
    return [
        [[a, b], [c, d]]
        for a in range(6)
        for b in range(6)
        for c in range(0, 6, 2)
        for d in (0, 1, 4, 30)
        if (a + b) and (c + d) and (a + c) and (b + d)
    ] + [[[3, 1], [1, 2]], [[1, 900], [4, 3000]], [[0, 4000], [3, 12]], [[7, 7], [7, 7]]]


@pytest.mark.parametrize("table", small_tables())
def test_fishers_exact_test_is_scipys(table: list[list[int]]) -> None:
    assert significance.fisher_exact(table) == pytest.approx(
        fisher_exact(table).pvalue, rel=1e-9, abs=1e-300
    )


def test_a_table_with_an_empty_margin_shows_no_difference() -> None:
    assert significance.fisher_exact([[0, 0], [3, 4]]) == 1.0
