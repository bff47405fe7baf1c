"""The PostgreSQL server itself holds each user to their role (issue 14): tried through psycopg
directly, as a user's own database role, without the app in between; schema versions and
upgrades; and one clear line for every connection fault.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.audit import AuditLog
from app.accounts.services import RecordService
from app.accounts.session import Login, unlock
from app.errors import UserError
from app.screening.record import ScreeningRecord
from app.storage import migrate
from app.storage.engine import StoreLocation, resolve_location
from app.storage.store import open_store
from tests.conftest import TEST_PASSWORD, TEST_USERS, CliResult
from tests.postgres_server import Server
from tests.storage.conftest import init_team


@pytest.fixture
def team(
    pg_location: StoreLocation, make_record: Callable[..., ScreeningRecord]
) -> Iterator[Login]:
    """Every test user on the server, and one record of each handler with a case reference
    and notes; the administrator signed in."""
    login = init_team(pg_location)
    for handler, team_id in (("test-h01", "test-team-a"), ("test-h02", "test-team-a")):
        record = make_record(
            handler=handler, team=team_id, case_reference=f"REF-{handler}", notes=f"NOTE-{handler}"
        )
        with unlock(pg_location, handler, TEST_PASSWORD) as own:
            RecordService(own.store, own.principal).save(record)
    yield login
    login.close()


def connect_as(server: Server, location: StoreLocation, user: str) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=str(server.socket_dir),
        port=server.port,
        dbname=location.url.database,
        user=user,
        password=TEST_PASSWORD,
        autocommit=True,
    )


def refused(connection: psycopg.Connection[Any], statement: str) -> bool:
    try:
        connection.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_a_handler_reads_only_their_own_records_at_the_server(
    team: Login, server: Server, pg_location: StoreLocation
) -> None:
    with connect_as(server, pg_location, "test-h01") as handler:
        rows = handler.execute("SELECT handler, case_reference, notes FROM records").fetchall()
        assert rows == [("test-h01", "REF-test-h01", "NOTE-test-h01")]
        assert handler.execute(
            "SELECT count(*) FROM drafts WHERE handler <> 'test-h01'"
        ).fetchone() == (0,)
        # another handler's record cannot be changed or claimed either
        changed = handler.execute("UPDATE records SET notes = 'x' WHERE handler = 'test-h02'")
        assert changed.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            handler.execute("UPDATE records SET handler = 'test-h02'")  # WITH CHECK: not theirs
        assert refused(handler, "DELETE FROM records")


def test_team_leads_and_administrators_cannot_select_case_references_or_notes(
    team: Login, server: Server, pg_location: StoreLocation
) -> None:
    for name in ("test-lead", "test-admin"):
        with connect_as(server, pg_location, name) as reader:
            assert reader.execute("SELECT count(*) FROM records").fetchone() == (2,)
            assert refused(reader, "SELECT case_reference FROM records")
            assert refused(reader, "SELECT notes FROM records")
            assert refused(reader, "SELECT * FROM records")
            assert refused(reader, "SELECT data FROM record_versions") is False
            assert reader.execute("SELECT count(*) FROM record_versions").fetchone() == (0,)
    with connect_as(server, pg_location, "test-trainer") as trainer:
        assert trainer.execute("SELECT count(*) FROM records").fetchone() == (0,)  # practice only


def test_no_app_role_reads_password_hashes_or_changes_roles_itself(
    team: Login, server: Server, pg_location: StoreLocation
) -> None:
    for name in ("test-h01", "test-lead", "test-admin"):
        with connect_as(server, pg_location, name) as connection:
            assert refused(connection, "SELECT password_hash FROM users")
            assert refused(connection, "SELECT rolpassword FROM pg_authid")
            assert refused(connection, "UPDATE users SET roles = '[\"admin\"]'")
            assert refused(connection, "INSERT INTO users (username) VALUES ('test-x')")
            assert refused(connection, "ALTER TABLE records DISABLE ROW LEVEL SECURITY")
    with connect_as(server, pg_location, "test-h01") as handler:
        # the audited function refuses a non-administrator too
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            handler.execute("SELECT vagafraga_set_roles('test-h01', ARRAY['admin'], NULL)")
        assert handler.execute("SELECT username FROM users").fetchall() == [("test-h01",)]


def test_the_audit_log_is_append_only_for_every_app_role(
    team: Login, server: Server, pg_location: StoreLocation
) -> None:
    for name in ("test-h01", "test-lead", "test-trainer", "test-admin"):
        with connect_as(server, pg_location, name) as connection:
            assert refused(connection, "DELETE FROM audit_log")
            assert refused(connection, "UPDATE audit_log SET actor = 'x'")
            assert refused(connection, "TRUNCATE audit_log")
            assert refused(connection, "UPDATE audit_head SET seq = 1")
            assert refused(connection, "DELETE FROM audit_head")
            assert refused(
                connection,
                "INSERT INTO audit_log (seq, at, actor, event, detail, prev_hash, hash) "
                "VALUES (9999, now(), 'x', 'x', '{}', 'x', 'x')",
            )
            # appending through the function: the actor is the signed-in role, chained
            connection.execute("SELECT vagafraga_audit_append('record_viewed', NULL, NULL, '{}')")
    log = AuditLog(team.store.engine)
    assert log.verify().ok
    actors = [entry.actor for entry in log.entries() if entry.event == "record_viewed"]
    assert actors == ["test-h01", "test-lead", "test-trainer", "test-admin"]


def test_role_changes_are_audited_by_the_server(
    team: Login, pg_location: StoreLocation, english: None
) -> None:
    accounts = AccountService(team)
    accounts.set_roles("test-h03", frozenset({Role.HANDLER, Role.TRAINER}), None)
    with pytest.raises(UserError, match="handler or trainer"):
        accounts.set_roles("test-h03", frozenset({Role.HANDLER, Role.ADMIN}), None)
    accounts.remove("test-h02")
    with pytest.raises(UserError):
        unlock(pg_location, "test-h02", TEST_PASSWORD)  # the login role may not sign in
    events = [(e.actor, e.event, e.subject) for e in AuditLog(team.store.engine).entries()]
    assert ("test-admin", "account_roles_changed", "test-h03") in events
    assert ("test-admin", "account_removed", "test-h02") in events
    assert AuditLog(team.store.engine).verify().ok


def test_concurrent_sign_ins_while_others_write_never_see_a_false_alteration(
    team: Login, pg_location: StoreLocation
) -> None:
    failures: list[str] = []
    stop = threading.Event()

    def write() -> None:
        log = AuditLog(team.store.engine)
        while not stop.is_set():
            log.append("test-admin", _event())

    def sign_in(name: str) -> None:
        try:
            unlock(pg_location, name, TEST_PASSWORD).close()
        except UserError as error:
            failures.append(error.message)

    writers = [threading.Thread(target=write) for _ in range(3)]
    for writer in writers:
        writer.start()
    try:
        names = [name for name in TEST_USERS if name != "test-admin"]
        signers = [
            threading.Thread(target=sign_in, args=(names[n % len(names)],)) for n in range(20)
        ]
        for signer in signers:
            signer.start()
        for signer in signers:
            signer.join()
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert failures == []
    assert AuditLog(team.store.engine).verify().ok


def _event() -> Any:
    from app.accounts.audit import AuditEvent

    return AuditEvent.STATS_EXPORTED


def test_a_client_of_another_schema_version_refuses_naming_both(
    team: Login, pg_location: StoreLocation, english: None
) -> None:
    with open_store(pg_location) as owner, owner.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(UserError) as refused_:
        unlock(pg_location, "test-h01", TEST_PASSWORD)
    message = refused_.value.message
    assert "9999" in message
    assert str(migrate.head_revision()) in message


def test_schema_upgrades_run_one_at_a_time(server: Server, tmp_path: Path) -> None:
    with server.database() as url:
        location = resolve_location(tmp_path, url)
        errors: list[BaseException] = []

        def upgrade() -> None:
            try:
                open_store(location).close()
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=upgrade) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with open_store(location, upgrade=False) as store:
            assert migrate.current_revision(store.engine) == migrate.head_revision()


def test_an_app_user_cannot_upgrade_the_schema(
    team: Login,
    server: Server,
    pg_location: StoreLocation,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_store(pg_location) as owner, owner.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    monkeypatch.setenv("PGPASSWORD", TEST_PASSWORD)
    url = f"postgresql://test-admin@/{pg_location.url.database}?host={server.socket_dir}&port={server.port}"
    result = run_cli("--language", "en", "--database-url", url, "db", "upgrade")
    assert result.code == 2
    assert "owner" in result.err
    assert "Traceback" not in result.err


# -- connection faults -----------------------------------------------------------------------


def _fault(run_cli: Callable[..., CliResult], url: str, **options: Any) -> str:
    result = run_cli("--language", "en", "--database-url", url, "records", "export", **options)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    return result.err


def test_every_connection_fault_has_its_own_line(
    team: Login, server: Server, pg_location: StoreLocation, run_cli: Callable[..., CliResult]
) -> None:
    database = str(pg_location.url.database)
    tcp = server.tcp_url(database)
    assert "wrong" in _fault(run_cli, tcp, user="test-h01", password="not the password 1")
    assert "wrong" in _fault(run_cli, tcp, user="test-nobody", password=TEST_PASSWORD)
    assert "no database nosuchdb" in _fault(run_cli, server.tcp_url("nosuchdb"), user="test-h01")
    closed = f"postgresql://127.0.0.1:1/{database}"
    assert "cannot be reached" in _fault(run_cli, closed, user="test-h01")
    assert "127.0.0.1:1" in _fault(run_cli, closed, user="test-h01")
    tls = _fault(run_cli, tcp + "?sslmode=require", user="test-h01")
    assert "TLS" in tls
    assert "postgress" in _fault(run_cli, f"postgress://127.0.0.1/{database}", user="test-h01")
    assert "not a valid" in _fault(run_cli, "::not a url::", user="test-h01")


def test_a_psycopg2_url_opens_with_the_installed_driver(
    team: Login,
    server: Server,
    pg_location: StoreLocation,
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
) -> None:
    url = server.tcp_url(str(pg_location.url.database)).replace(
        "postgresql://", "postgresql+psycopg2://"
    )
    out = tmp_path / "mine.jsonl"
    result = run_cli("--database-url", url, "records", "export", "--out", str(out), user="test-h01")
    assert result.code == 0, result.err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_an_administrator_purges_records_with_their_versions_on_the_server(
    team: Login, pg_location: StoreLocation, server: Server
) -> None:
    from datetime import date

    from app.accounts.retention import purge

    with unlock(pg_location, "test-h01", TEST_PASSWORD) as own:
        records = RecordService(own.store, own.principal)
        mine = records.list()[0]
        assert isinstance(mine, ScreeningRecord)
        records.correct(mine.model_copy(update={"notes": "NOTE-corrected"}))
    outcome = purge(team, date(2099, 1, 1), now=datetime(2099, 1, 2, tzinfo=UTC))
    assert outcome.records == 2
    with connect_as(server, pg_location, "test-h01") as handler:
        assert handler.execute("SELECT count(*) FROM records").fetchone() == (0,)
        assert handler.execute("SELECT count(*) FROM record_versions").fetchone() == (0,)
