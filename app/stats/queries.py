"""The aggregate queries: every count, reason tally and median is made by the database.

One statement answers one or more *grouping sets* (for example ``()``, ``("month",)``
and ``("benefit",)`` for the dashboard) over one scan of the records:

1. ``cells``: the records in the filter, grouped by the union of the requested
   dimensions, with every count as a filtered aggregate (``count(*) FILTER (WHERE …)``).
2. For each grouping set, ``cells`` rolled up to that set's dimensions, joined to the
   set's median duration (a histogram of durations, cumulated by a window function;
   the median is read off where the running count passes half the total).

``cells`` also holds, in the same columns, the monthly counts that retention keeps for
purged records (``record_aggregates``), so every count covers purged months too; the
``purged`` column says how many of a group's records came from there. Medians cover
stored records only.

A third part of ``cells`` counts the follow-ups (``followups``, a callback agreed to ask
again) of the records in the filter, by the same dimensions: it reads the follow-ups and
their records by primary key, not the records again. The number of cases per month,
team and benefit (``case_counts``, for ``coverage_rate``) is a small table of its own,
read by :mod:`app.stats.coverage` beside the statement.

When the requested dimensions fit one of two covering indexes (:data:`ROUTES`:
``ix_records_stats`` leads with benefit and month, ``ix_records_stats_people`` with team,
handler, client sex, interpreter, language and contact; both then hold the flag columns),
the scan instead groups by the index's leading columns and the raw flag columns, in
index order: SQLite then aggregates while walking the index, without sorting a million
rows and without evaluating a condition per record, and the medians come from the same
pass. Every route computes the same figures (the tests run them side by side).
Practice records are always excluded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Engine,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)

from app.errors import UserError
from app.i18n import _
from app.screening.enums import Mode
from app.stats.coverage import with_cases
from app.stats.metrics import (
    BLOCKING_REASONS,
    CHILD_DECISION_COUNTS,
    COUNTS,
    LIST_COUNTS,
    REASONS,
    Metrics,
)
from app.storage.planning import unindexed
from app.storage.tables import FollowupRow, RecordAggregateRow, RecordRow

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
# The same dimensions in the monthly aggregates of purged records (app/accounts/retention.py).
_AGGREGATE_DIMENSIONS: dict[str, Any] = {
    dim: getattr(RecordAggregateRow, column.key) for dim, column in DIMENSIONS.items()
}
# Cells column: how many of the counted records are purged ones, counted from aggregates.
PURGED = "purged"
_FLAGS = (
    RecordRow.mode,
    RecordRow.indications,
    RecordRow.asked,
    RecordRow.answer,
    RecordRow.info_given,
    RecordRow.child_report,
    RecordRow.not_asked_reason,
    RecordRow.immediate_danger,
    RecordRow.high_risk,
    RecordRow.children_affected,
    RecordRow.sheltered_housing,
    RecordRow.spontaneous_disclosure,
    RecordRow.child_report_decision,
    RecordRow.violence_forms,
    RecordRow.risk_markers,
    RecordRow.danger_actions,
)
# Cells columns that are not counts of records under a condition: the sum of durations,
# and the follow-up counts, which come from their own part of ``cells``.
_SUMS = ("total_duration_seconds", "followups_open", "followups_done")


@dataclass(frozen=True)
class Route:
    """A covering index whose leading columns, then the flags, let a query group while
    walking it: no sort and no condition per record (see migration 0005)."""

    index: str
    leading: tuple[Any, ...]
    dimensions: frozenset[str]

    def columns(self, durations: bool) -> tuple[Any, ...]:
        return (*self.leading, *_FLAGS, *((RecordRow.duration_seconds,) if durations else ()))


ROUTES = (
    Route(
        "ix_records_stats",
        (RecordRow.benefit, RecordRow.local_month),
        frozenset({"benefit", "month", "mode"}),
    ),
    Route(
        "ix_records_stats_people",
        (
            RecordRow.team,
            RecordRow.handler,
            RecordRow.client_sex,
            RecordRow.interpreter,
            RecordRow.language,
            RecordRow.contact,
        ),
        frozenset({"team", "handler", "client_sex", "interpreter", "language", "contact", "mode"}),
    ),
)
_REASON_LABELS = {reason: f"reason_{reason}" for reason in REASONS}


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
            team_leads = route is not None and route.leading[0] is RecordRow.team
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


GroupRows = list[tuple[dict[str, str], Metrics]]


def _count_conditions(columns: Mapping[str, Any]) -> dict[str, ColumnElement[bool] | None]:
    """The condition of every count (None: every record), over table or cell columns."""
    routine = columns["mode"] == Mode.ROUTINE.value
    indication = and_(columns["mode"] == Mode.ON_INDICATION.value, columns["indications"].is_(True))
    asked = columns["asked"].is_(True)
    conditions: dict[str, ColumnElement[bool] | None] = {
        "opportunities": None,
        "routine_opportunities": routine,
        "routine_asked": and_(routine, asked),
        "indication_opportunities": indication,
        "indication_asked": and_(indication, asked),
        "asked": asked,
        "disclosed": columns["answer"] == "disclosed",
        "info_given": and_(asked, columns["info_given"].is_(True)),
        "child_reports": columns["child_report"].is_(True),
        "routine_blocked": and_(routine, columns["not_asked_reason"].in_(BLOCKING_REASONS)),
        "indication_blocked": and_(indication, columns["not_asked_reason"].in_(BLOCKING_REASONS)),
        "on_indication_records": columns["mode"] == Mode.ON_INDICATION.value,
        "high_risk": columns["high_risk"].is_(True),
        "immediate_danger": columns["immediate_danger"].is_(True),
        "children_affected": columns["children_affected"].is_(True),
        "sheltered_housing": columns["sheltered_housing"].is_(True),
        "spontaneous_disclosures": columns["spontaneous_disclosure"].is_(True),
    }
    for decision, label in CHILD_DECISION_COUNTS.items():
        conditions[label] = columns["child_report_decision"] == decision
    for name, item, label in _list_counts():
        conditions[label] = holds(columns[name], item)
    assert list(conditions) == [name for name in COUNTS if name not in _SUMS]
    for reason, label in _REASON_LABELS.items():
        conditions[label] = and_(columns["asked"].is_(False), columns["not_asked_reason"] == reason)
    return conditions


def _list_counts() -> list[tuple[str, str, str]]:
    """(list column, item, count label) of every count of a JSON list's items."""
    return [
        (name, item, label)
        for name, counts in LIST_COUNTS.items()
        for item, label in counts.items()
    ]


def holds(column: Any, item: str) -> ColumnElement[bool]:
    """A JSON list stored as text (``'["physical", "sexual"]'``, ``'[]'`` when empty;
    app/storage/repository.py) holds ``item``: ``column LIKE '%"item"%'``, the quotes
    keeping ``"sexual"`` from matching ``"sexual_harassment"``, ``_`` escaped."""
    return column.contains(f'"{item}"', autoescape=True)  # type: ignore[no-any-return]


def _row_columns() -> dict[str, Any]:
    return {column.key: column for column in _FLAGS}


def _counted(conditions: Mapping[str, ColumnElement[bool] | None], weight: Any = None) -> list[Any]:
    """``count(*) FILTER (WHERE c)`` per record, or ``sum(weight) FILTER (WHERE c)`` per cell."""
    out = []
    for label, condition in conditions.items():
        expression: Any
        if weight is None:
            expression = func.count() if condition is None else func.count().filter(condition)
        else:
            total = func.sum(weight) if condition is None else func.sum(weight).filter(condition)
            expression = func.coalesce(total, 0)
        out.append(expression.label(label))
    return out


def _median(hist: Any, dims: Sequence[str]) -> Select[Any]:
    """Median of a histogram (dims, dur, n): the mean of the two middle values."""
    keys = [hist.c[dim] for dim in dims]
    running = select(
        *keys,
        hist.c.dur,
        func.sum(hist.c.n)
        .over(partition_by=keys or None, order_by=hist.c.dur, rows=(None, 0))
        .label("upto"),
        func.sum(hist.c.n).over(partition_by=keys or None).label("all_n"),
    ).subquery()
    lower = func.min(case((running.c.upto * 2 >= running.c.all_n, running.c.dur)))
    upper = func.min(case((running.c.upto * 2 > running.c.all_n, running.c.dur)))
    query = select(*[running.c[dim] for dim in dims], ((lower + upper) / 2.0).label("median"))
    return query.group_by(*[running.c[dim] for dim in dims])


def _label(dim: str) -> str:
    return f"dim_{dim}"


def route_for(union: Sequence[str]) -> Route | None:
    """The index route that can answer these dimensions, if any."""
    return next((route for route in ROUTES if set(union) <= route.dimensions), None)


def _cells(
    flt: StatsFilter, union: tuple[str, ...], route: Route | None, durations: bool
) -> tuple[Select[Any], CTE | None]:
    """The counts per union key, and (index route) the raw flag groups they came from."""
    if route is None:
        columns = [DIMENSIONS[dim] for dim in union]
        cells = (
            select(
                *[column.label(_label(dim)) for dim, column in zip(union, columns, strict=True)],
                *_counted(_count_conditions(_row_columns())),
                *_sums(func.sum(RecordRow.duration_seconds)),
                literal(0).label(PURGED),
            )
            .where(*flt.conditions())
            .group_by(*columns)
        )
        return cells, None
    grouped = route.columns(durations)
    raw = (
        select(
            *grouped,
            func.count().label("n"),
            func.sum(RecordRow.duration_seconds).label("dur_sum"),
        )
        .where(*flt.conditions(route))
        .group_by(*grouped)
        .cte("raw")
    )
    raw_columns = {column.key: raw.c[column.key] for column in _FLAGS}
    keys = [_raw_dimension(raw, dim) for dim in union]
    cells = select(
        *[key.label(_label(dim)) for dim, key in zip(union, keys, strict=True)],
        *_counted(_count_conditions(raw_columns), weight=raw.c.n),
        *_sums(func.sum(raw.c.dur_sum)),
        literal(0).label(PURGED),
    ).group_by(*keys)
    return cells, raw


def _sums(duration_sum: Any, followups: tuple[Any, Any] | None = None) -> list[Any]:
    """The :data:`_SUMS` columns of a part of ``cells``: the durations' sum and (in the
    follow-ups' part) the follow-up counts; zeros where a part has none."""
    open_, done = followups if followups is not None else (literal(0), literal(0))
    return [
        func.coalesce(duration_sum, 0).label("total_duration_seconds"),
        open_.label("followups_open"),
        done.label("followups_done"),
    ]


def _followup_cells(flt: StatsFilter, union: tuple[str, ...]) -> Select[Any]:
    """The follow-ups of the records in the filter, open and done, per union key; every
    record count of this part is 0 (the records are counted by the first part).

    The follow-ups drive the loop: a LEFT JOIN to their records, with the filter in the
    join's condition, keeps the query planner from walking a million records to find a
    few follow-ups (an inner join did, three seconds on a million records); follow-ups
    whose record the filter leaves out match nothing and are dropped by HAVING.
    """
    columns = [DIMENSIONS[dim] for dim in union]
    matched = RecordRow.id.is_not(None)
    closed = FollowupRow.closed_at.is_not(None)
    labels = list(_count_conditions(_row_columns()))
    on = and_(RecordRow.id == FollowupRow.record_id, *flt.conditions())
    return (
        select(
            *[column.label(_label(dim)) for dim, column in zip(union, columns, strict=True)],
            *[literal(0).label(label) for label in labels],
            *_sums(
                literal(0),
                (
                    func.count().filter(and_(matched, ~closed)),
                    func.count().filter(and_(matched, closed)),
                ),
            ),
            literal(0).label(PURGED),
        )
        .select_from(FollowupRow)
        .outerjoin(RecordRow, on)
        .group_by(*columns)
        .having(func.count(RecordRow.id) > 0)
    )


def _purged_cells(flt: StatsFilter, union: tuple[str, ...]) -> Select[Any]:
    """The same counts per union key from the monthly aggregates of purged records.

    Each aggregate row holds a month's records of one combination of the dimensions and
    flags, with counts of them (``records``, ``asked``, ...), so every count is a sum of
    the right one under the same condition as for records. Medians cannot be rebuilt
    from counts: purged records are not in them.
    """
    table = RecordAggregateRow
    routine = table.mode == Mode.ROUTINE.value
    indication = and_(table.mode == Mode.ON_INDICATION.value, table.indications.is_(True))

    def total(column: Any, condition: ColumnElement[bool] | None = None) -> Any:
        summed = func.sum(column) if condition is None else func.sum(column).filter(condition)
        return func.coalesce(summed, 0)

    counts: dict[str, Any] = {
        "opportunities": total(table.records),
        "routine_opportunities": total(table.records, routine),
        "routine_asked": total(table.asked, routine),
        "indication_opportunities": total(table.records, indication),
        "indication_asked": total(table.asked, indication),
        "asked": total(table.asked),
        "disclosed": total(table.disclosed),
        "info_given": total(table.info_given),
        "child_reports": total(table.child_reports),
        "routine_blocked": total(
            table.records - table.asked, and_(routine, table.not_asked_reason.in_(BLOCKING_REASONS))
        ),
        "indication_blocked": total(
            table.records - table.asked,
            and_(indication, table.not_asked_reason.in_(BLOCKING_REASONS)),
        ),
        "on_indication_records": total(table.records, table.mode == Mode.ON_INDICATION.value),
        "high_risk": total(table.high_risk),
        "immediate_danger": total(table.immediate_danger),
        "children_affected": total(table.children_affected),
        "sheltered_housing": total(table.sheltered_housing),
        "spontaneous_disclosures": total(table.spontaneous_disclosures),
    }
    for decision, label in CHILD_DECISION_COUNTS.items():
        counts[label] = total(table.records, table.child_report_decision == decision)
    for name, item, label in _list_counts():
        counts[label] = total(table.records, holds(getattr(table, name), item))
    for reason, label in _REASON_LABELS.items():
        counts[label] = total(table.records - table.asked, table.not_asked_reason == reason)
    labels = list(_count_conditions(_row_columns()))
    assert list(counts) == labels, "the same columns in the same order as the records' cells"
    columns = [_AGGREGATE_DIMENSIONS[dim] for dim in union]
    return (
        select(
            *[column.label(_label(dim)) for dim, column in zip(union, columns, strict=True)],
            *[counts[label].label(label) for label in labels],
            *_sums(total(table.duration_sum)),
            total(table.records).label(PURGED),
        )
        .where(*flt.aggregate_conditions())
        .group_by(*columns)
    )


def _raw_dimension(raw: CTE, dim: str) -> Any:
    return raw.c[DIMENSIONS[dim].key]


def _durations(flt: StatsFilter, union: tuple[str, ...], raw: CTE | None) -> CTE:
    """Counts of asked records per union key and duration: the median's histogram."""
    if raw is not None:
        keys = [_raw_dimension(raw, dim) for dim in union]
        query = (
            select(
                *[key.label(_label(dim)) for dim, key in zip(union, keys, strict=True)],
                raw.c.duration_seconds.label("dur"),
                func.sum(raw.c.n).label("n"),
            )
            .where(raw.c.asked.is_(True), raw.c.duration_seconds.is_not(None))
            .group_by(*keys, raw.c.duration_seconds)
        )
    else:
        columns = [DIMENSIONS[dim] for dim in union]
        query = (
            select(
                *[column.label(_label(dim)) for dim, column in zip(union, columns, strict=True)],
                RecordRow.duration_seconds.label("dur"),
                func.count().label("n"),
            )
            .where(
                *flt.conditions(),
                RecordRow.asked.is_(True),
                RecordRow.duration_seconds.is_not(None),
            )
            .group_by(*columns, RecordRow.duration_seconds)
        )
    return query.cte("durations")


def _grouping_part(
    number: int,
    grouping: tuple[str, ...],
    union: tuple[str, ...],
    cells: CTE,
    durations: CTE | None,
) -> Select[Any]:
    """One grouping set's rows: the cells rolled up to its dimensions, with its median."""
    labels = [_label(dim) for dim in grouping]
    count_labels = [*COUNTS, *_REASON_LABELS.values(), PURGED]
    keys = [cells.c[label] for label in labels]
    agg = (
        select(
            *keys,
            *[func.coalesce(func.sum(cells.c[label]), 0).label(label) for label in count_labels],
        )
        .group_by(*keys)
        .subquery(f"agg{number}")
    )
    dims = [
        agg.c[_label(dim)] if dim in grouping else cast(null(), String).label(_label(dim))
        for dim in union
    ]
    counts = [agg.c[label] for label in count_labels]
    if durations is None:
        return select(literal(number).label("grouping"), *dims, *counts, null().label("median"))
    hist_keys = [durations.c[label] for label in labels]
    hist = (
        select(*hist_keys, durations.c.dur, func.sum(durations.c.n).label("n"))
        .group_by(*hist_keys, durations.c.dur)
        .subquery(f"hist{number}")
    )
    median = _median(hist, labels).subquery(f"med{number}")
    on = and_(*[agg.c[label] == median.c[label] for label in labels]) if labels else true()
    return select(literal(number).label("grouping"), *dims, *counts, median.c.median).select_from(
        agg.outerjoin(median, on)
    )


def build_statement(
    flt: StatsFilter,
    sets: Sequence[tuple[str, ...]],
    *,
    medians: bool = True,
    index_order: bool | None = None,
) -> Select[Any]:
    """One statement answering every grouping set in ``sets`` (rows tagged ``grouping``).

    ``index_order=False`` forces the general route (for tests that compare the routes).
    """
    union = tuple(dict.fromkeys(dim for grouping in sets for dim in grouping))
    route = route_for(union) if index_order is not False else None
    records, raw = _cells(flt, union, route, medians)
    cells = union_all(records, _purged_cells(flt, union), _followup_cells(flt, union)).cte("cells")
    durations = _durations(flt, union, raw) if medians else None
    parts = [
        _grouping_part(number, grouping, union, cells, durations)
        for number, grouping in enumerate(sets)
    ]
    return parts[0] if len(parts) == 1 else union_all(*parts)  # type: ignore[return-value]


def _metrics(row: Any) -> Metrics:
    counts = {name: int(row[name] or 0) for name in COUNTS}
    reasons = {reason: int(row[label] or 0) for reason, label in _REASON_LABELS.items()}
    median = row["median"]
    return Metrics(
        counts=counts,
        not_asked_by_reason=reasons,
        median_duration_seconds=float(median) if median is not None else None,
        purged_records=int(row[PURGED] or 0),
    )


def fetch(
    connection: Connection,
    flt: StatsFilter,
    sets: Sequence[tuple[str, ...]],
    *,
    medians: bool = True,
    index_order: bool | None = None,
) -> list[GroupRows]:
    """For each grouping set, its groups as (key, metrics), sorted by key.

    The index-order route is SQLite's (it aggregates while walking a covering index); on
    PostgreSQL the general statement is about twice as fast (BENCHMARKS.md)."""
    if index_order is None and connection.dialect.name != "sqlite":
        index_order = False
    statement = build_statement(flt, sets, medians=medians, index_order=index_order)
    found: list[GroupRows] = [[] for _set in sets]
    for row in connection.execute(statement).mappings():
        number = int(row["grouping"])
        key = {dim: str(row[_label(dim)]) for dim in sets[number]}
        found[number].append((key, _metrics(row)))
    found = with_cases(connection, flt, sets, found)
    for groups in found:
        groups.sort(key=lambda item: tuple(item[0].values()))
    return found


def benchmark_query(engine: Engine) -> list[GroupRows]:
    """What ``vagafraga stats --by benefit`` computes (used by benchmarks/bench_accounts.py)."""
    with engine.connect() as connection:
        return fetch(connection, StatsFilter(), [("benefit",), ()])
