"""Scoring a practice run against the scenario's rubric.

Each rubric item names exactly one check (``expect``). The kinds, a small closed
vocabulary:

``action_before_question: MOVE``
    The move was made, and before the first question if any question was asked.
``move_made: MOVE``
    The move was made at some point.
``never_asked_while: BLOCKER``
    No question was asked while this stood in the way (the truth, not what the
    trainee recorded); ``talk_freely_unconfirmed`` means nobody had checked.
``record: {FIELD: VALUE, ...}``
    The saved record has these values (``asked``, ``answer``, ``not_asked_reason``,
    ``indications``, ``immediate_danger``, ``high_risk``, ``children_affected``,
    ``child_report``, ``child_report_decision``, ``info_given``, ``interpreter``,
    ``sheltered_housing``).
``info_given: BOOL``
    The record says support information was (or was not) given.
``not_asked_reason: REASON``
    The record says not asked, for this reason.
``referral_includes: ENTRY``
    The record's referrals include this directory entry.
``forms_include: [FORM, ...]``
    The record's forms of violence include these.
``indicators_ticked: [INDICATOR, ...]``
    The trainee ticked these indicators.
``replies_as_given: true``
    Every reply was recorded as the client gave it.
``revealed: FACT``
    The trainee learned this fact (asked what reveals it).
``danger_action_any: [ACTION, ...]``
    The danger step recorded at least one of these (e.g. 112 called, or the person helped
    to call).

Items whose check needs the saved record are missed when the run ended unsaved.
"""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _, current_language, ngettext
from app.referrals.local import shipped_directory
from app.screening.enums import DangerAction, NotAskedReason, ViolenceForm
from app.screening.guidance import Action, Blocker
from app.screening.labels import danger_action_label, reason_label, violence_form_label
from app.screening.protocols import protocol_set
from app.training.results import ItemResult, PracticeResult
from app.training.run import EventKind, RunLog
from app.training.scenarios import RecordExpect, RubricItem, Scenario
from app.training.texts import move_label, record_fact, situation_label

Verdict = tuple[bool, str]


def score(scenario: Scenario, log: RunLog) -> PracticeResult:
    """Every rubric item checked against the run; the score is the sum of passed weights."""
    items = [_item(scenario, log, item) for item in scenario.rubric]
    return PracticeResult(
        scenario=scenario.id,
        score=sum(item.weight for item in items if item.passed),
        max_score=scenario.max_score,
        items=items,
    )


def _item(scenario: Scenario, log: RunLog, item: RubricItem) -> ItemResult:
    passed, explanation = check(scenario, log, item)
    return ItemResult(id=item.id, passed=passed, weight=item.weight, explanation=explanation)


def check(scenario: Scenario, log: RunLog, item: RubricItem) -> Verdict:
    """Whether the run meets one rubric item, with what happened in words."""
    expect = item.expect
    kind = expect.kind
    checker = CHECKS[kind]
    return checker(scenario, log, expect.value)


def _first(log: RunLog, kind: EventKind, name: str | None = None) -> int | None:
    for index, event in enumerate(log.events):
        if event.kind is kind and (name is None or event.name == name):
            return index
    return None


def action_before_question(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    move = Action(str(value))
    made = _first(log, EventKind.MOVE, move.value)
    asked = _first(log, EventKind.ASK)
    if made is None:
        return False, _("Not done: {move}.").format(move=move_label(move))
    if asked is None:
        return True, _("Done: {move}; no question was asked.").format(move=move_label(move))
    if made < asked:
        return True, _("Done before the first question: {move}.").format(move=move_label(move))
    return False, _("The first question was asked before {move}.").format(move=move_label(move))


def move_made(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    move = Action(str(value))
    if _first(log, EventKind.MOVE, move.value) is None:
        return False, _("Not done: {move}.").format(move=move_label(move))
    return True, _("Done: {move}.").format(move=move_label(move))


def never_asked_while(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    blocker = Blocker(str(value))
    count = sum(
        1 for event in log.events if event.kind is EventKind.ASK and blocker in event.blockers
    )
    situation = situation_label(blocker)
    if count:
        return False, ngettext(
            "{count} question was asked while {situation}.",
            "{count} questions were asked while {situation}.",
            count,
        ).format(count=count, situation=situation)
    return True, _("No question was asked while {situation}.").format(situation=situation)


def _unsaved() -> Verdict:
    return False, _("The screening was not saved, so nothing was recorded.")


def record(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    assert isinstance(value, RecordExpect)
    if log.record is None:
        return _unsaved()
    saved = log.record.model_dump(mode="json")
    expected = value.given()
    wrong = [name for name, wanted in expected.items() if saved.get(name) != wanted]
    if wrong:
        return False, _("The record has {actual}; expected {expected}.").format(
            actual=", ".join(record_fact(name, saved.get(name)) for name in wrong),
            expected=", ".join(record_fact(name, expected[name]) for name in wrong),
        )
    shown = ", ".join(record_fact(name, saved.get(name)) for name in expected)
    return True, _("The record has {values}.").format(values=shown)


def danger_action_any(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    assert isinstance(value, list)
    if log.record is None:
        return _unsaved()
    done = [action for action in log.record.danger_actions if action in value]
    if done:
        return True, _("Recorded on the danger step: {actions}.").format(
            actions=", ".join(danger_action_label(action) for action in done)
        )
    return False, _("Not recorded on the danger step: {actions}.").format(
        actions=_(" or ").join(danger_action_label(DangerAction(action)) for action in value)
    )


def info_given(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    if log.record is None:
        return _unsaved()
    given = log.record.info_given
    text = (
        _("Support information was recorded as given.")
        if given
        else _("Support information was not recorded as given.")
    )
    return given is bool(value), text


def not_asked_reason(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    reason = NotAskedReason(str(value))
    saved = log.record
    if saved is None:
        return _unsaved()
    if saved.asked:
        return False, _("The questions were asked; expected not asked because: {reason}.").format(
            reason=reason_label(reason)
        )
    actual = saved.not_asked_reason
    assert actual is not None
    if actual is reason:
        return True, _("Recorded as not asked because: {reason}.").format(
            reason=reason_label(reason)
        )
    return False, _("Recorded as not asked because: {actual}; expected: {reason}.").format(
        actual=reason_label(actual), reason=reason_label(reason)
    )


def referral_includes(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    entry_id = str(value)
    entry = shipped_directory().get(entry_id)
    name = entry.name.get(current_language()) if entry is not None else entry_id
    if log.record is None:
        return _unsaved()
    if entry_id in log.record.referrals:
        return True, _("Referred to {entry}.").format(entry=name)
    return False, _("Not referred to {entry}.").format(entry=name)


def forms_include(_scenario: Scenario, log: RunLog, value: object) -> Verdict:
    assert isinstance(value, list)
    forms = [ViolenceForm(str(form)) for form in value]
    if log.record is None:
        return _unsaved()
    missing = [form for form in forms if form not in log.record.violence_forms]
    if missing:
        return False, _("Not recorded: {forms}.").format(
            forms=", ".join(violence_form_label(form) for form in missing)
        )
    return True, _("Recorded: {forms}.").format(
        forms=", ".join(violence_form_label(form) for form in forms)
    )


def indicators_ticked(scenario: Scenario, log: RunLog, value: object) -> Verdict:
    assert isinstance(value, list)
    protocol = protocol_set().latest(scenario.benefit)
    language = current_language()

    def text(indicator_id: str) -> str:
        return protocol.indicator(indicator_id).text.get(language)

    if log.record is None:
        return _unsaved()
    missing = [str(item) for item in value if item not in log.indicators]
    if missing:
        return False, _("Not ticked: {indicators}").format(
            indicators="; ".join(text(item) for item in missing)
        )
    return True, _("Ticked: {indicators}").format(
        indicators="; ".join(text(str(item)) for item in value)
    )


def replies_as_given(_scenario: Scenario, log: RunLog, _value: object) -> Verdict:
    replies = [event for event in log.events if event.kind is EventKind.REPLY]
    wrong = sum(1 for event in replies if event.recorded is not event.heard)
    if wrong:
        return False, ngettext(
            "{count} answer was recorded differently from what the person said.",
            "{count} answers were recorded differently from what the person said.",
            wrong,
        ).format(count=wrong)
    if not replies:
        return True, _("No answers to record: no question was asked.")
    return True, _("Every answer was recorded as the person gave it.")


def revealed(scenario: Scenario, log: RunLog, value: object) -> Verdict:
    fact = scenario.fact(str(value))
    text = fact.text.get(current_language()) if fact is not None else str(value)
    if str(value) in log.revealed:
        return True, _("Learned: {fact}").format(fact=text)
    return False, _("Not learned: {fact}").format(fact=text)


CHECKS: dict[str, Callable[[Scenario, RunLog, object], Verdict]] = {
    "action_before_question": action_before_question,
    "move_made": move_made,
    "never_asked_while": never_asked_while,
    "record": record,
    "danger_action_any": danger_action_any,
    "info_given": info_given,
    "not_asked_reason": not_asked_reason,
    "referral_includes": referral_includes,
    "forms_include": forms_include,
    "indicators_ticked": indicators_ticked,
    "replies_as_given": replies_as_given,
    "revealed": revealed,
}
