"""Logging to a rotating file in the data directory; never to the user's terminal.

Nothing personal is ever logged: no case reference, name, note or answer. Log
calls pass only counts, codes and exception types.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
from pathlib import Path

from app.files import private_dir, private_file


class QuietFileHandler(logging.handlers.RotatingFileHandler):
    """A log line that cannot be written (a full disk, a read-only folder) is dropped: the
    standard handler would print "--- Logging error ---" and a traceback on stderr."""

    def handleError(self, record: logging.LogRecord) -> None:
        return


def configure_logging(data_dir: Path, *, verbose: bool = False) -> None:
    root = logging.getLogger()
    close_logging()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        folder = data_dir / "logs"
        private_dir(folder)
        private_file(folder / "vagafraga.log")
        file_handler = QuietFileHandler(
            folder / "vagafraga.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        handler: logging.Handler = file_handler
    except OSError:
        handler = logging.NullHandler()
    root.addHandler(handler)
    # Without this, an unconfigured logger would fall back to printing on stderr.
    logging.lastResort = None


def close_logging() -> None:
    """Detach and close every handler (at exit, and before configuring anew)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        # The last lines may not be written (a full disk): dropped, never printed.
        with contextlib.suppress(OSError):
            handler.close()
