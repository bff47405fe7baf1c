"""Statistics benchmarks (issues 6 and 16).

    .venv/bin/python -m benchmarks.bench_stats [--records N] [--runs R]

On the encrypted 1M-record store (``benchmarks.common.ensure_store``), with the
dashboard's real default filter (the last 12 months, ``default_filter``):

- the statistics statement through the service (every metric: counts, reasons, rates
  with intervals, medians, the total) for a date range, a team and groupings, against
  the same grouped counts written by hand as ONE SQL statement on the covering index,
  run on a raw driver connection to the same file (bar: 1.3×);
- ``vagafraga stats`` as a whole process against a process that unwraps the same key and
  runs the hand-written statement (bar: 1.3×), and pandas reading the CSV export and
  grouping it, when pandas is installed (bar: at least 3× slower than ``stats``);
- the dashboard's full data load with its default filter, warm (bar: 1.5 s).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from app.accounts.session import unlock
from app.stats.dashboard_data import default_filter, load_dashboard
from app.stats.filters import StatsFilter, StatsQuery
from app.stats.metrics import (
    BLOCKING_REASONS,
    CHILD_DECISION_COUNTS,
    COUNTS,
    LIST_COUNTS,
    REASONS,
)
from app.stats.service import StatsService
from app.storage.engine import resolve_location
from benchmarks.common import (
    PASSWORD,
    USER,
    Figure,
    alternate,
    group_main,
    process,
    sql_process,
    vagafraga,
)

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
    "spontaneous_disclosures": "spontaneous_disclosure",
    **{
        label: f"child_report_decision = '{decision}'"
        for decision, label in CHILD_DECISION_COUNTS.items()
    },
    # issue 12, "no yes is ever lost": every item of the three JSON lists
    **{
        label: f"""{column} LIKE '%"{item}"%'"""
        for column, counts in LIST_COUNTS.items()
        for item, label in counts.items()
    },
    **{f"reason_{r}": f"NOT asked AND not_asked_reason = '{r}'" for r in REASONS},
}


def hand_written(
    keys: str, flt: StatsFilter, index: str | None = "ix_records_stats", *, postgres: bool = False
) -> str:
    """The grouped counts as one hand-written statement on a covering index (SQLite; on
    PostgreSQL, ``postgres``, the planner chooses)."""
    columns = [
        f"count(*) AS {name}" if condition is None else f"count(*) FILTER (WHERE {condition})"
        for name, condition in _COUNTS.items()
    ]
    columns.append("coalesce(sum(duration_seconds), 0) AS total_duration_seconds")
    where = ["NOT practice" if postgres else "practice = 0"]
    if flt.date_from is not None:
        where.append(f"local_date >= '{flt.date_from.isoformat()}'")
    if flt.date_to is not None:
        where.append(f"local_date <= '{flt.date_to.isoformat()}'")
    if flt.teams is not None:
        where.append("team IN (" + ", ".join(f"'{team}'" for team in flt.teams) + ")")
    source = "records" if postgres or index is None else f"records INDEXED BY {index}"
    return (
        f"SELECT {keys}, {', '.join(columns)} FROM {source} "
        f"WHERE {' AND '.join(where)} GROUP BY {keys} ORDER BY {keys}"
    )


# A pandas user computing the same counts per benefit from the CSV export as ``stats
# --by benefit`` (every count of the statement, the reasons, the total and median
# duration; not the follow-ups or case counts, which the export does not hold): the
# columns it needs, each count a boolean column summed per group, list items matched as
# whole items of the "|"-joined cells. ``_pandas_process`` fills in the product's own
# categories; ``_check_pandas`` asserts that its figures are the service's.
PANDAS_PROCESS = """
import sys
import pandas

LISTS = {lists!r}
FLAGS = ["indications", "asked", "info_given", "child_report", "high_risk",
         "immediate_danger", "children_affected", "sheltered_housing",
         "spontaneous_disclosure"]
TEXT = ["benefit", "mode", "not_asked_reason", "answer", "child_report_decision", *LISTS]
frame = pandas.read_csv(sys.argv[1], usecols=[*TEXT, *FLAGS, "duration_seconds"],
                        dtype={{name: "string" for name in TEXT}})
for flag in FLAGS:
    frame[flag] = frame[flag].fillna(False).astype(bool)
mode = frame["mode"]
routine = mode == "routine"
indication = (mode == "on_indication") & frame["indications"]
asked = frame["asked"]
reason = frame["not_asked_reason"]
blocking = reason.isin({blocking!r}).fillna(False)
padded = {{column: "|" + frame[column].fillna("") + "|" for column in LISTS}}
counts = pandas.DataFrame({{
    "benefit": frame["benefit"],
    "opportunities": 1,
    "routine_opportunities": routine,
    "routine_asked": routine & asked,
    "indication_opportunities": indication,
    "indication_asked": indication & asked,
    "asked": asked,
    "disclosed": (frame["answer"] == "disclosed").fillna(False),
    "info_given": asked & frame["info_given"],
    "child_reports": frame["child_report"],
    "routine_blocked": routine & blocking,
    "indication_blocked": indication & blocking,
    "on_indication_records": mode == "on_indication",
    "high_risk": frame["high_risk"],
    "immediate_danger": frame["immediate_danger"],
    "children_affected": frame["children_affected"],
    "sheltered_housing": frame["sheltered_housing"],
    "spontaneous_disclosures": frame["spontaneous_disclosure"],
    **{{label: (frame["child_report_decision"] == decision).fillna(False)
       for decision, label in {decisions!r}.items()}},
    **{{label: padded[column].str.contains("|" + item + "|", regex=False)
       for column, items in LISTS.items() for item, label in items.items()}},
    **{{"reason_" + name: ~asked & (reason == name).fillna(False) for name in {reasons!r}}},
    "duration": frame["duration_seconds"].where(asked),
}})
groups = counts.groupby("benefit")
table = groups.sum(numeric_only=True).drop(columns="duration")
table["total_duration_seconds"] = groups["duration"].sum()
table["median_duration_seconds"] = groups["duration"].median()
table.to_csv(sys.stdout)
"""


def _pandas_process() -> str:
    return PANDAS_PROCESS.format(
        lists=LIST_COUNTS,
        blocking=list(BLOCKING_REASONS),
        decisions=CHILD_DECISION_COUNTS,
        reasons=list(REASONS),
    )


def _check_pandas(folder: Path, export: Path, flt: StatsFilter) -> None:
    """The pandas anchor's figures per benefit are the service's (else it is not the same
    work)."""
    import csv
    import io
    import subprocess

    found = subprocess.run(
        [sys.executable, "-c", _pandas_process(), str(export)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = {row["benefit"]: row for row in csv.DictReader(io.StringIO(found))}
    with unlock(resolve_location(folder), USER, PASSWORD) as login:
        result = StatsService(login.store.engine).run(
            StatsQuery(("benefit",), flt.date_from, flt.date_to)
        )
    for group in result.groups:
        row = rows[group.key["benefit"]]
        data = group.metrics.as_dict()
        for name in [*_COUNTS, "total_duration_seconds", "median_duration_seconds"]:
            if name.startswith("reason_"):
                expected = data["not_asked_by_reason"][name.removeprefix("reason_")]
            else:
                expected = data[name]
            assert float(row[name] or "nan") == float(expected), (
                f"pandas and the service disagree on {name} of {group.key}"
            )


STATEMENTS: list[tuple[str, str, tuple[str, ...], str, str, bool]] = [
    # key, title, by, hand-written keys, index, team filter
    ("stats_benefit_12_months", "stats --by benefit", ("benefit",), "benefit",
     "ix_records_stats", False),
    ("stats_month_benefit_12_months", "stats --by month,benefit", ("month", "benefit"),
     "local_month, benefit", "ix_records_stats", False),
    ("stats_team_handler_12_months", "stats --by handler --team demo-team-norr", ("handler",),
     "handler", "ix_records_stats_people", True),
]  # fmt: skip


def _fetch_all(cursor: Any, sql: str) -> list[Any]:
    return list(cursor.execute(sql).fetchall())


def _check(service: StatsService, cursor: Any, query: StatsQuery, sql: str) -> None:
    found = cursor.execute(sql).fetchall()
    result = service.run(query)
    names = [name for name in _COUNTS if name in COUNTS]  # every count but the reasons
    assert [list(row[len(query.by) :][: len(names)]) for row in found] == [
        [group.metrics.count(name) for name in names] for group in result.groups
    ], "the service and the hand-written statement disagree"


def figures(folder: Path, runs: int, today: date | None = None) -> list[Figure]:
    today = today or date.today()
    base = default_filter(today)
    out: list[Figure] = []
    with unlock(resolve_location(folder), USER, PASSWORD) as login:
        engine = login.store.engine
        service = StatsService(engine)
        raw = engine.raw_connection()
        cursor = raw.cursor()
        for key, title, by, keys, index, team in STATEMENTS:
            teams = ("demo-team-norr",) if team else None
            flt = StatsFilter(base.date_from, base.date_to, teams)
            query = StatsQuery(by, flt.date_from, flt.date_to, flt.teams)
            sql = hand_written(keys, flt, index)
            _check(service, cursor, query, sql)
            works: dict[str, Callable[[], Any]] = {
                "service": partial(service.run, query),
                "hand": partial(_fetch_all, cursor, sql),
            }
            medians = alternate(works, runs)
            out.append(
                Figure(
                    key,
                    f"`{title} --from {flt.date_from} --to {flt.date_to}`: the statement",
                    medians["service"],
                    1.3,
                    anchor_title="hand-written statement on the covering index",
                    anchor_seconds=medians["hand"],
                )
            )
        raw.close()
        medians = alternate({"dashboard": lambda: load_dashboard(engine, base)}, runs)
        out.append(
            Figure(
                "dashboard_refresh_default_filter",
                f"dashboard's data (load_dashboard), default filter {base.date_from} – "
                f"{base.date_to}, warm",
                medians["dashboard"],
                1.5,
                kind="max",
            )
        )
    out.extend(_processes(folder, base, runs))
    return out


def _processes(folder: Path, flt: StatsFilter, runs: int) -> list[Figure]:
    dates = ["--from", str(flt.date_from), "--to", str(flt.date_to)]
    sql = hand_written("benefit", flt)
    works = {
        "stats": vagafraga(folder, "stats", "--by", "benefit", *dates, "--format", "csv"),
        "anchor": sql_process(folder, sql),
    }
    export = folder.parent / "records-12-months.csv"
    pandas = _has_pandas()
    if pandas:
        if not export.exists():
            vagafraga(
                folder, "records", "export", "--format", "csv", "--out", str(export), *dates
            )()
        _check_pandas(folder, export, flt)
        works["pandas"] = process([sys.executable, "-c", _pandas_process(), str(export)])
    medians = alternate(works, runs)
    title = "`vagafraga stats --by benefit` (last 12 months), whole process"
    figures = [
        Figure(
            "stats_process",
            title,
            medians["stats"],
            1.3,
            anchor_title="a process: the same key unwrap, then the hand-written statement",
            anchor_seconds=medians["anchor"],
        )
    ]
    figures.append(
        Figure(
            "stats_process_vs_pandas",
            title,
            medians["stats"],
            3.0,
            kind="ratio_min",
            anchor_title=(
                "pandas reading the CSV export of the same records and computing the same "
                "counts per benefit"
            ),
            anchor_seconds=medians.get("pandas"),
            notes="" if pandas else "pandas is not installed: not measured",
        )
    )
    return figures


def _has_pandas() -> bool:
    import importlib.util

    return importlib.util.find_spec("pandas") is not None


def main(argv: list[str] | None = None) -> int:
    return group_main(__doc__, figures, argv)


if __name__ == "__main__":
    sys.exit(main())
