"""The record model: exact JSON names, cross-field rules with handler-readable messages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from app.screening.record import ScreeningRecord, describe_errors, record_json_schema
from tests.conftest import record_data

pytestmark = pytest.mark.usefixtures("english")

JSON_FIELDS = {
    "id", "recorded_at", "handler", "team", "benefit", "case_type", "contact", "mode",
    "indications", "asked", "not_asked_reason", "answer", "violence_forms", "immediate_danger",
    "high_risk", "children_affected", "child_report", "info_given", "referrals", "interpreter",
    "language", "client_sex", "sheltered_housing", "duration_seconds", "protocol", "practice",
    "case_reference", "notes", "danger_actions", "risk_markers", "child_report_decision",
    "no_child_exposed_reason", "spontaneous_disclosure",
}  # fmt: skip


def problems(**overrides: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        ScreeningRecord.model_validate(record_data(**overrides))
    return describe_errors(caught.value)


def fields(**overrides: Any) -> set[str]:
    return {field for field, _message in problems(**overrides)}


def test_json_names_are_exactly_the_contract() -> None:
    record = ScreeningRecord.model_validate(record_data())
    assert set(record.model_dump(mode="json")) == JSON_FIELDS
    assert set(record_json_schema()["properties"]) == JSON_FIELDS


def test_recorded_at_keeps_the_instant_and_is_stored_as_utc() -> None:
    record = ScreeningRecord.model_validate(record_data(recorded_at="2026-01-31T23:30:00-02:00"))
    assert record.recorded_at == datetime(2026, 2, 1, 1, 30, tzinfo=UTC)
    assert record.recorded_at.utcoffset() is not None


def test_a_timestamp_without_offset_is_rejected() -> None:
    assert fields(recorded_at="2026-01-31T23:30:00") == {"recorded_at"}


@pytest.mark.parametrize("handler", ["", "x" * 65, "Anna Svensson", "-leading"])
def test_handler_must_be_a_pseudonymous_id(handler: str) -> None:
    assert fields(handler=handler) == {"handler"}


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"benefit": "parental_benefit"}, "benefit", "unknown benefit"),
        ({"case_type": None}, "case_type", "needs the case type"),
        ({"case_type": "other"}, "mode", "on_indication, not routine"),
        (
            {"case_type": "other", "mode": "on_indication", "indications": None},
            "indications",
            "indications",
        ),
        ({"asked": True, "answer": None}, "answer", "how the person answered"),
        ({"not_asked_reason": "not_alone"}, "not_asked_reason", "must be empty"),
        ({"asked": False, "answer": None}, "not_asked_reason", "why the question was not asked"),
        ({"asked": False, "not_asked_reason": "not_alone"}, "answer", "must be empty"),
        ({"violence_forms": ["physical"]}, "violence_forms", "only filled in"),
        ({"child_report": True}, "child_report", "children_affected"),
        ({"contact": "written"}, "contact", "never asked in writing"),
        (
            {"asked": False, "answer": None, "not_asked_reason": "no_indication"},
            "not_asked_reason",
            "on-indication",
        ),
        (
            {"asked": False, "answer": None, "not_asked_reason": "written_contact"},
            "not_asked_reason",
            "contact written",
        ),
        (
            {"asked": False, "answer": None, "not_asked_reason": "interpreter_not_professional"},
            "not_asked_reason",
            "relative_or_friend",
        ),
        ({"protocol": {"id": "sickness_benefit", "version": "99"}}, "protocol", "no protocol"),
        (
            {"protocol": {"id": "maintenance_support", "version": "1"}},
            "protocol",
            "another benefit",
        ),
    ],
)
def test_impossible_combinations_name_the_field_in_plain_words(
    overrides: dict[str, Any], field: str, words: str
) -> None:
    found = problems(**overrides)
    assert [f for f, _m in found] == [field]
    assert words in found[0][1]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact", "fax"),
        ("answer", "maybe"),
        ("violence_forms", ["cyber"]),
        ("interpreter", "robot"),
        ("client_sex", "x"),
        ("language", "swedish"),
        ("language", "xx"),
        ("duration_seconds", -1),
        ("duration_seconds", 100_000),
        ("asked", "yes please"),
        ("referrals", ["Not An Id"]),
    ],
)
def test_wrong_values_are_rejected(field: str, value: Any) -> None:
    assert field in {f.split(".")[0] for f in fields(**{field: value})}


def test_unknown_fields_are_rejected_with_their_name() -> None:
    assert ("colour", "unknown field") in problems(colour="blue")


def test_lists_do_not_repeat() -> None:
    assert "referrals" in fields(referrals=["kvinnofridslinjen", "kvinnofridslinjen"])


def test_a_full_disclosure_with_child_report_is_valid() -> None:
    record = ScreeningRecord.model_validate(
        record_data(
            answer="disclosed",
            violence_forms=["physical", "threats"],
            children_affected=True,
            child_report=True,
            high_risk=True,
        )
    )
    assert record.child_report


def test_case_type_may_be_null_where_it_does_not_matter() -> None:
    record = ScreeningRecord.model_validate(
        record_data(
            benefit="maintenance_support",
            case_type=None,
            protocol={"id": "maintenance_support", "version": "1"},
        )
    )
    assert record.case_type is None


def test_error_messages_never_quote_the_input() -> None:
    secret = "DEMO-SECRET-VALUE"
    found = problems(case_reference=secret * 10, handler=secret + " x")
    assert all(secret not in message for _field, message in found)


def test_content_hash_ignores_sensitive_fields_only() -> None:
    base = ScreeningRecord.model_validate(record_data())
    assert base.content_hash() == base.model_copy(update={"notes": "x"}).content_hash()
    assert base.content_hash() != base.model_copy(update={"info_given": False}).content_hash()


def test_a_stored_record_is_typed_without_checking_its_rules_again() -> None:
    """A record read back from the store (``context=STORED``) gets its fields parsed and
    typed but not the cross-field rules checked when it was stored; without that context
    the same data is refused."""
    from uuid import UUID

    from app.screening.enums import Answer
    from app.screening.record import STORED

    data = record_data(asked=True, answer="disclosed", not_asked_reason="not_alone")
    with pytest.raises(ValidationError):
        ScreeningRecord.model_validate(data)
    stored = ScreeningRecord.model_validate(data, context=STORED)
    assert isinstance(stored.id, UUID)
    assert stored.answer is Answer.DISCLOSED
    assert stored.recorded_at.tzinfo is UTC
    with pytest.raises(ValidationError):  # the fields' own types still hold
        ScreeningRecord.model_validate({**data, "contact": "carrier pigeon"}, context=STORED)
