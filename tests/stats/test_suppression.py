"""Small numbers are hidden in per-handler views."""

from __future__ import annotations

from app.stats.metrics import COUNTS, Metrics
from app.stats.suppression import suppress


def block(**counts: int) -> dict:  # type: ignore[type-arg]
    values = {**dict.fromkeys(COUNTS, 0), **counts}
    return Metrics(counts=values, not_asked_by_reason={"not_alone": 2, "other": 9}).as_dict()


def test_counts_below_the_threshold_are_shown_as_less_than() -> None:
    hidden = suppress(
        block(opportunities=12, routine_opportunities=10, routine_asked=3, asked=3), 5
    )
    assert hidden["opportunities"] == 12
    assert hidden["routine_opportunities"] == 10
    assert hidden["routine_asked"] == "<5"
    assert hidden["asked"] == "<5"
    # the rate would give the hidden count back
    assert hidden["routine_asking_rate"] is None
    assert hidden["routine_asking_rate_ci"] is None
    assert hidden["not_asked_by_reason"] == {
        **dict.fromkeys(hidden["not_asked_by_reason"], 0),
        "not_alone": "<5",
        "other": 9,
    }
    assert hidden["median_duration_seconds"] is None


def test_zero_stays_visible_and_large_counts_keep_their_rates() -> None:
    hidden = suppress(block(opportunities=40, routine_opportunities=40, routine_asked=0), 5)
    assert hidden["routine_asked"] == 0
    assert hidden["routine_asking_rate"] == 0.0
    assert hidden["routine_asking_rate_ci"] is not None


def test_the_threshold_is_configurable() -> None:
    assert suppress(block(opportunities=7), 10)["opportunities"] == "<10"
    assert suppress(block(opportunities=7), 5)["opportunities"] == 7
    assert suppress(block(opportunities=1), 1)["opportunities"] == 1


def test_a_small_count_of_purged_records_is_hidden_too() -> None:
    values = {**dict.fromkeys(COUNTS, 0), "opportunities": 40}
    few = Metrics(counts=values, purged_records=3).as_dict()
    many = Metrics(counts=values, purged_records=30).as_dict()
    assert suppress(few, 5)["purged_records"] == "<5"
    assert suppress(many, 5)["purged_records"] == 30
