"""A change cut short by a crash is completed or undone at the next sign-in, audited.

Each test runs the change in a subprocess on a real encrypted store and ends that process
with ``os._exit`` (as a kill would: no clean-up, no ``finally``) at the point between two of
its steps; then signs in again here and checks what a user would notice: who exists, who
can sign in with which password, that ``rekey`` works, and what the audit log says.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.audit import AuditEntry, AuditEvent, AuditLog
from app.accounts.keyslots import KeyFile, WrongCredentialsError, new_db_key
from app.accounts.services import RecordService
from app.accounts.session import Login, unlock
from app.screening.record import ScreeningRecord
from app.storage.engine import resolve_location
from app.storage.versions import RecordVersions
from tests.conftest import TEST_KDF, TEST_PASSWORD, record_data

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "another test password 456"
CRASH = "lambda *args, **kwargs: os._exit(9)"


def run_until_crash(data_dir: Path, user: str, patch: str, action: str) -> None:
    """Sign in as ``user`` in a new process, apply ``patch`` (the crash), run ``action``."""
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from app.accounts.access import Role
        from app.accounts.admin import AccountService
        from app.accounts.audit import AuditLog
        from app.accounts.keyslots import KeyFile
        from app.accounts.services import RecordService
        from app.accounts.session import unlock
        from app.accounts.users import UserRepository
        from app.screening.record import ScreeningRecord
        from app.storage.engine import resolve_location
        login = unlock(resolve_location(Path({str(data_dir)!r})), {user!r}, {TEST_PASSWORD!r})
        accounts = AccountService(login)
        """
    )
    script += patch + "\n" + action + "\nos._exit(0)\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 9, done.stderr  # it crashed where it was made to


def sign_in(data_dir: Path, user: str = "test-admin", password: str = TEST_PASSWORD) -> Login:
    return unlock(resolve_location(data_dir), user, password)


def repairs(login: Login) -> list[AuditEntry]:
    return [
        entry
        for entry in AuditLog(login.store.engine).entries()
        if entry.event == AuditEvent.CHANGE_REPAIRED
    ]


def events(login: Login, event: AuditEvent) -> list[AuditEntry]:
    return [entry for entry in AuditLog(login.store.engine).entries() if entry.event == event]


def key_file(data_dir: Path) -> KeyFile:
    return KeyFile.load(data_dir / "vagafraga.keys")


@pytest.fixture
def store_dir(data_dir: Path, init_test_store: Callable[[Path], Path]) -> Path:
    return init_test_store(data_dir)


def test_users_add_cut_before_the_account_is_undone(store_dir: Path) -> None:
    add = "accounts.add('test-new', 'new user password 1', frozenset({Role.HANDLER}), frozenset())"
    run_until_crash(store_dir, "test-admin", f"UserRepository.add = {CRASH}", add)
    assert key_file(store_dir).changes, "the crash left the slot written ahead"
    with sign_in(store_dir) as admin:
        assert admin.users.get("test-new") is None
        assert not key_file(store_dir).has_slot("test-new")
        assert not key_file(store_dir).changes
        [repair] = repairs(admin)
        assert repair.detail["completed"] is False
        accounts = AccountService(admin)
        accounts.rekey()  # no stranded slot for rekey to complain about
        accounts.add("test-new", "new user password 1", frozenset({Role.HANDLER}), frozenset())
    with sign_in(store_dir, "test-new", "new user password 1") as new:
        assert new.principal.username == "test-new"
    with sign_in(store_dir) as admin:
        assert AuditLog(admin.store.engine).verify().ok


def test_users_add_cut_after_the_account_is_completed(store_dir: Path) -> None:
    add = "accounts.add('test-new', 'new user password 1', frozenset({Role.HANDLER}), frozenset())"
    run_until_crash(store_dir, "test-admin", f"KeyFile.apply_change = {CRASH}", add)
    with sign_in(store_dir) as admin:
        assert admin.users.get("test-new") is not None
        [added] = [e for e in events(admin, AuditEvent.ACCOUNT_ADDED) if e.subject == "test-new"]
        [repair] = repairs(admin)
        assert repair.detail == {"change": added.detail["change"], "completed": True}
        AccountService(admin).rekey()
    with sign_in(store_dir, "test-new", "new user password 1") as new:
        assert new.principal.username == "test-new"


def test_users_remove_cut_after_the_account_is_completed(store_dir: Path) -> None:
    run_until_crash(
        store_dir, "test-admin", f"KeyFile.apply_change = {CRASH}", "accounts.remove('test-h02')"
    )
    with sign_in(store_dir) as admin:
        user = admin.users.get("test-h02")
        assert user is not None
        assert not user.active
        assert not key_file(store_dir).has_slot("test-h02")
        assert len(events(admin, AuditEvent.ACCOUNT_REMOVED)) == 1
        AccountService(admin).rekey()
    with pytest.raises(WrongCredentialsError):
        sign_in(store_dir, "test-h02")


def test_a_password_reset_cut_after_the_account_is_completed(store_dir: Path) -> None:
    reset = f"accounts.reset_password('test-h02', {NEW_PASSWORD!r})"
    run_until_crash(store_dir, "test-admin", f"KeyFile.apply_change = {CRASH}", reset)
    sign_in(store_dir).close()  # any sign-in repairs
    with pytest.raises(WrongCredentialsError):
        sign_in(store_dir, "test-h02")
    with sign_in(store_dir, "test-h02", NEW_PASSWORD) as user:
        assert user.principal.username == "test-h02"


def test_an_own_password_change_cut_before_it_is_audited_is_undone(store_dir: Path) -> None:
    change = f"accounts.change_own_password({TEST_PASSWORD!r}, {NEW_PASSWORD!r})"
    run_until_crash(store_dir, "test-h02", f"AuditLog.append = {CRASH}", change)
    with sign_in(store_dir, "test-h02") as user:  # the old password still opens
        assert not events(user, AuditEvent.PASSWORD_CHANGED)
        assert [entry.detail["completed"] for entry in repairs(user)] == [False]
    with pytest.raises(WrongCredentialsError):
        sign_in(store_dir, "test-h02", NEW_PASSWORD)


def test_a_slot_stranded_by_an_earlier_version_is_removed(store_dir: Path) -> None:
    with sign_in(store_dir) as admin:
        assert admin.db_key is not None
        keys = key_file(store_dir)
        keys.add_slot("test-ghost", "ghost password 1", admin.db_key, kdf=TEST_KDF)
        keys.save()  # as the old users add left it when the process died here
    with sign_in(store_dir) as admin:
        assert not key_file(store_dir).has_slot("test-ghost")
        assert [(e.subject, e.detail) for e in repairs(admin)] == [
            ("test-ghost", {"removed_slot": True})
        ]
        AccountService(admin).rekey()


def test_a_rekey_whose_audit_entry_was_lost_gets_it(store_dir: Path) -> None:
    crash_on_rekey_entry = textwrap.dedent(
        """
        original = AuditLog.append
        def append(self, actor, event, **kwargs):
            if event == "store_rekeyed":
                os._exit(9)
            return original(self, actor, event, **kwargs)
        AuditLog.append = append
        """
    )
    run_until_crash(store_dir, "test-admin", crash_on_rekey_entry, "accounts.rekey()")
    with sign_in(store_dir) as admin:
        [rekeyed] = events(admin, AuditEvent.STORE_REKEYED)
        assert rekeyed.detail == {"generation": 2, "repaired": True}
    with sign_in(store_dir) as admin:  # said once only
        assert len(events(admin, AuditEvent.STORE_REKEYED)) == 1


def _saved_record(store_dir: Path) -> ScreeningRecord:
    record = ScreeningRecord.model_validate(record_data(handler="test-h01", notes="test v1"))
    with sign_in(store_dir, "test-h01") as owner:
        RecordService(owner.store, owner.principal).save(record)
    return record


def test_a_correction_and_its_audit_entry_are_committed_together(store_dir: Path) -> None:
    record = _saved_record(store_dir)
    corrected = record.model_copy(update={"notes": "test v2"})
    patch = f"AuditLog.append_in = {CRASH}"  # after the correction's rows, before the commit
    action = (
        "RecordService(login.store, login.principal).correct("
        f"ScreeningRecord.model_validate_json({corrected.model_dump_json()!r}))"
    )
    run_until_crash(store_dir, "test-h01", patch, action)
    with sign_in(store_dir, "test-h01") as owner:
        assert RecordVersions(owner.store.engine).version_of(record.id) == 1
        stored = owner.store.records.get(record.id)
        assert stored is not None
        assert stored.notes == "test v1"
        assert not events(owner, AuditEvent.RECORD_CORRECTED)
        service = RecordService(owner.store, owner.principal)
        assert service.correct(corrected) == 2
        [entry] = events(owner, AuditEvent.RECORD_CORRECTED)
        assert entry.detail == {"version": 2}


def test_a_failing_audit_entry_takes_the_correction_back(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = _saved_record(store_dir)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("test: the audit entry could not be written")

    monkeypatch.setattr(AuditLog, "append_in", broken)
    with sign_in(store_dir, "test-h01") as owner:
        service = RecordService(owner.store, owner.principal)
        with pytest.raises(RuntimeError):
            service.correct(record.model_copy(update={"notes": "test v2"}))
        assert RecordVersions(owner.store.engine).version_of(record.id) == 1


def test_a_slot_written_ahead_of_its_account_opens_nothing(store_dir: Path) -> None:
    keys = key_file(store_dir)
    change = keys.begin_change()
    keys.add_slot("test-pending", "pending password 1", new_db_key(), kdf=TEST_KDF, change=change)
    keys.save()
    with pytest.raises(WrongCredentialsError):
        sign_in(store_dir, "test-pending", "pending password 1")


LOCAL_ENTRY = """\
entries:
  - id: test_social_crash
    name: {sv: Socialtjänsten i Testkommun, en: Social services in Test municipality}
    description: {sv: Påhittad post för test., en: Made-up entry for tests.}
    kind: authority
    phone: 090-16 10 00
    hours:
      weekly:
        - {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "16:30"}
    audience: [everyone]
    scope: "2480"
    local_for: social_services
    last_verified: 2026-10-01
"""


@pytest.mark.parametrize(
    ("crash", "completed"),
    [
        (
            "written = referrals.import_file\n"
            "referrals.import_file = lambda *a, **k: (written(*a, **k), os._exit(9))",
            False,
        ),
        (f"changes.apply_change = {CRASH}", True),
    ],
    ids=["before its audit entries", "after its audit entries"],
)
def test_a_directory_import_cut_short_is_completed_or_undone(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash: str, completed: bool
) -> None:
    from app.accounts import repair
    from app.referrals.local import load_local, pending_changes

    source = tmp_path / "local.yaml"
    source.write_text(LOCAL_ENTRY, encoding="utf-8")
    script = "\n".join(
        [
            "import os",
            "import app.cli.referrals as referrals",
            "import app.accounts.directory_changes as changes",
            "from app.cli import main",
            crash,
            f"main(['--data-dir', {str(store_dir)!r}, 'referrals', 'import', {str(source)!r}])",
            "os._exit(0)",
        ]
    )
    env = {"VAGAFRAGA_USER": "test-admin", "VAGAFRAGA_PASSWORD": TEST_PASSWORD}
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )
    assert done.returncode == 9, done.stderr
    assert pending_changes(store_dir), "the new file waits beside the old one"
    assert load_local(store_dir) == []
    monkeypatch.setattr(repair, "DIRECTORY_UNDER_WAY_SECONDS", 0)
    with sign_in(store_dir) as admin:
        assert not pending_changes(store_dir)
        assert [entry.id for entry in load_local(store_dir)] == (
            ["test_social_crash"] if completed else []
        )
        [note] = repairs(admin)
        assert note.detail["completed"] is completed
        assert len(events(admin, AuditEvent.DIRECTORY_CHANGED)) == int(completed)
