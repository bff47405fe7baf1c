"""Fast bulk loading of synthetic records (``vagafraga demo``), in parallel chunks.

Worker processes generate and convert chunks of demo records; the parent inserts
them with the driver's ``executemany``, applying only the two column types that
need it. Chunks are seeded independently, so the result does not depend on how
many processes ran.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from app.screening.demo import DemoGenerator
from app.storage.loading import REBUILD_INDEXES_FROM, loading_many
from app.storage.repository import RECORDS_TABLE, row_values_from_json

CHUNK = 10_000
COLUMNS = tuple(column.name for column in RECORDS_TABLE.columns)


def demo_chunk(
    seed: int, stream: int, count: int, end: datetime, sqlite_values: bool
) -> list[tuple[Any, ...]]:
    """``count`` demo records of one independent stream, as row tuples in column order.

    With ``sqlite_values`` the times and dates are already in SQLite's stored form
    (what SQLAlchemy's DateTime and Date write), so the parent inserts them as they are.
    """
    generator = DemoGenerator(seed=seed, end=end, stream=stream)
    rows = []
    for row in map(row_values_from_json, generator.many(count)):
        if sqlite_values:
            moment, day = row["recorded_at"], row["local_date"]
            row["recorded_at"] = (
                f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
                f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}"
            )
            row["local_date"] = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
        rows.append(tuple(row[name] for name in COLUMNS))
    return rows


def _chunks(
    seed: int, total: int, end: datetime, workers: int, sqlite_values: bool
) -> Iterator[list[tuple[Any, ...]]]:
    sizes = [min(CHUNK, total - start) for start in range(0, total, CHUNK)]
    if workers <= 1 or len(sizes) == 1:
        for stream, size in enumerate(sizes, start=1):
            yield demo_chunk(seed, stream, size, end, sqlite_values)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(demo_chunk, seed, stream, size, end, sqlite_values)
            for stream, size in enumerate(sizes, start=1)
        ]
        for future in futures:
            yield future.result()


def insert_demo_records(
    engine: Engine,
    total: int,
    *,
    seed: int,
    end: datetime,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    rebuild_indexes_from: int = REBUILD_INDEXES_FROM,
) -> int:
    """Generate and insert ``total`` demo records in one transaction; returns the count."""
    sqlite_values = engine.dialect.name == "sqlite"
    processors = [column.type.bind_processor(engine.dialect) for column in RECORDS_TABLE.columns]
    needs = [] if sqlite_values else [(i, p) for i, p in enumerate(processors) if p is not None]
    placeholders = ", ".join(_placeholder(engine, name) for name in COLUMNS)
    sql = f"INSERT INTO {RECORDS_TABLE.name} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    done = 0
    pool_size = workers or min(4, os.cpu_count() or 1)
    with (
        engine.begin() as connection,
        loading_many(connection, total, rebuild_indexes_from=rebuild_indexes_from),
    ):
        for chunk in _chunks(seed, total, end, pool_size, sqlite_values):
            if needs:
                rows = []
                for row in chunk:
                    values = list(row)
                    for index, process in needs:
                        if values[index] is not None:
                            values[index] = process(values[index])
                    rows.append(tuple(values))
            else:
                rows = chunk
            connection.exec_driver_sql(sql, rows)
            done += len(rows)
            if progress is not None:
                progress(done)
    return done


def _placeholder(engine: Engine, name: str) -> str:
    style = engine.dialect.paramstyle
    return {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":1"}.get(style, "?")
