"""Team sync at scale (issue 15).

    .venv/bin/python -m benchmarks.bench_sync [--devices 200] [--records 500] [--workers 4]
        [--stats-records 1000000,10000000]

A throw-away PostgreSQL server (the one the tests use) plays the team server, with one
login role per handler. ``--devices`` simulated handlers' devices (local SQLite stores
of ``--records`` records each) sync to it through :func:`app.sync.push.run_sync`, at
most ``--workers`` at a time (separate processes, each opening its own short-lived server
connections), as many handlers' computers would. Measured:

- the whole run's wall time, syncs per second and records per second;
- the server's CPU time (every server process's user + system time, from /proc,
  children that exited included) per record;
- the anchor: the same records of one device inserted straight into the server's
  ``records`` table in one transaction; each device's sync is given as a multiple of it;
- a second round in which every device syncs again (nothing to send);
- the team's statistics afterwards (``vagafraga stats`` totals) equal to the sum of the
  devices' own.

``--stats-records`` loads that many demo records into a server database and times what
a team lead (of every demo team, signed in as their own role, so row-level security
applies) waits for: the dashboard's figures (``load_dashboard``, a year) and
``vagafraga stats --by benefit``, against a full count of the table as the anchor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine, text

from app.accounts.access import Principal, Role
from app.accounts.admin import AccountService
from app.accounts.session import init_store
from app.accounts.slot_crypto import KdfParams
from app.screening.demo import TEAMS as DEMO_TEAMS
from app.screening.demo import DemoGenerator
from app.stats.dashboard_data import load_dashboard
from app.stats.filters import StatsFilter, StatsQuery
from app.stats.queries import benchmark_query
from app.stats.service import StatsService
from app.storage.bulk import insert_demo_records
from app.storage.engine import resolve_location
from app.storage.repository import record_to_row_values
from app.storage.store import open_store
from app.sync.payload import RECORDS
from app.sync.push import run_sync
from app.sync.server import TeamServer, team_store
from tests.postgres_server import Server, running_server, server_programs

PASSWORD = "bench-password-not-secret"
TEAMS = 20


LEAD = "bench-lead"


def handler_name(number: int) -> str:
    return f"bench-h{number:04d}"


def team_name(number: int) -> str:
    return f"bench-team-{number % TEAMS:02d}"


# -- the server's CPU ---------------------------------------------------------------------


def server_cpu_seconds(server: Server) -> float:
    """User + system time of the postmaster, its exited children and its live children."""
    pid = int((server.socket_dir / "data" / "postmaster.pid").read_text().split()[0])
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        own_pid, parent = int(entry.name), int(fields[1])
        if own_pid == pid:
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        elif parent == pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


# -- setting up -----------------------------------------------------------------------------


def team_database(server: Server, folder: Path, devices: int) -> tuple[str, str]:
    """A team server database set up as an administrator would (``init``, ``users add``:
    one login role per handler, row-level security)."""
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.superuser("postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    admin_url = server.url(name)
    cheap = KdfParams(time_cost=1, memory_cost=64, parallelism=1)  # one admin, not measured
    location = resolve_location(folder / "server-admin", admin_url)
    with init_store(location, "bench-admin", PASSWORD, kdf=cheap) as admin:
        accounts = AccountService(admin)
        for number in range(devices):
            team = frozenset({team_name(number)})
            accounts.add(handler_name(number), PASSWORD, frozenset({Role.HANDLER}), team)
        teams = frozenset(team_name(number) for number in range(TEAMS))
        accounts.add(LEAD, PASSWORD, frozenset({Role.TEAM_LEAD}), teams)
    return admin_url, f"postgresql://127.0.0.1:{server.port}/{name}"


def make_devices(folder: Path, devices: int, records: int) -> list[Path]:
    """One local store per device (a copy of one migrated store), ``records`` records each."""
    template = folder / "template"
    open_store(resolve_location(template)).close()
    generator = DemoGenerator(seed=15)
    paths: list[Path] = []
    for number in range(devices):
        place = folder / f"device-{number:04d}"
        place.mkdir()
        shutil.copyfile(template / "vagafraga.db", place / "vagafraga.db")
        update = {"handler": handler_name(number), "team": team_name(number)}
        batch = [
            generator.record().model_copy(update={**update, "id": uuid.uuid4()})
            for _ in range(records)
        ]
        with open_store(resolve_location(place), upgrade=False) as store:
            store.records.import_records(batch)
        paths.append(place)
    return paths


# -- one device's sync (in a worker process) ----------------------------------------------------


def sync_device(job: tuple[int, str, str]) -> tuple[int, int, int, float]:
    number, place, url = job
    name = handler_name(number)
    started = time.perf_counter()
    with open_store(resolve_location(place), upgrade=False) as store:
        outcome = run_sync(
            store.engine,
            Principal(name, frozenset({Role.HANDLER})),
            TeamServer(url, name, PASSWORD),
        )
    return outcome.pushed, outcome.already_there, outcome.waiting, time.perf_counter() - started


def sync_round(
    paths: list[Path], url: str, workers: int
) -> tuple[float, list[tuple[int, int, int, float]]]:
    jobs = [(number, str(place), url) for number, place in enumerate(paths)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(sync_device, jobs))
    return time.perf_counter() - started, results


def anchor_insert(admin_url: str, place: Path, runs: int = 5) -> float:
    """The floor: one device's records inserted straight into a copy of ``records``."""
    with open_store(resolve_location(place), upgrade=False) as store:
        rows = [record_to_row_values(record) for record in store.records.iter_records()]
    engine = create_engine(admin_url)
    timings: list[float] = []
    try:
        for _ in range(runs):
            with engine.begin() as connection:
                connection.execute(text("CREATE TEMP TABLE anchor (LIKE records INCLUDING ALL)"))
                table = RECORDS.to_metadata(RECORDS.metadata.__class__(), name="anchor")
                started = time.perf_counter()
                connection.execute(table.insert(), rows)
                timings.append(time.perf_counter() - started)
                connection.execute(text("DROP TABLE anchor"))
    finally:
        engine.dispose()
    return statistics.median(timings)


def team_totals(url: str, folder: Path) -> dict[str, Any]:
    """The team's figures as the team lead reads them on the server."""
    with team_store(TeamServer(url, LEAD, PASSWORD), folder) as store:
        result: dict[str, Any] = StatsService(store.engine).run(StatsQuery()).to_json()["total"]
        return result


def device_totals(paths: list[Path]) -> int:
    total = 0
    for place in paths:
        with open_store(resolve_location(place), upgrade=False) as store:
            total += int(
                StatsService(store.engine).run(StatsQuery()).to_json()["total"]["opportunities"]
            )
    return total


# -- statistics at size -------------------------------------------------------------------------


def timed(work: Callable[[], Any], runs: int = 5) -> float:
    work()  # warm-up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def bench_stats_size(server: Server, folder: Path, count: int) -> dict[str, float]:
    """``count`` demo records on a server; the figures timed as a team lead of every demo
    team reads them (their own login role, row-level security applied)."""
    name = f"bench_stats_{count}"
    with psycopg.connect(server.superuser("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    cheap = KdfParams(time_cost=1, memory_cost=64, parallelism=1)
    location = resolve_location(folder / f"stats-{count}", server.url(name))
    with init_store(location, "bench-admin", PASSWORD, kdf=cheap) as admin:
        AccountService(admin).add(
            LEAD, PASSWORD, frozenset({Role.TEAM_LEAD}), frozenset(DEMO_TEAMS)
        )
    owner = create_engine(server.url(name))  # loading demo data is the database owner's job
    try:
        started = time.perf_counter()
        end = datetime(2026, 12, 1, tzinfo=UTC)
        insert_demo_records(owner, count, seed=7, end=end)
        load = time.perf_counter() - started
    finally:
        owner.dispose()
    with psycopg.connect(server.superuser(name), autocommit=True) as maintenance:
        maintenance.execute("VACUUM ANALYZE records")
    flt = StatsFilter(date_from=date(2025, 12, 1), date_to=date(2026, 11, 30))
    url = f"postgresql://127.0.0.1:{server.port}/{name}"
    with team_store(TeamServer(url, LEAD, PASSWORD), folder) as store:

        def count_all() -> None:
            with store.engine.connect() as db:
                db.execute(text("SELECT count(*) FROM records")).scalar()

        figures = {
            "load_s": load,
            "anchor_count_s": timed(count_all),
            "dashboard_s": timed(lambda: load_dashboard(store.engine, flt), runs=3),
            "stats_by_benefit_s": timed(lambda: benchmark_query(store.engine)),
        }
    with psycopg.connect(server.superuser("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    return figures


def bench_devices(server: Server, folder: Path, devices: int, records: int, workers: int) -> None:
    print(f"making {devices} devices of {records} records …", flush=True)
    paths = make_devices(folder, devices, records)
    admin_url, url = team_database(server, folder, devices)
    cpu_before = server_cpu_seconds(server)
    wall, results = sync_round(paths, url, workers)
    cpu = server_cpu_seconds(server) - cpu_before
    pushed = sum(item[0] for item in results)
    per_device = statistics.median(item[3] for item in results)
    cpu_before = server_cpu_seconds(server)
    again_wall, again = sync_round(paths, url, workers)
    again_cpu = server_cpu_seconds(server) - cpu_before
    anchor = anchor_insert(admin_url, paths[0])
    on_server = team_totals(url, folder)["opportunities"]
    on_devices = device_totals(paths)
    print(f"devices {devices} × {records} records, {workers} at a time")
    print(
        f"first sync: {wall:.1f} s, {devices / wall:.1f} syncs/s, "
        f"{pushed / wall:.0f} records/s, pushed {pushed}"
    )
    print(
        f"per device: median {per_device:.2f} s, max {max(i[3] for i in results):.2f} s; "
        f"anchor (plain insert of one device's rows) {anchor * 1000:.0f} ms: "
        f"{per_device / anchor:.1f}× anchor"
    )
    print(f"server CPU: {cpu:.1f} s in all, {cpu / max(pushed, 1) * 1e6:.0f} µs per record")
    print(
        f"second sync (nothing to send): {again_wall:.1f} s, {devices / again_wall:.1f} "
        f"syncs/s, server CPU {again_cpu / devices * 1000:.1f} ms per sync, "
        f"pushed {sum(i[0] for i in again)}, waiting {sum(i[2] for i in again)}"
    )
    verdict = "equal" if on_server == on_devices else "DIFFERENT"
    print(
        f"team statistics: {on_server} opportunities on the server, "
        f"{on_devices} on the devices: {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--stats-records", default="", help="e.g. 1000000,10000000")
    args = parser.parse_args(argv)
    programs = server_programs()
    if programs is None:
        raise SystemExit("PostgreSQL's server programs (initdb, pg_ctl) are not on this machine")
    with (
        tempfile.TemporaryDirectory(prefix="bench-sync-") as temporary,
        running_server(programs) as server,
    ):
        if args.devices:
            bench_devices(server, Path(temporary), args.devices, args.records, args.workers)
        for size in [int(n) for n in args.stats_records.split(",") if n]:
            print(f"loading {size} records for the statistics …", flush=True)
            f = bench_stats_size(server, Path(temporary), size)
            anchor = f["anchor_count_s"]
            print(
                f"{size} records: load {f['load_s']:.0f} s; count(*) {anchor:.2f} s; "
                f"dashboard {f['dashboard_s']:.2f} s ({f['dashboard_s'] / anchor:.1f}×); "
                f"stats --by benefit {f['stats_by_benefit_s']:.2f} s "
                f"({f['stats_by_benefit_s'] / anchor:.1f}×)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
