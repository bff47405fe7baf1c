"""A practice run: the simulated client beside the real screening session, and the log to score.

The run watches the session's observable actions (the same ``(action, details)``
the wizard emits as ``action_taken``) and the trainee's moves in the
conversation (:meth:`PracticeRun.say`). It notes:

- every move, with what stood in the way at that moment (the truth);
- every *asking* of a question: a question is asked when it is the current one
  on the questions step (again after going back), and the client answers it;
- every reply the trainee records, beside the reply the client gave.

Reading the opening script counts as the move ``explain_everyone_is_asked``;
reaching the support step with information given, or ticking "information given",
counts as ``give_support_information``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.screening.guidance import Action, Blocker
from app.screening.record import ScreeningRecord
from app.screening.session import Session, Step
from app.screening.session_state import Reply, StartInfo
from app.training.scenarios import Scenario
from app.training.simulator import SimulatedClient, Utterance

PRACTICE_TEAM = "practice"


class EventKind(StrEnum):
    MOVE = "move"
    ASK = "ask"
    REPLY = "reply"
    STEP = "step"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    name: str  # the move, the question id, or the session's action
    blockers: tuple[Blocker, ...] = ()  # what stood in the way then (the truth)
    heard: Reply | None = None  # the client's reply (ask, reply)
    recorded: Reply | None = None  # what the trainee recorded (reply)


@dataclass
class RunLog:
    """Everything the scoring looks at."""

    events: list[Event] = field(default_factory=list)
    record: ScreeningRecord | None = None
    indicators: list[str] = field(default_factory=list)
    revealed: list[str] = field(default_factory=list)


class PracticeRun:
    """One trainee's run of one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.client = SimulatedClient(scenario)
        self.log = RunLog()
        self.transcript: list[Utterance] = [self.client.intro()]
        self._asking: tuple[int, str] | None = None
        self._heard: dict[str, Reply] = {}

    def start_info(self, trainee: str, team: str = PRACTICE_TEAM) -> StartInfo:
        """The start details of the scenario, for the trainee, marked as practice."""
        scenario = self.scenario
        return StartInfo(
            handler=trainee,
            team=team,
            benefit=scenario.benefit,
            case_type=scenario.case_type,
            contact=scenario.contact,
            client_sex=scenario.client_sex,
            language=scenario.language,
            practice=True,
        )

    # -- the trainee acts -----------------------------------------------------------

    def say(self, move: Action) -> list[Utterance]:
        """A move in the conversation; returns what is said in reply (may be nothing)."""
        self.log.events.append(Event(EventKind.MOVE, move.value, tuple(self.client.blockers())))
        said = self.client.react(move)
        return self._said([said] if said is not None else [])

    def observe(self, session: Session, action: str, details: dict[str, Any]) -> list[Utterance]:
        """The session changed (``action`` as its observers get it); returns what is said."""
        said: list[Utterance] = []
        self.log.events.append(Event(EventKind.STEP, action))
        if action == "opening":
            said.extend(self.say(Action.EXPLAIN_EVERYONE_IS_ASKED))
        elif (action == "info_given" and details.get("value") is True) or (
            action == "support" and session.state.info_given
        ):
            said.extend(self.say(Action.GIVE_SUPPORT_INFORMATION))
        elif action == "answer":
            question = str(details.get("question"))
            self.log.events.append(
                Event(
                    EventKind.REPLY,
                    question,
                    heard=self._heard.get(question),
                    recorded=Reply(str(details.get("reply"))),
                )
            )
        elif action == "finish":
            self.log.indicators = list(session.state.indicators)
        said.extend(self._maybe_ask(session))
        return said

    def heard(self, question_id: str) -> Reply | None:
        """The client's reply the last time ``question_id`` was asked."""
        return self._heard.get(question_id)

    def finished(self, record: ScreeningRecord) -> None:
        """The screening was saved (in the practice store)."""
        self.log.record = record
        self.log.revealed = list(self.client.revealed)

    # -- internals ------------------------------------------------------------------

    def _maybe_ask(self, session: Session) -> list[Utterance]:
        question = session.current_question if session.step is Step.QUESTIONS else None
        if question is None:
            self._asking = None
            return []
        key = (len(session.state.answers), question.id)
        if key == self._asking:
            return []
        self._asking = key
        blockers = tuple(self.client.blockers())
        heard = self.client.answer(question.id)
        self._heard[question.id] = heard.reply
        self.log.events.append(Event(EventKind.ASK, question.id, blockers, heard=heard.reply))
        return self._said([heard.utterance])

    def _said(self, utterances: list[Utterance]) -> list[Utterance]:
        self.transcript.extend(utterances)
        self.log.revealed = list(self.client.revealed)
        return utterances
