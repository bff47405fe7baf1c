"""The ``cells`` of a statistics statement: every count per key of the requested
dimensions, from three parts added up (:mod:`app.stats.queries` rolls them up).

1. The records in the filter, with every count as a filtered aggregate
   (``count(*) FILTER (WHERE …)``), or, on a route (:class:`Route`), grouped by the
   dimensions and the raw flag columns (in a covering index's order on SQLite,
   :data:`ROUTES`; by hashing on PostgreSQL, :func:`hashed_route`), each count then a
   weighted sum over those few groups.
2. The monthly counts that retention keeps for purged records (``record_aggregates``);
   the ``purged`` column says how many of a group's records came from there.
3. The follow-ups (a callback agreed to ask again) of the records in the filter, read by
   primary key.

Every part has the same columns in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CTE, ColumnElement, Select, and_, func, literal, select

from app.screening.enums import Mode
from app.stats.filters import DIMENSIONS, StatsFilter
from app.stats.metrics import BLOCKING_REASONS, CHILD_DECISION_COUNTS, COUNTS, LIST_COUNTS, REASONS
from app.storage.tables import FollowupRow, RecordAggregateRow, RecordRow

# The same dimensions in the monthly aggregates of purged records (app/accounts/retention.py).
AGGREGATE_DIMENSIONS: dict[str, Any] = {
    dim: getattr(RecordAggregateRow, column.key) for dim, column in DIMENSIONS.items()
}
# Cells column: how many of the counted records are purged ones, counted from aggregates.
PURGED = "purged"
FLAGS = (
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
SUMS = ("total_duration_seconds", "followups_open", "followups_done")


# The raw groups' column of their asked records' durations, on a hashed route.
DURATIONS = "durations"


@dataclass(frozen=True)
class Route:
    """Raw groups of the records by ``leading``, then the flags; every count is then a
    weighted sum over those few groups instead of a condition per record.

    On SQLite, a covering index (``index``) whose leading columns, then the flags, let a
    query group while walking it: no sort (see migration 0005); the medians' durations
    are one more grouping column, in the index's order too. On PostgreSQL (``index`` is
    None: :func:`hashed_route`) the records are hashed into the groups, each collecting
    its asked records' durations in an array (:data:`DURATIONS`): grouping by duration
    too would multiply the groups (38,000 against 7,150 for 12 months of a million
    records), and a histogram of its own would be a second scan."""

    index: str | None
    leading: tuple[Any, ...]
    dimensions: frozenset[str]

    @property
    def hashed(self) -> bool:
        return self.index is None

    def columns(self, durations: bool) -> tuple[Any, ...]:
        by_duration = durations and not self.hashed
        return (*self.leading, *FLAGS, *((RecordRow.duration_seconds,) if by_duration else ()))


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
# The medians' durations: the asked records with a duration, partial index
# ``ix_records_durations`` (migration 0015a) in the order they are grouped (benefit, month,
# duration), for groupings by these dimensions only.
DURATIONS_ROUTE = Route(
    "ix_records_durations",
    (RecordRow.benefit, RecordRow.local_month),
    frozenset({"benefit", "month"}),
)
REASON_LABELS = {reason: f"reason_{reason}" for reason in REASONS}


def count_conditions(columns: Mapping[str, Any]) -> dict[str, ColumnElement[bool] | None]:
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
    for name, item, label in list_counts():
        conditions[label] = holds(columns[name], item)
    assert list(conditions) == [name for name in COUNTS if name not in SUMS]
    for reason, label in REASON_LABELS.items():
        conditions[label] = and_(columns["asked"].is_(False), columns["not_asked_reason"] == reason)
    return conditions


def list_counts() -> list[tuple[str, str, str]]:
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


def row_columns() -> dict[str, Any]:
    return {column.key: column for column in FLAGS}


def counted(conditions: Mapping[str, ColumnElement[bool] | None], weight: Any = None) -> list[Any]:
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


def dimension_label(dim: str) -> str:
    return f"dim_{dim}"


def labelled(union: Sequence[str], columns: Sequence[Any]) -> list[Any]:
    """Each dimension's column (or expression) labelled as the cells name it."""
    return [column.label(dimension_label(dim)) for dim, column in zip(union, columns, strict=True)]


def route_for(union: Sequence[str]) -> Route | None:
    """The index route that can answer these dimensions, if any."""
    return next((route for route in ROUTES if set(union) <= route.dimensions), None)


def hashed_route(union: Sequence[str]) -> Route:
    """PostgreSQL's route, for any dimensions: the raw groups made by hashing."""
    return Route(None, tuple(DIMENSIONS[dim] for dim in union), frozenset(union))


def record_cells(
    flt: StatsFilter, union: tuple[str, ...], route: Route | None, durations: bool
) -> tuple[Select[Any], CTE | None]:
    """The counts per union key, and (index route) the raw flag groups they came from."""
    if route is None:
        columns = [DIMENSIONS[dim] for dim in union]
        cells = (
            select(
                *labelled(union, columns),
                *counted(count_conditions(row_columns())),
                *sums(func.sum(RecordRow.duration_seconds)),
                literal(0).label(PURGED),
            )
            .where(*flt.conditions())
            .group_by(*columns)
        )
        return cells, None
    grouped = route.columns(durations)
    collected = []
    if durations and route.hashed:
        asked = and_(RecordRow.asked.is_(True), RecordRow.duration_seconds.is_not(None))
        collected.append(func.array_agg(RecordRow.duration_seconds).filter(asked).label(DURATIONS))
    raw = (
        select(
            *grouped,
            func.count().label("n"),
            func.sum(RecordRow.duration_seconds).label("dur_sum"),
            *collected,
        )
        .where(*flt.conditions(route))
        .group_by(*grouped)
        .cte("raw")
    )
    raw_columns = {column.key: raw.c[column.key] for column in FLAGS}
    keys = [raw_dimension(raw, dim) for dim in union]
    cells = select(
        *labelled(union, keys),
        *counted(count_conditions(raw_columns), weight=raw.c.n),
        *sums(func.sum(raw.c.dur_sum)),
        literal(0).label(PURGED),
    ).group_by(*keys)
    return cells, raw


def sums(duration_sum: Any, followups: tuple[Any, Any] | None = None) -> list[Any]:
    """The :data:`SUMS` columns of a part of ``cells``: the durations' sum and (in the
    follow-ups' part) the follow-up counts; zeros where a part has none."""
    open_, done = followups if followups is not None else (literal(0), literal(0))
    return [
        func.coalesce(duration_sum, 0).label("total_duration_seconds"),
        open_.label("followups_open"),
        done.label("followups_done"),
    ]


def followup_cells(flt: StatsFilter, union: tuple[str, ...]) -> Select[Any]:
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
    labels = list(count_conditions(row_columns()))
    on = and_(RecordRow.id == FollowupRow.record_id, *flt.conditions())
    return (
        select(
            *labelled(union, columns),
            *[literal(0).label(label) for label in labels],
            *sums(
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


def purged_cells(flt: StatsFilter, union: tuple[str, ...]) -> Select[Any]:
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
    for name, item, label in list_counts():
        counts[label] = total(table.records, holds(getattr(table, name), item))
    for reason, label in REASON_LABELS.items():
        counts[label] = total(table.records - table.asked, table.not_asked_reason == reason)
    labels = list(count_conditions(row_columns()))
    assert list(counts) == labels, "the same columns in the same order as the records' cells"
    columns = [AGGREGATE_DIMENSIONS[dim] for dim in union]
    return (
        select(
            *labelled(union, columns),
            *[counts[label].label(label) for label in labels],
            *sums(total(table.duration_sum)),
            total(table.records).label(PURGED),
        )
        .where(*flt.aggregate_conditions())
        .group_by(*columns)
    )


def raw_dimension(raw: CTE, dim: str) -> Any:
    return raw.c[DIMENSIONS[dim].key]
