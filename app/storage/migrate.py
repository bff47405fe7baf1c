"""Schema migrations, run programmatically at start-up after an automatic backup."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:  # alembic is imported only when a store is upgraded or checked
    from alembic.config import Config
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


_REVISION = re.compile(r'^(down_)?revision(?:: [^=]+)? = (?:"([^"]+)"|None)$', re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def head_revision() -> str | None:
    """The newest revision. Read from the migration files' ``revision`` and
    ``down_revision`` lines (every start asks; alembic costs 0.1 s to import), and from
    alembic itself when they do not name exactly one head."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for down, name in _REVISION.findall(script.read_text(encoding="utf-8")):
            if name:
                (parents if down else revisions).add(name)
    heads = revisions - parents
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The store's revision (None: a new store), read from ``alembic_version``."""
    from sqlalchemy.exc import DBAPIError

    with engine.connect() as connection:
        try:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except DBAPIError:
            return None  # no such table yet
    if len(rows) > 1:
        raise UserError(_("The store's schema has more than one version; it cannot be used."))
    return str(rows[0][0]) if rows else None


def upgrade(
    engine: Engine, backup_dir: Path | None, *, backup_with: Sequence[Path] = ()
) -> Path | None:
    """Bring the schema to the newest revision. Returns the backup made first, if any.

    ``backup_with`` names files that belong with the database (an encrypted store's key
    file): each is copied beside the backup as ``<backup name><its suffix>``, so the
    backup opens with the passwords of the day even after a later rekey.
    """
    current = current_revision(engine)
    if current == head_revision():
        return None
    from sqlalchemy import text

    from app.storage.backup import backup_database
    from app.storage.server import SCHEMA_LOCK, is_server

    backup: Path | None = None
    if current is not None and backup_dir is not None and engine.dialect.name == "sqlite":
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_dir / f"before-upgrade-{current}-{stamp}.db"
        backup_database(engine, backup)
        for companion in backup_with:
            copy_beside(companion, backup)
        log.info("backed up the store before upgrading from revision %s", current)
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        if is_server(connection):
            # One upgrade at a time on a shared server; the next finds nothing left to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("store schema upgraded to %s", head_revision())
    return backup


def copy_beside(companion: Path, backup: Path) -> Path:
    """Copy ``companion`` to ``<backup name><companion's suffix>`` (atomically, same mode)."""
    target = backup.with_name(backup.name + companion.suffix)
    partial = target.with_name(target.name + ".partial")
    try:
        shutil.copy2(companion, partial)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)
        backup.unlink(missing_ok=True)  # a backup that cannot be opened is no backup
        raise UserError(
            _("The backup file {path} cannot be written.").format(path=target)
        ) from None
    return target


def check(engine: Engine) -> None:
    """Raise alembic's error if the tables and the migrations disagree."""
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.check(config)
