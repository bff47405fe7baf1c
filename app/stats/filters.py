"""Which records the statistics count and how they are grouped: the dimensions, the
filter (dates, teams, handler) and the query a command or the dashboard asks for.

The filter is the one place a role's team restriction is applied; its conditions never
choose an index (``app/storage/planning.py``): the statements read a covering one
(:mod:`app.stats.cells`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement

from app.errors import UserError
from app.i18n import _
from app.storage.planning import unindexed
from app.storage.tables import RecordAggregateRow, RecordRow

if TYPE_CHECKING:
    from app.stats.cells import Route

# Dimension name -> the records column it groups by.
DIMENSIONS: dict[str, Any] = {
    "benefit": RecordRow.benefit,
    "contact": RecordRow.contact,
    "mode": RecordRow.mode,
    "handler": RecordRow.handler,
    "team": RecordRow.team,
    "month": RecordRow.local_month,
    "client_sex": RecordRow.client_sex,
    "interpreter": RecordRow.interpreter,
    "language": RecordRow.language,
}


def parse_dimensions(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"month,benefit"`` -> ``("month", "benefit")``; unknown or repeated names are errors."""
    if text is None:
        return ()
    names = [part.strip() for part in text.split(",")] if isinstance(text, str) else list(text)
    names = [name for name in names if name]
    for name in names:
        if name not in DIMENSIONS:
            raise UserError(
                _("Unknown dimension {name}; choose from: {choices}.").format(
                    name=name, choices=", ".join(DIMENSIONS)
                )
            )
    if len(set(names)) != len(names):
        raise UserError(_("Each dimension can be given only once."))
    return tuple(names)


@dataclass(frozen=True)
class StatsFilter:
    """Which records count: dates inclusive (Europe/Stockholm calendar dates), teams, handler.

    ``teams=None`` means every team; an empty tuple means none (nothing is visible).
    This is the one place a role's team restriction is applied.
    """

    date_from: date | None = None
    date_to: date | None = None
    teams: tuple[str, ...] | None = None
    handler: str | None = None

    def __post_init__(self) -> None:
        if self.teams is not None and not isinstance(self.teams, tuple):
            object.__setattr__(self, "teams", tuple(self.teams))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(_("The first date is after the last date."))

    def conditions(self, route: Route | None = None) -> list[ColumnElement[bool]]:
        """The filter over records. Dates (and a team, unless ``route``'s index leads with
        it) never choose an index: the statement must read a covering one
        (``app/storage/planning.py``)."""
        found: list[ColumnElement[bool]] = [RecordRow.practice.is_(False)]
        local_date = unindexed(RecordRow.local_date)
        if self.date_from is not None:
            found.append(local_date >= self.date_from)
        if self.date_to is not None:
            found.append(local_date <= self.date_to)
        if self.teams is not None:
            team_leads = (
                route is not None and route.index is not None and route.leading[0] is RecordRow.team
            )
            team = RecordRow.team if team_leads else unindexed(RecordRow.team)
            found.append(team.in_(self.teams))
        if self.handler is not None:
            found.append(RecordRow.handler == self.handler)
        return found

    def aggregate_conditions(self) -> list[ColumnElement[bool]]:
        """The filter over monthly aggregates: a purged month counts only when the dates
        cover all of it (its records' days are no longer known)."""
        table = RecordAggregateRow
        found: list[ColumnElement[bool]] = []
        if self.date_from is not None:
            first = self.date_from
            if first.day != 1:
                first = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
            found.append(table.local_month >= f"{first.year:04d}-{first.month:02d}")
        if self.date_to is not None:
            last = self.date_to
            if (last + timedelta(days=1)).day != 1:
                last = last.replace(day=1) - timedelta(days=1)
            found.append(table.local_month <= f"{last.year:04d}-{last.month:02d}")
        if self.teams is not None:
            found.append(table.team.in_(self.teams))
        if self.handler is not None:
            found.append(table.handler == self.handler)
        return found


@dataclass(frozen=True)
class StatsQuery:
    """What to count (``by``: dimensions to group by) and which records (the filter)."""

    by: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    teams: tuple[str, ...] | None = None
    handler: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "by", parse_dimensions(self.by))
        if self.teams is not None and not isinstance(self.teams, tuple):
            object.__setattr__(self, "teams", tuple(self.teams))
        self.filter  # noqa: B018 - validates the dates

    @property
    def filter(self) -> StatsFilter:
        return StatsFilter(self.date_from, self.date_to, self.teams, self.handler)
