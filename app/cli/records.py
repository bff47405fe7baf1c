"""``vagafraga records list | import | export | schema | hand-over``.

The store's modules are imported inside each command, after signing in has begun (the
key slot opens in a thread meanwhile: :func:`app.cli.common.open_store_for`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, Any

from app.accounts.principal import LIST_PAGE_SIZE
from app.cli.commands import command_parser
from app.cli.common import (
    open_store_for,
    parse_date,
    print_json,
    print_json_list,
    print_table,
)
from app.cli.progress import progress_bar
from app.csv_dialects import CSV_DIALECTS
from app.errors import UserError
from app.i18n import _, ngettext

# app.screening.record_io.EXPORT_FORMATS, for the parser (a test keeps them the same): the
# records' modules load after signing in has begun.
EXPORT_FORMATS = ("jsonl", "csv", "xlsx")


def register(subparsers: Any) -> None:
    records = command_parser(subparsers, "records")
    sub = records.add_subparsers(dest="records_command", metavar="ACTION", required=True)

    listing = sub.add_parser(
        "list",
        help=_("the newest records as your role shows them (never case references or notes)"),
    )
    listing.add_argument(
        "--limit",
        type=int,
        default=LIST_PAGE_SIZE,
        metavar="N",
        help=_("how many (default 500)"),
    )
    listing.add_argument("--format", choices=("json", "table"), default="json")
    listing.set_defaults(handler=cmd_list)

    imp = sub.add_parser("import", help=_("import records from a JSON Lines file (all or nothing)"))
    imp.add_argument("file", help=_("FILE.jsonl, one record per line"))
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser("export", help=_("export records as jsonl, csv or xlsx"))
    exp.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl")
    exp.add_argument(
        "--dialect",
        choices=CSV_DIALECTS,
        default="rfc4180",
        help=_(
            "CSV only: rfc4180 (comma, the default) or excel (semicolon, byte order mark, "
            "decimal comma: opens in Excel with Swedish settings)"
        ),
    )
    exp.add_argument("--out", help=_("output file (default: standard output)"))
    exp.add_argument("--from", dest="date_from", type=parse_date, help=_("first date, inclusive"))
    exp.add_argument("--to", dest="date_to", type=parse_date, help=_("last date, inclusive"))
    exp.add_argument("--include-practice", action="store_true", help=_("include practice records"))
    exp.add_argument(
        "--include-sensitive",
        action="store_true",
        help=_("include case_reference and notes (left out unless asked for)"),
    )
    exp.set_defaults(handler=cmd_export)

    schema = sub.add_parser("schema", help=_("print the record's JSON Schema"))
    schema.set_defaults(handler=cmd_schema)

    heir = sub.add_parser(
        "hand-over",
        help=_(
            "give all your records to a successor (case references and notes re-sealed to them)"
        ),
    )
    heir.add_argument("--to", dest="successor", required=True, metavar="USER")
    heir.set_defaults(handler=cmd_hand_over)


def cmd_list(args: argparse.Namespace) -> int:
    """The Records tab's query (newest first), with the columns the user's roles show."""
    if args.limit < 1:
        raise UserError(_("--limit must be 1 or more."))
    needs = ("app.accounts.access", "app.accounts.services")
    with open_store_for(args, read_only=True, needs=needs) as session:
        from app.accounts.access import list_fields
        from app.storage.repository import RecordFilter

        fields = list_fields(session.principal)
        items = session.records.list(RecordFilter(), limit=args.limit)
        rows = [item.model_dump(mode="json") for item in items]
    shown = [{name: row[name] for name in fields if name in row} for row in rows]
    if args.format == "json":
        print_json_list(shown)
    else:
        from app.cli.records_table import records_table

        print_table(records_table(shown, fields))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.cycles import without_cycle_collection
    from app.storage.importing import read_row_values

    with without_cycle_collection():  # every row is held until the one transaction
        reading = _("Reading {file}").format(file=Path(args.file).name)
        with progress_bar(reading, in_bytes=True) as progress:
            rows = read_row_values(Path(args.file), display_name=args.file, progress=progress)
        with open_store_for(args) as store, progress_bar(_("Storing records")) as progress:
            outcome = store.records.import_row_values(rows, progress)
    print(
        json.dumps({"imported": outcome.added, "already_present": outcome.unchanged}),
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UserError(_("--from is after --to; nothing was exported."))
    if args.format == "xlsx" and not args.out:
        raise UserError(_("An XLSX export needs --out FILE.xlsx."))
    from app.storage.repository import RecordFilter

    flt = RecordFilter(
        date_from=args.date_from, date_to=args.date_to, include_practice=args.include_practice
    )
    with (
        open_store_for(args, read_only=True) as session,
        progress_bar(_("Exporting records")) as progress,
    ):
        if args.out:
            target = Path(args.out)
            partial = target.with_name(target.name + ".partial")
            try:
                with partial.open("wb") as out:
                    count = session.records.export(
                        flt,
                        out,
                        args.format,
                        include_sensitive=args.include_sensitive,
                        progress=progress,
                        dialect=args.dialect,
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
                flt,
                stdout,
                args.format,
                include_sensitive=args.include_sensitive,
                progress=progress,
                dialect=args.dialect,
            )
            stdout.flush()
    print(
        ngettext("exported {count} record", "exported {count} records", count).format(count=count),
        file=sys.stderr,
    )
    return 0


def cmd_schema(_args: argparse.Namespace) -> int:
    from app.screening.record import record_json_schema

    print_json(record_json_schema())
    return 0


def cmd_hand_over(args: argparse.Namespace) -> int:
    from app.accounts.custody import hand_over

    with open_store_for(args) as session, progress_bar(_("Handing over records")):
        count = hand_over(session.login, args.successor)
    print(
        ngettext(
            "{count} record handed over to {user}.",
            "{count} records handed over to {user}.",
            count,
        ).format(count=count, user=args.successor)
    )
    return 0
