"""Python's cycle collector, paused where a piece of work makes many objects that hold no
cycles, and set aside at the end of a command's own process.

Every automatic collection walks the objects made since the last one, and now and then
all of them: importing SQLAlchemy and the tables makes hundreds of thousands, a load holds
as many rows. Reference counting still frees everything meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while making many objects that hold no cycles (a load,
    the imports of signing in); it resumes (if it ran before) on the way out. Nests."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
