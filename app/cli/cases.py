"""``vagafraga cases import FILE.csv``: the number of cases per month, team and benefit.

The case system's counts are the real denominator of the asking figures
(``coverage_rate`` in ``vagafraga stats``). A team lead imports counts for their own
teams, an administrator for any team.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.commands import command_parser
from app.cli.common import open_store_for
from app.errors import UserError
from app.i18n import _, ngettext


def register(subparsers: Any) -> None:
    cases = command_parser(subparsers, "cases")
    sub = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    imp = sub.add_parser(
        "import",
        help=_(
            "import a CSV with the header month,team,benefit,cases; all or nothing; "
            "a month, team and benefit imported again is replaced"
        ),
    )
    imp.add_argument("file", metavar="FILE.csv")
    imp.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from app.accounts.access import Role
    from app.accounts.audit import AuditEvent, AuditLog
    from app.stats.case_counts import read_case_counts
    from app.storage.case_counts import CaseCounts

    found = read_case_counts(Path(args.file), display_name=args.file)  # before signing in
    with open_store_for(args) as session:
        principal = session.principal
        principal.require(Role.TEAM_LEAD, Role.ADMIN)
        if not principal.has(Role.ADMIN):
            foreign = sorted({item.team for item in found} - principal.teams)
            if foreign:
                raise UserError(
                    _(
                        "{file}: counts for teams that are not yours: {teams}; "
                        "nothing was imported."
                    ).format(file=args.file, teams=", ".join(foreign))
                )
        audit = AuditLog(session.engine)
        outcome = CaseCounts(session.engine).replace(
            [(item.month, item.team, item.benefit, item.cases) for item in found],
            then=lambda connection, done: audit.append_in(
                connection,
                principal.username,
                AuditEvent.CASE_COUNTS_IMPORTED,
                detail={"added": done.added, "replaced": done.replaced},
            ),
        )
    print(
        ngettext(
            "{count} case count imported ({replaced} replaced).",
            "{count} case counts imported ({replaced} replaced).",
            outcome.added + outcome.replaced,
        ).format(count=outcome.added + outcome.replaced, replaced=outcome.replaced)
    )
    return 0
