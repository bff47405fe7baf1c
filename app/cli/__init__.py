"""``vagafraga``: the app's services from the command line. Without a subcommand, the GUI.

Each feature has a module here with ``register(subparsers)``; a command's
handler takes the parsed arguments and returns an exit code. Errors a user can
fix are one line on stderr and exit code 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence

from app import __version__
from app.cli.common import location_from
from app.errors import UserError, ValidationProblems
from app.files import private_umask
from app.i18n import LANGUAGES, _, set_language
from app.logging_setup import configure_logging

COMMAND_MODULES = (
    "app.cli.records",
    "app.cli.db",
    "app.cli.demo",
    "app.cli.guide",
    "app.cli.protocols",
    "app.cli.referrals",
    "app.cli.scenarios",
    "app.cli.practice",
    "app.cli.accounts",
    "app.cli.audit",
    "app.cli.stats",
    "app.cli.sync",
    "app.cli.policy",
)

log = logging.getLogger("vagafraga")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vagafraga",
        description="Våga fråga: ask about violence, record it, inform and refer. "
        "Without a command, the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"vagafraga {__version__}")
    parser.add_argument(
        "--data-dir", help="folder of the local store (default: per-user data folder)"
    )
    parser.add_argument("--database-url", help="any SQLAlchemy URL, e.g. a shared PostgreSQL store")
    parser.add_argument(
        "--language", choices=sorted(LANGUAGES), help="language of messages (default sv)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="open a throw-away store with synthetic demo data"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _report(error: UserError) -> None:
    lines = error.lines() if isinstance(error, ValidationProblems) else [error.message]
    for line in lines:
        print(line, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    with private_umask():  # every file this run creates is the user's alone (POSIX)
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(arguments)
    try:
        set_language(args.language or "sv")  # first: every message is in the chosen language
        configure_logging(location_from(args).data_dir)
        if args.command is None:
            from app.ui.app import run_gui

            return int(run_gui(args))
        code: int = args.handler(args)
        return code
    except UserError as error:
        _report(error)
        return error.exit_code
    except KeyboardInterrupt:
        print(_("Interrupted; nothing more was done."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as error:
        # Log the frames but never the message: it could quote data.
        log.error(
            "internal error %s\n%s",
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        print(
            _(
                "vagafraga: internal error ({kind}). Nothing more was done. "
                "Please report it with the time it happened."
            ).format(kind=type(error).__name__),
            file=sys.stderr,
        )
        return 1
