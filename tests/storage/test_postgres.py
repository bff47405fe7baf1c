"""A team's shared store on PostgreSQL (``--database-url``) works as the local store does:
schema, accounts and roles, the audit chain, import and export, statistics and retention.

A throw-away server is started for these tests (``tests/postgres_server.py``); without
PostgreSQL's server programs on the machine they are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.accounts.access import AccessDeniedError, RecordSummary
from app.accounts.admin import AccountService
from app.accounts.audit import AuditLog
from app.accounts.retention import purge
from app.accounts.services import RecordService
from app.accounts.session import Login, NoStoreError, unlock
from app.errors import UserError
from app.screening.enums import DayPart
from app.screening.record import ScreeningRecord
from app.stats.filters import DIMENSIONS, StatsFilter
from app.stats.queries import fetch
from app.storage import migrate
from app.storage.bulk import insert_demo_records
from app.storage.drafts import DraftRepository
from app.storage.engine import StoreLocation, resolve_location
from app.storage.followups import Followups
from app.storage.repository import RecordFilter
from app.storage.side_lists import store_side_lists
from app.storage.store import open_store
from app.storage.versions import RecordVersions
from tests.conftest import TEST_PASSWORD, CliResult
from tests.postgres_server import Server
from tests.storage.conftest import init_team

END = datetime(2026, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def pg_admin(pg_location: StoreLocation) -> Iterator[Login]:
    """The shared store with every test user, ``test-admin`` signed in."""
    login = init_team(pg_location)
    yield login
    login.close()


def test_the_schema_has_no_drift_on_postgres(pg_location: StoreLocation) -> None:
    with open_store(pg_location) as store:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        migrate.check(store.engine)


def test_a_plain_postgresql_url_uses_the_installed_driver(server: Server) -> None:
    plain = server.url("postgres").replace("postgresql+psycopg://", "postgresql://")
    assert resolve_location(None, plain).url.drivername == "postgresql+psycopg"


def test_roles_see_what_they_may_and_every_view_is_audited(
    pg_admin: Login, pg_location: StoreLocation, make_record: Callable[..., ScreeningRecord]
) -> None:
    own = make_record(handler="test-h01", team="test-team-a", case_reference="TEST-0001")
    other = make_record(handler="test-h03", team="test-team-b", notes="test note")
    practice = make_record(handler="test-h02", practice=True)
    RecordService(pg_admin.store, pg_admin.principal).import_records([own, other, practice])

    with unlock(pg_location, "test-h01", TEST_PASSWORD) as handler:
        records = RecordService(handler.store, handler.principal)
        assert [item.id for item in records.list()] == [own.id]
        seen = records.get(own.id)
        assert isinstance(seen, ScreeningRecord)
        assert seen.case_reference == "TEST-0001"
        with pytest.raises(UserError):
            records.get(other.id)
    with unlock(pg_location, "test-lead", TEST_PASSWORD) as lead:
        listed = RecordService(lead.store, lead.principal).list()
        assert [item.id for item in listed] == [own.id]
        assert isinstance(listed[0], RecordSummary)  # no case reference, notes or answers
    with unlock(pg_location, "test-trainer", TEST_PASSWORD) as trainer:
        practising = RecordService(trainer.store, trainer.principal)
        assert [i.id for i in practising.list(RecordFilter(practice_only=True))] == [practice.id]
        assert practising.list() == []  # a trainer sees practice data only
    admin_view = RecordService(pg_admin.store, pg_admin.principal).get(other.id)
    assert isinstance(admin_view, RecordSummary)  # no sensitive fields, no answer details
    with (
        unlock(pg_location, "test-h02", TEST_PASSWORD) as colleague,
        pytest.raises(AccessDeniedError),
    ):
        AccountService(colleague).add("test-h09", TEST_PASSWORD, frozenset(), frozenset())

    log = AuditLog(pg_admin.store.engine)
    assert log.verify().ok
    assert [entry.actor for entry in log.who_viewed(str(own.id))] == ["test-h01"]
    assert [entry.actor for entry in log.who_viewed(str(other.id))] == ["test-admin"]


def test_a_wrong_password_and_an_edited_audit_log_are_caught(
    pg_admin: Login, pg_location: StoreLocation, english: None
) -> None:
    with pytest.raises(UserError, match="wrong"):
        unlock(pg_location, "test-h01", "not the password", sleep=lambda _s: None)
    log = AuditLog(pg_admin.store.engine)
    assert log.verify().ok
    # Only the database's owner can still edit the log (the app's roles cannot: below).
    with open_store(pg_location) as owner, owner.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'test-h99' WHERE seq = 2"))
    report = log.verify()
    assert [problem.seq for problem in report.problems][:1] == [2]
    with pytest.raises(UserError, match="audit"):
        unlock(pg_location, "test-h01", TEST_PASSWORD)


def test_a_database_without_a_store_says_so_whoever_signs_in(
    pg_location: StoreLocation, english: None
) -> None:
    """Seen on the user's own connection (here the server lets the database administrator
    in), or, when the server refuses the user, on the URL's."""
    for name in ("vf", "test-nobody"):
        with pytest.raises(NoStoreError, match="vagafraga init --admin NAME"):
            unlock(pg_location, name, TEST_PASSWORD, sleep=lambda _s: None)


def test_the_cli_imports_exports_and_counts_on_postgres(
    pg_admin: Login,
    pg_location: StoreLocation,
    run_cli: Callable[..., CliResult],
    make_record: Callable[..., ScreeningRecord],
    tmp_path: Path,
) -> None:
    url = pg_location.url.render_as_string(hide_password=False)
    source = tmp_path / "in.jsonl"
    records = [
        make_record(handler="test-h01", team="test-team-a", case_reference=f"TEST-{n:04d}")
        for n in range(6)
    ]
    source.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")

    first = run_cli("--database-url", url, "records", "import", str(source))
    assert json.loads(first.out) == {"imported": 6, "already_present": 0}, first.err
    again = run_cli("--database-url", url, "records", "import", str(source))
    assert json.loads(again.out) == {"imported": 0, "already_present": 6}

    def exported(user: str, *options: str) -> list[dict[str, Any]]:
        out = tmp_path / f"{user}.jsonl"
        result = run_cli(
            "--database-url", url, "records", "export", "--out", str(out), *options, user=user
        )
        assert result.code == 0, result.err
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]

    mine = exported("test-h01", "--include-sensitive")
    assert sorted(line["case_reference"] for line in mine) == [f"TEST-{n:04d}" for n in range(6)]
    assert all("case_reference" not in line for line in exported("test-admin"))
    assert exported("test-h02") == []  # a colleague's records are not theirs to export

    stats = run_cli("--database-url", url, "stats", "--by", "handler", user="test-lead")
    assert json.loads(stats.out)["total"]["opportunities"] == 6
    rekey = run_cli("--language", "en", "--database-url", url, "db", "rekey")
    assert rekey.code == 2
    assert "server" in rekey.err


def _every_grouping(location: StoreLocation) -> list[Any]:
    sets: list[tuple[str, ...]] = [(), *[(dim,) for dim in DIMENSIONS], ("month", "benefit")]
    with open_store(location) as store, store.engine.connect() as connection:
        return [
            fetch(connection, flt, sets)
            for flt in (StatsFilter(), StatsFilter(date_from=date(2026, 3, 1), teams=("x",)))
        ] + [fetch(connection, StatsFilter(), sets, index_order=False)]


def test_statistics_and_retention_give_the_same_figures_as_sqlite(
    pg_admin: Login, tmp_path: Path
) -> None:
    sqlite_location = resolve_location(tmp_path / "sqlite")
    with open_store(sqlite_location) as local:
        insert_demo_records(local.engine, 4_000, seed=5, end=END, workers=1)
    insert_demo_records(pg_admin.store.engine, 4_000, seed=5, end=END, workers=1)
    pg_location = pg_admin.store.location
    assert pg_admin.store.records.count(RecordFilter(include_practice=True)) == 4_000
    assert _every_grouping(pg_location) == _every_grouping(sqlite_location)

    before = _every_grouping(pg_location)
    outcome = purge(pg_admin, date(2026, 5, 17), now=NOW)
    assert outcome.records > 1_000
    after = _every_grouping(pg_location)
    for old, new in zip(before[0], after[0], strict=True):
        assert [(key, dict(m.counts)) for key, m in new] == [
            (key, dict(m.counts)) for key, m in old
        ]


def test_an_export_on_postgres_carries_the_lists_kept_beside_the_records(
    pg_admin: Login,
    pg_location: StoreLocation,
    run_cli: Callable[..., CliResult],
    make_record: Callable[..., ScreeningRecord],
    tmp_path: Path,
) -> None:
    ticked, plain = make_record(handler="test-h01"), make_record(handler="test-h01")
    pg_admin.store.records.import_records([ticked, plain])
    # As the handler: row-level security lets only them add their records' lists.
    with (
        unlock(pg_location, "test-h01", TEST_PASSWORD) as handler,
        handler.store.engine.begin() as connection,
    ):
        store_side_lists(
            connection,
            [
                {
                    "id": str(ticked.id),
                    "indicators": ["protected_or_sheltered", "injuries_unexplained"],
                    "consequences_done": ["adapt_contact"],
                }
            ],
        )
    url = pg_location.url.render_as_string(hide_password=False)
    out = tmp_path / "out.jsonl"
    exported = run_cli(
        "--database-url", url, "records", "export", "--out", str(out), user="test-h01"
    )
    assert exported.code == 0, exported.err
    found = {
        line["id"]: (line["indicators"], line["consequences_done"])
        for line in map(json.loads, out.read_text(encoding="utf-8").splitlines())
    }
    assert found == {
        str(ticked.id): (["injuries_unexplained", "protected_or_sheltered"], ["adapt_contact"]),
        str(plain.id): ([], []),
    }


def test_an_administrator_imports_records_with_their_lists_on_postgres(
    pg_admin: Login,
    pg_location: StoreLocation,
    run_cli: Callable[..., CliResult],
    make_record: Callable[..., ScreeningRecord],
    tmp_path: Path,
) -> None:
    """An export of this version carries indicators and prompts done; an administrator's
    import of it brings them in for another handler's records (row-level security lets
    whoever may add a record add its lists), and their migration export reads them back."""
    record = make_record(handler="test-h01", team="test-team-a")
    line = json.loads(record.model_dump_json())
    line.update(indicators=["protected_or_sheltered"], consequences_done=["adapt_contact"])
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    url = pg_location.url.render_as_string(hide_password=False)
    imported = run_cli("--database-url", url, "records", "import", str(source))
    assert imported.code == 0, imported.err
    assert json.loads(imported.out) == {"imported": 1, "already_present": 0}
    out = tmp_path / "out.jsonl"
    exported = run_cli("--database-url", url, "records", "export", "--out", str(out))
    assert exported.code == 0, exported.err
    (back,) = map(json.loads, out.read_text(encoding="utf-8").splitlines())
    assert (back["indicators"], back["consequences_done"]) == (
        ["protected_or_sheltered"],
        ["adapt_contact"],
    )


def test_the_wizards_save_on_postgres_keeps_and_closes_follow_ups_and_drops_the_draft(
    pg_admin: Login, pg_location: StoreLocation, make_record: Callable[..., ScreeningRecord]
) -> None:
    """The save's statements, run on the driver, as a handler's own database role."""
    moment = datetime(2026, 3, 10, 9, tzinfo=UTC)
    waited = make_record(
        case_reference="TEST-0042",
        asked=False,
        not_asked_reason="not_alone",
        answer=None,
        info_given=False,
        referrals=[],
    )
    later = make_record(case_reference=" TEST-0042 ")
    with unlock(pg_location, "test-h01", TEST_PASSWORD) as handler:
        engine = handler.store.engine
        versions = RecordVersions(engine, clock=lambda: moment)
        versions.save(
            waited,
            ["fear"],
            consequences=["inform_other_cases"],
            callback=(date(2026, 3, 12), DayPart.MORNING),
        )
        versions.save(waited, ["fear"])  # a retry after a crash: nothing changes
        assert [item.due_day for item in Followups(engine).for_handler("test-h01")] == [
            date(2026, 3, 12)
        ]
        DraftRepository(engine).put("test-h01", "{}")
        versions.save(later, ["controlled", "fear"], draft_of="test-h01")
        assert DraftRepository(engine).get("test-h01") is None
        assert Followups(engine).for_handler("test-h01") == []
        (closed,) = Followups(engine).for_handler("test-h01", include_closed=True)
        assert (closed.record_id, closed.closed_by, closed.closed_at) == (
            waited.id,
            later.id,
            moment,
        )
        assert versions.indicators(waited.id) == ["fear"]
        assert versions.indicators(later.id) == ["controlled", "fear"]
        assert versions.consequences(waited.id) == ["inform_other_cases"]
        with pytest.raises(UserError):
            versions.save(later.model_copy(update={"notes": "another"}))
