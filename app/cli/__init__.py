"""``vagafraga``: the app's services from the command line. Without a subcommand, the GUI.

Each feature has a module here with ``register(subparsers)``, named in the command
table (:mod:`app.cli.commands`); only the module of the command being run is imported.
A command's handler takes the parsed arguments and returns an exit code. Errors a user can
fix are one line on stderr and exit code 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from app.cli import own_process
from app.cli.commands import COMMANDS
from app.cli.language import resolve_language
from app.cli.parser import CommandParser, add_global_options, top_parser
from app.errors import UserError, ValidationProblems
from app.files import private_umask
from app.i18n import _, set_language
from app.logging_setup import configure_logging
from app.paths import data_dir_option

log = logging.getLogger("vagafraga")


class _ScanFailed(Exception):
    pass


class _CommandScan(argparse.ArgumentParser):
    """The global options and the command's name, nothing else: which module to load."""

    def error(self, message: str) -> NoReturn:
        raise _ScanFailed(message)


def command_of(arguments: Sequence[str]) -> str | None:
    """The command named in ``arguments`` (None: none, or not one the table knows)."""
    scan = _CommandScan(add_help=False, allow_abbrev=True)
    add_global_options(scan, after_command=False)
    scan.add_argument("command", nargs="?")
    scan.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        known, _unknown = scan.parse_known_args(list(arguments))
    except _ScanFailed:
        return None  # the full parser reports the problem
    return known.command if known.command in COMMANDS else None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s module is imported and registers its arguments, every
    other command is listed with its help line from :data:`app.cli.commands.COMMANDS`."""
    parser = top_parser()
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=CommandParser
    )
    loaded = COMMANDS[command].module if command is not None else None
    for name, entry in COMMANDS.items():
        if entry.module != loaded:
            subparsers.add_parser(name, help=_(entry.help), add_help=False)
        elif name == command:
            importlib.import_module(entry.module).register(subparsers)
    return parser


def _report(error: UserError) -> None:
    lines = error.lines() if isinstance(error, ValidationProblems) else [error.message]
    for line in lines:
        print(line, file=sys.stderr)


def _store_fault(error: Exception, args: argparse.Namespace) -> UserError | None:
    """A fault of the SQLite store told truly (in use, disk full, damaged page, read-only:
    :mod:`app.storage.sqlite_faults`), or ``None``."""
    from app.storage.sqlite_faults import sqlite_code, store_fault

    if sqlite_code(error) is None and not isinstance(error, OSError):
        return None
    try:
        from app.cli.common import location_from

        location = location_from(args)
    except Exception:  # the settings or the URL: the internal error stands
        return None
    return store_fault(error, location) if location.is_sqlite else None


def main(argv: Sequence[str] | None = None) -> int:
    """``argv`` None: this process's own arguments (the ``vagafraga`` program)."""
    try:
        with private_umask():  # every file this run creates is the user's alone (POSIX)
            return _main(argv)
    finally:
        own_process.end()


def gui_main() -> int:
    """The GUI entry point (``vagafraga-gui``): the app with the same start-up as ``vagafraga``
    without a command (language, logging, the store's location)."""
    if os.environ.get("CI") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return main([])


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        # First: every message, the help and argparse's own words are in this language.
        set_language(resolve_language(arguments))
    except UserError as error:
        _report(error)  # a catalog missing: in English, there is no other
        return error.exit_code
    parser = build_parser(command_of(arguments))
    args = parser.parse_args(arguments)
    try:
        configure_logging(data_dir_option(args.data_dir))
        if args.command is None:
            from app.desktop import display_problem

            problem = display_problem()
            if problem is not None:  # before Qt, which would abort the process
                raise UserError(problem)
            from app.ui.app import run_gui

            return int(run_gui(args))
        if argv is None:
            own_process.begin()  # the command is this process's whole life
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
        fault = _store_fault(error, args)
        if fault is not None:
            log.warning("store fault %s", type(fault).__name__)
            _report(fault)
            return fault.exit_code
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
