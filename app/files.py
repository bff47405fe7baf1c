"""Files only their owner reads: the data folder 0700, everything in it and every export 0600.

On POSIX the command line and the desktop app run with the umask 077, so every file and
folder they create is their user's alone; the store's own files and folders are also set
explicitly (a store made by an earlier version, or a library caller with another umask).
Elsewhere (Windows) the per-user profile folders' ACLs do this job.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE_UMASK = 0o077
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
POSIX = os.name == "posix"


@contextmanager
def private_umask() -> Iterator[None]:
    """Create only private files and folders while the block runs."""
    if not POSIX:
        yield
        return
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def private_dir(folder: Path) -> None:
    """Create ``folder`` (and its parents) and make it its owner's alone."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if POSIX:
        os.chmod(folder, PRIVATE_DIR)


def private_file(path: Path) -> None:
    """Create ``path`` empty if it is missing; either way make it its owner's alone."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    if POSIX:
        os.chmod(path, PRIVATE_FILE)


@contextmanager
def partial_file(target: Path) -> Iterator[Path]:
    """A file to write beside ``target`` (``NAME.partial``), put in its place when the
    block ends and removed when it fails or is stopped: never half a file at ``target``."""
    partial = target.with_name(target.name + ".partial")
    try:
        yield partial
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
