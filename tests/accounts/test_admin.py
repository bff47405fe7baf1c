"""Account administration: adding, re-passwording, removing users, rekeying, backups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.accounts.access import AccessDeniedError, Role
from app.accounts.admin import AccountService, AuditService, make_backup
from app.accounts.keyslots import WrongCredentialsError
from app.accounts.session import unlock
from app.errors import UserError
from app.storage.engine import resolve_location
from app.storage.repository import RecordFilter
from tests.accounts.conftest import PASSWORD, USERS, no_sleep

ALL = ["test-admin", *USERS]


def opens(location, name: str, password: str = PASSWORD) -> bool:
    try:
        unlock(location, name, password, sleep=lambda _s: None).close()
    except UserError:
        return False
    return True


def test_an_added_user_can_sign_in_with_their_roles(location, admin) -> None:
    AccountService(admin).add(
        "test-h09", "a fine password", frozenset({Role.HANDLER}), frozenset({"test-team-c"})
    )
    with unlock(location, "test-h09", "a fine password", sleep=no_sleep) as login:
        assert login.principal.teams == {"test-team-c"}
    audit = [(e.event, e.subject) for e in admin.audit.entries()]
    assert ("account_added", "test-h09") in audit


def test_only_an_admin_manages_accounts(sign_in) -> None:
    lead = AccountService(sign_in("test-lead"))
    with pytest.raises(AccessDeniedError):
        lead.add("test-h10", PASSWORD, frozenset({Role.HANDLER}), frozenset())
    with pytest.raises(AccessDeniedError):
        lead.remove("test-h01")
    with pytest.raises(AccessDeniedError):
        lead.list()


def test_a_user_changes_their_own_password(location, sign_in) -> None:
    AccountService(sign_in("test-h01")).change_own_password(PASSWORD, "a new password 2")
    assert opens(location, "test-h01", "a new password 2")
    assert not opens(location, "test-h01", PASSWORD)
    assert all(opens(location, name) for name in ALL if name != "test-h01")


def test_changing_a_password_needs_the_old_one(sign_in) -> None:
    with pytest.raises(WrongCredentialsError):
        AccountService(sign_in("test-h01")).change_own_password("not it at all", "new password 2")


def test_an_admin_resets_a_forgotten_password(location, admin) -> None:
    AccountService(admin).reset_password("test-h02", "reset password 9")
    assert opens(location, "test-h02", "reset password 9")
    assert not opens(location, "test-h02", PASSWORD)


def test_a_removed_user_cannot_open_the_store_and_others_still_can(location, admin) -> None:
    accounts = AccountService(admin)
    accounts.remove("test-h02")
    assert not opens(location, "test-h02")
    assert all(opens(location, name) for name in ALL if name != "test-h02")
    assert "test-h02" not in [user.username for user in accounts.list()]
    assert "test-h02" in [user.username for user in accounts.list(include_removed=True)]


def test_the_last_admin_and_yourself_cannot_be_removed(admin) -> None:
    accounts = AccountService(admin)
    with pytest.raises(UserError, match="own account"):
        accounts.remove("test-admin")
    with pytest.raises(UserError, match="at least one administrator"):
        accounts.set_roles("test-admin", frozenset({Role.HANDLER}), None)


def test_roles_and_teams_can_change(location, admin) -> None:
    AccountService(admin).set_roles(
        "test-h01", frozenset({Role.HANDLER, Role.TEAM_LEAD}), frozenset({"test-team-b"})
    )
    with unlock(location, "test-h01", PASSWORD, sleep=no_sleep) as login:
        assert login.principal.roles == {Role.HANDLER, Role.TEAM_LEAD}
        assert login.principal.teams == {"test-team-b"}


def test_rekey_every_remaining_user_opens_the_removed_one_cannot(
    location, admin, make_record
) -> None:
    admin.store.records.add(make_record(handler="test-h01", notes="kept across the rekey"))
    accounts = AccountService(admin)
    old_key = admin.db_key
    old_slots = (location.data_dir / "vagafraga.keys").read_bytes()
    accounts.remove("test-h03")
    accounts.rekey()
    assert admin.db_key != old_key
    assert admin.store.records.count() == 1  # the admin's session goes on with the new key
    for name in ALL:
        assert opens(location, name) is (name != "test-h03")
    with unlock(location, "test-h01", PASSWORD, sleep=no_sleep) as login:
        assert login.store.records.query()[0].notes == "kept across the rekey"
    # The removed user's old slot (a copy of the old key file) opens nothing any more.
    (location.data_dir / "vagafraga.keys").write_bytes(old_slots)
    with pytest.raises(UserError, match="encrypted with another key"):
        unlock(location, "test-h03", PASSWORD, sleep=no_sleep)


def test_rekey_is_for_admins_only(sign_in) -> None:
    with pytest.raises(AccessDeniedError):
        AccountService(sign_in("test-h01")).rekey()


def test_a_backup_has_its_key_file_and_opens_with_the_same_passwords(
    admin, make_record, tmp_path: Path
) -> None:
    admin.store.records.add(make_record(handler="test-h01"))
    written = make_backup(admin, tmp_path / "copies" / "vagafraga.db")
    assert [p.name for p in written] == ["vagafraga.db", "vagafraga.db.keys"]
    restored = tmp_path / "restored"
    restored.mkdir()
    (restored / "vagafraga.db").write_bytes(written[0].read_bytes())
    (restored / "vagafraga.keys").write_bytes(written[1].read_bytes())
    keys = json.loads(written[1].read_text())
    assert keys["failures"] == {}
    assert keys["pending_failures"] == []
    with unlock(resolve_location(restored), "test-h01", PASSWORD, sleep=no_sleep) as login:
        assert login.store.records.count(RecordFilter()) == 1


def test_backups_and_the_audit_are_for_admins(sign_in, tmp_path: Path) -> None:
    handler = sign_in("test-h01")
    with pytest.raises(AccessDeniedError):
        make_backup(handler, tmp_path / "copy.db")
    with pytest.raises(AccessDeniedError):
        AuditService(handler)
    assert AuditService(sign_in("test-admin")).verify().ok
