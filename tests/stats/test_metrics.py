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


# What the interval was while scipy computed it (``binomtest(k, n, p=k/n)
# .proportion_ci(confidence_level=0.95, method="wilson")``), recorded before the closed
# formula replaced it: the figures a team lead saw must not move.
SCIPY_WILSON = [
    (0, 1, (0.0, 0.7934506856227626)),
    (1, 1, (0.20654931437723745, 1.0)),
    (0, 5, (0.0, 0.43448246478317476)),
    (3, 7, (0.1582198552514697, 0.7495416354723428)),
    (5, 5, (0.5655175352168251, 1.0)),
    (1, 2, (0.09453120573423074, 0.9054687942657693)),
    (12, 40, (0.18074845229746528, 0.45430018818144935)),
    (50, 100, (0.4038315303659956, 0.5961684696340044)),
    (999, 1000, (0.9943574414020421, 0.9998234536293739)),
    (1, 1000000, (1.765245767453709e-07, 5.664911804311442e-06)),
    (123456, 987654, (0.12434846459526779, 0.12565293375753978)),
    (987653, 987654, (0.9999942642752183, 0.9999998212688076)),
    (0, 987654, (0.0, 3.889463192050493e-06)),
    (7, 9, (0.4525889691069889, 0.9367748928821533)),
    (250, 251, (0.9777816987087615, 0.9992963683854779)),
]


@pytest.mark.parametrize(("k", "n", "expected"), SCIPY_WILSON)
def test_wilson_interval_equals_the_scipy_values(
    k: int, n: int, expected: tuple[float, float]
) -> None:
    low, high = wilson_interval(k, n)  # type: ignore[misc]
    assert low == pytest.approx(expected[0], rel=1e-12, abs=1e-15)
    assert high == pytest.approx(expected[1], rel=1e-12, abs=1e-15)


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
