"""Saving a screening (issue 16): the p95 of the wizard's save against raw inserts.

    .venv/bin/python -m benchmarks.bench_save [--saves N] [--stored M]

Into an encrypted store that already holds ``M`` demo records (default 100,000: ``vagafraga
init``, ``vagafraga demo``; a save must not cost more as the store fills), ``N`` records
(default 300) are saved as the wizard saves them (``RecordService.save``: the record and
its indicators, one durable commit), alternating with the same kind of rows written by
hand on a raw driver connection to the same store: ``BEGIN``, one ``INSERT`` per row,
``COMMIT``. The anchor's rows are the rows the save stores (case reference and notes
sealed, with the blind index; sealed before its clock starts), in one durable transaction
as the save's. Bar: the p95 of the saves at most 1.5× the p95 of the raw inserts.

The driver connection is in autocommit (``app/storage/engine.py`` lets SQLAlchemy emit
``BEGIN``): without its own ``BEGIN`` each ``INSERT`` would be a durable commit of its own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from app.accounts.access import Principal, Role
from app.accounts.services import RecordService
from app.accounts.session import unlock
from app.screening.demo import DemoGenerator
from app.screening.record import ScreeningRecord
from app.storage.engine import resolve_location
from app.storage.repository import RECORDS_TABLE, record_to_row_values
from app.storage.sealing import seal_row
from benchmarks.common import OUT, PASSWORD, USER, Figure, vagafraga

INDICATORS = ("fear", "controlled")


def _stored(value: Any) -> Any:
    """A row value as SQLite stores it (what SQLAlchemy binds)."""
    if isinstance(value, datetime):
        return (
            value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _record(generator: DemoGenerator) -> ScreeningRecord:
    return generator.record().model_copy(
        update={"id": uuid.uuid4(), "handler": USER, "practice": False}
    )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


STORED = 100_000


def figures(_folder: Path, runs: int, saves: int = 300, stored: int = STORED) -> list[Figure]:
    folder = OUT / "save"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    vagafraga(folder, "init", "--admin", USER)()
    if stored:
        vagafraga(folder, "demo", "--records", str(stored), "--seed", "5")()
    generator = DemoGenerator(seed=5)
    names = [column.name for column in RECORDS_TABLE.columns]
    insert_record = (
        f"INSERT INTO records ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    )
    insert_indicator = "INSERT INTO record_indicators (record_id, indicator_id) VALUES (?, ?)"
    saved: list[float] = []
    raw_times: list[float] = []
    with unlock(resolve_location(folder), USER, PASSWORD) as login:
        service = RecordService(login.store, Principal(USER, frozenset({Role.HANDLER})))
        raw = login.store.engine.raw_connection()
        cursor = raw.cursor()
        for number in range(saves + 10):
            record = _record(generator)
            started = time.perf_counter()
            service.save(record, INDICATORS)
            took = time.perf_counter() - started
            values = record_to_row_values(_record(generator))
            seal_row(login.store.engine, values)
            started = time.perf_counter()
            cursor.execute("BEGIN")
            cursor.execute(insert_record, [_stored(values[name]) for name in names])
            for indicator in INDICATORS:
                cursor.execute(insert_indicator, (values["id"], indicator))
            raw.commit()
            raw_took = time.perf_counter() - started
            if number >= 10:  # the first saves warm up
                saved.append(took)
                raw_times.append(raw_took)
        raw.close()
    return [
        Figure(
            "save_p95",
            f"wizard save (record + indicators, durable commit) into a store of {stored:,} "
            f"records, p95 of {saves}",
            p95(saved),
            1.5,
            anchor_title="raw BEGIN, INSERTs of the same rows, COMMIT on the same store, p95",
            anchor_seconds=p95(raw_times),
            extra={
                "median_seconds": round(statistics.median(saved), 5),
                "anchor_median_seconds": round(statistics.median(raw_times), 5),
            },
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--stored", type=int, default=STORED)
    args = parser.parse_args(argv)
    for figure in figures(OUT, 1, args.saves, args.stored):
        print(json.dumps({figure.key: figure.as_json()}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
