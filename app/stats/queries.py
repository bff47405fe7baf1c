"""The aggregate queries: every count, reason tally and median is made by the database.

One statement answers one or more *grouping sets* (for example ``()``, ``("month",)``
and ``("benefit",)`` for the dashboard) over one scan of the records:

1. ``cells`` (:mod:`app.stats.cells`): the records in the filter, the monthly counts
   retention keeps for purged records and the follow-ups, counted per key of the union
   of the requested dimensions, on a covering index's route (:data:`~app.stats.cells.ROUTES`)
   where the dimensions fit one; on PostgreSQL, on the hashed route
   (:func:`~app.stats.cells.hashed_route`) whatever the dimensions.
2. For each grouping set, ``cells`` rolled up to that set's dimensions, joined to the
   set's median duration (a histogram of durations, cumulated by a window function;
   the median is read off where the running count passes half the total). Medians
   cover stored records only; on a route they come from the same pass, or, by benefit and
   month on SQLite's index route, from the narrow index of durations
   (:data:`~app.stats.cells.DURATIONS_ROUTE`).

The number of cases per month, team and benefit (``case_counts``, for ``coverage_rate``)
is a small table of its own, read by :mod:`app.stats.coverage` beside the statement.
Which records count and how they are grouped: :mod:`app.stats.filters` (its names are
importable from here too). Practice records are always excluded.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CTE,
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

from app.stats.cells import (
    DURATIONS,
    DURATIONS_ROUTE,
    PURGED,
    REASON_LABELS,
    Route,
    dimension_label,
    followup_cells,
    hashed_route,
    labelled,
    purged_cells,
    raw_dimension,
    record_cells,
    route_for,
)
from app.stats.coverage import with_cases
from app.stats.filters import DIMENSIONS, StatsFilter, StatsQuery, parse_dimensions
from app.stats.metrics import COUNTS, Metrics
from app.storage.tables import RecordRow

__all__ = [
    "DIMENSIONS",
    "GroupRows",
    "Route",
    "StatsFilter",
    "StatsQuery",
    "benchmark_query",
    "build_statement",
    "fetch",
    "parse_dimensions",
]

GroupRows = list[tuple[dict[str, str], Metrics]]


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


def _durations(flt: StatsFilter, union: tuple[str, ...], raw: CTE | None) -> CTE:
    """Counts of asked records per union key and duration: the median's histogram."""
    if raw is not None and DURATIONS in raw.c:  # a hashed route: each group's durations
        keys = labelled(union, [raw_dimension(raw, dim) for dim in union])
        each = select(*keys, func.unnest(raw.c[DURATIONS]).label("dur")).subquery("each")
        labels = [each.c[dimension_label(dim)] for dim in union]
        query = select(*labels, each.c.dur, func.count().label("n")).group_by(*labels, each.c.dur)
    elif raw is not None:
        keys = [raw_dimension(raw, dim) for dim in union]
        query = (
            select(
                *labelled(union, keys),
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
                *[
                    column.label(dimension_label(dim))
                    for dim, column in zip(union, columns, strict=True)
                ],
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
    labels = [dimension_label(dim) for dim in grouping]
    count_labels = [*COUNTS, *REASON_LABELS.values(), PURGED]
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
        agg.c[dimension_label(dim)]
        if dim in grouping
        else cast(null(), String).label(dimension_label(dim))
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
    hashed: bool = False,
) -> Select[Any]:
    """One statement answering every grouping set in ``sets`` (rows tagged ``grouping``).

    ``index_order=False`` forces the general route (for tests that compare the routes);
    ``hashed``: PostgreSQL's route (:func:`~app.stats.cells.hashed_route`).
    """
    union = tuple(dict.fromkeys(dim for grouping in sets for dim in grouping))
    route: Route | None = None
    if index_order is not False:
        route = hashed_route(union) if hashed else route_for(union)
    # Durations by benefit and month come from their own narrow index (on an index
    # route: SQLite); other medians from the route's groups, which then keep each
    # duration apart.
    narrow = (
        route is not None and route.index is not None and set(union) <= DURATIONS_ROUTE.dimensions
    )
    records, raw = record_cells(flt, union, route, medians and not narrow)
    cells = union_all(records, purged_cells(flt, union), followup_cells(flt, union)).cte("cells")
    durations = _durations(flt, union, None if narrow else raw) if medians else None
    parts = [
        _grouping_part(number, grouping, union, cells, durations)
        for number, grouping in enumerate(sets)
    ]
    return parts[0] if len(parts) == 1 else union_all(*parts)  # type: ignore[return-value]


# PostgreSQL's planner takes a grouping by the dimensions and sixteen flags for as many
# groups as records (it multiplies the columns' distinct values; 12 months of a million
# records make 7,150): with work_mem above a few MiB it sorts the records to group them
# (4.3-5 s against 0.85 s hashing), or walks ix_records_stats and sorts within its runs;
# the cost so inflated sets off just-in-time compiling (up to 1.9 s); and sized for that
# many groups, the hash table leaves itself so little memory that the groups go to disk
# (16 MiB at the default 4 MiB work_mem). For the statement's transaction only
# (set_config(..., true) is SET LOCAL): group by hashing, in 64 MiB (it used 8), compile
# nothing (enable_incremental_sort: PostgreSQL 13 or later).
PLANNER_SETTINGS = {
    "enable_sort": "off",
    "enable_incremental_sort": "off",
    "jit": "off",
    "work_mem": "64MB",
}
_HASHING = select(
    *[func.set_config(name, value, true()) for name, value in PLANNER_SETTINGS.items()]
)


@functools.lru_cache(maxsize=16)
def _statement(
    flt: StatsFilter,
    sets: tuple[tuple[str, ...], ...],
    medians: bool,
    index_order: bool | None,
    hashed: bool,
) -> Select[Any]:
    """:func:`build_statement`, built once per filter and sets: the dashboard's refresh
    runs the same two again (building one took 20–60 ms of Python)."""
    return build_statement(flt, sets, medians=medians, index_order=index_order, hashed=hashed)


def _metrics(row: Any) -> Metrics:
    counts = {name: int(row[name] or 0) for name in COUNTS}
    reasons = {reason: int(row[label] or 0) for reason, label in REASON_LABELS.items()}
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
    PostgreSQL the records are hashed into the same raw groups (``index_order=False``:
    the general route, on either)."""
    hashed = index_order is None and connection.dialect.name == "postgresql"
    if hashed:
        connection.execute(_HASHING)
    statement = _statement(flt, tuple(sets), medians, index_order, hashed)
    found: list[GroupRows] = [[] for _set in sets]
    for row in connection.execute(statement).mappings():
        number = int(row["grouping"])
        key = {dim: str(row[dimension_label(dim)]) for dim in sets[number]}
        found[number].append((key, _metrics(row)))
    found = with_cases(connection, flt, sets, found)
    for groups in found:
        groups.sort(key=lambda item: tuple(item[0].values()))
    return found


def benchmark_query(engine: Engine) -> list[GroupRows]:
    """What ``vagafraga stats --by benefit`` computes (used by benchmarks/bench_accounts.py)."""
    with engine.connect() as connection:
        return fetch(connection, StatsFilter(), [("benefit",), ()])
