"""A small synthetic scenario to build on in the training tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from app.training.scenarios import Scenario

BASE: dict[str, Any] = {
    "id": "test_scenario",
    "title": {"sv": "Testscenario", "en": "Test scenario"},
    "persona": {"name": "Testa", "age": 30, "situation": {"sv": "Påhittad.", "en": "Made up."}},
    "intro": {"sv": "Du ringer Testa.", "en": "You call Testa."},
    "benefit": "sickness_benefit",
    "case_type": "return_to_work_investigation",
    "contact": "phone",
    "client_sex": "female",
    "situation": {"others_present": ["partner"], "can_talk_freely": False},
    "facts": [{"id": "a_fact", "text": {"sv": "Ett faktum.", "en": "A fact."}}],
    "reactions": {
        "ask_to_speak_alone": [
            {
                "when": {"alone": False},
                "speaker": "partner",
                "words": {"sv": "Jag går.", "en": "I'm leaving."},
                "changes": {"others_present": [], "can_talk_freely": True},
            }
        ]
    },
    "answers": {
        "physical": [
            {"when": {"times": 1}, "reply": "no", "words": {"sv": "Nej.", "en": "No."}},
            {
                "reply": "yes",
                "words": {"sv": "Ja, faktiskt.", "en": "Yes, actually."},
                "reveals": ["a_fact"],
            },
        ]
    },
    "unsafe_answer": {
        "reply": "no",
        "words": {"sv": "(Tittar bort) Nej.", "en": "(Looks away) No."},
    },
    "rubric": [
        {
            "id": "alone",
            "weight": 2,
            "title": {"sv": "Ensam", "en": "Alone"},
            "why": {"sv": "Regel.", "en": "Rule."},
            "instead": {"sv": "Gör så.", "en": "Do this."},
            "expect": {"never_asked_while": "not_alone"},
        }
    ],
}


def scenario_data(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(overrides)
    return data


@pytest.fixture
def make_scenario() -> Callable[..., Scenario]:
    def make(**overrides: Any) -> Scenario:
        return Scenario.model_validate(scenario_data(**overrides))

    return make
