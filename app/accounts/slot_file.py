"""The key file on disk: where it lives, how it is written (atomically, with fsync) and read."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.accounts.slot_crypto import FORMAT, KdfParams, KeySlotError
from app.errors import UserError
from app.i18n import _

FORMAT_VERSION = 1


class KeyFileDamagedError(KeySlotError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The key file {path} is damaged or is not a Våga fråga key file; "
                "nothing was changed. Restore it from the backup made with the database."
            ).format(path=path)
        )


def read_key_file(path: Path) -> dict[str, Any]:
    """The checked sections of the key file at ``path``, or :class:`KeyFileDamagedError`."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
            raise ValueError("not a key file")
        store_id = data["store_id"]
        generation = data["generation"]
        if not isinstance(store_id, str) or type(generation) is not int:
            raise ValueError("bad header")
        slots = data["slots"]
        failures = data.get("failures", {})
        pending = data.get("pending_failures", [])
        changes = data.get("changes", {})
        audited = data.get("audited_generation", 1)
        if not (
            isinstance(slots, dict)
            and isinstance(failures, dict)
            and isinstance(pending, list)
            and isinstance(changes, dict)
            and type(audited) is int
            and all(
                isinstance(change, dict) and isinstance(change.get("slots"), dict)
                for change in changes.values()
            )
        ):
            raise ValueError("bad sections")
        return {
            "store_id": store_id,
            "kdf_defaults": KdfParams.from_json(data["kdf_defaults"]),
            "generation": generation,
            "slots": slots,
            "failures": failures,
            "pending_failures": pending,
            "changes": changes,
            "audited_generation": audited,
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise KeyFileDamagedError(path) from None


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file, never half."""
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
        if os.name == "posix":
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise UserError(
            _("The key file {path} cannot be written; nothing was changed.").format(path=path)
        ) from None


def now_utc() -> datetime:
    return datetime.now(UTC)
