"""``vagafraga practice run | results``: headless practice runs and the trainer's review.

Practice data lives only in the practice store (``<data_dir>/practice.db``), never in
the real store: ``run --save`` writes there, ``results`` reads from there. ``results``
shows every trainee's scores, so it needs a signed-in user with the trainer role (the real
store is opened only to sign in).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from app.accounts.access import Role
from app.cli.commands import command_parser
from app.cli.common import (
    location_from,
    open_store_for,
    parse_date,
    print_json,
    read_json_input,
)
from app.errors import UserError
from app.i18n import N_, _
from app.referrals.local import directory_for_practice
from app.storage.practice import PracticeResults, open_practice_store
from app.storage.versions import RecordVersions
from app.training.headless import TRAINEE_PATTERN, parse_actions, play
from app.training.report import ResultsReport, report_json, write_xlsx
from app.training.results import ResultsFilter, stored_result
from app.training.scenarios import scenario_set

COHORT_HELP = N_("a name for a group of trainees, e.g. a course (default: practice)")


def register(subparsers: Any) -> None:
    practice = command_parser(subparsers, "practice")
    sub = practice.add_subparsers(dest="practice_command", metavar="ACTION", required=True)
    run = sub.add_parser(
        "run",
        help=_("play a list of handler actions against a scenario and print the score as JSON"),
        description=_("The actions file format is documented in docs/practice.md."),
    )
    run.add_argument("--scenario", required=True, metavar="ID", help=_("the scenario's id"))
    run.add_argument(
        "--actions",
        required=True,
        metavar="FILE.json",
        help=_("the handler's actions (- for stdin)"),
    )
    run.add_argument(
        "--save", action="store_true", help=_("keep the run and its result in the practice store")
    )
    run.add_argument("--cohort", default="practice", type=_pseudonym, help=_(COHORT_HELP))
    run.set_defaults(handler=cmd_run)

    results = sub.add_parser("results", help=_("practice results per trainee and per scenario"))
    results.add_argument("--format", choices=("json", "xlsx"), default="json")
    results.add_argument("--out", metavar="FILE", help=_("write to FILE (required for xlsx)"))
    results.add_argument("--trainee", type=_pseudonym, help=_("one trainee only"))
    results.add_argument("--scenario", metavar="ID", help=_("one scenario only"))
    results.add_argument("--cohort", type=_pseudonym, help=_("one cohort only"))
    results.add_argument("--from", dest="date_from", type=parse_date, metavar="DATE")
    results.add_argument("--to", dest="date_to", type=parse_date, metavar="DATE")
    results.set_defaults(handler=cmd_results)


def _pseudonym(text: str) -> str:
    if not re.fullmatch(TRAINEE_PATTERN, text):
        raise argparse.ArgumentTypeError(
            _("{text} is not a short id of letters, digits, '.', '_' or '-'").format(text=text)
        )
    return text


def cmd_run(args: argparse.Namespace) -> int:
    scenario = scenario_set().get(args.scenario)
    name = args.actions if args.actions not in (None, "-") else "stdin"
    actions = parse_actions(read_json_input(args.actions), name)
    data_dir = location_from(args).data_dir
    played = play(scenario, actions, name=name, directory=directory_for_practice(data_dir))
    if args.save:
        if played.record is None:
            raise UserError(
                _("The actions never save the screening ({finish}); nothing was kept.").format(
                    finish='{"do": "finish"}'
                )
            )
        with open_store_for(args) as session:
            session.require(Role.HANDLER, Role.TRAINER)  # the practice area's roles
            with open_practice_store(session.store) as store:
                RecordVersions(store.engine).save(played.record, played.run.log.indicators)
                PracticeResults(store.engine).add(
                    stored_result(
                        played.result,
                        trainee=actions.trainee,
                        cohort=args.cohort,
                        finished_at=datetime.now(UTC),
                        record_id=played.record.id,
                    )
                )
    print_json(played.result.as_json())
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UserError(_("--from is after --to; nothing was exported."))
    if args.format == "xlsx" and not args.out:
        raise UserError(_("An XLSX export needs --out FILE.xlsx."))
    flt = ResultsFilter(
        trainee=args.trainee,
        scenario=args.scenario,
        cohort=args.cohort,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    with open_store_for(args) as session:
        session.require(Role.TRAINER)  # every trainee's scores: for trainers only
        with open_practice_store(session.store) as store:
            results = PracticeResults(store.engine)
            report = ResultsReport(
                runs=results.runs(flt),
                trainees=results.by_trainee(flt),
                scenarios=results.by_scenario(flt),
                missed=results.most_missed(flt),
            )
    if args.out:
        _write_file(Path(args.out), lambda out: _write(report, args.format, out))
    else:
        _write(report, args.format, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return 0


def _write(report: ResultsReport, fmt: str, out: IO[bytes]) -> None:
    if fmt == "xlsx":
        write_xlsx(report, out)
    else:
        text = json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
        out.write(text.encode("utf-8"))


def _write_file(target: Path, write: Any) -> None:
    """All or nothing: a half-written file never replaces anything."""
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("wb") as out:
            write(out)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserError(
            _("{file}: cannot be written ({reason})").format(file=target, reason=error.strerror)
        ) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
