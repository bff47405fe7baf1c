"""``vagafraga guide [FILE|-]``: one contact's situation in, the guidance out, as JSON."""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import ValidationError

from app.cli.commands import command_parser
from app.cli.common import print_json, read_json_input
from app.errors import UserError
from app.i18n import _
from app.screening.guidance import GuidanceContext, guide
from app.screening.record import describe_errors


def register(subparsers: Any) -> None:
    parser = command_parser(
        subparsers,
        "guide",
        description=_(
            "Reads one context, e.g. "
            '{"benefit": "sickness_benefit", "case_type": "other", "contact": "phone", '
            '"can_talk_freely": true, "indications": true}, and prints mode, decision, '
            "blockers, actions, questions and protocol."
        ),
    )
    parser.add_argument(
        "file", nargs="?", default="-", help=_("a JSON file, or - for standard input (default)")
    )
    parser.set_defaults(handler=cmd_guide)


def cmd_guide(args: argparse.Namespace) -> int:
    name = "stdin" if args.file == "-" else args.file
    data = read_json_input(args.file)
    if not isinstance(data, dict):
        raise UserError(
            _("{name}: expected one JSON object (a context), such as {example}").format(
                name=name, example='{"benefit": "maintenance_support", "contact": "phone"}'
            )
        )
    try:
        context = GuidanceContext.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{field}: {message}" for field, message in describe_errors(error))
        raise UserError(f"{name}: {problems}") from None
    print_json(guide(context).model_dump(mode="json"))
    return 0
