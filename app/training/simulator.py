"""The simulated client: the true situation of a scenario and what is said as the handler acts.

The simulator knows the truth, whatever the trainee records in the wizard: who
is really present, who interprets, whether the person can really talk freely,
and whether the handler has checked that. :meth:`SimulatedClient.blockers` are
the guidance rules (:func:`app.screening.guidance.blockers_of`) applied to that
truth, so "asked while not alone" means what the guidance means by it.

A move (:meth:`react`) picks the scenario's first reaction line whose ``when``
holds and applies its ``changes``; a question (:meth:`answer`) picks the first
answer branch whose ``when`` holds. While it is not safe to ask, every question
gets the ``unsafe_answer``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.i18n import N_, _
from app.screening.enums import Interpreter
from app.screening.guidance import Action, Blocker, GuidanceContext, Presence, blockers_of
from app.screening.protocols import LocalText
from app.screening.session_state import Reply
from app.training.scenarios import ClientAnswer, Fact, Line, Scenario, Speaker, When

CAN_TALK = N_("Yes, I can talk now.")
CANNOT_TALK = N_("No, not really right now.")
PLAIN_NO = N_("No.")


@dataclass(frozen=True)
class Utterance:
    """One line in the client panel: scenario words in both languages, or a built-in line."""

    speaker: Speaker
    words: LocalText | None = None
    message: str | None = None  # a built-in line's msgid, translated when shown
    facts: tuple[Fact, ...] = ()

    def text(self, language: str) -> str:
        if self.words is not None:
            return self.words.get(language)
        return _(self.message) if self.message else ""


@dataclass(frozen=True)
class Heard:
    """The client's answer to one asking of a question."""

    question: str
    reply: Reply
    utterance: Utterance


@dataclass
class SimulatedClient:
    scenario: Scenario
    others_present: list[Presence] = field(init=False)
    interpreter: Interpreter = field(init=False)
    can_talk_freely: bool = field(init=False)
    confirmed: bool = field(init=False, default=False)
    moves: list[Action] = field(init=False, default_factory=list)
    asked: Counter[str] = field(init=False, default_factory=Counter)
    revealed: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        start = self.scenario.situation
        self.others_present = list(start.others_present)
        self.interpreter = start.interpreter
        self.can_talk_freely = start.can_talk_freely

    # -- the truth ------------------------------------------------------------------

    def context(self, *, known: bool = True) -> GuidanceContext:
        """The true situation; with ``known``, "can talk freely" counts only once checked."""
        talk: bool | None = self.can_talk_freely
        if known and not self.confirmed:
            talk = None
        return GuidanceContext(
            benefit=self.scenario.benefit,
            case_type=self.scenario.case_type,
            contact=self.scenario.contact,
            others_present=self.others_present,
            can_talk_freely=talk,
            interpreter=self.interpreter,
        )

    def blockers(self) -> list[Blocker]:
        """What stands in the way of asking now, as far as the handler can know."""
        return blockers_of(self.context())[0]

    def is_safe(self) -> bool:
        """Nothing really stands in the way (whether or not the handler has checked)."""
        return not blockers_of(self.context(known=False))[0]

    def holds(self, when: When, times: int) -> bool:
        checks = (
            (when.alone, not self.others_present),
            (when.safe, self.is_safe()),
            (when.can_talk_freely, self.can_talk_freely),
            (when.interpreter, self.interpreter),
            (when.times, times),
        )
        if any(expected is not None and expected != actual for expected, actual in checks):
            return False
        return when.after is None or when.after in self.moves

    # -- what is said ---------------------------------------------------------------

    def intro(self) -> Utterance:
        return Utterance(Speaker.NARRATOR, self.scenario.intro)

    def react(self, move: Action) -> Utterance | None:
        """The handler makes ``move``: what is said, and the situation changes."""
        times = self.moves.count(move) + 1
        line = next(
            (
                item
                for item in self.scenario.reactions.get(move, [])
                if self.holds(item.when, times)
            ),
            None,
        )
        self.moves.append(move)
        if move is Action.CONFIRM_CAN_TALK_FREELY:
            self.confirmed = True
        if line is None:
            if move is Action.CONFIRM_CAN_TALK_FREELY:
                return Utterance(
                    Speaker.CLIENT, message=CAN_TALK if self.can_talk_freely else CANNOT_TALK
                )
            return None
        self._apply(line)
        return Utterance(line.speaker, line.words, facts=self._reveal(line.reveals))

    def _apply(self, line: Line) -> None:
        changes = line.changes
        if changes is None:
            return
        if changes.others_present is not None:
            self.others_present = list(changes.others_present)
        if changes.interpreter is not None:
            self.interpreter = changes.interpreter
        if changes.can_talk_freely is not None and changes.can_talk_freely != self.can_talk_freely:
            self.can_talk_freely = changes.can_talk_freely
            self.confirmed = False  # a new situation: check again

    def answer(self, question_id: str) -> Heard:
        """The handler asks ``question_id`` (again): the client's reply and words."""
        self.asked[question_id] += 1
        times = self.asked[question_id]
        chosen: ClientAnswer | None = None
        if not self.is_safe():
            chosen = self.scenario.unsafe_answer
            if chosen is None:
                return Heard(question_id, Reply.NO, Utterance(Speaker.CLIENT, message=PLAIN_NO))
        else:
            branches = self.scenario.answers.get(question_id, [])
            chosen = next((item for item in branches if self.holds(item.when, times)), None)
            chosen = chosen or self.scenario.default_answer
        if chosen is None:
            return Heard(question_id, Reply.NO, Utterance(Speaker.CLIENT, message=PLAIN_NO))
        utterance = Utterance(Speaker.CLIENT, chosen.words, facts=self._reveal(chosen.reveals))
        return Heard(question_id, chosen.reply, utterance)

    def _reveal(self, fact_ids: list[str]) -> tuple[Fact, ...]:
        new: list[Fact] = []
        for fact_id in fact_ids:
            fact = self.scenario.fact(fact_id)
            if fact is not None and fact_id not in self.revealed:
                self.revealed.append(fact_id)
                new.append(fact)
        return tuple(new)
