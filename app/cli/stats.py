"""``vagafraga stats [--by DIM,...] [--from D] [--to D] [--team T] [--format F]`` and
``vagafraga stats equality --by client_sex|interpreter|language``.

What a user may see is decided once, by ``app.accounts.access.stats_scope``: a team lead
gets their teams, a handler their own figures, an administrator every team.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.commands import command_parser
from app.cli.common import open_store_for, print_json
from app.cli.progress import progress_bar
from app.csv_dialects import CSV_DIALECTS
from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:
    from app.stats.queries import StatsFilter

FORMATS = ("json", "table", "csv")
REPORT_FORMATS = ("pdf", "xlsx")
# The names of app.stats.queries.DIMENSIONS, for the help text (a test keeps them the
# same): the statistics' modules load after signing in has begun (see cmd_stats).
DIMENSION_NAMES = (
    "benefit",
    "contact",
    "mode",
    "handler",
    "team",
    "month",
    "client_sex",
    "interpreter",
    "language",
)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", metavar="DATE", help=_("first date, inclusive"))
    parser.add_argument("--to", dest="date_to", metavar="DATE", help=_("last date, inclusive"))
    parser.add_argument("--team", metavar="T", help=_("only this team (one of yours)"))


def register(subparsers: Any) -> None:
    stats = command_parser(subparsers, "stats")
    stats.add_argument(
        "--by",
        metavar="DIM[,DIM...]",
        help=_(
            "group by these dimensions: {dimensions}; grouped by handler, counts below the "
            "stats_small_count_threshold policy (default 5; set by an administrator with "
            "vagafraga policy set, a user's setting may only raise it) show as <5 (in CSV: an "
            "empty cell, and the row's suppressed column true)"
        ).format(dimensions=", ".join(DIMENSION_NAMES)),
    )
    _add_filters(stats)
    stats.add_argument("--format", choices=FORMATS, default="json", help=_("output (default json)"))
    stats.add_argument(
        "--dialect",
        choices=CSV_DIALECTS,
        default="rfc4180",
        help=_(
            "CSV only: rfc4180 (comma, the default) or excel (semicolon, byte order mark, "
            "decimal comma)"
        ),
    )
    stats.set_defaults(handler=cmd_stats)
    sub = stats.add_subparsers(dest="stats_command", metavar="VIEW")
    eq = sub.add_parser(
        "equality", help=_("asking rates by client sex, interpreter use or language, with a test")
    )
    eq.add_argument(
        "--by",
        required=True,
        metavar="DIM",
        help=_("the dimension to compare: client_sex, interpreter or language"),
    )
    _add_filters(eq)
    eq.set_defaults(handler=cmd_equality)
    report = sub.add_parser(
        "report",
        help=_(
            "the dashboard's report: a PDF document (summary first, charts, tables) or an "
            "XLSX workbook (a sheet per view)"
        ),
    )
    report.add_argument("--format", choices=REPORT_FORMATS, default="pdf", help=_("default pdf"))
    report.add_argument("--out", required=True, metavar="FILE", help=_("the file to write"))
    _add_filters(report)
    report.set_defaults(handler=cmd_report)


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
    from app.accounts.principal import restrict_team, stats_scope
    from app.stats.queries import StatsFilter

    date_from = _date(args.date_from, "--from")
    date_to = _date(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UserError(_("--from is after --to."))
    scope = restrict_team(stats_scope(session.principal), args.team)
    teams = tuple(sorted(scope.teams)) if scope.teams is not None else None
    return StatsFilter(date_from, date_to, teams, scope.handler)


def _check_by(text: str | None) -> None:
    """A bad ``--by`` fails before signing in (the statistics' own check says why)."""
    names = [name.strip() for name in (text or "").split(",") if name.strip()]
    if len(set(names)) != len(names) or not set(names) <= set(DIMENSION_NAMES):
        from app.stats.queries import parse_dimensions

        parse_dimensions(text)


def cmd_stats(args: argparse.Namespace) -> int:
    _date(args.date_from, "--from")  # bad input fails before signing in
    _date(args.date_to, "--to")
    _check_by(args.by)
    needs = ("app.settings", "app.stats.export", "app.stats.service", "app.storage.policies")
    with open_store_for(args, read_only=True, needs=needs) as session:
        from app.settings import STATS_SMALL_COUNT, Settings
        from app.stats.export import format_table, write_csv
        from app.stats.queries import StatsQuery, parse_dimensions
        from app.stats.service import StatsService
        from app.storage.policies import Policy, small_count, store_policies

        by = parse_dimensions(args.by)
        flt = _filter_for(args, session)
        query = StatsQuery(by, flt.date_from, flt.date_to, flt.teams, flt.handler)
        result = StatsService(session.engine).run(query)
        floor = store_policies(session.engine)[Policy.SMALL_COUNT]
    data = result.to_json(small_count=small_count(floor, Settings().get(STATS_SMALL_COUNT)))
    if args.format == "json":
        print_json(data)
    elif args.format == "csv":
        if isinstance(sys.stdout, io.TextIOWrapper):  # the CSV writer ends lines (CRLF)
            sys.stdout.reconfigure(newline="")
        write_csv(sys.stdout, data, by, args.dialect)
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
    with open_store_for(args, read_only=True) as session:
        from app.stats.service import StatsService

        flt = _filter_for(args, session)
        (result,) = equality(StatsService(session.engine), flt, [args.by])
    print_json(result.to_json())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``vagafraga stats report --format pdf|xlsx --out FILE``: the same report as the
    dashboard's export buttons, for the same filters as ``vagafraga stats``."""
    _date(args.date_from, "--from")
    _date(args.date_to, "--to")
    target = Path(args.out)
    with open_store_for(args, read_only=True) as session:
        from app.settings import STATS_SMALL_COUNT, Settings
        from app.stats.dashboard_data import load_dashboard
        from app.stats.report_pdf import write_pdf
        from app.stats.report_xlsx import write_xlsx
        from app.storage.policies import Policy, small_count, store_policies

        flt = _filter_for(args, session)
        data = load_dashboard(session.engine, flt)
        floor = store_policies(session.engine)[Policy.SMALL_COUNT]
    threshold = small_count(floor, Settings().get(STATS_SMALL_COUNT))
    write = write_pdf if args.format == "pdf" else write_xlsx
    try:
        with progress_bar(_("Making the report")) as progress:
            write(target, data, threshold, progress)
    except OSError as error:
        raise UserError(
            _("{file}: cannot be written ({reason})").format(file=args.out, reason=error.strerror)
        ) from None
    print(_("Report written to {file}.").format(file=args.out), file=sys.stderr)
    return 0
