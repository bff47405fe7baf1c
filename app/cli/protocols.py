"""``vagafraga protocols list | check FILE...``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.commands import command_parser
from app.cli.common import print_json, print_table
from app.i18n import _, current_language, ngettext
from app.screening.labels import case_type_label, mode_label
from app.screening.protocol_loader import (
    check_against_installed,
    check_files,
    problems_of,
    raise_for,
)
from app.screening.protocols import Protocol, protocol_set, protocols_dir


def register(subparsers: Any) -> None:
    protocols = command_parser(subparsers, "protocols")
    sub = protocols.add_subparsers(dest="protocols_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help=_("every installed protocol version"))
    listing.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    listing.set_defaults(handler=cmd_list)
    check = sub.add_parser(
        "check", help=_("check protocol files; every problem as FILE:LINE: field: message")
    )
    check.add_argument("files", nargs="+", metavar="FILE", help=_("protocol YAML files"))
    check.set_defaults(handler=cmd_check)


def _summary(protocol: Protocol, latest: bool) -> dict[str, Any]:
    routine_when = protocol.mode.routine_when
    return {
        "id": protocol.id,
        "version": protocol.version,
        "benefit": protocol.benefit,
        "name": protocol.name.model_dump(),
        "mode": protocol.mode.default.value,
        "routine_when_case_type": [c.value for c in routine_when.case_type] if routine_when else [],
        "latest": latest,
        "questions": len(protocol.all_questions()),
        "indicators": [item.id for item in protocol.indicators],
        "consequences": [item.id for item in protocol.consequences],
    }


def cmd_list(args: argparse.Namespace) -> int:
    protocols = protocol_set()
    every = protocols.all()
    latest = [protocols.latest(protocol.benefit) is protocol for protocol in every]
    if args.json:
        print_json([_summary(p, is_latest) for p, is_latest in zip(every, latest, strict=True)])
        return 0
    language = current_language()
    table = [[_("Id"), _("Version"), _("Name"), _("Mode"), _("Routine when"), _("Questions")]]
    for protocol, is_latest in zip(every, latest, strict=True):
        rule = protocol.mode.routine_when
        table.append(
            [
                protocol.id,
                protocol.version + ("" if is_latest else " " + _("(old)")),
                protocol.name.get(language),
                mode_label(protocol.mode.default),
                ", ".join(case_type_label(c) for c in rule.case_type) if rule else "-",
                str(len(protocol.all_questions())),
            ]
        )
    print_table(table)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    paths = [Path(name) for name in args.files]
    checked = check_files(paths, args.files)
    check_against_installed(checked, protocols_dir())
    raise_for(problems_of(checked))
    for item in checked:
        assert item.protocol is not None
        print(
            f"{item.name}: "
            + _("ok ({protocol} version {version})").format(
                protocol=item.protocol.id, version=item.protocol.version
            )
        )
    print(
        ngettext(
            "{count} protocol file checked; no problems.",
            "{count} protocol files checked; no problems.",
            len(checked),
        ).format(count=len(checked))
    )
    return 0
