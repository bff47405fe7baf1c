"""``vagafraga screening replay FILE|-``: the wizard replayed headless, for tests and reviewers.

The actions are the practice runner's (``docs/practice.md``), played through the real
screening session in memory: no store, no sign-in, nothing saved. The output is
``{"steps": [{"step": NAME, "question": ID or null}, ...], "record": RECORD or null}``.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.commands import command_parser
from app.cli.common import location_from, print_json, read_json_input
from app.i18n import _
from app.referrals.local import directory_for_practice
from app.training.headless import parse_actions, replay


def register(subparsers: Any) -> None:
    screening = command_parser(subparsers, "screening")
    sub = screening.add_subparsers(dest="screening_command", metavar="ACTION", required=True)
    parser = sub.add_parser(
        "replay",
        help=_("play wizard actions through the real session and print the steps and the record"),
        description=_(
            "The actions are those of `practice run` (docs/practice.md); "
            '{"do": "start", "benefit": ...} begins. Nothing is stored and nobody signs in.'
        ),
    )
    parser.add_argument(
        "file", nargs="?", default="-", help=_("a JSON actions file, or - for standard input")
    )
    parser.set_defaults(handler=cmd_replay)


def cmd_replay(args: argparse.Namespace) -> int:
    name = "stdin" if args.file == "-" else args.file
    actions = parse_actions(read_json_input(args.file), name)
    replayed = replay(
        actions, name=name, directory=directory_for_practice(location_from(args).data_dir)
    )
    print_json(replayed.as_json())
    return 0
