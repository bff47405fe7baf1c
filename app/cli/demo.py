"""``vagafraga demo --records N [--seed S]``: fill the store with synthetic records."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from app.cli.common import open_store_for
from app.errors import UserError
from app.screening.demo import DemoGenerator
from app.storage.repository import record_to_row_values

MAX_RECORDS = 10_000_000


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo", help="add synthetic, plausible records (for trying and benchmarks)"
    )
    demo.add_argument("--records", type=int, required=True, metavar="N", help="how many records")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    if not 0 < args.records <= MAX_RECORDS:
        raise UserError(f"--records must be between 1 and {MAX_RECORDS:,}.")
    generator = DemoGenerator(seed=args.seed)
    started = time.perf_counter()
    with open_store_for(args) as store:
        rows = (record_to_row_values(record) for record in generator.records(args.records))
        added = store.records.insert_many_unchecked(rows)
    seconds = time.perf_counter() - started
    print(f"added {added} synthetic record(s) in {seconds:.1f} s", file=sys.stderr)
    return 0
