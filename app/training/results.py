"""The result of a practice run, and the summaries a trainer reviews.

:class:`PracticeResult` is what scoring returns and ``vagafraga practice run``
prints (:meth:`PracticeResult.as_json`). The other models are what the practice
store keeps and counts (:mod:`app.storage.practice`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemResult(_Frozen):
    """One rubric item: passed or missed, and what happened, in words."""

    id: str
    passed: bool
    weight: int = Field(ge=1)
    explanation: str


class PracticeResult(_Frozen):
    scenario: str
    score: int = Field(ge=0)
    max_score: int = Field(ge=0)
    items: list[ItemResult]

    @property
    def missed(self) -> list[str]:
        return [item.id for item in self.items if not item.passed]

    def as_json(self) -> dict[str, Any]:
        """The documented output of ``vagafraga practice run``."""
        return {
            "scenario": self.scenario,
            "score": self.score,
            "max_score": self.max_score,
            "items": [
                {"id": item.id, "passed": item.passed, "explanation": item.explanation}
                for item in self.items
            ],
        }


class ItemOutcome(_Frozen):
    id: str
    passed: bool
    weight: int


class StoredResult(_Frozen):
    """A practice result as kept in the practice store (no explanations: they are words)."""

    id: UUID
    finished_at: AwareDatetime
    trainee: str
    cohort: str
    scenario: str
    score: int
    max_score: int
    items: list[ItemOutcome]
    record_id: UUID | None = None


def stored_result(
    result: PracticeResult,
    *,
    trainee: str,
    cohort: str,
    finished_at: datetime,
    record_id: UUID | None = None,
) -> StoredResult:
    """The result as the practice store keeps it, with a new id."""
    return StoredResult(
        id=uuid4(),
        finished_at=finished_at,
        trainee=trainee,
        cohort=cohort,
        scenario=result.scenario,
        score=result.score,
        max_score=result.max_score,
        items=[
            ItemOutcome(id=item.id, passed=item.passed, weight=item.weight) for item in result.items
        ],
        record_id=record_id,
    )


class TraineeSummary(_Frozen):
    trainee: str
    runs: int
    scenarios: int
    score: int
    max_score: int
    full_marks: int
    last_at: AwareDatetime

    @property
    def share(self) -> float | None:
        return self.score / self.max_score if self.max_score else None


class ScenarioSummary(_Frozen):
    scenario: str
    runs: int
    trainees: int
    score: int
    max_score: int
    full_marks: int

    @property
    def share(self) -> float | None:
        return self.score / self.max_score if self.max_score else None


class MissedItem(_Frozen):
    """How often one rubric item was missed across the runs in the filter."""

    scenario: str
    item: str
    runs: int
    missed: int

    @property
    def share(self) -> float | None:
        return self.missed / self.runs if self.runs else None


@dataclass(frozen=True)
class ResultsFilter:
    """Which results a view covers. Dates are calendar dates in Europe/Stockholm, inclusive."""

    trainee: str | None = None
    scenario: str | None = None
    cohort: str | None = None
    date_from: date | None = None
    date_to: date | None = None
