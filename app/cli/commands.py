"""The table of commands: each name with the module that registers it and its help line.

``vagafraga`` imports only the module of the command being run (a command's module
imports what that command needs: SQLAlchemy, pydantic models, xlsxwriter ...); the
others appear in ``vagafraga --help`` from this table alone, each help line translated
when it is shown. A module registers its
commands with ``register(subparsers)``, creating each with :func:`command_parser`, and
registers exactly the names this table gives it (a test checks that).

To add a command: a module with ``register``, and one line here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from app.i18n import N_, _


class Command(NamedTuple):
    module: str
    help: str  # marked with N_, translated where shown


COMMANDS: dict[str, Command] = {
    "records": Command(
        "app.cli.records", N_("list, import, export and describe screening records")
    ),
    "db": Command(
        "app.cli.db",
        N_("upgrade, check or back up the store; change its key; delete old records"),
    ),
    "demo": Command(
        "app.cli.demo", N_("add synthetic, plausible records (for trying and benchmarks)")
    ),
    "guide": Command(
        "app.cli.guide",
        N_("whether to ask about violence now: a context as JSON in, the guidance as JSON out"),
    ),
    "protocols": Command("app.cli.protocols", N_("list or check the screening protocols")),
    "referrals": Command(
        "app.cli.referrals",
        N_("the support directory: list, import local entries, suggest referrals"),
    ),
    "scenarios": Command("app.cli.scenarios", N_("list or check the practice scenarios")),
    "practice": Command("app.cli.practice", N_("practice runs and their results")),
    "screening": Command(
        "app.cli.screening",
        N_("the screening wizard without a window: replay its actions through the real session"),
    ),
    "init": Command(
        "app.cli.accounts", N_("create a new encrypted store and its first administrator")
    ),
    "users": Command("app.cli.accounts", N_("add, change, remove and list user accounts")),
    "audit": Command("app.cli.audit", N_("check, export and query the audit log")),
    "stats": Command(
        "app.cli.stats",
        N_("asking rates and other figures, grouped as you choose (practice excluded)"),
    ),
    "cases": Command(
        "app.cli.cases", N_("the number of cases per month, team and benefit from the case system")
    ),
    "policy": Command(
        "app.cli.policy", N_("the store's policies (small-count threshold, retention period)")
    ),
    "sync": Command(
        "app.cli.sync",
        N_("send your new and changed records to the team server (or bring them back)"),
    ),
    "followups": Command(
        "app.cli.followups", N_("your screenings to ask again (a callback was agreed)")
    ),
}


def command_parser(subparsers: Any, name: str, **kwargs: Any) -> Any:
    """The parser of top-level command ``name``, with its help line from :data:`COMMANDS`."""
    return subparsers.add_parser(name, help=_(COMMANDS[name].help), **kwargs)
