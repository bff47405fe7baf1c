"""Worker processes that never outlive the process that started them.

A killed parent (SIGKILL, a crash, the task manager) cannot tell its pool's workers to
stop. Forked workers inherit the caller's pipes (stdout, stderr) and the pool's own
queues: left alone they block for ever on a queue no one writes to, and whoever waits for
the command's output waits too. :func:`guard_worker` runs first in every worker
(``ProcessPoolExecutor(initializer=guard_worker, initargs=(os.getpid(),))``):

* its standard streams go to the null device, so the caller's pipes reach their end as
  soon as the parent is gone (a worker reports through its future only);
* on Linux the kernel kills it when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
* everywhere a small thread waits on the parent's sentinel (``multiprocessing``'s pipe
  that closes when the parent is gone; on Windows its process handle) and ends the worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
from multiprocessing.connection import wait

PR_SET_PDEATHSIG = 1


def guard_worker(parent_pid: int) -> None:
    """Initializer of a pool worker started by ``parent_pid``: see the module's text."""
    _detach_standard_streams()
    _die_with_parent()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(
            target=_end_with, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()
    if os.getppid() != parent_pid and sys.platform != "win32":
        os._exit(1)  # the parent died before the guard was in place


def _detach_standard_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    os.close(null)


def _die_with_parent() -> bool:
    """Ask the Linux kernel for SIGKILL when the parent dies; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _end_with(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)
