"""Reading a JSON Lines import into row values, in worker processes for a large file.

Validating a record and turning it into its row is pure Python (about 45 µs a record),
so a large file is split at line boundaries into one stretch per core; each worker
parses its stretch with :func:`app.screening.record_io.parse_part` and sends back row
values, not records (a pydantic record costs four times as much to send between
processes). Problems keep their file line numbers; all or nothing holds as before:
every bad line in the whole file is reported and nothing is stored.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
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
Rows = list[dict[str, Any]]


def read_row_values(path: Path, *, display_name: str, workers: int | None = None) -> Rows:
    """The row values of every record in ``path`` in file order, or the error naming every
    bad line (:class:`app.errors.ValidationProblems`)."""
    handle = open_input(path, display_name)
    size = os.fstat(handle.fileno()).st_size
    count = workers if workers is not None else min(4, os.cpu_count() or 1)
    if count <= 1 or size < PARALLEL_FROM_BYTES:
        part = parse_part(handle, display_name, 0, None, record_to_row_values)
        return checked_records(display_name, [part], _identity)
    with handle:
        starts = line_starts(handle, size, count)
    bounds = list(zip(starts, [*starts[1:], None], strict=True))
    with ProcessPoolExecutor(
        max_workers=len(bounds), initializer=guard_worker, initargs=(os.getpid(),)
    ) as pool:
        futures = [
            pool.submit(_parse_stretch, path, display_name, start, end, current_language())
            for start, end in bounds
        ]
        parts = [future.result() for future in futures]
    return checked_records(display_name, parts, _identity)


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


def _parse_stretch(
    path: Path, name: str, start: int, end: int | None, language: str
) -> ParsedPart[dict[str, Any]]:
    set_language(language)  # a worker started afresh (not forked) speaks the same language
    return parse_part(open_input(path, name), name, start, end, record_to_row_values)


def _identity(values: dict[str, Any]) -> tuple[str, str]:
    return str(values["id"]), str(values["content_hash"])
