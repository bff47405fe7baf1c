"""A throw-away PostgreSQL server for the tests that prove a shared store works the same.

The server programs are PostgreSQL's own (``initdb``, ``pg_ctl``; Debian puts them in
``/usr/lib/postgresql/<version>/bin``). Without them the PostgreSQL tests are skipped,
saying why. The server listens on a Unix socket in a temporary folder and on a free TCP port
of 127.0.0.1. It trusts only its superuser (the test harness, playing the database
administrator); every other role signs in with a password (SCRAM-SHA-256), as the app's
users do on a real server. It is stopped at the end of the test session. ``initdb``
refuses to run as root, so as root the server runs as the ``postgres`` account (or
``nobody``), which then owns that folder.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "vf"
# Trust for the superuser only; everyone else proves their password (SCRAM-SHA-256).
PG_HBA = f"""\
local all {SUPERUSER} trust
host all {SUPERUSER} 127.0.0.1/32 trust
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
"""


def server_programs() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def programs_or_skip() -> Path:
    """The server programs; without them the test is skipped (and fails under CI=true)."""
    import pytest

    programs = server_programs()
    if programs is None:
        reason = "PostgreSQL's server programs (initdb, pg_ctl) are not on this machine"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the PostgreSQL tests")
        pytest.skip(reason)
    return programs


@dataclass(frozen=True)
class Server:
    socket_dir: Path
    port: int
    pg_ctl: tuple[str, ...] = field(default=())  # the control command, for stop and start
    options: str = ""

    def stop(self) -> None:
        """Stop the server at once (as a crash or a restart would), keeping its data."""
        _run([*self.pg_ctl, "-m", "immediate", "-w", "stop"])

    def start(self) -> None:
        log = str(self.socket_dir / "server.log")
        _run([*self.pg_ctl, "-o", self.options, "-l", log, "-w", "start"])

    def url(self, database: str) -> str:
        """The superuser's URL (over the Unix socket)."""
        return (
            f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}&port={self.port}"
        )

    def tcp_url(self, database: str, user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def superuser(self, database: str) -> str:
        """A psycopg conninfo for the superuser in ``database``."""
        return f"host={self.socket_dir} port={self.port} user={SUPERUSER} dbname={database}"

    @contextmanager
    def database(self) -> Iterator[str]:
        """A new, empty database on the server; dropped afterwards."""
        import psycopg

        name = f"test_{uuid.uuid4().hex[:12]}"
        admin = self.superuser("postgres")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url(name)
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_server(programs: Path) -> Iterator[Server]:
    """A server in a new folder of the system's temporary directory (pytest's own is
    private to root, so the server's account could not reach it), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="vagafraga-pg-"))
    try:
        with _server_in(folder, programs) as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _server_in(folder: Path, programs: Path) -> Iterator[Server]:
    prefix: list[str] = []
    if os.geteuid() == 0:
        account = _unprivileged_account()
        entry = pwd.getpwnam(account)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        prefix = ["runuser", "-u", account, "--"]
    data = folder / "data"
    initdb = [*prefix, str(programs / "initdb"), "-D", str(data), "-A", "trust"]
    _run([*initdb, "-U", SUPERUSER, "-E", "UTF8", "--no-instructions"])
    hba = data / "pg_hba.conf"
    _run([*prefix, "sh", "-c", f"printf '%s' '{PG_HBA}' > {hba}"])
    port = _free_port()
    options = (
        f"-k {folder} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off "
        "-c max_connections=80 -c password_encryption=scram-sha-256"
    )
    pg_ctl = (*prefix, str(programs / "pg_ctl"), "-D", str(data))
    server = Server(socket_dir=folder, port=port, pg_ctl=pg_ctl, options=options)
    server.start()
    try:
        yield server
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True, check=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str]) -> None:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)


def _unprivileged_account() -> str:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("no unprivileged account to run PostgreSQL as")
