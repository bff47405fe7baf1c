"""The shipped directory: complete, accurate ids and numbers, phone rules, merging, staleness."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from app.referrals.directory import (
    Directory,
    DirectoryEntry,
    Kind,
    Source,
    dialable,
    is_swedish_phone_number,
)
from app.referrals.local import shipped_directory, shipped_entries

NATIONAL = {
    "kvinnofridslinjen": "020-50 50 50",
    "police_emergency": "112",
    "police_non_emergency": "114 14",
    "social_services": None,
    "healthcare_1177": "1177",
    "suicide_prevention_line": "901 01",  # shipped unverified (issue 12)
    "brottsofferjouren": "116 006",
    "honour_support_line": "010-223 57 60",
    "valj_att_sluta": "020-555 666",
    "womens_shelters": None,
}


def entry_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": "test_local_line",
        "name": {"sv": "Testjouren", "en": "Test shelter"},
        "description": {"sv": "En påhittad jour.", "en": "A made-up shelter."},
        "kind": "support_line",
        "phone": "020-11 22 33",
        "audience": ["women"],
        "scope": "0180",
        "last_verified": "2026-01-15",
    }
    data.update(overrides)
    return data


def test_the_national_entries_have_the_agreed_ids_and_numbers() -> None:
    directory = shipped_directory()
    assert {entry.id: entry.phone for entry in directory} == NATIONAL


@pytest.mark.parametrize("entry", shipped_entries(), ids=lambda entry: entry.id)
def test_each_entry_is_complete_in_swedish_and_english(entry: DirectoryEntry) -> None:
    texts = [entry.name, entry.description] + ([entry.note] if entry.note else [])
    for text in texts:
        assert text.sv.strip()
        assert text.en.strip()
    assert entry.description.sv != entry.description.en
    assert entry.audience
    assert entry.languages
    assert entry.scope == "national"


def test_kvinnofridslinjen_is_free_anonymous_always_open_with_interpreters() -> None:
    line = shipped_directory()["kvinnofridslinjen"]
    assert line.hours is not None
    assert line.hours.always
    assert (line.free, line.anonymous, line.not_on_phone_bill, line.interpreters) == (
        True,
        True,
        True,
        True,
    )


def test_honour_line_is_for_professionals_with_hours_as_data_and_a_note() -> None:
    line = shipped_directory()["honour_support_line"]
    assert "professionals" in line.audience
    assert line.hours is not None
    assert line.hours.weekly
    assert line.note is not None
    assert "identif" in line.note.en


def test_social_services_is_an_authority_and_valj_att_sluta_is_for_people_using_violence() -> None:
    directory = shipped_directory()
    assert directory["social_services"].kind is Kind.AUTHORITY
    assert directory["womens_shelters"].kind is Kind.SHELTER
    assert directory["valj_att_sluta"].audience == ["people_using_violence"]


@pytest.mark.parametrize(
    "number",
    [
        "020-50 50 50",
        "112",
        "114 14",
        "116 006",
        "010-223 57 60",
        "020-555 666",
        "1177",
        "08-123 456 78",
        "0771-21 10 00",
    ],
)
def test_swedish_phone_numbers_are_accepted(number: str) -> None:
    assert is_swedish_phone_number(number)
    assert DirectoryEntry.model_validate(entry_data(phone=number)).phone == number


@pytest.mark.parametrize(
    "number",
    [
        "",
        "abc",
        "020-50 50 5O",
        "020 50 50 50 50 50",
        "+46 20 50 50 50",
        "12",
        "020--505050",
        "020-5",
        "1 1 2",
        "112 ",
        "0-50 50 50",
    ],
)
def test_garbage_phone_numbers_are_refused(number: str) -> None:
    if number.strip() == "112":
        # surrounding spaces are trimmed, the number itself is fine
        assert DirectoryEntry.model_validate(entry_data(phone=number)).phone == "112"
        return
    assert not is_swedish_phone_number(number)
    with pytest.raises(ValidationError, match="not a Swedish phone number"):
        DirectoryEntry.model_validate(entry_data(phone=number))


def test_dialable_keeps_only_digits() -> None:
    assert dialable("020-50 50 50") == "020505050"


def test_a_support_line_needs_a_phone_number() -> None:
    with pytest.raises(ValidationError, match="support line needs its phone number"):
        DirectoryEntry.model_validate(entry_data(phone=None))


@pytest.mark.parametrize("scope", ["180", "01800", "Stockholm", ""])
def test_scope_is_national_or_a_four_digit_municipality_code(scope: str) -> None:
    with pytest.raises(ValidationError, match="four-digit code"):
        DirectoryEntry.model_validate(entry_data(scope=scope))


def test_a_verification_date_in_the_future_is_refused() -> None:
    future = (date.today() + timedelta(days=30)).isoformat()
    with pytest.raises(ValidationError, match="in the future"):
        DirectoryEntry.model_validate(entry_data(last_verified=future))


def test_an_entry_older_than_the_maximum_age_needs_verification() -> None:
    entry = DirectoryEntry.model_validate(entry_data(last_verified="2025-01-01"))
    assert not entry.needs_verification(date(2025, 12, 31), 365)
    assert entry.needs_verification(date(2026, 1, 2), 365)
    assert entry.needs_verification(date(2025, 3, 1), 30)


def test_a_local_entry_with_a_shipped_id_replaces_it_and_others_are_added() -> None:
    override = DirectoryEntry.model_validate(
        entry_data(
            id="valj_att_sluta",
            phone="020-555 667",
            scope="national",
            audience=["people_using_violence"],
        )
    )
    local = DirectoryEntry.model_validate(entry_data(local_for="womens_shelters", kind="shelter"))
    directory = Directory(shipped_entries(), [override, local])
    assert directory["valj_att_sluta"].phone == "020-555 667"
    assert directory.source("valj_att_sluta") is Source.LOCAL_OVERRIDE
    assert directory.source("test_local_line") is Source.LOCAL
    assert directory.source("kvinnofridslinjen") is Source.SHIPPED
    assert directory.local_versions("womens_shelters") == [local]
    assert len(directory) == len(NATIONAL) + 1
