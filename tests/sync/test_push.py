"""``vagafraga sync``: two handlers' devices push to one team server; repeated syncs, a
correction, an unreachable server, and the team lead's figures from the server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from app.accounts.services import RecordService
from app.accounts.session import unlock
from app.errors import UserError
from app.screening.record import ScreeningRecord
from app.settings import SYNC_SERVER_URL, Settings
from app.stats.filters import StatsQuery
from app.stats.service import StatsService
from app.storage.engine import resolve_location
from app.storage.server import INSUFFICIENT_PRIVILEGE, sqlstate
from app.storage.versions import RecordVersions
from app.sync.payload import read_payloads
from app.sync.push import run_sync
from app.sync.server import (
    ServerUnreachableError,
    TeamServer,
    connected,
    connection_problem,
    team_store,
    upsert_batch,
)
from app.sync.state import count_waiting
from tests.conftest import TEST_PASSWORD, CliResult
from tests.sync.conftest import Device, Team

MakeRecord = Callable[..., ScreeningRecord]


def _records(make_record: MakeRecord, handler: str, count: int, **fields: Any) -> list[Any]:
    return [make_record(handler=handler, team="test-team-a", **fields) for _ in range(count)]


def test_two_handlers_sync_each_sees_only_their_own_and_the_lead_sees_the_sum(
    team: Team, device: Callable[..., Device], make_record: MakeRecord, tmp_path: Path
) -> None:
    first, second = device("test-h01"), device("test-h02")
    for record in _records(make_record, "test-h01", 3, case_reference="TEST-A"):
        first.save(record, ("injuries",))
    for record in _records(
        make_record, "test-h02", 2, asked=False, answer=None, not_asked_reason="not_alone"
    ):
        second.save(record)

    one = run_sync(first.login.store.engine, first.login.principal, team.for_user("test-h01"))
    two = run_sync(second.login.store.engine, second.login.principal, team.for_user("test-h02"))

    assert one.summary() == {"pushed": 3, "already_there": 0, "waiting": 0}
    assert two.summary() == {"pushed": 2, "already_there": 0, "waiting": 0}
    assert team.count("SELECT count(*) FROM records") == 5
    assert team.count("SELECT count(*) FROM record_indicators") == 3
    # On the server each handler sees only their own records (row-level security).
    for user, mine in (("test-h01", 3), ("test-h02", 2)):
        with (
            team_store(team.for_user(user), tmp_path) as store,
            store.engine.connect() as connection,
        ):
            handlers = connection.execute(text("SELECT handler FROM records")).scalars()
            assert sorted(handlers) == [user] * mine
    # The team lead's figures, read from the server as the team lead, are the sum of the
    # handlers' own.
    query = StatsQuery(teams=("test-team-a",))
    with team_store(team.for_user("test-lead"), tmp_path) as store:
        on_server = StatsService(store.engine).run(query).to_json()["total"]
    local = [
        StatsService(d.login.store.engine).run(query).to_json()["total"] for d in (first, second)
    ]
    for key in ("opportunities", "asked"):
        assert on_server[key] == sum(part[key] for part in local)
    assert on_server["opportunities"] == 5
    assert on_server["asked"] == 3


def test_the_server_refuses_a_record_of_another_handler(
    team: Team, device: Callable[..., Device], make_record: MakeRecord, english: None
) -> None:
    theirs = device("test-h02")
    record = make_record(handler="test-h02")
    theirs.save(record)
    with theirs.login.store.engine.connect() as connection:
        payload = read_payloads(connection, [str(record.id)])[str(record.id)]
    server = team.for_user("test-h01")
    with (
        connected(server) as remote,
        pytest.raises(DBAPIError) as refused,
        remote.begin() as connection,
    ):
        upsert_batch(connection, "test-h01", [payload])
    assert sqlstate(refused.value) == INSUFFICIENT_PRIVILEGE
    assert "not yours" in connection_problem(server, refused.value, connecting=False).message
    assert team.count("SELECT count(*) FROM records") == 0


def test_a_second_sync_sends_nothing_and_a_correction_arrives_as_a_new_version(
    team: Team, device: Callable[..., Device], make_record: MakeRecord
) -> None:
    mine = device("test-h01")
    record = make_record(handler="test-h01", notes="first")
    mine.save(record)
    engine, principal = mine.login.store.engine, mine.login.principal
    server = team.for_user("test-h01")
    assert run_sync(engine, principal, server).summary() == {
        "pushed": 1,
        "already_there": 0,
        "waiting": 0,
    }
    assert run_sync(engine, principal, server).summary() == {
        "pushed": 0,
        "already_there": 0,
        "waiting": 0,
    }

    # The device's clock is wrong (years behind): the versions keep their numbers' order.
    behind = RecordVersions(engine, clock=lambda: datetime(2001, 1, 1, tzinfo=UTC))
    behind.correct(record.model_copy(update={"notes": "second"}), ["injuries"])
    behind.correct(record.model_copy(update={"notes": "third"}))
    assert count_waiting(engine, "test-h01") == 1
    assert run_sync(engine, principal, server).summary() == {
        "pushed": 1,
        "already_there": 0,
        "waiting": 0,
    }
    assert team.count("SELECT count(*) FROM records") == 1
    assert team.count("SELECT count(*) FROM record_versions") == 2
    server_engine = create_engine(team.admin_url)
    try:
        history = RecordVersions(server_engine).history(record.id)
    finally:
        server_engine.dispose()
    assert [item.version for item in history] == [1, 2, 3]
    assert history[-1].indicators == ["injuries"]
    # Sealed fields travel sealed: the server cannot read the notes of any version ...
    assert [item.record.notes for item in history] == [None, None, None]
    assert team.count("SELECT count(*) FROM records WHERE notes LIKE 'sealed1:%'") == 1
    # ... and the handler's device reads every version, ordered by number.
    mine_now = RecordVersions(engine).history(record.id)
    assert [item.record.notes for item in mine_now] == ["first", "second", "third"]
    assert run_sync(engine, principal, server).summary()["pushed"] == 0


def test_an_unreachable_server_leaves_the_records_waiting_with_one_line(
    team: Team,
    run_cli: Callable[..., CliResult],
    data_dir: Path,
    make_record: MakeRecord,
) -> None:
    with unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD) as login:
        RecordService(login.store, login.principal).save(make_record(handler="test-h01"))
    nowhere = "postgresql:///vagafraga?host=/nonexistent-socket-folder"
    result = run_cli("--language", "en", "sync", "--server", nowhere, user="test-h01")
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert "cannot be reached" in result.err
    assert "1 screening waits" in result.err
    assert "Traceback" not in result.err
    assert Settings().get(SYNC_SERVER_URL) == nowhere  # the address is kept for next time

    again = run_cli("--language", "en", "sync", "--server", team.url, user="test-h01")
    assert again.code == 0, again.err
    assert json.loads(again.out) == {"pushed": 1, "already_there": 0, "waiting": 0}
    saved = run_cli("sync", user="test-h01")  # the saved address
    assert json.loads(saved.out) == {"pushed": 0, "already_there": 0, "waiting": 0}


def test_sync_needs_a_server_address_and_a_handler(
    run_cli: Callable[..., CliResult], team: Team
) -> None:
    missing = run_cli("--language", "en", "sync", user="test-h01")
    assert missing.code == 2
    assert "--server" in missing.err
    bad = run_cli("--language", "en", "sync", "--server", "mysql://x/y", user="test-h01")
    assert bad.code == 2
    assert "postgresql://" in bad.err
    lead = run_cli("--language", "en", "sync", "--server", team.url, user="test-lead")
    assert lead.code == 2
    assert "handler" in lead.err


def test_a_server_stopped_during_sync_leaves_the_rest_waiting(
    team: Team, device: Callable[..., Device], make_record: MakeRecord
) -> None:
    mine = device("test-h01")
    mine.login.store.records.import_records(_records(make_record, "test-h01", 25))
    engine, principal = mine.login.store.engine, mine.login.principal
    server = team.for_user("test-h01")

    def stop_after_first(done: int, total: int) -> None:
        if done == 10:
            team.server.stop()

    try:
        with pytest.raises(ServerUnreachableError, match="15"):
            run_sync(engine, principal, server, batch_size=10, on_batch=stop_after_first)
    finally:
        team.server.start()
    assert count_waiting(engine, "test-h01") == 15
    outcome = run_sync(engine, principal, server, batch_size=10)
    assert outcome.summary() == {"pushed": 15, "already_there": 0, "waiting": 0}
    assert team.count("SELECT count(*) FROM records") == 25


def test_a_wrong_server_version_is_one_clear_line(
    team: Team, device: Callable[..., Device], english: None
) -> None:
    mine = device("test-h01")
    engine = create_engine(team.admin_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    finally:
        engine.dispose()
    with pytest.raises(UserError, match="schema version"):
        run_sync(mine.login.store.engine, mine.login.principal, team.for_user("test-h01"))


def test_a_bad_server_address_is_refused() -> None:
    with pytest.raises(UserError):
        TeamServer("not a url at all", "test-h01", "x").sqlalchemy_url()
