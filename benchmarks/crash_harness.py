"""The crash harness (issue 17): kill -9 during saves, imports, rekeys and syncs.

    .venv/bin/python -m benchmarks.crash_harness [--runs N] [--only saves,imports,rekeys,syncs]

For each kind of work, ``N`` runs (default 300): a worker process signs in to a real
encrypted store (the same one across the runs, as a handler's computer would keep it),
works in a loop and prints ``ACK <id>`` for each thing only once the store (or the team
server) has committed it; after a random time the harness kills it with SIGKILL, signs in
again as the next start would (which finishes or undoes what the crash cut short) and
counts:

* **acknowledged**: the things the worker said were done before it was killed;
* **lost**: acknowledged things that are not there afterwards (for a rekey: a key change
  acknowledged and then undone; for an import: a file acknowledged but not all there, or a
  file not acknowledged of which only part is there);
* **damaged**: runs after which the store does not open, ``PRAGMA integrity_check`` is not
  ``ok``, or the audit log does not check (chain, signatures, anchors).

Syncs need PostgreSQL's server programs (``initdb``, ``pg_ctl``); without them that kind
is skipped and said so. The figures go to ``benchmarks/out/crash.json`` and by hand into
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import OUT, ROOT

KINDS = ("saves", "imports", "rekeys", "syncs")
ADMIN = "crash-admin"
HANDLER = "crash-h01"
TEAM = "crash-team"
PASSWORD = "crash harness pass phrase"
IMPORT_BATCH = 200
SYNC_BATCH = 20
# How long a worker works, after it signed in, before it is killed (uniformly at random).
KILL_AFTER = {"saves": 0.8, "imports": 1.5, "rekeys": 1.5, "syncs": 2.0}


@dataclass
class Tally:
    kind: str
    runs: int = 0
    acknowledged: int = 0
    lost: int = 0
    damaged: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.kind}: {self.runs} kill -9 runs, {self.acknowledged} acknowledged, "
            f"{self.lost} lost, {self.damaged} damaged"
        )


# -- the store --------------------------------------------------------------------------------


def make_store(folder: Path) -> None:
    """An encrypted store with an administrator and a handler (cheap key derivation: the
    harness measures crashes, not sign-in) and a few records to keep through every rekey."""
    from app.accounts.access import Role
    from app.accounts.admin import AccountService
    from app.accounts.services import RecordService
    from app.accounts.session import init_store, unlock
    from app.accounts.slot_crypto import KdfParams
    from app.storage.engine import resolve_location

    cheap = KdfParams(time_cost=1, memory_cost=64, parallelism=1)
    location = resolve_location(folder)
    roles = frozenset({Role.ADMIN})
    with init_store(location, ADMIN, PASSWORD, kdf=cheap, roles=roles) as admin:
        AccountService(admin).add(HANDLER, PASSWORD, frozenset({Role.HANDLER}), frozenset({TEAM}))
    with unlock(location, HANDLER, PASSWORD) as handler:
        service = RecordService(handler.store, handler.principal)
        for record in demo_records(50):
            service.save(record)


def demo_records(count: int) -> Iterator[Any]:
    from app.screening.demo import DemoGenerator

    generator = DemoGenerator(seed=random.randrange(1 << 30))
    for _ in range(count):
        yield generator.record().model_copy(
            update={"id": uuid.uuid4(), "handler": HANDLER, "team": TEAM, "practice": False}
        )


def check_store(folder: Path, user: str) -> str | None:
    """Sign in as the next start would; None when the store opens and checks, else why not."""
    from sqlalchemy import text

    from app.accounts.admin import AuditService
    from app.accounts.session import unlock
    from app.errors import UserError
    from app.storage.engine import resolve_location

    try:
        with unlock(resolve_location(folder), user, PASSWORD) as login:
            with login.store.engine.connect() as connection:
                result = connection.execute(text("PRAGMA integrity_check")).scalar()
            if result != "ok":
                return f"integrity_check: {result}"
            if user == ADMIN and not AuditService(login).verify().ok:
                return "the audit log does not check"
    except UserError as error:
        return f"does not open: {error.message}"
    return None


def stored_ids(folder: Path) -> set[str]:
    from sqlalchemy import text

    from app.accounts.session import unlock
    from app.storage.engine import resolve_location

    with (
        unlock(resolve_location(folder), HANDLER, PASSWORD) as login,
        login.store.engine.connect() as connection,
    ):
        return {row[0] for row in connection.execute(text("SELECT id FROM records"))}


# -- the workers (each in its own process, killed by the harness) ----------------------------


def work_saves(folder: Path) -> None:
    from app.accounts.services import RecordService
    from app.accounts.session import unlock
    from app.storage.engine import resolve_location

    with unlock(resolve_location(folder), HANDLER, PASSWORD) as login:
        service = RecordService(login.store, login.principal)
        ready()
        while True:
            for record in demo_records(100):
                service.save(record)  # a durable commit, as the wizard's save
                ack(str(record.id))


def work_imports(folder: Path) -> None:
    from app.accounts.services import RecordService
    from app.accounts.session import unlock
    from app.storage.engine import resolve_location
    from app.storage.importing import read_row_values

    batches = folder / "batches"
    batches.mkdir(exist_ok=True)
    with unlock(resolve_location(folder), HANDLER, PASSWORD) as login:
        service = RecordService(login.store, login.principal)
        ready()
        while True:
            batch = uuid.uuid4().hex
            records = list(demo_records(IMPORT_BATCH))
            source = batches / f"{batch}.jsonl"
            partial = source.with_suffix(".part")  # a file cut short by the kill is not one
            partial.write_text("".join(r.model_dump_json() + "\n" for r in records), "utf-8")
            partial.replace(source)
            rows = read_row_values(source, display_name=source.name)
            service.import_row_values(rows)  # what `vagafraga records import` does
            ack(batch)


def work_rekeys(folder: Path) -> None:
    from app.accounts.admin import AccountService
    from app.accounts.keyslots import KeyFile
    from app.accounts.session import unlock
    from app.storage.engine import resolve_location

    with unlock(resolve_location(folder), ADMIN, PASSWORD) as login:
        accounts = AccountService(login)
        ready()
        while True:
            accounts.rekey()
            ack(str(KeyFile.load(folder / "vagafraga.keys").generation))


def work_syncs(folder: Path) -> None:
    from app.accounts.access import Principal, Role
    from app.storage.engine import resolve_location
    from app.storage.store import open_store
    from app.sync.push import run_sync

    url, handler = (folder / "server.url").read_text().split()
    with open_store(resolve_location(folder / "device"), upgrade=False) as store:
        principal = Principal(handler, frozenset({Role.HANDLER}))
        ready()
        while True:
            batch = [
                record.model_copy(update={"handler": handler, "team": sync_team()})
                for record in demo_records(SYNC_BATCH)
            ]
            store.records.import_records(batch)
            outcome = run_sync(store.engine, principal, server(url, handler))
            if outcome.waiting == 0:
                for record in batch:
                    ack(str(record.id))


def sync_team() -> str:
    from benchmarks.bench_sync import team_name

    return team_name(0)


def server(url: str, handler: str) -> Any:
    """The team server as the handler signs in to it (accounts made by bench_sync)."""
    from app.sync.server import TeamServer
    from benchmarks.bench_sync import PASSWORD as SERVER_PASSWORD

    return TeamServer(url, handler, SERVER_PASSWORD)


WORKERS: dict[str, Callable[[Path], None]] = {
    "saves": work_saves,
    "imports": work_imports,
    "rekeys": work_rekeys,
    "syncs": work_syncs,
}


def ready() -> None:
    print("READY", flush=True)


def ack(item: str) -> None:
    print(f"ACK {item}", flush=True)


# -- one run ----------------------------------------------------------------------------------


def run_once(kind: str, folder: Path, rng: random.Random) -> list[str]:
    """Start a worker, kill it with SIGKILL at a random moment; the items it acknowledged."""
    command = [sys.executable, "-m", "benchmarks.crash_harness", "--worker", kind, str(folder)]
    worker = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    lines: list[str] = []
    started = threading.Event()

    def read() -> None:
        assert worker.stdout is not None
        for line in worker.stdout:
            if line == "READY\n":
                started.set()
            elif line.startswith("ACK ") and line.endswith("\n"):
                lines.append(line[4:-1])
        started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not started.wait(120) or worker.poll() is not None:
        worker.kill()
        _out, err = worker.communicate()
        raise RuntimeError(f"the {kind} worker did not start: {err.strip()[-500:]}")
    time.sleep(rng.uniform(0, KILL_AFTER[kind]))
    if worker.poll() is not None:
        _out, err = worker.communicate()
        raise RuntimeError(f"the {kind} worker stopped by itself: {err.strip()[-500:]}")
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    reader.join(10)
    return list(lines)


def judge(kind: str, folder: Path, acked: list[str], tally: Tally) -> None:
    problem = None
    if kind == "syncs":  # a device store has no accounts: checked by a whole sync
        lost, problem = sync_lost(folder, acked)
    elif (problem := check_store(folder, ADMIN if kind == "rekeys" else HANDLER)) is not None:
        lost = 0
    elif kind == "saves":
        lost = len(set(acked) - stored_ids(folder))
    elif kind == "imports":
        lost = import_lost(folder, acked)
    else:
        from app.accounts.keyslots import KeyFile

        generation = KeyFile.load(folder / "vagafraga.keys").generation
        lost = sum(1 for item in acked if int(item) > generation)
        if len(stored_ids(folder)) < 50:
            problem = "records missing after a rekey"
    tally.runs += 1
    tally.acknowledged += len(acked)
    tally.lost += lost
    if problem is not None:
        tally.damaged += 1
        tally.problems.append(problem)


def import_lost(folder: Path, acked: list[str]) -> int:
    """Acknowledged files not wholly there, and unacknowledged files partly there."""
    present = stored_ids(folder)
    lost = 0
    for source in sorted((folder / "batches").glob("*.jsonl")):
        ids = {json.loads(line)["id"] for line in source.read_text("utf-8").splitlines()}
        there = len(ids & present)
        if (source.stem in acked and there != len(ids)) or 0 < there < len(ids):
            lost += len(ids) - there if source.stem in acked else 1
        source.unlink()
    return lost


def sync_lost(folder: Path, acked: list[str]) -> tuple[int, str | None]:
    """Acknowledged records missing on the server; then a whole sync must leave the server
    with exactly the device's records."""
    import psycopg
    from sqlalchemy import text

    from app.accounts.access import Principal, Role
    from app.errors import UserError
    from app.storage.engine import resolve_location
    from app.storage.store import open_store
    from app.sync.push import run_sync

    url, handler = (folder / "server.url").read_text().split()
    conninfo = (folder / "server.admin").read_text()
    with psycopg.connect(conninfo) as connection:
        on_server = {str(row[0]) for row in connection.execute("SELECT id FROM records").fetchall()}
    lost = len(set(acked) - on_server)
    try:
        with open_store(resolve_location(folder / "device"), upgrade=False) as store:
            with store.engine.connect() as connection:
                if connection.execute(text("PRAGMA integrity_check")).scalar() != "ok":
                    return lost, "device store: integrity_check"
                local = {row[0] for row in connection.execute(text("SELECT id FROM records"))}
            principal = Principal(handler, frozenset({Role.HANDLER}))
            run_sync(store.engine, principal, server(url, handler))
    except UserError as error:
        return lost, f"device store: {error.message}"
    with psycopg.connect(conninfo) as connection:
        count = connection.execute("SELECT count(*) FROM records").fetchone()
    if count is None or count[0] != len(local):
        return lost, "server and device disagree after a whole sync"
    return lost, None


# -- a kind, N runs ---------------------------------------------------------------------------


def run_kind(kind: str, runs: int, rng: random.Random, folder: Path) -> Tally:
    tally = Tally(kind)
    if kind == "syncs":
        with sync_setup(folder) as ready_folder:
            if ready_folder is None:
                tally.problems.append("skipped: PostgreSQL's server programs are not here")
                return tally
            for _ in range(runs):
                judge(kind, ready_folder, run_once(kind, ready_folder, rng), tally)
                progress(tally, runs)
        return tally
    make_store(folder)
    for _ in range(runs):
        judge(kind, folder, run_once(kind, folder, rng), tally)
        progress(tally, runs)
    return tally


def progress(tally: Tally, runs: int) -> None:
    if tally.runs % 25 == 0 or tally.runs == runs:
        print(f"  {tally.line()}", file=sys.stderr, flush=True)


@contextmanager
def sync_setup(folder: Path) -> Iterator[Path | None]:
    """A PostgreSQL team server with one handler, and that handler's device store."""
    from tests.postgres_server import running_server, server_programs

    programs = server_programs()
    if programs is None:
        yield None
        return
    from app.storage.engine import resolve_location
    from app.storage.store import open_store
    from benchmarks.bench_sync import handler_name, team_database

    with running_server(programs) as server:
        _admin_url, url = team_database(server, folder, 1)
        open_store(resolve_location(folder / "device")).close()
        (folder / "server.url").write_text(f"{url} {handler_name(0)}")
        (folder / "server.admin").write_text(server.superuser(url.rsplit("/", 1)[1]))
        yield folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.crash_harness")
    parser.add_argument("--runs", type=int, default=300, help="kill -9 runs per kind")
    parser.add_argument("--only", default=",".join(KINDS), help="kinds, comma separated")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, folder = args.worker
        WORKERS[kind](Path(folder))
        return 0
    kinds = [kind for kind in args.only.split(",") if kind]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        parser.error(f"unknown kinds: {', '.join(unknown)}")
    rng = random.Random(args.seed)
    os.environ.setdefault("VAGAFRAGA_CONFIG_DIR", tempfile.mkdtemp(prefix="crash-config-"))
    results = []
    for kind in kinds:
        folder = Path(tempfile.mkdtemp(prefix=f"crash-{kind}-"))
        try:
            print(f"{kind} ...", file=sys.stderr, flush=True)
            tally = run_kind(kind, args.runs, rng, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print(tally.line(), flush=True)
        for problem in sorted(set(tally.problems)):
            print(f"  {problem}", flush=True)
        results.append(asdict(tally))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "crash.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
