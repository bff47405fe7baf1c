"""Where the administrator's local directory file lives, and its changes not yet in place.

Kept apart from :mod:`app.referrals.local` (which reads and writes the YAML) so that
sign-in can look for a directory import cut short (:mod:`app.accounts.repair`) without
loading a YAML parser.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import UserError
from app.i18n import _

LOCAL_FILENAME = "local.yaml"
CHANGE_PREFIX = ".change-"


def local_path(data_dir: Path) -> Path:
    return data_dir / "referrals" / LOCAL_FILENAME


def change_path(data_dir: Path, change: str) -> Path:
    """Where the local file of a change not yet audited waits (:func:`import_file`)."""
    return local_path(data_dir).with_name(f"{CHANGE_PREFIX}{change}.yaml")


def pending_changes(data_dir: Path) -> list[str]:
    """The changes written and not yet put in place (a crash cut them short)."""
    folder = local_path(data_dir).parent
    return sorted(
        path.stem.removeprefix(CHANGE_PREFIX) for path in folder.glob(f"{CHANGE_PREFIX}*.yaml")
    )


def apply_change(data_dir: Path, change: str) -> None:
    """Put a change's local file in place (after its audit entries were committed)."""
    try:
        os.replace(change_path(data_dir, change), local_path(data_dir))
    except OSError as error:
        raise UserError(
            _("The local directory file cannot be written ({reason}); nothing was changed.").format(
                reason=error.strerror
            )
        ) from None


def discard_change(data_dir: Path, change: str) -> None:
    change_path(data_dir, change).unlink(missing_ok=True)
