"""``vagafraga records import | export | schema``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, Any

from app.cli.common import open_store_for, parse_date, print_json
from app.errors import UserError
from app.i18n import _, ngettext
from app.screening.record import record_json_schema
from app.screening.record_io import EXPORT_FORMATS
from app.storage.importing import read_row_values
from app.storage.loading import without_cycle_collection
from app.storage.repository import RecordFilter


def register(subparsers: Any) -> None:
    records = subparsers.add_parser("records", help="import, export and describe screening records")
    sub = records.add_subparsers(dest="records_command", metavar="ACTION", required=True)

    imp = sub.add_parser("import", help="import records from a JSON Lines file (all or nothing)")
    imp.add_argument("file", help="FILE.jsonl, one record per line")
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser("export", help="export records as jsonl, csv or xlsx")
    exp.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl")
    exp.add_argument("--out", help="output file (default: standard output)")
    exp.add_argument("--from", dest="date_from", type=parse_date, help="first date, inclusive")
    exp.add_argument("--to", dest="date_to", type=parse_date, help="last date, inclusive")
    exp.add_argument("--include-practice", action="store_true", help="include practice records")
    exp.add_argument(
        "--include-sensitive",
        action="store_true",
        help="include case_reference and notes (left out unless asked for)",
    )
    exp.set_defaults(handler=cmd_export)

    schema = sub.add_parser("schema", help="print the record's JSON Schema")
    schema.set_defaults(handler=cmd_schema)

    heir = sub.add_parser(
        "hand-over",
        help="give all your records to a successor (case references and notes re-sealed to them)",
    )
    heir.add_argument("--to", dest="successor", required=True, metavar="USER")
    heir.set_defaults(handler=cmd_hand_over)


def cmd_import(args: argparse.Namespace) -> int:
    with without_cycle_collection():  # every row is held until the one transaction
        rows = read_row_values(Path(args.file), display_name=args.file)
        with open_store_for(args) as store:
            outcome = store.records.import_row_values(rows)
    print(
        json.dumps({"imported": outcome.added, "already_present": outcome.unchanged}),
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UserError(_("--from is after --to; nothing was exported."))
    if args.format == "xlsx" and not args.out:
        raise UserError(_("An XLSX export needs --out FILE.xlsx."))
    flt = RecordFilter(
        date_from=args.date_from, date_to=args.date_to, include_practice=args.include_practice
    )
    with open_store_for(args) as session:
        if args.out:
            target = Path(args.out)
            partial = target.with_name(target.name + ".partial")
            try:
                with partial.open("wb") as out:
                    count = session.records.export(
                        flt, out, args.format, include_sensitive=args.include_sensitive
                    )
                partial.replace(target)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise UserError(
                    _("{file}: cannot be written ({reason})").format(
                        file=args.out, reason=error.strerror
                    )
                ) from None
            except BaseException:
                partial.unlink(missing_ok=True)  # refused or failed: leave no half file
                raise
        else:
            stdout: IO[bytes] = sys.stdout.buffer
            count = session.records.export(
                flt, stdout, args.format, include_sensitive=args.include_sensitive
            )
            stdout.flush()
    print(
        ngettext("exported {count} record", "exported {count} records", count).format(count=count),
        file=sys.stderr,
    )
    return 0


def cmd_schema(_args: argparse.Namespace) -> int:
    print_json(record_json_schema())
    return 0


def cmd_hand_over(args: argparse.Namespace) -> int:
    from app.accounts.custody import hand_over

    with open_store_for(args) as session:
        count = hand_over(session.login, args.successor)
    print(
        ngettext(
            "{count} record handed over to {user}.",
            "{count} records handed over to {user}.",
            count,
        ).format(count=count, user=args.successor)
    )
    return 0
