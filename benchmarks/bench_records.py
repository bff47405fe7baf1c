"""Records benchmarks (issue 16): the Records tab, ``records list`` and the exports.

    .venv/bin/python -m benchmarks.bench_records [--records N] [--runs R]

On the encrypted 1M-record store (``benchmarks.common.ensure_store``):

- the Records tab's first page (the newest 500, as an administrator sees them, records
  made from the rows) against the same SQL walking ``ix_records_recorded_at`` on a raw
  driver connection (bar: 2×); the tab itself, from opening to rows in the table
  (bar: 0.5 s);
- ``vagafraga records list`` as a whole process against a process that unwraps the same
  key and runs the same SQL (bar: 2×);
- the CSV and JSONL exports of one month (about 87,000 records) against a raw SELECT and
  ``csv.writer`` / ``json`` (bar: 1.5×), and the XLSX export of the same against the CSV
  export (bar: 3×);
- the XLSX export of the whole 1M store as a process (``vagafraga records export --format
  xlsx --out``) against the CSV export of the same as a process (bar: 3×), with the peak
  memory of each (constant memory: it must not grow with the records).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from app.accounts.access import Principal, Role
from app.accounts.principal import LIST_PAGE_SIZE
from app.accounts.services import RecordService
from app.accounts.session import Login, unlock
from app.screening.record_io import SIDE_FIELDS, columns
from app.storage.engine import resolve_location
from app.storage.repository import RecordFilter
from benchmarks.common import (
    ENV,
    OUT,
    PASSWORD,
    ROOT,
    USER,
    Figure,
    alternate,
    group_main,
    sql_process,
    vagafraga,
)

# The tables beside ``records`` holding an export's last columns, in SIDE_FIELDS' order.
SIDE_TABLES = (("record_indicators", "indicator_id"), ("record_consequences", "consequence_id"))
ADMIN = Principal(USER, frozenset({Role.ADMIN}))
PAGE_SQL = (
    "SELECT * FROM records INDEXED BY ix_records_recorded_at WHERE practice = 0 "
    f"ORDER BY recorded_at DESC, id LIMIT {LIST_PAGE_SIZE}"
)


def _fetch_all(cursor: Any, sql: str, *parameters: Any) -> list[Any]:
    return list(cursor.execute(sql, parameters).fetchall())


def _page(login: Login, runs: int) -> list[Figure]:
    service = RecordService(login.store, ADMIN)
    raw = login.store.engine.raw_connection()
    cursor = raw.cursor()
    works: dict[str, Callable[[], Any]] = {
        "tab": partial(service.list, RecordFilter(), limit=LIST_PAGE_SIZE),
        "sql": partial(_fetch_all, cursor, PAGE_SQL),
    }
    medians = alternate(works, runs)
    raw.close()
    return [
        Figure(
            "records_page",
            f"Records tab's query: the newest {LIST_PAGE_SIZE} of 1M, as records",
            medians["tab"],
            2.0,
            anchor_title="the same SQL walking ix_records_recorded_at, raw connection",
            anchor_seconds=medians["sql"],
        ),
        Figure(
            "records_tab_rows_on_screen",
            "Records tab: from opening to rows in the table (offscreen Qt)",
            _tab_on_screen(login, runs),
            0.5,
            kind="max",
        ),
    ]


def _tab_on_screen(login: Login, runs: int) -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.ui.common.records_page import RecordsPage

    app = QApplication.instance() or QApplication([])
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        page = RecordsPage(login.store, service=RecordService(login.store, ADMIN))
        page.show()
        page.refresh()
        while page.model.rowCount() == 0:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        times.append(time.perf_counter() - started)
        page.close()
        page.deleteLater()
        app.processEvents()
    return sorted(times[1:])[len(times[1:]) // 2]


def month_before(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _exports(login: Login, runs: int, today: date) -> list[Figure]:
    first, last = month_before(today)
    flt = RecordFilter(date_from=first, date_to=last)
    service = RecordService(login.store, ADMIN)
    header = columns(False)
    stored = [name for name in header if name not in SIDE_FIELDS]
    # The lists kept beside each record (indicators, consequences done), as JSON arrays.
    side = [
        f"(SELECT json_group_array({item}) FROM (SELECT {item} FROM {table} "
        f"WHERE record_id = records.id ORDER BY {item}))"
        for table, item in SIDE_TABLES
    ]
    sql = (
        f"SELECT {', '.join([*stored, *side])} FROM records WHERE practice = 0 "
        "AND local_date >= ? AND local_date <= ? ORDER BY recorded_at, id"
    )
    raw = login.store.engine.raw_connection()
    cursor = raw.cursor()
    target = OUT / "export.tmp"

    def export(fmt: str) -> int:
        with target.open("wb") as out:
            return service.export(flt, out, fmt)

    def raw_csv() -> None:
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(cursor.execute(sql, (first.isoformat(), last.isoformat())))

    def raw_jsonl() -> None:
        with target.open("wb") as out:
            buffered = io.BufferedWriter(out)
            for row in cursor.execute(sql, (first.isoformat(), last.isoformat())):
                buffered.write(json.dumps(dict(zip(header, row, strict=True))).encode() + b"\n")
            buffered.flush()

    count = export("csv")
    works: dict[str, Callable[[], Any]] = {
        "csv": partial(export, "csv"),
        "raw_csv": raw_csv,
        "jsonl": partial(export, "jsonl"),
        "raw_jsonl": raw_jsonl,
    }
    medians = alternate(works, runs)
    xlsx = alternate({"xlsx": partial(export, "xlsx")}, max(1, runs // 2), warmups=0)["xlsx"]
    raw.close()
    target.unlink(missing_ok=True)
    what = f"{count:,} records ({first} – {last})"
    return [
        Figure(
            "export_csv",
            f"CSV export, {what}",
            medians["csv"],
            1.5,
            anchor_title="raw SELECT + csv.writer",
            anchor_seconds=medians["raw_csv"],
        ),
        Figure(
            "export_jsonl",
            f"JSONL export, {what}",
            medians["jsonl"],
            1.5,
            anchor_title="raw SELECT + json.dumps per row",
            anchor_seconds=medians["raw_jsonl"],
        ),
        Figure(
            "export_xlsx",
            f"XLSX export (constant memory, typed cells), {what}",
            xlsx,
            3.0,
            anchor_title="the CSV export of the same records",
            anchor_seconds=medians["csv"],
        ),
    ]


def _list_process(folder: Path, runs: int) -> Figure:
    works = {
        "list": vagafraga(folder, "records", "list", "--limit", str(LIST_PAGE_SIZE)),
        "anchor": sql_process(folder, PAGE_SQL),
    }
    medians = alternate(works, runs)
    return Figure(
        "records_list_process",
        f"`vagafraga records list --limit {LIST_PAGE_SIZE}`, whole process",
        medians["list"],
        2.0,
        anchor_title="a process: the same key unwrap, then the same SQL on the right index",
        anchor_seconds=medians["anchor"],
    )


# Runs a command and prints its peak resident memory (KiB on Linux) when it is done.
PEAK_MEMORY = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _export_process(folder: Path, fmt: str) -> tuple[float, float]:
    """Wall time and peak memory (MiB) of ``vagafraga records export`` of the whole store."""
    target = OUT / f"whole-store.{fmt}"
    command = [sys.executable, "-m", "app", "--data-dir", str(folder), "records", "export"]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, *command, "--format", fmt, "--out", str(target)],
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    target.unlink(missing_ok=True)
    return seconds, int(done.stdout.split()[-1]) / 1024


def _whole_store_xlsx(folder: Path) -> Figure:
    """One run each (minutes on 1M records): the XLSX and the CSV export of every record."""
    xlsx, xlsx_peak = _export_process(folder, "xlsx")
    csv_seconds, csv_peak = _export_process(folder, "csv")
    return Figure(
        "export_xlsx_whole_store",
        "`vagafraga records export --format xlsx` of the whole store (1M records), process",
        xlsx,
        3.0,
        anchor_title="`vagafraga records export --format csv` of the same, process",
        anchor_seconds=csv_seconds,
        notes=f"peak memory: XLSX {xlsx_peak:.0f} MiB, CSV {csv_peak:.0f} MiB; one run each",
        extra={"xlsx_peak_mib": round(xlsx_peak), "csv_peak_mib": round(csv_peak)},
    )


def figures(folder: Path, runs: int, today: date | None = None) -> list[Figure]:
    with unlock(resolve_location(folder), USER, PASSWORD) as login:
        out = _page(login, runs)
        out.extend(_exports(login, runs, today or date.today()))
    out.append(_list_process(folder, runs))
    out.append(_whole_store_xlsx(folder))
    return out


def main(argv: list[str] | None = None) -> int:
    return group_main(__doc__, figures, argv)


if __name__ == "__main__":
    sys.exit(main())
