"""``vagafraga stats [--by DIM,...] [--from D] [--to D] [--team T] [--format F]`` and
``vagafraga stats equality --by client_sex|interpreter|language``.

What a user may see is decided once, by ``app.accounts.access.stats_scope``: a team lead
gets their teams, a handler their own figures, an administrator every team.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from app.cli.commands import command_parser
from app.cli.common import open_store_for, print_json
from app.errors import UserError
from app.i18n import _
from app.settings import STATS_SMALL_COUNT, Settings
from app.stats.export import format_table, write_csv
from app.stats.filters import DIMENSIONS, StatsFilter, StatsQuery, parse_dimensions
from app.stats.service import StatsService
from app.storage.policies import Policy, small_count, store_policies

FORMATS = ("json", "table", "csv")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="first date, inclusive")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="last date, inclusive")
    parser.add_argument("--team", metavar="T", help="only this team (one of yours)")


def register(subparsers: Any) -> None:
    stats = command_parser(subparsers, "stats")
    stats.add_argument(
        "--by",
        metavar="DIM[,DIM...]",
        help=f"group by these dimensions: {', '.join(DIMENSIONS)}; grouped by handler, "
        "counts below the stats_small_count_threshold policy (default 5; set by an "
        "administrator with vagafraga policy set, a user's setting may only raise it) show as <5",
    )
    _add_filters(stats)
    stats.add_argument("--format", choices=FORMATS, default="json", help="output (default json)")
    stats.set_defaults(handler=cmd_stats)
    sub = stats.add_subparsers(dest="stats_command", metavar="VIEW")
    eq = sub.add_parser(
        "equality", help="asking rates by client sex, interpreter use or language, with a test"
    )
    eq.add_argument(
        "--by",
        required=True,
        metavar="DIM",
        help="the dimension to compare: client_sex, interpreter or language",
    )
    _add_filters(eq)
    eq.set_defaults(handler=cmd_equality)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(
            _("{option}: {text} is not a date like 2026-01-31.").format(option=option, text=text)
        ) from None


def _filter_for(args: argparse.Namespace, session: Any) -> StatsFilter:
    from app.accounts.access import restrict_team, stats_scope

    date_from = _date(args.date_from, "--from")
    date_to = _date(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UserError(_("--from is after --to."))
    scope = restrict_team(stats_scope(session.principal), args.team)
    teams = tuple(sorted(scope.teams)) if scope.teams is not None else None
    return StatsFilter(date_from, date_to, teams, scope.handler)


def cmd_stats(args: argparse.Namespace) -> int:
    by = parse_dimensions(args.by)
    _date(args.date_from, "--from")  # bad input fails before signing in
    _date(args.date_to, "--to")
    with open_store_for(args) as session:
        flt = _filter_for(args, session)
        query = StatsQuery(by, flt.date_from, flt.date_to, flt.teams, flt.handler)
        result = StatsService(session.engine).run(query)
        floor = store_policies(session.engine)[Policy.SMALL_COUNT]
    data = result.to_json(small_count=small_count(floor, Settings().get(STATS_SMALL_COUNT)))
    if args.format == "json":
        print_json(data)
    elif args.format == "csv":
        write_csv(sys.stdout, data, by)
    else:
        sys.stdout.write(format_table(data, by))
    return 0


def cmd_equality(args: argparse.Namespace) -> int:
    from app.stats.equality import EQUALITY_DIMENSIONS, equality

    if args.by not in EQUALITY_DIMENSIONS:
        raise UserError(
            _("Equality is shown by one of: {choices}.").format(
                choices=", ".join(EQUALITY_DIMENSIONS)
            )
        )
    _date(args.date_from, "--from")
    _date(args.date_to, "--to")
    with open_store_for(args) as session:
        flt = _filter_for(args, session)
        (result,) = equality(StatsService(session.engine), flt, [args.by])
    print_json(result.to_json())
    return 0
