"""The real denominator: cases in the case system per month, team and benefit.

``coverage_rate`` = opportunities / cases. The case counts (``case_counts``, imported
with ``vagafraga cases import``) are only known per month, team and benefit, so a
grouping by anything else (or a per-handler filter) has no cases; a period counts every
month it touches, whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from app.stats.metrics import EMPTY, Metrics
from app.storage.tables import CaseCountRow

if TYPE_CHECKING:
    from app.stats.filters import StatsFilter

# Statistics dimension -> the case_counts column it groups by.
CASE_DIMENSIONS: dict[str, Any] = {
    "month": CaseCountRow.local_month,
    "team": CaseCountRow.team,
    "benefit": CaseCountRow.benefit,
}
GroupRows = list[tuple[dict[str, str], Metrics]]


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def case_totals(
    connection: Connection, flt: StatsFilter, grouping: Sequence[str]
) -> dict[tuple[str, ...], int] | None:
    """Cases per key of ``grouping`` over every month the filter's period touches, or
    None when cases cannot be known for it (a dimension other than month, team and
    benefit; a per-handler filter; no case counts at all)."""
    if flt.handler is not None or not set(grouping) <= set(CASE_DIMENSIONS):
        return None
    table = CaseCountRow
    keys = [CASE_DIMENSIONS[dim] for dim in grouping]
    query = select(*keys, func.sum(table.cases)).group_by(*keys)
    if flt.date_from is not None:
        query = query.where(table.local_month >= month_of(flt.date_from))
    if flt.date_to is not None:
        query = query.where(table.local_month <= month_of(flt.date_to))
    if flt.teams is not None:
        query = query.where(table.team.in_(flt.teams))
    found = {
        tuple(str(value) for value in row[:-1]): int(row[-1])
        for row in connection.execute(query)
        if row[-1] is not None
    }
    return found or None


def with_cases(
    connection: Connection,
    flt: StatsFilter,
    sets: Sequence[tuple[str, ...]],
    found: list[GroupRows],
) -> list[GroupRows]:
    """``found`` with each group's cases, and the groups that have cases but no records
    (their coverage is 0)."""
    out: list[GroupRows] = []
    for grouping, groups in zip(sets, found, strict=True):
        totals = case_totals(connection, flt, grouping)
        if totals is None:
            out.append(groups)
            continue
        seen: set[tuple[str, ...]] = set()
        updated: GroupRows = []
        for key, metrics in groups:
            values = tuple(key[dim] for dim in grouping)
            seen.add(values)
            updated.append((key, replace(metrics, cases=totals.get(values))))
        for values, cases in totals.items():
            if values not in seen:
                key = dict(zip(grouping, values, strict=True))
                updated.append((key, replace(EMPTY, cases=cases)))
        out.append(updated)
    return out
