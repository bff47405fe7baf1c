"""Synthetic, plausible screening records for demos, screenshots and benchmarks.

Everything here is made up: pseudonymous handler ids like ``demo-h07``, case
references like ``DEMO-000123``. The rates are set to look like the agency's
situation (routine asking well below 100%, fewer men asked, fewer asked through
an interpreter) so the statistics have something to show.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any, Generic, TypeVar

from app.i18n import STOCKHOLM
from app.screening.enums import (
    Answer,
    CaseType,
    ChildDecision,
    ClientSex,
    Contact,
    Interpreter,
    Mode,
    NotAskedReason,
    RiskMarker,
    ViolenceForm,
)
from app.screening.protocols import protocol_set
from app.screening.record import ScreeningRecord

T = TypeVar("T")
TEAMS = ("demo-team-norr", "demo-team-mitt", "demo-team-syd", "demo-team-vast")
HANDLERS_PER_TEAM = 6
BENEFIT_WEIGHTS = {
    "sickness_benefit": 40,
    "rehabilitation_compensation": 10,
    "maintenance_support": 25,
    "activity_compensation": 10,
    "sgi_customer_meeting": 15,
}
LANGUAGES = (
    ("sv", 78),
    ("ar", 6),
    ("en", 4),
    ("so", 3),
    ("fa", 3),
    ("ti", 2),
    ("pl", 2),
    ("fi", 2),
)
DEMO_REFERRALS = ("kvinnofridslinjen", "social_services", "brottsofferjouren", "healthcare_1177")
# The enums' values as plain strings: the generator writes JSON-ready data.
_FORMS = tuple(form.value for form in ViolenceForm)
_OTHER_REASONS = tuple(
    reason.value
    for reason in (
        NotAskedReason.NOT_ALONE,
        NotAskedReason.HANDLER_UNSURE,
        NotAskedReason.PERSON_DECLINED_CONTACT,
        NotAskedReason.OTHER,
    )
)
_RETURN_TO_WORK, _OTHER_CASE = CaseType.RETURN_TO_WORK_INVESTIGATION.value, CaseType.OTHER.value
_ON_INDICATION = Mode.ON_INDICATION.value
_WRITTEN, _PHONE, _IN_PERSON = Contact.WRITTEN.value, Contact.PHONE.value, Contact.IN_PERSON.value
_NO_INTERPRETER = Interpreter.NONE.value
_RELATIVE, _PROFESSIONAL = Interpreter.RELATIVE_OR_FRIEND.value, Interpreter.PROFESSIONAL.value
_FEMALE, _MALE = ClientSex.FEMALE.value, ClientSex.MALE.value
_NO_INDICATION = NotAskedReason.NO_INDICATION.value
_WRITTEN_CONTACT = NotAskedReason.WRITTEN_CONTACT.value
_INTERPRETER_NOT_PROFESSIONAL = NotAskedReason.INTERPRETER_NOT_PROFESSIONAL.value
_REPRESENTATIVE_PRESENT = NotAskedReason.REPRESENTATIVE_PRESENT.value
_UNSAFE_TO_TALK = NotAskedReason.UNSAFE_TO_TALK.value
_REPORTED_NOW = ChildDecision.REPORTED_NOW.value
_REPORTED_EARLIER = ChildDecision.REPORTED_EARLIER.value
_CONSULTED = ChildDecision.CONSULTED_SOCIAL_SERVICES.value
_NO_CHILD_EXPOSED = ChildDecision.NO_CHILD_EXPOSED.value
# A high-risk demo record's risk marker (statistics count each marker); taken from the
# record's other fields, so the random stream, and every other field, stays as it was.
_FEAR = RiskMarker.FEAR.value
_DISCLOSED, _DECLINED = Answer.DISCLOSED.value, Answer.DECLINED_TO_ANSWER.value
_NOT_DISCLOSED = Answer.NOT_DISCLOSED.value


class _Weighted(Generic[T]):
    """A fast weighted choice: one random number and a bisection."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.pick_with(rng.random)

    def pick_with(self, random: Callable[[], float]) -> T:
        return self.items[bisect(self.cumulative, random() * self.total)]


class DemoGenerator:
    """Makes records one at a time; the same seed gives the same records."""

    def __init__(
        self,
        seed: int = 1,
        *,
        end: datetime | None = None,
        days: int = 365,
        stream: int = 0,
    ) -> None:
        """``stream`` picks an independent sequence for the same seed (parallel chunks)."""
        habits = random.Random(seed)
        self.rng = random.Random(f"{seed}:{stream}") if stream else habits
        self.end = (end or datetime.now(UTC)).astimezone(UTC)
        self.days = days
        self.protocols = protocol_set()
        self.handlers = [
            (team, f"demo-h{index * HANDLERS_PER_TEAM + number + 1:02d}")
            for index, team in enumerate(TEAMS)
            for number in range(HANDLERS_PER_TEAM)
        ]
        # Each handler has their own habit of asking: the spread team leads need to see.
        self.habit = {handler: habits.uniform(0.45, 0.95) for _team, handler in self.handlers}
        benefits = [b for b in BENEFIT_WEIGHTS if b in self.protocols.benefits()]
        self.benefits = _Weighted(
            benefits or self.protocols.benefits(),
            [BENEFIT_WEIGHTS.get(b, 5) for b in (benefits or self.protocols.benefits())],
        )
        self.latest = {b: self.protocols.latest(b) for b in self.benefits.items}
        self._modes = {
            (benefit, case_type): protocol.mode_for(
                CaseType(case_type) if case_type else None
            ).value
            for benefit, protocol in self.latest.items()
            for case_type in (None, _RETURN_TO_WORK, _OTHER_CASE)
        }
        self._handler_count = len(self.handlers)
        self.sexes = _Weighted((_FEMALE, _MALE, ClientSex.UNKNOWN.value), (55, 43, 2))
        self.languages = _Weighted([code for code, _w in LANGUAGES], [w for _c, w in LANGUAGES])
        self._days = self._weekdays(self.end.astimezone(STOCKHOLM).date() - timedelta(days=1))
        self._uuid_bits = self.rng.getrandbits
        self._last_local_date = ""

    def _weekdays(self, last_day: date) -> list[tuple[str, int]]:
        """For each of ``days`` days back from ``last_day``: the date (a weekend moved back
        to its Friday) and Stockholm's UTC offset that day in minutes."""
        days = []
        for back in range(self.days):
            day = last_day - timedelta(days=back)
            if day.weekday() >= 5:
                day -= timedelta(days=day.weekday() - 4)
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=STOCKHOLM)
            offset = noon.utcoffset() or timedelta()
            days.append((day.isoformat(), int(offset.total_seconds()) // 60))
        return days

    def data(self) -> dict[str, Any]:
        """The next record as JSON-ready data, valid by construction (fast: no validation).

        This runs a million times for ``vagafraga demo``, so it draws with ``random()``
        rather than ``randrange``/``choice``, uses the enums' string values directly and
        formats ids and times with f-strings (no ``uuid.UUID``, no ``strftime``).
        """
        random = self.rng.random
        team, handler = self.handlers[int(random() * self._handler_count)]
        benefit = self.benefits.pick_with(random)
        protocol = self.latest[benefit]
        case_type: str | None = None
        if protocol.needs_case_type:
            case_type = _RETURN_TO_WORK if random() < 0.5 else _OTHER_CASE
        mode = self._modes[benefit, case_type]
        on_indication = mode == _ON_INDICATION
        written_share = 0.3 if benefit == "maintenance_support" else 0.05
        roll = random()
        contact = _WRITTEN if roll < written_share else _PHONE
        if contact == _PHONE and roll >= written_share + 0.6:
            contact = _IN_PERSON
        sex = self.sexes.pick_with(random)
        language = self.languages.pick_with(random)
        interpreter = _NO_INTERPRETER
        if language != "sv" and random() < 0.6:
            interpreter = _RELATIVE if random() < 0.15 else _PROFESSIONAL
        indications: bool | None = None
        if on_indication:
            indications = random() < 0.18
        called_for = not on_indication or bool(indications)

        chance = self.habit[handler]
        if sex == _MALE:
            chance -= 0.12
        if interpreter != _NO_INTERPRETER:
            chance -= 0.15
        if on_indication:
            chance -= 0.1

        asked = spontaneous = False
        reason: str | None = None
        if not called_for:
            reason = _NO_INDICATION
        elif contact == _WRITTEN:
            reason = _WRITTEN_CONTACT
        elif interpreter == _RELATIVE:
            reason = _INTERPRETER_NOT_PROFESSIONAL
        elif random() < chance:
            asked = True
        elif benefit == "activity_compensation" and random() < 0.5:
            reason = _REPRESENTATIVE_PRESENT
        elif contact == _PHONE and (talk := random()) < 0.3:
            reason = _UNSAFE_TO_TALK
            spontaneous = talk < 0.02  # told anyway, without being asked
        else:
            reason = _OTHER_REASONS[int(random() * len(_OTHER_REASONS))]

        answer: str | None = None
        forms: list[str] = []
        immediate = high_risk = sheltered = child_report = False
        children: bool | None = None
        decision: str | None = None
        no_child_reason: str | None = None
        info_given = False
        referrals: list[str] = []
        duration: int | None = None
        if asked:
            rng = self.rng
            disclose = 0.11 if sex == _FEMALE else 0.05
            roll = random()
            if roll < disclose:
                answer = _DISCLOSED
                forms = rng.sample(_FORMS, k=rng.choice((1, 1, 2, 2, 3)))
                immediate = random() < 0.03
                high_risk = immediate or random() < 0.2
                sheltered = random() < 0.08
                children_roll = random()
                children = children_roll < 0.35
                if children:
                    report_roll = random()
                    child_report = report_roll < 0.75
                    decision = _CONSULTED
                    if child_report:
                        decision = _REPORTED_EARLIER if report_roll < 0.1 else _REPORTED_NOW
                elif children_roll < 0.42:
                    decision = _NO_CHILD_EXPOSED
                    no_child_reason = protocol.no_child_exposed_reasons[0].id
            elif roll < disclose + 0.05:
                answer = _DECLINED
            else:
                answer = _NOT_DISCLOSED
            info_given = random() < (0.97 if answer == _DISCLOSED else 0.82)
            if info_given:
                referrals = ["kvinnofridslinjen"]
                if answer == _DISCLOSED:
                    referrals += rng.sample(DEMO_REFERRALS[1:], k=rng.choice((0, 1, 2)))
            duration = int(min(3600, rng.lognormvariate(5.4, 0.6)))

        # Office hours on a weekday, in Stockholm, some day before ``end``. Stockholm is
        # UTC+1 or +2 and the hours are 08:00-16:29, so the UTC time is on the same date.
        day, offset = self._days[int(random() * self.days)]
        self._last_local_date = day
        minute = 480 + int(random() * 510) - offset
        bits = self._uuid_bits(128) & ~(0xC000 << 48) | 0x8000 << 48
        bits = bits & ~(0xF000 << 64) | 4 << 76
        hexa = f"{bits:032x}"
        return {
            "id": f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}",
            "recorded_at": f"{day}T{minute // 60:02d}:{minute % 60:02d}:{int(random() * 60):02d}Z",
            "handler": handler,
            "team": team,
            "benefit": benefit,
            "case_type": case_type,
            "contact": contact,
            "mode": mode,
            "indications": indications,
            "asked": asked,
            "not_asked_reason": reason,
            "answer": answer,
            "violence_forms": forms,
            "immediate_danger": immediate,
            "danger_actions": ["helped_person_call_112"] if immediate else [],
            "high_risk": high_risk,
            "risk_markers": [_FEAR] if high_risk else [],
            "children_affected": children,
            "child_report": child_report,
            "child_report_decision": decision,
            "no_child_exposed_reason": no_child_reason,
            "spontaneous_disclosure": spontaneous,
            "info_given": info_given,
            "referrals": referrals,
            "interpreter": interpreter,
            "language": language,
            "client_sex": sex,
            "sheltered_housing": sheltered,
            "duration_seconds": duration,
            "protocol": {"id": protocol.id, "version": protocol.version},
            "practice": random() < 0.01,
            "case_reference": f"DEMO-{int(random() * 1_000_000):06d}" if random() < 0.3 else None,
            "notes": None,
        }

    def record(self) -> ScreeningRecord:
        """The next record, fully validated."""
        return ScreeningRecord.model_validate(self.data())

    def records(self, count: int) -> Iterator[ScreeningRecord]:
        for _ in range(count):
            yield self.record()

    def many(self, count: int) -> Iterator[dict[str, Any]]:
        for _ in range(count):
            yield self.data()

    def many_with_local_dates(self, count: int) -> Iterator[tuple[dict[str, Any], str]]:
        """Like :meth:`many`, each with its calendar date in Stockholm (``YYYY-MM-DD``)."""
        for _ in range(count):
            data = self.data()
            yield data, self._last_local_date
