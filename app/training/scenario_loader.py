"""Reading scenario files, with every problem as ``FILE:LINE: field: message``.

The YAML is composed and mapped to lines exactly as protocol files are
(:mod:`app.screening.protocol_loader`). After the model is valid, the scenario is
checked against what it refers to: the benefit's current protocol (question and
indicator ids, the case type), the support directory (referral ids), its own
facts, and the rubric's checks (exactly one kind each).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import ValidationProblems
from app.i18n import _, ngettext
from app.referrals.local import shipped_directory
from app.screening.enums import Contact
from app.screening.protocol_loader import (
    MAX_FILE_BYTES,
    CheckedFile,
    compose_yaml,
    error_message,
    field_name,
)
from app.screening.protocols import Location, Protocol, protocol_set
from app.training.scenarios import Scenario


class ScenarioError(ValidationProblems):
    """One or more scenario files are not valid; ``problems`` holds one line each."""


@dataclass
class ScenarioFile(CheckedFile):
    """The outcome of checking one scenario file."""

    scenario: Scenario | None = None


def check_file(path: Path, display_name: str | None = None) -> ScenarioFile:
    """Read and validate one file; never raises for bad content."""
    checked = ScenarioFile(display_name or str(path), path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        checked.add(1, "file", _("no such file"))
        return checked
    except IsADirectoryError:
        checked.add(1, "file", _("is a folder, not a file"))
        return checked
    except OSError as error:
        checked.add(
            1, "file", _("cannot be read ({reason})").format(reason=error.strerror or "error")
        )
        return checked
    return check_source(raw, checked)


def check_source(raw: bytes, checked: ScenarioFile) -> ScenarioFile:
    """Validate the bytes of one scenario file into ``checked``."""
    if len(raw) > MAX_FILE_BYTES:
        checked.add(1, "file", _("is larger than 1 MB; a scenario is much smaller"))
        return checked
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        checked.add(raw[: error.start].count(b"\n") + 1, "file", _("not UTF-8 text"))
        return checked
    data = compose_yaml(text, checked)
    if checked.problems:
        return checked
    if data is None:
        checked.add(1, "file", _("the file is empty; expected a scenario"))
        return checked
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        _add_located(checked, _describe(error))
        return checked
    except RecursionError:
        checked.add(1, "file", _("nested too deeply"))
        return checked
    problems = consistency_problems(scenario)
    if checked.path.name != f"{scenario.id}.yaml":
        problems.append(
            (("id",), _("the file must be named {expected}").format(expected=f"{scenario.id}.yaml"))
        )
    _add_located(checked, problems)
    if not checked.problems:
        checked.scenario = scenario
    return checked


def _add_located(checked: ScenarioFile, problems: Iterable[tuple[Location, str]]) -> None:
    located = [(checked.line_of(location), location, message) for location, message in problems]
    for line, location, message in sorted(located, key=lambda item: item[0]):
        checked.add(line, field_name(location) if location else "scenario", message)


def _describe(error: ValidationError) -> Iterator[tuple[Location, str]]:
    for item in error.errors(include_input=False, include_url=False):
        location: Location = tuple(item["loc"])
        yield location, _message(item["type"], location, item.get("ctx") or {}, str(item["msg"]))


def _message(kind: str, location: Location, context: dict[str, Any], fallback: str) -> str:
    last = location[-1] if location else ""
    if kind == "string_pattern_mismatch" and last == "name":
        return _("must be a made-up first name only, such as Lina (no surname)")
    if kind == "string_pattern_mismatch" and last == "language":
        return _("must be a two-letter language code, such as sv or ar")
    if kind in ("bool_type", "bool_parsing"):
        return _("must be true or false")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("must be a whole number")
    if kind == "greater_than_equal":
        return _("must be at least {limit}").format(limit=context.get("ge"))
    if kind == "less_than_equal":
        return _("must be at most {limit}").format(limit=context.get("le"))
    return error_message(kind, location, context, fallback)


def consistency_problems(scenario: Scenario) -> list[tuple[Location, str]]:
    """What the scenario refers to must exist; each with the location of the offending value."""
    problems: list[tuple[Location, str]] = []
    protocols = protocol_set()
    if scenario.benefit not in protocols.benefits():
        return [
            (
                ("benefit",),
                _("unknown benefit; known benefits are {known}").format(
                    known=", ".join(protocols.benefits())
                ),
            )
        ]
    protocol = protocols.latest(scenario.benefit)
    if protocol.needs_case_type and scenario.case_type is None:
        problems.append((("case_type",), _("this benefit needs the case type")))
    if not protocol.needs_case_type and scenario.case_type is not None:
        problems.append((("case_type",), _("this benefit has no case type; leave it out")))
    indicator_ids = {item.id for item in protocol.indicators}
    for index, indicator in enumerate(scenario.situation.indicators):
        if indicator not in indicator_ids:
            problems.append(
                (("situation", "indicators", index), _unknown(_("indicator"), protocol))
            )
    if scenario.contact is Contact.WRITTEN and scenario.situation.others_present:
        problems.append(
            (("situation", "others_present"), _("nobody else is present in a written contact"))
        )
    question_ids = {question.id for question in protocol.all_questions()}
    for question_id in scenario.answers:
        if question_id not in question_ids:
            problems.append((("answers", question_id), _unknown(_("question"), protocol)))
    problems.extend(_repeated("facts", [fact.id for fact in scenario.facts]))
    problems.extend(_repeated("rubric", [item.id for item in scenario.rubric]))
    problems.extend(_reveal_problems(scenario))
    problems.extend(_rubric_problems(scenario, protocol))
    return problems


def _unknown(what: str, protocol: Protocol) -> str:
    return _("no {what} with this id in protocol {protocol} version {version}").format(
        what=what, protocol=protocol.id, version=protocol.version
    )


def _repeated(field: str, ids: list[str]) -> Iterator[tuple[Location, str]]:
    for index, item_id in enumerate(ids):
        if item_id in ids[:index]:
            yield (field, index, "id"), _("another entry already has this id")


def _reveal_problems(scenario: Scenario) -> Iterator[tuple[Location, str]]:
    facts = {fact.id for fact in scenario.facts}
    message = _("no fact with this id in facts")
    for move, lines in scenario.reactions.items():
        for index, line in enumerate(lines):
            for position, fact in enumerate(line.reveals):
                if fact not in facts:
                    yield ("reactions", move.value, index, "reveals", position), message
    branches = [(("answers", qid), items) for qid, items in scenario.answers.items()]
    for key in ("unsafe_answer", "default_answer"):
        single = getattr(scenario, key)
        if single is not None:
            for position, fact in enumerate(single.reveals):
                if fact not in facts:
                    yield (key, "reveals", position), message
    for location, items in branches:
        for index, answer in enumerate(items):
            for position, fact in enumerate(answer.reveals):
                if fact not in facts:
                    yield (*location, index, "reveals", position), message


def _rubric_problems(scenario: Scenario, protocol: Protocol) -> Iterator[tuple[Location, str]]:
    directory = shipped_directory()
    indicators = {item.id for item in protocol.indicators}
    facts = {fact.id for fact in scenario.facts}
    for index, item in enumerate(scenario.rubric):
        here: Location = ("rubric", index, "expect")
        kinds = item.expect.kinds()
        if len(kinds) != 1:
            yield here, _("give exactly one check, such as move_made or record")
            continue
        expect = item.expect
        if expect.record is not None and not expect.record.given():
            yield (*here, "record"), _("name at least one record field to check")
        if expect.referral_includes is not None and expect.referral_includes not in directory:
            yield (*here, "referral_includes"), _("no entry with this id in the support directory")
        for position, indicator in enumerate(expect.indicators_ticked or []):
            if indicator not in indicators:
                yield (*here, "indicators_ticked", position), _unknown(_("indicator"), protocol)
        if expect.revealed is not None and expect.revealed not in facts:
            yield (*here, "revealed"), _("no fact with this id in facts")
        if expect.replies_as_given is False:
            yield (*here, "replies_as_given"), _("can only be true")


def check_files(paths: Iterable[Path], names: Iterable[str] | None = None) -> list[ScenarioFile]:
    """Check files one by one, then that no two of them have the same id."""
    path_list = list(paths)
    name_list = list(names) if names is not None else [str(p) for p in path_list]
    checked = [check_file(path, name) for path, name in zip(path_list, name_list, strict=True)]
    first: dict[str, ScenarioFile] = {}
    for item in checked:
        if item.scenario is None:
            continue
        if item.scenario.id in first:
            item.add(
                item.line_of(("id",)),
                "id",
                _("scenario {scenario} is also in {other}").format(
                    scenario=item.scenario.id, other=first[item.scenario.id].name
                ),
            )
        else:
            first[item.scenario.id] = item
    return checked


def problems_of(checked: Iterable[ScenarioFile]) -> list[str]:
    return [line for item in checked for line in item.problems]


def raise_for(problems: list[str]) -> None:
    if problems:
        raise ScenarioError(
            problems,
            ngettext(
                "{count} problem in the scenario files; fix them and try again.",
                "{count} problems in the scenario files; fix them and try again.",
                len(problems),
            ).format(count=len(problems)),
        )


def load_file(path: Path) -> Scenario:
    checked = check_file(path)
    raise_for(checked.problems)
    assert checked.scenario is not None
    return checked.scenario


def load_directory(directory: Path) -> list[Scenario]:
    """Every ``*.yaml`` scenario in ``directory``; all valid, or a :class:`ScenarioError`."""
    if not directory.is_dir():
        raise ScenarioError(
            [f"{directory}:1: file: " + _("no such folder")],
            _("The scenarios folder is missing."),
        )
    checked = check_files(sorted(directory.glob("*.yaml")))
    raise_for(problems_of(checked))
    return [item.scenario for item in checked if item.scenario is not None]
