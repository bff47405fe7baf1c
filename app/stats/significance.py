"""Tests of independence for the equality view, in closed form.

The same figures as ``scipy.stats.chi2_contingency`` and ``scipy.stats.fisher_exact``
(the tests in tests/stats/test_significance.py hold them side by side), without
importing scipy: it took the dashboard's process over a second and 60 MiB, for two
formulas.

- Pearson's chi-square test of independence on an r×c table, with Yates' continuity
  correction when the table has one degree of freedom; its p-value is the chi-square
  distribution's upper tail, the regularized upper incomplete gamma function
  Q(k/2, x/2), a finite sum for whole and half-whole k (Abramowitz and Stegun 6.5.13,
  6.5.17 with 7.1.2).
- Fisher's exact test on a 2×2 table, two-sided: with the margins fixed, the
  probability of every table no more likely than the one observed, summed in whole
  numbers (a table counts as no more likely within scipy's relative 1e-14).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# scipy.stats.fisher_exact counts a table as no more likely than the observed one when
# its probability is at most (1 + 1e-14) times the observed one's.
_TIE = 10**14


def chi_square(table: Sequence[Sequence[int]]) -> tuple[float, float]:
    """(statistic, p) of Pearson's chi-square test of independence on ``table``
    (rows of counts; every row and column sum above 0)."""
    rows = [sum(row) for row in table]
    columns = [sum(column) for column in zip(*table, strict=True)]
    total = sum(rows)
    freedom = (len(rows) - 1) * (len(columns) - 1)
    if freedom == 0:
        return 0.0, 1.0
    statistic = 0.0
    for row, row_sum in zip(table, rows, strict=True):
        for observed, column_sum in zip(row, columns, strict=True):
            expected = row_sum * column_sum / total
            difference = abs(observed - expected)
            if freedom == 1:  # Yates: each count half a unit nearer its expected value
                difference -= min(0.5, difference)
            statistic += difference * difference / expected
    return statistic, chi_square_tail(statistic, freedom)


def chi_square_tail(x: float, freedom: int) -> float:
    """P(X > x) for X chi-square distributed with ``freedom`` degrees of freedom."""
    if x <= 0:
        return 1.0
    half = x / 2
    log_half = math.log(half)
    if freedom % 2 == 0:  # Q(n, h) = e^-h * sum(h^j / j!, j < n)
        terms = [j * log_half - math.lgamma(j + 1) - half for j in range(freedom // 2)]
        tail = 0.0
    else:  # Q(n + 1/2, h) = erfc(sqrt h) + e^-h * sum(h^(j + 1/2) / Gamma(j + 3/2), j < n)
        terms = [(j + 0.5) * log_half - math.lgamma(j + 1.5) - half for j in range(freedom // 2)]
        tail = math.erfc(math.sqrt(half))
    return min(1.0, math.fsum([tail, *(math.exp(term) for term in terms)]))


def fisher_exact(table: Sequence[Sequence[int]]) -> float:
    """The two-sided p of Fisher's exact test on a 2×2 ``table``."""
    (a, b), (c, d) = table
    first_row, second_row, first_column = a + b, c + d, a + c
    if 0 in (first_row, second_row, first_column, b + d):
        return 1.0

    def weight(x: int) -> int:  # the table with x top left, times C(n, first column)
        return math.comb(first_row, x) * math.comb(second_row, first_column - x)

    observed = weight(a) * (_TIE + 1)
    tables = range(max(0, first_column - second_row), min(first_row, first_column) + 1)
    as_likely = sum(w for w in map(weight, tables) if w * _TIE <= observed)
    return min(1.0, as_likely / math.comb(first_row + second_row, first_column))
