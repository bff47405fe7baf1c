"""``vagafraga followups list [--json]``: the signed-in handler's screenings to ask again.

A follow-up is kept when a screening ends not asked with an agreed callback (the day
and the part of the day); the next screening of the same case closes it.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.commands import command_parser
from app.cli.common import open_store_for, print_json
from app.i18n import _, format_date, ngettext
from app.screening.labels import benefit_label, day_part_label


def register(subparsers: Any) -> None:
    followups = command_parser(subparsers, "followups")
    sub = followups.add_subparsers(dest="followups_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help=_("the open follow-ups, by due day"))
    listing.add_argument("--json", action="store_true", help=_("JSON for a program to read"))
    listing.set_defaults(handler=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    from app.accounts.access import Role
    from app.storage.followups import Followups

    with open_store_for(args, read_only=True) as session:
        session.require(Role.HANDLER)
        found = Followups(session.engine).for_handler(session.principal.username)
    if args.json:
        print_json(
            [
                {
                    "record_id": str(item.record_id),
                    "due_day": item.due_day.isoformat(),
                    "day_part": item.day_part.value,
                    "benefit": item.benefit,
                    "recorded_at": item.recorded_at.isoformat(),
                    "case_reference": item.case_reference,
                }
                for item in found
            ]
        )
        return 0
    print(
        ngettext(
            "{count} screening to ask again.", "{count} screenings to ask again.", len(found)
        ).format(count=len(found))
    )
    for item in found:
        print(
            _("{day} {part}: {benefit}, case {reference} (not asked {recorded})").format(
                day=format_date(item.due_day),
                part=day_part_label(item.day_part).lower(),
                benefit=benefit_label(item.benefit),
                reference=item.case_reference or "–",
                recorded=format_date(item.recorded_at),
            )
        )
    return 0
