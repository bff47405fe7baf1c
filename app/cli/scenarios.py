"""``vagafraga scenarios list | check FILE...``: the practice scenarios."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.commands import command_parser
from app.cli.common import print_json, print_table
from app.i18n import _, current_language, ngettext
from app.screening.labels import benefit_label, contact_label
from app.training.scenario_loader import check_files, problems_of, raise_for
from app.training.scenarios import Scenario, scenario_set


def register(subparsers: Any) -> None:
    scenarios = command_parser(subparsers, "scenarios")
    sub = scenarios.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help=_("every installed practice scenario"))
    listing.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    listing.set_defaults(handler=cmd_list)
    check = sub.add_parser(
        "check", help=_("check scenario files; every problem as FILE:LINE: field: message")
    )
    check.add_argument("files", nargs="+", metavar="FILE", help=_("scenario YAML files"))
    check.set_defaults(handler=cmd_check)


def _summary(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.id,
        "title": scenario.title.model_dump(),
        "benefit": scenario.benefit,
        "case_type": scenario.case_type.value if scenario.case_type else None,
        "contact": scenario.contact.value,
        "client_sex": scenario.client_sex.value,
        "language": scenario.language,
        "rubric": [item.id for item in scenario.rubric],
        "max_score": scenario.max_score,
    }


def cmd_list(args: argparse.Namespace) -> int:
    scenarios = scenario_set().all()
    if args.json:
        print_json([_summary(scenario) for scenario in scenarios])
        return 0
    language = current_language()
    table = [[_("Id"), _("Title"), _("Benefit"), _("Contact"), _("Max score")]]
    for scenario in scenarios:
        table.append(
            [
                scenario.id,
                scenario.title.get(language),
                benefit_label(scenario.benefit),
                contact_label(scenario.contact),
                str(scenario.max_score),
            ]
        )
    print_table(table)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    checked = check_files([Path(name) for name in args.files], args.files)
    raise_for(problems_of(checked))
    for item in checked:
        assert item.scenario is not None
        print(f"{item.name}: " + _("ok ({scenario})").format(scenario=item.scenario.id))
    print(
        ngettext(
            "{count} scenario file checked; no problems.",
            "{count} scenario files checked; no problems.",
            len(checked),
        ).format(count=len(checked))
    )
    return 0
