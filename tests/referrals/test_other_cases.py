"""The prompt to inform the person's other cases at the agency."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.i18n import set_language
from app.referrals.other_cases import DEFAULT_PROMPT, other_cases_prompt
from app.screening.protocols import protocol_set


def test_sgi_customer_meeting_prompts_with_its_protocol_text() -> None:
    protocol = protocol_set().latest("sgi_customer_meeting")
    consequence = next(c for c in protocol.consequences if c.id == "inform_other_cases")
    assert other_cases_prompt("sgi_customer_meeting", "sv") == consequence.text.sv
    assert other_cases_prompt(protocol, "en") == consequence.text.en


def test_sgi_prompts_even_when_its_protocol_has_no_such_consequence() -> None:
    set_language("en")
    protocol = protocol_set().latest("sgi_customer_meeting")
    bare = protocol.model_copy(
        update={"consequences": [c for c in protocol.consequences if c.id != "inform_other_cases"]}
    )
    assert other_cases_prompt(bare) == DEFAULT_PROMPT


@pytest.mark.parametrize("benefit", sorted(protocol_set().benefits()))
def test_other_benefits_prompt_only_when_their_protocol_says_so(benefit: str) -> None:
    protocol = protocol_set().latest(benefit)
    says_so = any(c.id == "inform_other_cases" for c in protocol.consequences)
    prompt = other_cases_prompt(benefit, "en")
    assert (prompt is not None) == (says_so or benefit == "sgi_customer_meeting")


def test_a_consequence_added_to_any_protocol_makes_it_prompt() -> None:
    protocol = protocol_set().latest("maintenance_support")
    consequence = protocol_set().latest("sgi_customer_meeting").consequences[0]
    extended = protocol.model_copy(update={"consequences": [*protocol.consequences, consequence]})
    assert other_cases_prompt(extended, "en") == consequence.text.en


def test_an_unknown_benefit_is_a_user_error() -> None:
    with pytest.raises(UserError):
        other_cases_prompt("no_such_benefit")
