"""Metric definitions: rates, Wilson intervals, null when there is no denominator."""

from __future__ import annotations

import math

import pytest

from app.stats.metrics import COUNTS, EMPTY, METRIC_ORDER, RATES, Metrics, wilson_interval

Z95 = 1.959963984540054


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    p = k / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(3, 5), (1, 2), (0, 7), (7, 7), (250_048, 495_897)])
def test_wilson_interval_matches_the_formula(k: int, n: int) -> None:
    low, high = wilson_interval(k, n)  # type: ignore[misc]
    expected_low, expected_high = wilson_by_hand(k, n)
    assert low == pytest.approx(expected_low, abs=1e-9)
    assert high == pytest.approx(expected_high, abs=1e-9)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_three_of_five_by_hand() -> None:
    low, high = wilson_interval(3, 5)  # type: ignore[misc]
    assert (round(low, 4), round(high, 4)) == (0.2307, 0.8824)


def test_no_trials_no_interval() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="between"):
        wilson_interval(6, 5)


def test_rates_and_intervals_in_the_json_block() -> None:
    metrics = Metrics(
        counts={**dict.fromkeys(COUNTS, 0), "routine_opportunities": 5, "routine_asked": 3},
        not_asked_by_reason={"not_alone": 2},
        median_duration_seconds=120.5,
    )
    block = metrics.as_dict()
    assert list(block) == list(METRIC_ORDER)
    assert block["routine_asking_rate"] == 0.6
    assert block["routine_asking_rate_ci"] == [
        pytest.approx(0.2307, abs=1e-4),
        pytest.approx(0.8824, abs=1e-4),
    ]
    assert block["identification_rate"] is None  # nobody asked: no denominator
    assert block["identification_rate_ci"] is None
    assert block["not_asked_by_reason"]["not_alone"] == 2
    assert block["not_asked_by_reason"]["other"] == 0
    assert block["median_duration_seconds"] == 120.5


def test_every_rate_names_counts_that_exist() -> None:
    for numerator, denominator in RATES.values():
        assert numerator in COUNTS
        # cases come from the imported case counts, not from the records
        assert denominator in COUNTS or denominator == "cases"


def test_the_empty_metrics_have_zero_counts_and_null_rates() -> None:
    block = EMPTY.as_dict()
    assert all(block[name] == 0 for name in COUNTS)
    assert all(block[rate] is None for rate in RATES)
