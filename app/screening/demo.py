"""Synthetic, plausible screening records for demos, screenshots and benchmarks.

Everything here is made up: pseudonymous handler ids like ``demo-h07``, case
references like ``DEMO-000123``. The rates are set to look like the agency's
situation (routine asking well below 100%, fewer men asked, fewer asked through
an interpreter) so the statistics have something to show.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any, Generic, TypeVar

from app.i18n import STOCKHOLM
from app.screening.enums import (
    Answer,
    CaseType,
    ClientSex,
    Contact,
    Interpreter,
    Mode,
    NotAskedReason,
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
_FORMS = tuple(ViolenceForm)
_OTHER_REASONS = (
    NotAskedReason.NOT_ALONE,
    NotAskedReason.HANDLER_UNSURE,
    NotAskedReason.PERSON_DECLINED_CONTACT,
    NotAskedReason.OTHER,
)


class _Weighted(Generic[T]):
    """A fast weighted choice: one random number and a bisection."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


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
        self.sexes = _Weighted((ClientSex.FEMALE, ClientSex.MALE, ClientSex.UNKNOWN), (55, 43, 2))
        self.languages = _Weighted([code for code, _w in LANGUAGES], [w for _c, w in LANGUAGES])
        self._last_day = self.end.astimezone(STOCKHOLM).date() - timedelta(days=1)
        self._uuid_bits = self.rng.getrandbits

    def data(self) -> dict[str, Any]:
        """The next record as JSON-ready data, valid by construction (fast: no validation)."""
        rng = self.rng
        team, handler = rng.choice(self.handlers)
        benefit = self.benefits.pick(rng)
        protocol = self.latest[benefit]
        case_type: CaseType | None = None
        if protocol.needs_case_type:
            case_type = (
                CaseType.RETURN_TO_WORK_INVESTIGATION if rng.random() < 0.5 else CaseType.OTHER
            )
        mode = protocol.mode_for(case_type)
        written_share = 0.3 if benefit == "maintenance_support" else 0.05
        roll = rng.random()
        contact = (
            Contact.WRITTEN
            if roll < written_share
            else Contact.PHONE
            if roll < written_share + 0.6
            else Contact.IN_PERSON
        )
        sex = self.sexes.pick(rng)
        language = self.languages.pick(rng)
        interpreter = Interpreter.NONE
        if language != "sv" and rng.random() < 0.6:
            interpreter = (
                Interpreter.RELATIVE_OR_FRIEND if rng.random() < 0.15 else Interpreter.PROFESSIONAL
            )
        indications: bool | None = None
        if mode is Mode.ON_INDICATION:
            indications = rng.random() < 0.18
        called_for = mode is Mode.ROUTINE or bool(indications)

        chance = self.habit[handler]
        if sex is ClientSex.MALE:
            chance -= 0.12
        if interpreter is not Interpreter.NONE:
            chance -= 0.15
        if mode is Mode.ON_INDICATION:
            chance -= 0.1

        asked = False
        reason: NotAskedReason | None = None
        if not called_for:
            reason = NotAskedReason.NO_INDICATION
        elif contact is Contact.WRITTEN:
            reason = NotAskedReason.WRITTEN_CONTACT
        elif interpreter is Interpreter.RELATIVE_OR_FRIEND:
            reason = NotAskedReason.INTERPRETER_NOT_PROFESSIONAL
        elif rng.random() < chance:
            asked = True
        elif benefit == "activity_compensation" and rng.random() < 0.5:
            reason = NotAskedReason.REPRESENTATIVE_PRESENT
        elif contact is Contact.PHONE and rng.random() < 0.3:
            reason = NotAskedReason.UNSAFE_TO_TALK
        else:
            reason = rng.choice(_OTHER_REASONS)

        answer: Answer | None = None
        forms: list[ViolenceForm] = []
        immediate = high_risk = sheltered = child_report = False
        children: bool | None = None
        info_given = False
        referrals: list[str] = []
        duration: int | None = None
        if asked:
            disclose = 0.11 if sex is ClientSex.FEMALE else 0.05
            roll = rng.random()
            if roll < disclose:
                answer = Answer.DISCLOSED
                forms = rng.sample(_FORMS, k=rng.choice((1, 1, 2, 2, 3)))
                immediate = rng.random() < 0.03
                high_risk = immediate or rng.random() < 0.2
                sheltered = rng.random() < 0.08
                children = rng.random() < 0.35
                child_report = bool(children) and rng.random() < 0.75
            elif roll < disclose + 0.05:
                answer = Answer.DECLINED_TO_ANSWER
            else:
                answer = Answer.NOT_DISCLOSED
                children = None
            info_given = rng.random() < (0.97 if answer is Answer.DISCLOSED else 0.82)
            if info_given:
                referrals = ["kvinnofridslinjen"]
                if answer is Answer.DISCLOSED:
                    referrals += rng.sample(DEMO_REFERRALS[1:], k=rng.choice((0, 1, 2)))
            duration = int(min(3600, rng.lognormvariate(5.4, 0.6)))

        # Office hours on a weekday, in Stockholm, some day before ``end``.
        day = self._last_day - timedelta(days=rng.randrange(self.days))
        if day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)
        minute = rng.randrange(8 * 60, 16 * 60 + 30)
        moment = datetime(
            day.year, day.month, day.day, minute // 60, minute % 60, rng.randrange(60),
            tzinfo=STOCKHOLM,
        ).astimezone(UTC)  # fmt: skip
        # f-strings, not strftime or uuid.UUID: this runs a million times for a benchmark.
        bits = self._uuid_bits(128) & ~(0xC000 << 48) | 0x8000 << 48
        bits = bits & ~(0xF000 << 64) | 4 << 76
        hexa = f"{bits:032x}"
        return {
            "id": f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}",
            "recorded_at": f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z",
            "handler": handler,
            "team": team,
            "benefit": benefit,
            "case_type": case_type.value if case_type else None,
            "contact": contact.value,
            "mode": mode.value,
            "indications": indications,
            "asked": asked,
            "not_asked_reason": reason.value if reason else None,
            "answer": answer.value if answer else None,
            "violence_forms": [form.value for form in forms],
            "immediate_danger": immediate,
            "high_risk": high_risk,
            "children_affected": children,
            "child_report": child_report,
            "info_given": info_given,
            "referrals": referrals,
            "interpreter": interpreter.value,
            "language": language,
            "client_sex": sex.value,
            "sheltered_housing": sheltered,
            "duration_seconds": duration,
            "protocol": {"id": protocol.id, "version": protocol.version},
            "practice": rng.random() < 0.01,
            "case_reference": f"DEMO-{rng.randrange(1_000_000):06d}"
            if rng.random() < 0.3
            else None,
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
