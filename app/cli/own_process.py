"""A command run in its own process (``vagafraga …``, ``python -m app …``), as opposed to
:func:`app.cli.main` called from Python (the tests, a script).

Such a process lives for one command, so what its start-up builds (the modules, their
classes, the tables' metadata) lives until it ends. The cycle collector is paused while
signing in imports the store's layers (an import makes next to no garbage, and every
automatic collection walked the hundreds of thousands of objects made so far), and then
sets them aside for good (``gc.freeze``): no later collection walks them again. At the
command's end everything is set aside, so the interpreter's exit does not walk the heap
once more (a sixth of ``records list``'s time). Reference counting still frees objects;
every file and connection is closed by the code that opened it, and standard output is
flushed at exit as before.

Called from Python, nothing is set aside: the caller's heap is not this module's to keep.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from app.cycles import without_cycle_collection

_own = threading.Event()


def begin() -> None:
    """This process runs one command and ends with it."""
    _own.set()


@contextmanager
def signing_in() -> Iterator[None]:
    """Signing in (its imports, the key unwrap, the checks) with the collector paused; in
    a command's own process, what it built is then set aside."""
    with without_cycle_collection():
        yield
        if _own.is_set():
            gc.freeze()


def end() -> None:
    """The command is done: in its own process, nothing is left for the exit to walk."""
    if _own.is_set():
        gc.freeze()
