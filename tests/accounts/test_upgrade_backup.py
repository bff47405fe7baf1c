"""The automatic backup before a schema upgrade opens on its own: its key file goes with it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from alembic import command

from app.accounts.admin import AccountService
from app.accounts.session import Login, unlock
from app.screening.record import ScreeningRecord
from app.storage import migrate
from app.storage.engine import StoreLocation, resolve_location
from tests.accounts.conftest import PASSWORD, no_sleep


def test_the_backup_before_an_upgrade_has_its_key_file_and_survives_a_rekey(
    location: StoreLocation,
    admin: Login,
    make_record: Callable[..., ScreeningRecord],
    tmp_path: Path,
) -> None:
    record = make_record()
    admin.store.records.add(record)
    previous = migrate.current_revision(admin.store.engine)
    assert previous == migrate.head_revision() != "0005"
    config = migrate.alembic_config()
    with admin.store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    admin.close()

    upgraded = unlock(location, "test-admin", PASSWORD, sleep=no_sleep)
    assert migrate.current_revision(upgraded.store.engine) == migrate.head_revision()
    backups = location.data_dir / "backups"
    (backup,) = backups.glob("before-upgrade-0005-*.db")
    keys = backup.with_name(backup.name + ".keys")
    assert keys.is_file()
    assert keys.stat().st_mode & 0o077 == 0, "the key file copy is private like the original"
    AccountService(upgraded).rekey()  # the live store's key changes; the backup's must not
    upgraded.close()

    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(backup, restored / "vagafraga.db")
    shutil.copy(keys, restored / "vagafraga.keys")
    with unlock(resolve_location(restored), "test-admin", PASSWORD, sleep=no_sleep) as opened:
        assert opened.store.records.get(record.id) is not None
