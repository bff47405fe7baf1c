"""Steering SQLite's planner where its guess is wrong on a million records.

Without statistics (``ANALYZE``) SQLite takes an equality or range on an indexed
column as selective, and picks that index over a better one:

- the newest-first page of the Records tab must walk ``ix_records_recorded_at`` and
  stop after a page; given ``practice = 0`` (or a team, or dates) SQLite instead read
  the table through ``ix_records_practice_local_date`` and sorted it (17 s against
  13 ms on a million records);
- the statistics must read one of their covering indexes; given a date range SQLite
  read the table through ``ix_records_practice_local_date`` (4 s against 0.6 s).

:class:`unindexed` marks a condition's column as not to be looked up by index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import FunctionElement
from sqlalchemy.ext.compiler import compiles


class unindexed(FunctionElement[Any]):
    """``column`` in a condition that must not choose an index (SQLite's unary ``+``).
    Other databases get the column unchanged."""

    name = "unindexed"
    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _plain_column(element: unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unindexed, "sqlite")
def _unindexed_column(element: unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))
