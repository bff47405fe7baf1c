"""What every benchmark shares: the 1M-record store, alternating timed runs, figures.

Every figure is a ratio against an anchor measured in the same run (or, where the issue
sets an absolute bar, a time against it). Runs alternate between a figure and its anchor
(ABBA order) after a warm-up, and the median is kept: the machine is shared.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
ROOT = OUT.parent.parent
USER = "bench-admin"
PASSWORD = "benchmark pass phrase"
ENV = dict(os.environ, VAGAFRAGA_USER=USER, VAGAFRAGA_PASSWORD=PASSWORD)
STORE_INDEXES = ("ix_records_stats", "ix_records_stats_people", "ix_records_recorded_at")


@dataclass
class Figure:
    """One measured figure (``seconds``, or ``unit``). ``bar`` is the limit: a ratio to
    the anchor (``ratio_max``: at most; ``ratio_min``: the anchor is at least this many
    times slower) or an absolute value (``max``)."""

    key: str
    title: str
    seconds: float
    bar: float
    kind: str = "ratio_max"
    anchor_title: str | None = None
    anchor_seconds: float | None = None
    notes: str = ""
    unit: str = "s"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.anchor_seconds is None or self.anchor_seconds <= 0:
            return None
        return self.seconds / self.anchor_seconds

    @property
    def met(self) -> bool:
        if self.kind == "max":
            return self.seconds <= self.bar
        ratio = self.ratio
        if ratio is None:
            return False
        return ratio <= self.bar if self.kind == "ratio_max" else 1 / ratio >= self.bar

    def bar_text(self) -> str:
        if self.kind == "max":
            return f"≤ {self.bar:g} {self.unit}"
        if self.kind == "ratio_min":
            return f"anchor ≥ {self.bar:g}× slower"
        return f"≤ {self.bar:g}×"

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "value": round(self.seconds, 4),
            "unit": self.unit,
            "anchor": self.anchor_title,
            "anchor_value": None if self.anchor_seconds is None else round(self.anchor_seconds, 4),
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "bar": self.bar_text(),
            "met": self.met,
            "notes": self.notes,
            **self.extra,
        }


def alternate(works: dict[str, Callable[[], Any]], runs: int, warmups: int = 1) -> dict[str, float]:
    """Median wall time of each work, run in turns (ABBA ...) after ``warmups`` rounds."""
    for _ in range(warmups):
        for work in works.values():
            work()
    times: dict[str, list[float]] = {name: [] for name in works}
    names = list(works)
    for round_number in range(runs):
        for name in names if round_number % 2 == 0 else reversed(names):
            started = time.perf_counter()
            works[name]()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def process(
    args: Sequence[str], stdin: bytes | None = None, env: dict[str, str] | None = None
) -> Callable[[], None]:
    """A work that runs a whole process (start-up included), its output discarded.
    ``env``: variables set besides the benchmark user's sign-in (:data:`ENV`)."""
    environment = {**ENV, **(env or {})}

    def run() -> None:
        subprocess.run(
            list(args),
            input=stdin,
            check=True,
            stdout=subprocess.DEVNULL,
            env=environment,
            cwd=ROOT,
        )

    return run


def vagafraga(folder: Path | None, *args: str, stdin: bytes | None = None) -> Callable[[], None]:
    """A work running ``vagafraga ARGS`` as a user would (``python -m app``)."""
    where = ["--data-dir", str(folder)] if folder is not None else []
    return process([sys.executable, "-m", "app", *where, *args], stdin)


# The anchor of a whole ``vagafraga`` process that reads the store: the same key unwrap
# (Argon2id and all), then one hand-written statement on a raw driver connection.
SQL_PROCESS = """
import json, sys
from pathlib import Path
import sqlcipher3
from app.accounts.keyslots import KeyFile
folder, user, password, sql = sys.argv[1:5]
key = KeyFile.load(Path(folder) / "vagafraga.keys").unlock(user, password).db_key
connection = sqlcipher3.connect(folder + "/vagafraga.db")
connection.execute(f"PRAGMA key = \\"x'{key.hex()}'\\"")
connection.execute("PRAGMA cipher_page_size = 16384")
connection.execute("PRAGMA cipher_hmac_algorithm = HMAC_SHA256")
print(json.dumps(connection.execute(sql).fetchall(), default=str))
"""


def sql_process(folder: Path, sql: str) -> Callable[[], None]:
    """A work running :data:`SQL_PROCESS` with ``sql`` on the store in ``folder``."""
    return process([sys.executable, "-c", SQL_PROCESS, str(folder), USER, PASSWORD, sql])


def _cli(folder: Path, *args: str) -> None:
    vagafraga(folder, *args)()


def _usable(folder: Path, records: int) -> bool:
    from sqlalchemy import inspect

    from app.accounts.session import unlock
    from app.storage import migrate
    from app.storage.engine import resolve_location
    from app.storage.repository import RecordFilter

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
        return current and set(STORE_INDEXES) <= indexes and stored >= records


def ensure_store(records: int) -> Path:
    """An encrypted store with ``records`` demo records made by the CLI (``vagafraga init``,
    ``vagafraga demo``), built once and kept in ``benchmarks/out/stats-N/``."""
    folder = OUT / f"stats-{records}"
    if _usable(folder, records):
        print(f"reusing {folder}", file=sys.stderr)
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    _cli(folder, "init", "--admin", USER)
    _cli(folder, "demo", "--records", str(records), "--seed", "1")
    print(f"built {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def compile_app() -> None:
    """The app's modules byte-compiled, as an installed app's are (pip compiles a wheel's
    modules when it installs them; the frozen build carries them compiled): with
    ``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__``, every process measured would
    compile them from source again, a cost no user pays."""
    import compileall

    compileall.compile_dir(ROOT / "app", quiet=1)


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def group_main(
    doc: str | None, figures: Callable[[Path, int], list[Figure]], argv: list[str] | None
) -> int:
    """A benchmark group run on its own: ``--records N --runs R``, one JSON line a figure."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    compile_app()
    for figure in figures(ensure_store(args.records), args.runs):
        print(json.dumps({figure.key: figure.as_json()}, ensure_ascii=False))
    return 0
