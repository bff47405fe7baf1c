"""The child-concern report draft: the four sections, the personal and immediate duty."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from app.i18n import set_language
from app.referrals.child_report import (
    ChildConcern,
    build_child_report,
    default_reporter_role,
    draft_as_text,
    duty_reminder,
)


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_the_draft_has_the_four_sections_in_order_with_what_was_written() -> None:
    concern = ChildConcern(
        observed="  The parent said the child saw the violence.  ",
        when="Phone call, 2026-11-20 about 10.00",
        child_situation="Two children at home, 4 and 9 years old (synthetic example).",
        reporter_role=default_reporter_role(),
    )
    draft = build_child_report(concern, date(2026, 11, 20))
    assert [section.key for section in draft.sections] == [
        "observed",
        "when",
        "child_situation",
        "reporter_role",
    ]
    assert [section.heading for section in draft.sections] == [
        "What was said or observed",
        "When",
        "The child's situation",
        "Who is reporting (role)",
    ]
    assert draft.sections[0].body == "The parent said the child saw the violence."
    assert draft.complete
    assert draft.dated == "Date: 20 November 2026"
    assert "social services" in draft.to


def test_empty_parts_are_marked_to_fill_in_and_the_draft_is_not_complete() -> None:
    draft = build_child_report(ChildConcern(observed="Seen at the meeting."), date(2026, 11, 20))
    assert not draft.complete
    assert [section.body for section in draft.sections][1:] == ["(to fill in)"] * 3


def test_the_reminder_says_the_duty_is_personal_and_immediate() -> None:
    reminder = duty_reminder()
    assert "yours, personally" in reminder
    assert "immediate" in reminder
    assert "Suspicion is enough" in reminder


def test_the_text_for_social_services_leaves_out_the_handlers_reminder() -> None:
    text = draft_as_text(build_child_report(ChildConcern(observed="x"), date(2026, 11, 20)))
    assert text.startswith("Report of concern about a child\n")
    assert duty_reminder() not in text
    assert "What was said or observed\nx\n" in text


def test_a_draft_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(ValidationError):
        ChildConcern(when="x" * 501)
