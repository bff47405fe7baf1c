"""The shipped directory and the administrator's local entries, merged.

Local entries live in ``<data_dir>/referrals/local.yaml``. Every change is validated
first and written atomically (a temporary file, then a rename), so a failed import
or a crash leaves the previous file as it was.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.errors import UserError, ValidationProblems
from app.i18n import _
from app.paths import resources_dir
from app.referrals.directory import Directory, DirectoryEntry
from app.referrals.loading import read_entries
from app.referrals.local_files import (
    CHANGE_PREFIX,
    LOCAL_FILENAME,
    apply_change,
    change_path,
    discard_change,
    local_path,
    pending_changes,
)

__all__ = [
    "CHANGE_PREFIX",
    "LOCAL_FILENAME",
    "apply_change",
    "change_path",
    "discard_change",
    "local_path",
    "pending_changes",
]


def shipped_path() -> Path:
    return resources_dir() / "referrals" / "directory.yaml"


@cache
def shipped_entries() -> tuple[DirectoryEntry, ...]:
    return tuple(read_entries(shipped_path()))


def shipped_directory() -> Directory:
    return Directory(shipped_entries())


def load_local(data_dir: Path) -> list[DirectoryEntry]:
    path = local_path(data_dir)
    if not path.exists():
        return []
    return read_entries(path)


def load_directory(data_dir: Path | None) -> Directory:
    """The merged directory: shipped entries, replaced or extended by local ones."""
    local = load_local(data_dir) if data_dir is not None else []
    return Directory(shipped_entries(), local)


def directory_for_practice(data_dir: Path) -> Directory:
    """The merged directory, or the shipped one when the local file is damaged: a headless
    practice run or replay must not stop for it (the administrator's tab reports it)."""
    try:
        return load_directory(data_dir)
    except UserError:
        return shipped_directory()


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    replaced: int
    entry_ids: tuple[str, ...] = ()  # every entry the file added or replaced


def _check_references(entries: list[DirectoryEntry], name: str) -> None:
    merged = Directory(shipped_entries(), entries)
    problems = [
        f"{name}: local_for: " + _("no entry with this id in the directory")
        for entry in entries
        if entry.local_for is not None and entry.local_for not in merged
    ]
    if problems:
        raise ValidationProblems(
            problems, _("{name}: entries have problems; nothing was changed.").format(name=name)
        )


def _merge(existing: list[DirectoryEntry], new: list[DirectoryEntry]) -> list[DirectoryEntry]:
    by_id = {entry.id: entry for entry in existing}
    for entry in new:
        by_id[entry.id] = entry
    return list(by_id.values())


def import_file(
    data_dir: Path, path: Path, display_name: str | None = None, *, change: str | None = None
) -> ImportOutcome:
    """Add or replace local entries from a directory YAML file: all or nothing. With
    ``change``, the new file is written beside the old one, to be put in place by
    :func:`apply_change` once the change is audited."""
    name = display_name or str(path)
    existing = load_local(data_dir)
    known = frozenset({entry.id for entry in existing} | {entry.id for entry in shipped_entries()})
    new = read_entries(path, name, known_ids=known)
    if not new:
        raise UserError(
            _("{name}: the file holds no entries; nothing was changed.").format(name=name)
        )
    merged = _merge(existing, new)
    _check_references(merged, name)
    save_local(data_dir, merged, change=change)
    replaced = sum(1 for entry in new if entry.id in known)
    return ImportOutcome(
        added=len(new) - replaced,
        replaced=replaced,
        entry_ids=tuple(entry.id for entry in new),
    )


def save_entry(data_dir: Path, entry: DirectoryEntry, *, change: str | None = None) -> None:
    """Add a local entry, or replace the local entry (or shipped one) with the same id
    (with ``change``: written beside the file, see :func:`import_file`)."""
    merged = _merge(load_local(data_dir), [entry])
    _check_references(merged, entry.id)
    save_local(data_dir, merged, change=change)


def remove_entry(data_dir: Path, entry_id: str, *, change: str | None = None) -> None:
    """Remove a local entry; a shipped entry it replaced comes back (with ``change``:
    written beside the file, see :func:`import_file`)."""
    existing = load_local(data_dir)
    remaining = [entry for entry in existing if entry.id != entry_id]
    if len(remaining) == len(existing):
        raise UserError(_("There is no local entry with this id."))
    _check_references(remaining, entry_id)
    save_local(data_dir, remaining, change=change)


def entry_data(entry: DirectoryEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude_none=True, exclude_defaults=False)


def save_local(data_dir: Path, entries: list[DirectoryEntry], *, change: str | None = None) -> None:
    """Write the local file atomically (with ``change``: beside it, see :func:`import_file`)."""
    path = local_path(data_dir) if change is None else change_path(data_dir, change)
    text = (
        "# Local support directory entries, written by Våga fråga. Edit them in the app\n"
        "# or replace them with `vagafraga referrals import FILE`.\n"
        + yaml.safe_dump(
            {"entries": [entry_data(entry) for entry in entries]},
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".local-", suffix=".yaml", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise UserError(
            _("The local directory file cannot be written ({reason}); nothing was changed.").format(
                reason=error.strerror
            )
        ) from None
