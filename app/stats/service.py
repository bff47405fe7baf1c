"""The statistics service: a query in, groups and a total out, as JSON-ready data.

    result = StatsService(store.engine).run(StatsQuery(by=("benefit",), teams=("team-a",)))

``teams`` in the query is where a role's restriction is enforced (see
``app.accounts.access.stats_scope``); the service never widens it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from app.stats.filters import StatsFilter, StatsQuery, parse_dimensions
from app.stats.metrics import EMPTY, Metrics
from app.stats.queries import fetch
from app.stats.suppression import suppress

# Page cache of the dashboard's statistics connection (SQLite/SQLCipher), in KiB. Measured
# on a million records (issue 16): 160 MiB made a warm refresh no faster than 32 MiB (the
# operating system keeps the file's pages; decrypting them again is cheap beside the
# aggregation) and took the dashboard's process from 375 to 500 MiB. A one-shot run
# (``vagafraga stats``) keeps SQLite's default cache.
STATS_CACHE_KIB = 32 * 1024


@dataclass(frozen=True)
class Group:
    key: dict[str, str]
    metrics: Metrics


@dataclass(frozen=True)
class StatsResult:
    by: tuple[str, ...]
    groups: list[Group] = field(default_factory=list)
    total: Metrics = EMPTY

    @property
    def per_handler(self) -> bool:
        """Per-handler views hide small counts (see :mod:`app.stats.suppression`)."""
        return "handler" in self.by

    def to_json(self, small_count: int | None = None) -> dict[str, Any]:
        """``{"groups": [{"key": {...}, <metrics>}], "total": {<metrics>}}``.

        With ``small_count``, a per-handler result shows each group's counts below it as
        ``"<N>"`` (the total is not a per-handler figure and stays as it is).
        """
        groups = []
        for group in self.groups:
            block = group.metrics.as_dict()
            if small_count is not None and self.per_handler:
                block = suppress(block, small_count)
            groups.append({"key": dict(group.key), **block})
        return {"groups": groups, "total": self.total.as_dict()}


class StatsService:
    """Runs statistics queries on one store. Safe to use from a worker thread."""

    def __init__(self, engine: Engine, *, cache_kib: int | None = None) -> None:
        """``cache_kib``: a page cache for repeated runs (the dashboard's
        :data:`STATS_CACHE_KIB`); None keeps the connection's."""
        self._engine = engine
        self._cache_kib = cache_kib

    def run(self, query: StatsQuery) -> StatsResult:
        return self.run_many(query.filter, [query.by])[0]

    def run_many(
        self, flt: StatsFilter, bys: Sequence[Sequence[str]], *, medians: bool = True
    ) -> list[StatsResult]:
        """Several groupings of the same records in one statement (one scan of the data)."""
        wanted = [parse_dimensions(list(by)) for by in bys]
        sets = [(), *[by for by in wanted if by]]
        with self._engine.connect() as connection:
            if connection.dialect.name == "sqlite" and self._cache_kib is not None:
                connection.exec_driver_sql(f"PRAGMA cache_size = -{self._cache_kib}")
            found = fetch(connection, flt, sets, medians=medians)
        totals = found[0]
        total = totals[0][1] if totals else EMPTY
        results = []
        position = 1
        for by in wanted:
            if not by:
                results.append(StatsResult(by=(), total=total))
                continue
            groups = [Group(key, metrics) for key, metrics in found[position]]
            position += 1
            results.append(StatsResult(by=by, groups=groups, total=total))
        return results
