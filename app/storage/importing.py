"""Reading a JSON Lines import into row values, in worker processes for a large file.

Validating a record and turning it into its row is pure Python (about 45 µs a record),
so a large file is split at line boundaries into one stretch per core; each worker
parses its stretch with :func:`app.screening.record_io.parse_part` and sends back row
values, not records (a pydantic record costs four times as much to send between
processes). Problems keep their file line numbers; all or nothing holds as before:
every bad line in the whole file is reported and nothing is stored.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, wait
from functools import partial
from pathlib import Path
from typing import IO, Any

from app.i18n import current_language, set_language
from app.screening.record_io import (
    MAX_LINE_BYTES,
    ParsedPart,
    checked_records,
    open_input,
    parse_part,
)
from app.storage.repository import record_to_row_values
from app.workers import guard_worker

# Below this size one process is quicker than starting others.
PARALLEL_FROM_BYTES = 4_000_000
PROGRESS_SECONDS = 0.25  # how often the bytes read by the workers are added up
Rows = list[dict[str, Any]]


def read_row_values(
    path: Path,
    *,
    display_name: str,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Rows:
    """The row values of every record in ``path`` in file order, or the error naming every
    bad line (:class:`app.errors.ValidationProblems`). ``progress(bytes_read, size)`` is
    called as the file is read."""
    handle = open_input(path, display_name)
    size = os.fstat(handle.fileno()).st_size
    count = workers if workers is not None else min(4, os.cpu_count() or 1)
    if count <= 1 or size < PARALLEL_FROM_BYTES:
        read = None if progress is None else partial(_of_size, progress, size)
        part = parse_part(handle, display_name, 0, None, record_to_row_values, progress=read)
        if progress is not None:
            progress(size, size)
        return checked_records(display_name, [part], _identity)
    with handle:
        starts = line_starts(handle, size, count)
    bounds = list(zip(starts, [*starts[1:], None], strict=True))
    # Each worker writes the bytes it has read into its own slot; this process adds them up.
    counters = None if progress is None else multiprocessing.Array("q", len(bounds), lock=False)
    with ProcessPoolExecutor(
        max_workers=len(bounds), initializer=_start_worker, initargs=(os.getpid(), counters)
    ) as pool:
        futures = [
            pool.submit(
                _parse_stretch, path, display_name, start, end, current_language(), index=index
            )
            for index, (start, end) in enumerate(bounds)
        ]
        if progress is not None and counters is not None:
            while wait(futures, timeout=PROGRESS_SECONDS).not_done:
                progress(min(sum(counters), size), size)
        parts = [future.result() for future in futures]
    if progress is not None:
        progress(size, size)
    return checked_records(display_name, parts, _identity)


def _of_size(progress: Callable[[int, int], None], size: int, done: int) -> None:
    progress(done, size)


def line_starts(handle: IO[bytes], size: int, count: int) -> list[int]:
    """Up to ``count`` byte offsets, each the first byte of a line, splitting the file
    into stretches of about equal size; the first is 0."""
    starts = [0]
    for number in range(1, count):
        handle.seek(max(size * number // count, starts[-1]))
        while True:  # to the end of the line we landed in, however long it is
            piece = handle.readline(MAX_LINE_BYTES)
            if not piece or piece.endswith(b"\n"):
                break
        position = handle.tell()
        if position >= size:
            break
        if position > starts[-1]:
            starts.append(position)
    return starts


_counters: Any = None  # in a worker: the shared bytes-read slots, when progress is shown


def _start_worker(parent: int, counters: Any) -> None:
    """A worker ends with its parent (``guard_worker``) and writes its bytes read into
    ``counters`` when progress is shown."""
    global _counters  # noqa: PLW0603 - set once per worker process, by the pool
    guard_worker(parent)
    _counters = counters


def _count_into(index: int, done: int) -> None:
    _counters[index] = done


def _parse_stretch(
    path: Path, name: str, start: int, end: int | None, language: str, *, index: int
) -> ParsedPart[dict[str, Any]]:
    set_language(language)  # a worker started afresh (not forked) speaks the same language
    read = None if _counters is None else partial(_count_into, index)
    handle = open_input(path, name)
    return parse_part(handle, name, start, end, record_to_row_values, progress=read)


def _identity(values: dict[str, Any]) -> tuple[str, str]:
    return str(values["id"]), str(values["content_hash"])
