"""Statistics on a team's PostgreSQL store (issue 16, "everything holds on PostgreSQL").

    .venv/bin/python -m benchmarks.bench_stats_postgres [--records N] [--runs R]

A throw-away PostgreSQL server (``tests/postgres_server.py``: the server's own ``initdb`` and
``pg_ctl``) gets a team store made as an administrator would (``init`` through the owner's
URL: schema, row-level security, an administrator who is also a team lead, their own login
role), then the records of the encrypted benchmark store (``benchmarks.common.ensure_store``),
copied in by the database owner with ``COPY``. Measured, with the dashboard's default filter
(the last 12 months):

- ``vagafraga --database-url … stats --by benefit`` as a whole process, signing in as that
  administrator's own role over TCP with their password (SCRAM), against ``psql`` signing in
  the same way and running the same grouped counts written by hand as one statement
  (bar: 1.5×).

Without PostgreSQL's server programs (or ``psql``) there is no figure; the run says why.
"""

from __future__ import annotations

import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from benchmarks.bench_stats import hand_written
from benchmarks.common import PASSWORD, USER, Figure, alternate, group_main, process, vagafraga

TITLE = "PostgreSQL: `vagafraga stats --by benefit` (last 12 months), whole process"
ANCHOR = "psql, signed in as the same role, running the hand-written statement"
COPY_BATCH = 50_000


def figures(folder: Path, runs: int, today: date | None = None) -> list[Figure]:
    from app.stats.dashboard_data import default_filter
    from tests.postgres_server import running_server, server_programs

    programs = server_programs()
    psql = shutil.which("psql")
    if programs is None or psql is None:
        print("not measured: PostgreSQL's server programs or psql are missing", file=sys.stderr)
        return []
    flt = default_filter(today or date.today())
    arguments = ["stats", "--by", "benefit", "--from", str(flt.date_from), "--to", str(flt.date_to)]
    statement = hand_written("benefit", flt, postgres=True)
    with running_server(programs) as server, _team_store(server, folder) as url:
        client = folder.parent / "postgres-client"
        works = {
            "stats": vagafraga(client, "--database-url", url, *arguments, "--format", "csv"),
            "psql": process(
                [psql, "-X", "-q", "-A", "-d", url, "-c", statement], env={"PGPASSWORD": PASSWORD}
            ),
        }
        medians = alternate(works, runs)
    return [
        Figure(
            "stats_process_postgres",
            TITLE,
            medians["stats"],
            1.5,
            anchor_title=ANCHOR,
            anchor_seconds=medians["psql"],
            notes="the records of the benchmark store, copied into a throw-away server",
        )
    ]


@contextmanager
def _team_store(server: object, folder: Path) -> Iterator[str]:
    """A team store on ``server`` holding the benchmark store's records; the URL the
    administrator signs in with (their own role, over TCP)."""
    import psycopg

    from app.accounts.access import Role
    from app.accounts.keyslots import KdfParams
    from app.accounts.session import init_store
    from app.screening.demo import TEAMS
    from app.storage.engine import resolve_location
    from tests.postgres_server import Server

    assert isinstance(server, Server)
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.superuser("postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    cheap = KdfParams(time_cost=1, memory_cost=64, parallelism=1)
    location = resolve_location(folder.parent / "postgres-owner", server.url(name))
    roles = frozenset({Role.ADMIN, Role.TEAM_LEAD})
    init_store(location, USER, PASSWORD, kdf=cheap, roles=roles, teams=frozenset(TEAMS)).close()
    copied = _copy_records(folder, server.superuser(name))
    print(f"copied {copied:,} records into PostgreSQL", file=sys.stderr)
    yield f"postgresql://{USER}@127.0.0.1:{server.port}/{name}"


def _copy_records(folder: Path, owner: str) -> int:
    """The records of the encrypted store in ``folder``, copied by the database owner."""
    import psycopg
    import sqlcipher3

    from app.accounts.keyslots import KeyFile

    key = KeyFile.load(folder / "vagafraga.keys").unlock(USER, PASSWORD).db_key
    source = sqlcipher3.connect(str(folder / "vagafraga.db"))
    source.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    source.execute("PRAGMA cipher_page_size = 16384")
    source.execute("PRAGMA cipher_hmac_algorithm = HMAC_SHA256")
    mine = [row[1] for row in source.execute("PRAGMA table_info(records)")]
    copied = 0
    with psycopg.connect(owner) as target:
        target.execute("SET TIME ZONE 'UTC'")
        theirs = {
            row[0]
            for row in target.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'records'"
            )
        }
        columns = [name for name in mine if name in theirs]
        cursor = source.execute(f"SELECT {', '.join(columns)} FROM records")
        with target.cursor().copy(f"COPY records ({', '.join(columns)}) FROM STDIN") as copy:
            while batch := cursor.fetchmany(COPY_BATCH):
                for row in batch:
                    copy.write_row(row)
                copied += len(batch)
        target.commit()
        target.execute("ANALYZE records")
    source.close()
    return copied


def main(argv: list[str] | None = None) -> int:
    return group_main(__doc__, figures, argv)


if __name__ == "__main__":
    sys.exit(main())
