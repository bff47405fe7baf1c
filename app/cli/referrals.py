"""``vagafraga referrals list | import | suggest``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.accounts.access import Role
from app.accounts.directory_changes import change_directory
from app.cli.commands import command_parser
from app.cli.common import location_from, open_store_for, print_json, read_json_input
from app.errors import UserError, ValidationProblems
from app.i18n import _, current_language
from app.referrals.directory import Directory, DirectoryEntry, stockholm_today
from app.referrals.hours import format_hours
from app.referrals.loading import describe
from app.referrals.local import ImportOutcome, entry_data, import_file, load_directory
from app.referrals.sheet_texts import sheet_texts
from app.referrals.suggest import Outcome, suggest
from app.settings import DIRECTORY_MAX_AGE_DAYS, Settings


def register(subparsers: Any) -> None:
    referrals = command_parser(subparsers, "referrals")
    sub = referrals.add_subparsers(dest="referrals_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help=_("list the directory (shipped and local entries)"))
    listing.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    listing.add_argument(
        "--stale", action="store_true", help=_("only entries that need verification")
    )
    listing.add_argument(
        "--max-age-days",
        type=int,
        help=_("days after which an entry needs verification (default: the setting, 365)"),
    )
    listing.set_defaults(handler=cmd_list)

    imp = sub.add_parser(
        "import", help=_("add or replace local entries from a YAML file (all or nothing)")
    )
    imp.add_argument(
        "file", help=_("FILE.yaml with entries: like resources/referrals/directory.yaml")
    )
    imp.set_defaults(handler=cmd_import)

    sug = sub.add_parser("suggest", help=_("suggest referrals for an outcome given as JSON"))
    sug.add_argument("file", nargs="?", default="-", help=_("outcome JSON file, or - for stdin"))
    sug.set_defaults(handler=cmd_suggest)


def _directory(args: argparse.Namespace) -> Directory:
    return load_directory(location_from(args).data_dir)


def _max_age(args: argparse.Namespace) -> int:
    if args.max_age_days is not None:
        if args.max_age_days < 1:
            raise UserError(_("--max-age-days must be at least 1."))
        return int(args.max_age_days)
    return Settings().get(DIRECTORY_MAX_AGE_DAYS)


def cmd_list(args: argparse.Namespace) -> int:
    directory = _directory(args)
    max_age = _max_age(args)
    today = stockholm_today()
    entries = [
        entry for entry in directory if not args.stale or entry.needs_verification(today, max_age)
    ]
    if args.json:
        print_json(
            [
                {
                    **entry_data(entry),
                    "source": directory.source(entry.id).value,
                    "needs_verification": entry.needs_verification(today, max_age),
                }
                for entry in entries
            ]
        )
        return 0
    language = current_language()
    words = sheet_texts(language)
    for entry in entries:
        flag = (
            _("needs verification") if entry.needs_verification(today, max_age) else _("verified")
        )
        print(
            "\t".join(
                [
                    entry.id,
                    entry.name.get(language),
                    entry.phone or "–",
                    format_hours(entry.hours, words),
                    entry.scope,
                    directory.source(entry.id).value,
                    entry.last_verified.isoformat(),
                    flag,
                ]
            )
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """An administrator's change to the directory: signed in, and audited per entry."""
    with open_store_for(args) as session:
        session.require(Role.ADMIN)
        data_dir = session.store.location.data_dir
        imported: list[ImportOutcome] = []

        def write(change: str | None) -> tuple[str, ...]:
            outcome = import_file(data_dir, Path(args.file), display_name=args.file, change=change)
            imported.append(outcome)
            return outcome.entry_ids

        change_directory(session.engine, data_dir, session.principal.username, "imported", write)
        outcome = imported[0]
    print(json.dumps({"added": outcome.added, "replaced": outcome.replaced}))
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    data = read_json_input(args.file)
    name = "stdin" if args.file in (None, "-") else args.file
    if not isinstance(data, dict):
        raise UserError(_("{name}: expected one JSON object (the outcome)").format(name=name))
    try:
        outcome = Outcome.model_validate(data)
    except ValidationError as error:
        raise ValidationProblems(
            [f"{name}: {field}: {message}" for _loc, field, message in describe(error)],
            _("{name}: not a valid outcome; nothing was suggested.").format(name=name),
        ) from None
    directory = _directory(args)
    print_json(
        [
            _suggestion_json(item.entry_id, item.reason, item.rules, directory)
            for item in suggest(outcome, directory)
        ]
    )
    return 0


def _suggestion_json(
    entry_id: str, reason: str, rules: tuple[str, ...], directory: Directory
) -> dict[str, Any]:
    entry: DirectoryEntry = directory[entry_id]
    return {
        "entry_id": entry_id,
        "name": entry.name.get(current_language()),
        "phone": entry.phone,
        "reason": reason,
        "rules": list(rules),
    }
