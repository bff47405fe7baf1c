"""The simulated client: the true situation, reactions to moves, answers with branches."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.screening.guidance import Action, Blocker, Presence
from app.screening.session_state import Reply
from app.training.scenarios import Scenario, Speaker
from app.training.simulator import SimulatedClient

Make = Callable[..., Scenario]


@pytest.mark.usefixtures("english")
def test_the_truth_blocks_asking_and_checking_counts_only_when_done(make_scenario: Make) -> None:
    client = SimulatedClient(make_scenario())
    assert client.blockers() == [Blocker.NOT_ALONE, Blocker.TALK_FREELY_UNCONFIRMED]
    assert not client.is_safe()
    said = client.react(Action.CONFIRM_CAN_TALK_FREELY)
    assert said is not None
    assert said.speaker is Speaker.CLIENT
    assert said.text("en") == "No, not really right now."
    assert client.blockers() == [Blocker.NOT_ALONE, Blocker.UNSAFE_TO_TALK]


def test_a_move_changes_the_situation_and_a_new_situation_must_be_checked_again(
    make_scenario: Make,
) -> None:
    client = SimulatedClient(make_scenario())
    client.react(Action.CONFIRM_CAN_TALK_FREELY)
    said = client.react(Action.ASK_TO_SPEAK_ALONE)
    assert said is not None
    assert (said.speaker, said.text("sv")) == (Speaker.PARTNER, "Jag går.")
    assert client.others_present == []
    assert client.blockers() == [Blocker.TALK_FREELY_UNCONFIRMED]
    assert client.is_safe()
    client.react(Action.CONFIRM_CAN_TALK_FREELY)
    assert client.blockers() == []


def test_a_branch_whose_condition_fails_is_skipped(make_scenario: Make) -> None:
    client = SimulatedClient(make_scenario(situation={"can_talk_freely": True}))
    assert client.react(Action.ASK_TO_SPEAK_ALONE) is None  # "alone: false" does not hold
    assert client.moves == [Action.ASK_TO_SPEAK_ALONE]


def test_while_unsafe_every_question_gets_the_unsafe_answer(make_scenario: Make) -> None:
    client = SimulatedClient(make_scenario())
    heard = client.answer("physical")
    assert heard.reply is Reply.NO
    assert heard.utterance.text("en") == "(Looks away) No."
    assert client.revealed == []


def test_a_first_no_becomes_a_disclosure_when_asked_again(make_scenario: Make) -> None:
    client = SimulatedClient(make_scenario(situation={"can_talk_freely": True}))
    first = client.answer("physical")
    second = client.answer("physical")
    assert (first.reply, second.reply) == (Reply.NO, Reply.YES)
    assert second.utterance.text("en") == "Yes, actually."
    assert [fact.id for fact in second.utterance.facts] == ["a_fact"]
    assert client.revealed == ["a_fact"]
    third = client.answer("physical")
    assert third.utterance.facts == (), "a fact is revealed once"


def test_questions_without_answers_get_the_default(make_scenario: Make) -> None:
    client = SimulatedClient(make_scenario(situation={"can_talk_freely": True}))
    assert client.answer("threats").reply is Reply.NO
    custom = make_scenario(
        situation={"can_talk_freely": True},
        default_answer={"reply": "declined", "words": {"sv": "Pass.", "en": "Pass."}},
    )
    heard = SimulatedClient(custom).answer("threats")
    assert (heard.reply, heard.utterance.text("sv")) == (Reply.DECLINED, "Pass.")


def test_after_and_interpreter_conditions(make_scenario: Make) -> None:
    scenario = make_scenario(
        situation={"others_present": ["family_member"], "interpreter": "relative_or_friend"},
        reactions={
            "ask_to_speak_alone": [
                {
                    "when": {"after": "book_professional_interpreter"},
                    "words": {"sv": "Nu går jag.", "en": "Now I go."},
                    "changes": {"others_present": []},
                },
                {
                    "when": {"interpreter": "relative_or_friend"},
                    "speaker": "family_member",
                    "words": {"sv": "Jag måste tolka.", "en": "I must interpret."},
                },
            ],
            "book_professional_interpreter": [
                {
                    "speaker": "narrator",
                    "words": {"sv": "Tolk bokad.", "en": "Booked."},
                    "changes": {"interpreter": "professional"},
                }
            ],
        },
    )
    client = SimulatedClient(scenario)
    first = client.react(Action.ASK_TO_SPEAK_ALONE)
    assert first is not None
    assert first.text("en") == "I must interpret."
    assert client.others_present == [Presence.FAMILY_MEMBER]
    client.react(Action.BOOK_PROFESSIONAL_INTERPRETER)
    second = client.react(Action.ASK_TO_SPEAK_ALONE)
    assert second is not None
    assert second.text("en") == "Now I go."
    assert client.is_safe()
    assert client.blockers() == [Blocker.TALK_FREELY_UNCONFIRMED]


def test_the_intro_is_narration(make_scenario: Make) -> None:
    intro = SimulatedClient(make_scenario()).intro()
    assert (intro.speaker, intro.text("en")) == (Speaker.NARRATOR, "You call Testa.")
