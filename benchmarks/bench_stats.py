"""Statistics benchmarks (issue 6).

    .venv/bin/python -m benchmarks.bench_stats [--records N] [--runs R]

Builds (once; cached in ``benchmarks/out/stats-N/``) an encrypted store with ``N`` demo
records (default 1,000,000) through the CLI, ``vagafraga init`` and ``vagafraga demo``,
then times on that file:

- ``stats --by benefit`` and ``stats --by month,benefit`` through the service (every metric:
  counts, reasons, rates with intervals, medians, and the total), against the same grouped
  counts written by hand as ONE SQL statement run on a raw driver connection to the same
  file (the faster of two spellings: ``SUM(CASE ...)`` and ``count(*) FILTER (...)``;
  the hand-written statement counts the nine counts and nine reasons per group, without
  medians or total);
- the dashboard's full data load (``app.stats.dashboard_data.load_dashboard``).

Each figure is the best of ``R`` runs (default 5) after one warm-up run that is reported as
"first"; wall-clock and CPU time of this process are both shown, with the load average,
because the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect

from app.accounts.session import Login, unlock
from app.stats.dashboard_data import load_dashboard
from app.stats.metrics import BLOCKING_REASONS, REASONS
from app.stats.queries import StatsFilter, StatsQuery
from app.stats.service import STATS_CACHE_KIB, StatsService
from app.storage import migrate
from app.storage.engine import resolve_location
from app.storage.repository import RecordFilter

OUT = Path(__file__).resolve().parent / "out"
USER = "bench-admin"
PASSWORD = "benchmark pass phrase"
INDEXES = ("ix_records_stats", "ix_records_stats_people")

_BLOCKING = ", ".join(f"'{reason}'" for reason in BLOCKING_REASONS)
_COUNTS = {
    "opportunities": None,
    "routine_opportunities": "mode = 'routine'",
    "routine_asked": "mode = 'routine' AND asked",
    "indication_opportunities": "mode = 'on_indication' AND indications",
    "indication_asked": "mode = 'on_indication' AND indications AND asked",
    "asked": "asked",
    "disclosed": "answer = 'disclosed'",
    "info_given": "asked AND info_given",
    "child_reports": "child_report",
    # issue 13: the same statement counts these too
    "routine_blocked": f"mode = 'routine' AND not_asked_reason IN ({_BLOCKING})",
    "indication_blocked": (
        f"mode = 'on_indication' AND indications AND not_asked_reason IN ({_BLOCKING})"
    ),
    "on_indication_records": "mode = 'on_indication'",
    "high_risk": "high_risk",
    "immediate_danger": "immediate_danger",
    "children_affected": "children_affected",
    "sheltered_housing": "sheltered_housing",
    **{f"reason_{r}": f"NOT asked AND not_asked_reason = '{r}'" for r in REASONS},
}
# The counts compared with the service's (the reason counts are compared through them).
_COMPARED = [name for name in _COUNTS if not name.startswith("reason_")]


def hand_written(keys: str, style: str) -> str:
    """The grouped counts as one hand-written statement."""
    columns = []
    for name, condition in _COUNTS.items():
        if condition is None:
            columns.append(f"count(*) AS {name}")
        elif style == "case":
            columns.append(f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}")
        else:
            columns.append(f"count(*) FILTER (WHERE {condition}) AS {name}")
    columns.append("coalesce(sum(duration_seconds), 0) AS total_duration_seconds")
    return (
        f"SELECT {keys}, {', '.join(columns)} FROM records "
        f"WHERE practice = 0 GROUP BY {keys} ORDER BY {keys}"
    )


def _cli(folder: Path, *args: str) -> None:
    env = dict(os.environ, VAGAFRAGA_USER=USER, VAGAFRAGA_PASSWORD=PASSWORD)
    command = [sys.executable, "-m", "app", "--data-dir", str(folder), *args]
    subprocess.run(command, check=True, env=env)


def _usable(folder: Path, records: int) -> bool:
    if not (folder / "vagafraga.db").exists():
        return False
    try:
        login = unlock(resolve_location(folder), USER, PASSWORD, upgrade=False)
    except Exception:
        return False
    with login:
        engine = login.store.engine
        indexes = {index["name"] for index in inspect(engine).get_indexes("records")}
        current = migrate.current_revision(engine) == migrate.head_revision()
        stored = login.store.records.count(RecordFilter(include_practice=True))
        return current and set(INDEXES) <= indexes and stored >= records


def ensure_store(records: int) -> Path:
    folder = OUT / f"stats-{records}"
    if _usable(folder, records):
        print(f"reusing {folder}")
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    _cli(folder, "init", "--admin", USER)
    _cli(folder, "demo", "--records", str(records), "--seed", "1")
    print(f"built {folder} in {time.perf_counter() - started:.0f} s")
    return folder


def timed(work: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    """(first wall, best wall, CPU of the best-wall run) in seconds."""
    results = []
    for _ in range(runs + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        results.append((time.perf_counter() - wall, time.process_time() - cpu))
    first = results[0][0]
    best = min(results[1:])
    return first, best[0], best[1]


def _fetch(cursor: Any, sql: str) -> list[Any]:
    return list(cursor.execute(sql).fetchall())


def bench(login: Login, runs: int) -> list[tuple[str, float, float, float, float | None]]:
    engine: Engine = login.store.engine
    service = StatsService(engine)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute(f"PRAGMA cache_size = -{STATS_CACHE_KIB}")  # as the service does
    rows: list[tuple[str, float, float, float, float | None]] = []
    for by, keys in ((("benefit",), "benefit"), (("month", "benefit"), "local_month, benefit")):
        query = StatsQuery(by=by)
        result = service.run(query)
        references = {}
        for style in ("case", "filter"):
            sql = hand_written(keys, style)
            found = cursor.execute(sql).fetchall()
            assert [list(row[len(by) :][: len(_COMPARED)]) for row in found] == [
                [group.metrics.count(name) for name in _COMPARED] for group in result.groups
            ], "the service and the hand-written statement disagree"
            references[style] = timed(partial(_fetch, cursor, sql), runs)
        style = min(references, key=lambda name: references[name][1])
        reference = references[style]
        first, best, cpu = timed(partial(service.run, query), runs)
        name = f"stats --by {','.join(by)}"
        rows.append((f"{name} (service)", first, best, cpu, best / reference[1]))
        rows.append((f"{name} (hand-written, {style})", *reference, None))
    first, best, cpu = timed(lambda: load_dashboard(engine, StatsFilter()), runs)
    rows.append(("dashboard full refresh (load_dashboard)", first, best, cpu, None))
    raw.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    folder = ensure_store(args.records)
    with unlock(resolve_location(folder), USER, PASSWORD) as login:
        count = login.store.records.count()
        rows = bench(login, args.runs)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{count:,} records (encrypted store), best of {args.runs}; load average {load}\n")
    print("| query | first (s) | best (s) | CPU of best (s) | ratio to hand-written |")
    print("|---|---:|---:|---:|---:|")
    for name, first, best, cpu, ratio in rows:
        shown = f"{ratio:.2f}" if ratio is not None else ""
        print(f"| {name} | {first:.3f} | {best:.3f} | {cpu:.3f} | {shown} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
