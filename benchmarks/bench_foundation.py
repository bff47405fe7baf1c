"""Foundation benchmarks (issue 2).

    .venv/bin/python -m benchmarks.bench_foundation [--demo-records N] [--import-lines N]

- ``vagafraga demo --records 1000000`` wall time (target < 60 s)
- ``vagafraga records import`` of 100,000 lines, validation included (target < 15 s)
- saving one record through the repository with a durable commit: p95 (target < 20 ms)

The CLI figures are whole processes (start-up and sign-in included), timed with
``time.perf_counter`` around ``subprocess.run``, on encrypted stores made with
``vagafraga init``, as a handler's machine has them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from app.accounts.session import unlock
from app.screening.demo import DemoGenerator
from app.screening.record_io import write_export
from app.storage.engine import resolve_location

ADMIN = "bench-admin"
PASSWORD = "bench-password-not-secret"
ENV = dict(os.environ, VAGAFRAGA_USER=ADMIN, VAGAFRAGA_PASSWORD=PASSWORD)


def vagafraga(data_dir: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env=ENV,
    )
    return time.perf_counter() - started


def init(data_dir: Path) -> Path:
    vagafraga(data_dir, "init", "--admin", ADMIN)
    return data_dir


def bench_demo(folder: Path, count: int) -> float:
    return vagafraga(init(folder / "demo"), "demo", "--records", str(count))


def bench_import(folder: Path, lines: int) -> float:
    source = folder / "import.jsonl"
    with source.open("wb") as out:
        write_export(DemoGenerator(seed=11).records(lines), out, "jsonl", include_sensitive=True)
    return vagafraga(init(folder / "import"), "records", "import", str(source))


def bench_save(folder: Path, saves: int) -> list[float]:
    generator = DemoGenerator(seed=5)
    timings: list[float] = []
    location = resolve_location(init(folder / "save"))
    with unlock(location, ADMIN, PASSWORD) as login:
        store = login.store
        for _ in range(saves):
            record = generator.record().model_copy(update={"id": uuid.uuid4()})
            started = time.perf_counter()
            store.records.add(record)
            timings.append(time.perf_counter() - started)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo-records", type=int, default=1_000_000)
    parser.add_argument("--import-lines", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        demo = bench_demo(folder, args.demo_records)
        imported = bench_import(folder, args.import_lines)
        saves = bench_save(folder, args.saves)
    p95 = statistics.quantiles(saves, n=100)[94] * 1000
    print(f"demo --records {args.demo_records:,}: {demo:.1f} s (target < 60 s)")
    print(f"records import of {args.import_lines:,} lines: {imported:.1f} s (target < 15 s)")
    print(
        f"repository save, durable commit, {args.saves} saves: "
        f"median {statistics.median(saves) * 1000:.1f} ms, p95 {p95:.1f} ms (target < 20 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
