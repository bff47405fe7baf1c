"""Opening hours: validated as data, shown the way each sheet language writes them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.referrals.hours import Hours, format_hours, hours_text, parse_hours_text
from app.referrals.sheet_texts import sheet_texts


def weekly(*ranges: tuple[list[str], str, str]) -> Hours:
    return Hours.model_validate(
        {"weekly": [{"days": d, "opens": o, "closes": c} for d, o, c in ranges]}
    )


def test_swedish_hours_read_the_swedish_way() -> None:
    hours = weekly(
        (["mon", "tue", "wed", "thu", "fri"], "09:00", "16:00"), (["sat"], "10:00", "14:00")
    )
    assert format_hours(hours, sheet_texts("sv")) == "mån–fre kl. 09.00–16.00; lör kl. 10.00–14.00"
    assert format_hours(hours, sheet_texts("en")) == "Mon–Fri 09:00–16:00; Sat 10:00–14:00"


def test_separate_days_are_listed_and_two_days_are_not_a_range() -> None:
    assert format_hours(weekly((["fri", "mon", "wed"], "09:00", "12:00")), sheet_texts("sv")) == (
        "mån, ons, fre kl. 09.00–12.00"
    )
    assert format_hours(weekly((["sat", "sun"], "09:00", "12:00")), sheet_texts("en")) == (
        "Sat, Sun 09:00–12:00"
    )


def test_arabic_hours_use_arabic_day_names_and_comma() -> None:
    text = format_hours(weekly((["mon", "wed"], "09:00", "12:00")), sheet_texts("ar"))
    # the times are kept left to right inside the Arabic text
    assert text == "الاثنين، الأربعاء \u202a09:00–12:00\u202c"


def test_always_open_and_unknown_hours() -> None:
    assert format_hours(Hours(always=True), sheet_texts("sv")) == "dygnet runt, alla dagar"
    assert format_hours(None, sheet_texts("en")) == "varies"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "at least one weekly range"),
        (
            {"always": True, "weekly": [{"days": ["mon"], "opens": "09:00", "closes": "10:00"}]},
            "not both",
        ),
        ({"weekly": [{"days": ["mon"], "opens": "9 am", "closes": "10:00"}]}, "HH:MM"),
        ({"weekly": [{"days": ["mon"], "opens": "12:00", "closes": "09:00"}]}, "after the opening"),
        ({"weekly": [{"days": ["mon", "mon"], "opens": "09:00", "closes": "10:00"}]}, "once"),
        ({"weekly": [{"days": ["funday"], "opens": "09:00", "closes": "10:00"}]}, "mon"),
    ],
)
def test_bad_hours_are_refused_with_a_message(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Hours.model_validate(data)


def test_closing_at_midnight_is_allowed() -> None:
    assert weekly((["sun"], "18:00", "24:00")).weekly[0].closes == "24:00"


def test_typed_hours_are_parsed_in_english_or_swedish_and_round_trip() -> None:
    parsed = parse_hours_text("mon-fri 09:00-16:00; sat 10:00-14:00")
    assert parsed == parse_hours_text("mån–fre kl. 9.00–16.00; lör kl. 10.00–14.00")
    assert hours_text(parsed) == "mon–fri 09:00-16:00; sat 10:00-14:00"
    assert parse_hours_text(hours_text(parsed)) == parsed


@pytest.mark.parametrize(
    "text", ["", "whenever", "mon-fri", "fri-mon 09:00-10:00", "xyz 09:00-10:00"]
)
def test_typed_hours_that_make_no_sense_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"mon|day|range"):
        parse_hours_text(text)
