"""The command line's parser: the global options and ``--version`` at every level, and
argparse's own words (``usage:``, ``options``, its error messages) in the user's language.

The language is set before the parser is built (:mod:`app.cli.language`), so every help
line, translated where it is registered, is shown in it.
"""

from __future__ import annotations

import argparse
from typing import Any

from app import __version__
from app.i18n import LANGUAGES, N_, _, ngettext

# argparse's messages a user can meet (Python 3.11's wording), marked for the catalogs;
# argparse looks each up through its module's ``_`` and ``ngettext``, which
# :func:`translate_argparse` points at ours.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("subcommands"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_('argument "-" with mode %r'),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)


def translate_argparse() -> None:
    """argparse's words through the app's catalogs (in the language set now and later)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def add_global_options(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """``--data-dir``, ``--database-url`` and ``--language`` (and ``--demo`` before a
    command). After a command they default to nothing, so a value given before the
    command is kept unless the same option is given again after it."""
    defaults: dict[str, Any] = {"default": argparse.SUPPRESS} if after_command else {}
    group = parser.add_argument_group(_("global options")) if after_command else parser
    group.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("folder of the local store (default: per-user data folder)"),
        **defaults,
    )
    group.add_argument(
        "--database-url",
        metavar="URL",
        help=_("any SQLAlchemy URL, e.g. a shared PostgreSQL store"),
        **defaults,
    )
    group.add_argument(
        "--language",
        choices=sorted(LANGUAGES),
        help=_(
            "language of messages and help (default: the settings file, else the locale "
            "LC_ALL, LC_MESSAGES or LANG, else sv)"
        ),
        **defaults,
    )
    if not after_command:
        parser.add_argument(
            "--demo",
            action="store_true",
            help=_("open a throw-away store with synthetic demo data"),
        )


def add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        action="version",
        version=f"vagafraga {__version__}",
        help=_("show the version number and exit"),
    )


class CommandParser(argparse.ArgumentParser):
    """The parser of a command (and of its actions, which argparse makes of the same class):
    ``--version`` and the global options here too, so ``vagafraga stats --by benefit
    --language en`` works. A command listed only for ``--help`` (``add_help=False``) gets
    none: it never parses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.add_help:
            add_version(self)
            add_global_options(self, after_command=True)


def top_parser() -> argparse.ArgumentParser:
    translate_argparse()
    parser = argparse.ArgumentParser(
        prog="vagafraga",
        description=_(
            "Våga fråga: ask about violence, record it, inform and refer. "
            "Without a command, the desktop app opens."
        ),
    )
    add_version(parser)
    add_global_options(parser, after_command=False)
    return parser
