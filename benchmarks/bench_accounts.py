"""Accounts and encryption benchmarks (issue 8).

    .venv/bin/python -m benchmarks.bench_accounts [--records N] [--runs R] [--logins L]

- sign-in: the key unwrap alone (Argon2id + AES-GCM + X25519) and the whole
  ``unlock`` (key file, open the encrypted store, audit quick check, audit entry)
  with the production Argon2id parameters (target < 1 s);
- opening the store and running the statistics over ``N`` records (default
  1,000,000), encrypted vs the same data unencrypted (target ratio <= 1.3);
- a handler's save of a record with a case reference and notes, durable commit: with the
  fields sealed to the handler (issue 14) vs the same save on the same store with sealing
  off (the save of before), alternated in one run (target ratio <= 1.2).

The statistics are ``app.stats`` when it offers ``benchmark_query(engine)``;
until then an equivalent aggregate — every count of the metric definitions, grouped
by benefit, in one SQL statement — is timed, and the output says which one ran.
Each run opens a fresh engine (an empty page cache: SQLCipher decrypts every page it
reads) and runs the query once; the figure is the median of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.keyslots import PRODUCTION_KDF, KeyFile
from app.accounts.session import init_store, unlock
from app.screening.demo import DemoGenerator
from app.screening.record import ScreeningRecord
from app.storage.bulk import insert_demo_records
from app.storage.engine import StoreLocation, resolve_location
from app.storage.store import open_store
from app.storage.versions import RecordVersions

PASSWORD = "benchmark pass phrase"

EQUIVALENT_STATS = """
SELECT benefit,
       count(*) AS opportunities,
       sum(mode = 'routine') AS routine_opportunities,
       sum(mode = 'routine' AND asked) AS routine_asked,
       sum(mode = 'on_indication' AND indications) AS indication_opportunities,
       sum(mode = 'on_indication' AND indications AND asked) AS indication_asked,
       sum(asked) AS asked,
       sum(answer = 'disclosed') AS disclosed,
       sum(asked AND info_given) AS info_given,
       sum(child_report) AS child_reports
FROM records
WHERE practice = 0
GROUP BY benefit
"""


def stats_query() -> tuple[str, Callable[[Engine], Any]]:
    try:
        from app.stats import queries

        run = queries.benchmark_query
    except (ImportError, AttributeError):

        def equivalent(engine: Engine) -> Any:
            with engine.connect() as connection:
                return connection.execute(text(EQUIVALENT_STATS)).all()

        return "equivalent GROUP BY benefit aggregate (app.stats not yet there)", equivalent
    return "app.stats", run


def bench_login(folder: Path, logins: int) -> tuple[list[float], list[float]]:
    location = resolve_location(folder / "login")
    init_store(location, "bench-admin", PASSWORD, kdf=PRODUCTION_KDF).close()
    keys_path = location.data_dir / "vagafraga.keys"
    unwraps: list[float] = []
    whole: list[float] = []
    for _ in range(logins):
        started = time.perf_counter()
        KeyFile.load(keys_path).unlock("bench-admin", PASSWORD)
        unwraps.append(time.perf_counter() - started)
        started = time.perf_counter()
        unlock(location, "bench-admin", PASSWORD).close()
        whole.append(time.perf_counter() - started)
    return unwraps, whole


def _handler_store(folder: Path) -> tuple[StoreLocation, bytes]:
    location = resolve_location(folder)
    with init_store(location, "bench-admin", PASSWORD, kdf=PRODUCTION_KDF) as admin:
        AccountService(admin).add(
            "bench-h01", PASSWORD, frozenset({Role.HANDLER}), frozenset({"bench-team"})
        )
        assert admin.db_key is not None
        return location, admin.db_key


def bench_save(folder: Path, saves: int) -> tuple[list[float], list[float]]:
    """Durable saves of records with both sensitive fields, alternated between two stores
    made alike: one with the handler signed in (fields sealed to them), one opened with its
    database key only (fields stored as before issue 14). Two files, so neither save pays
    for re-reading pages the other one wrote."""
    sealed_at, _key = _handler_store(folder / "sealed")
    plain_at, plain_key = _handler_store(folder / "unsealed")
    generator = DemoGenerator(seed=3, end=datetime.now(UTC))

    def record() -> ScreeningRecord:
        data = generator.data()
        data.update(handler="bench-h01", case_reference="BENCH-0001", notes="note " * 40)
        return ScreeningRecord.model_validate(data)

    sealed: list[float] = []
    plain: list[float] = []
    with (
        unlock(sealed_at, "bench-h01", PASSWORD) as handler,
        open_store(plain_at, key=plain_key) as unsealed,
    ):
        targets = [
            (RecordVersions(handler.store.engine), sealed),
            (RecordVersions(unsealed.engine), plain),
        ]
        for run in range(saves):
            for versions, timings in targets if run % 2 else reversed(targets):
                item = record()
                started = time.perf_counter()
                versions.save(item)
                timings.append(time.perf_counter() - started)
    return sealed, plain


def make_stores(folder: Path, records: int) -> tuple[StoreLocation, StoreLocation, bytes]:
    plain = resolve_location(folder / "plain")
    with open_store(plain) as store:
        insert_demo_records(store.engine, records, seed=1, end=datetime.now(UTC))
    encrypted = resolve_location(folder / "encrypted")
    login = init_store(encrypted, "bench-admin", PASSWORD, kdf=PRODUCTION_KDF)
    key = login.db_key
    assert key is not None
    with login:
        insert_demo_records(login.store.engine, records, seed=1, end=datetime.now(UTC))
        with login.store.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with open_store(plain) as store, store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return plain, encrypted, key


def time_open_and_stats(
    location: StoreLocation, key: bytes | None, query: Callable[[Engine], Any], runs: int
) -> list[float]:
    timings: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        with open_store(location, key=key) as store:
            query(store.engine)
        timings.append(time.perf_counter() - started)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--logins", type=int, default=5)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args(argv)
    name, query = stats_query()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        unwraps, whole = bench_login(folder, args.logins)
        print(
            f"key unwrap (Argon2id t={PRODUCTION_KDF.time_cost}, "
            f"m={PRODUCTION_KDF.memory_cost // 1024} MiB, p={PRODUCTION_KDF.parallelism}): "
            f"median {statistics.median(unwraps):.2f} s, max {max(unwraps):.2f} s"
        )
        print(
            f"whole sign-in (unlock + open + audit): median {statistics.median(whole):.2f} s, "
            f"max {max(whole):.2f} s (target < 1 s)"
        )
        sealed, unsealed = bench_save(folder, args.saves)
        s, u = statistics.median(sealed) * 1000, statistics.median(unsealed) * 1000
        print(
            f"save with case reference and notes ({args.saves} each, alternated): sealed median "
            f"{s:.2f} ms, unsealed median {u:.2f} ms, ratio {s / u:.2f} (target <= 1.2)"
        )
        if args.records <= 0:
            return 0
        started = time.perf_counter()
        plain, encrypted, key = make_stores(folder, args.records)
        took = time.perf_counter() - started
        print(f"made both stores with {args.records:,} records in {took:.0f} s")
        size_plain = (plain.sqlite_path or Path()).stat().st_size
        size_encrypted = (encrypted.sqlite_path or Path()).stat().st_size
        # warm the OS file cache for both, then alternate so neither is favoured
        time_open_and_stats(plain, None, query, 1)
        time_open_and_stats(encrypted, key, query, 1)
        plain_times: list[float] = []
        encrypted_times: list[float] = []
        for _ in range(args.runs):
            plain_times += time_open_and_stats(plain, None, query, 1)
            encrypted_times += time_open_and_stats(encrypted, key, query, 1)
    p, e = statistics.median(plain_times), statistics.median(encrypted_times)
    print(f"statistics: {name}")
    print(f"file sizes: plain {size_plain / 1e6:.0f} MB, encrypted {size_encrypted / 1e6:.0f} MB")
    print(f"open + statistics, unencrypted: median {p:.2f} s ({args.runs} runs)")
    print(f"open + statistics, encrypted:   median {e:.2f} s ({args.runs} runs)")
    print(f"ratio encrypted / unencrypted: {e / p:.2f} (target <= 1.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
