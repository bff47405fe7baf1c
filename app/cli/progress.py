"""Progress on a terminal: one bar on standard error while a long operation runs, and
nothing at all when standard error is not a terminal (a pipe, a file, a program).

Every command that can take more than a couple of seconds wraps its work in
:func:`progress_bar` and hands the callback it gives (None off a terminal) to the
operation, which calls ``progress(done, total)`` as it goes (the interface of the record
export, the report writers, the demo generator, the sync and the import). An operation
that cannot count its steps (a database re-encrypted in one statement) calls nothing: the
bar shows the label and the time passing. The bar is drawn by tqdm, imported only for a
terminal.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from app.i18n import _, format_number

if TYPE_CHECKING:
    from tqdm import tqdm

Progress = Callable[[int, int], None]  # done, total

FALLBACK_COLUMNS = 80
FALLBACK_ROWS = 24
TICK_SECONDS = 0.5  # how often the time shown moves when the operation reports nothing


@contextmanager
def progress_bar(
    label: str, *, in_bytes: bool = False, stream: TextIO | None = None
) -> Iterator[Progress | None]:
    """``progress(done, total)`` for the operation run inside: a bar on ``stream``
    (standard error) when it is a terminal; None otherwise, so the operation need not
    even count (operations take ``progress=None``). ``label`` is already translated;
    ``in_bytes``: the counts are bytes, shown in megabytes."""
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        yield None
        return
    bar = _TerminalBar(label, out, _megabytes if in_bytes else _count)
    try:
        yield bar.update
    except BaseException:
        bar.close(keep=False)  # the error's one line comes alone
        raise
    bar.close(keep=True)


def _count(done: int, total: int) -> str:
    return _("{done} of {total}").format(done=format_number(done), total=format_number(total))


def _megabytes(done: int, total: int) -> str:
    return _("{done} of {total} MB").format(
        done=format_number(round(done / 1e6, 1)), total=format_number(round(total / 1e6, 1))
    )


def _literal(text: str) -> str:
    """``text`` as it is inside tqdm's ``bar_format`` (a format string)."""
    return text.replace("{", "{{").replace("}", "}}")


def _width(out: TextIO) -> int:
    """The terminal's width; 80 when it does not tell (a new pseudo-terminal says 0)."""
    try:
        columns = os.get_terminal_size(out.fileno()).columns
    except (OSError, ValueError):
        columns = 0
    return columns if columns > 0 else FALLBACK_COLUMNS


class _TerminalBar:
    """A tqdm bar whose counts are formatted the user's way, refreshed from the operation's
    callbacks and, between them, by a ticker thread so the elapsed time keeps moving."""

    def __init__(self, label: str, out: TextIO, counted: Callable[[int, int], str]) -> None:
        from tqdm import tqdm

        self._out = out
        self._counted = counted
        self._label = _literal(label)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._bar: tqdm[Any] = tqdm(
            file=out,
            total=None,
            bar_format=f"{self._label} … {{elapsed}}",
            ncols=_width(out),
            nrows=FALLBACK_ROWS,  # else tqdm hides the bar on a terminal that says 0 rows
            mininterval=0,
            leave=True,
        )
        self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
        self._ticker.start()

    def update(self, done: int, total: int) -> None:
        with self._lock:
            if total > 0:
                done = min(done, total)
                counted = _literal(self._counted(done, total))
                self._bar.total = total
                self._bar.bar_format = (
                    f"{self._label}: {{percentage:3.0f}} % |{{bar}}| {counted} "
                    "[{elapsed} < {remaining}]"
                )
            self._bar.n = done
            self._refresh()

    def _tick(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            with self._lock:
                self._refresh()

    def _refresh(self) -> None:
        self._bar.ncols = _width(self._out)  # the window may have been resized
        self._bar.refresh()

    def close(self, *, keep: bool) -> None:
        self._stop.set()
        self._ticker.join()
        with self._lock:
            self._bar.leave = keep
            self._bar.close()
