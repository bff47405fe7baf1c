"""Named points where a sync can be made to die, for the tests that kill it (kill -9).

``VAGAFRAGA_SYNC_CRASH_AT=NAME`` or ``NAME:N`` kills the process with SIGKILL the first
(or the N-th) time the sync reaches the point ``NAME``; unset, nothing happens. The
points are listed in :data:`POINTS`.
"""

from __future__ import annotations

import os
import signal

CRASH_AT = "VAGAFRAGA_SYNC_CRASH_AT"
POINTS = (
    "before_server_commit",  # the batch is written on the server, not committed
    "after_server_commit",  # the server committed; the device has not marked it
    "after_local_mark",  # the device marked the batch; later batches not sent
)
_reached: dict[str, int] = {}


def crash_point(name: str) -> None:
    wanted = os.environ.get(CRASH_AT)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] == (int(nth) if nth.isdigit() else 1):
        os.kill(os.getpid(), signal.SIGKILL)
