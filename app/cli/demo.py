"""``vagafraga demo --records N [--seed S]``: fill the store with synthetic records."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from functools import partial
from typing import Any

from app.accounts.access import Role
from app.cli.commands import command_parser
from app.cli.common import open_store_for
from app.cli.progress import Progress, progress_bar
from app.errors import UserError
from app.i18n import _, format_number, ngettext
from app.storage.bulk import insert_demo_records

MAX_RECORDS = 10_000_000


def register(subparsers: Any) -> None:
    demo = command_parser(subparsers, "demo")
    demo.add_argument("--records", type=int, required=True, metavar="N", help=_("how many records"))
    demo.add_argument("--seed", type=int, default=1, metavar="S", help=_("random seed (default 1)"))
    demo.set_defaults(handler=cmd_demo)


def _of(progress: Progress, total: int, done: int) -> None:
    progress(done, total)


def cmd_demo(args: argparse.Namespace) -> int:
    if not 0 < args.records <= MAX_RECORDS:
        raise UserError(
            _("--records must be between 1 and {maximum}.").format(
                maximum=format_number(MAX_RECORDS)
            )
        )
    started = time.perf_counter()
    with open_store_for(args) as store:
        store.require(Role.ADMIN)  # synthetic records go into the store for everyone
        with progress_bar(_("Adding synthetic records")) as progress:
            added = insert_demo_records(
                store.engine,
                args.records,
                seed=args.seed,
                end=datetime.now(UTC),
                progress=None if progress is None else partial(_of, progress, args.records),
            )
    seconds = time.perf_counter() - started
    print(
        ngettext(
            "added {count} synthetic record in {seconds} s",
            "added {count} synthetic records in {seconds} s",
            added,
        ).format(count=added, seconds=format_number(round(seconds, 1))),
        file=sys.stderr,
    )
    return 0
