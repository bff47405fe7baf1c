"""Reading protocol files, with every problem as ``FILE:LINE: field: message``.

The YAML is composed first, so each problem can name the line of the node it is
about; pydantic error locations are mapped back onto those nodes. Any text at
all (binary junk, a list, deeply nested or huge input) gives a
:class:`ProtocolError` and nothing else. Messages never quote values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.errors import ValidationProblems
from app.i18n import _, ngettext
from app.safe_input import UnsafeInputError
from app.safe_yaml import SafeCLoader, SafePyLoader
from app.screening.protocols import Location, Protocol

MAX_FILE_BYTES = 1_000_000

# libyaml's loader when PyYAML was built with it (6x faster on the shipped files); the same
# node tree with the same line marks, so every message still names its line. Both refuse
# anchors, aliases, over-deep nesting and the like (:mod:`app.safe_yaml`).
YAML_LOADER: type[yaml.SafeLoader] = SafeCLoader


class ProtocolError(ValidationProblems):
    """One or more protocol files are not valid; ``problems`` holds one line each."""


@dataclass
class CheckedFile:
    """The outcome of checking one file: the protocol, or the problems found."""

    name: str
    path: Path
    protocol: Protocol | None = None
    problems: list[str] = field(default_factory=list)
    root: Node | None = None

    def line_of(self, location: Location) -> int:
        return line_of(self.root, location)

    def add(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(f"{self.name}:{line}: {field_name}: {message}")


def check_file(path: Path, display_name: str | None = None) -> CheckedFile:
    """Read and validate one file; never raises for bad content."""
    checked = CheckedFile(display_name or str(path), path)
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


def check_source(raw: bytes, checked: CheckedFile) -> CheckedFile:
    """Validate the bytes of one file into ``checked``; never raises for bad content."""
    if len(raw) > MAX_FILE_BYTES:
        checked.add(
            1,
            "file",
            _("is larger than {size} MB; a protocol is much smaller").format(
                size=MAX_FILE_BYTES // 1_000_000
            ),
        )
        return checked
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        checked.add(line, "file", _("not UTF-8 text"))
        return checked
    data = _compose(text, checked)
    if checked.problems:
        return checked
    if data is None:
        checked.add(1, "file", _("the file is empty; expected a protocol"))
        return checked
    try:
        checked.protocol = Protocol.model_validate(data)
    except ValidationError as error:
        problems = list(_describe(error))
        if not any(kind == "protocol_consistency" for kind in _kinds(error)):
            # the cross-field rules did not run: still name every repeated question id
            problems.extend(_repeated_question_ids(data))
        located = [(checked.line_of(location), location, message) for location, message in problems]
        for line, location, message in sorted(located, key=lambda item: item[0]):
            checked.add(line, _field_name(location), message)
        return checked
    except RecursionError:
        checked.add(1, "file", _("nested too deeply"))
        return checked
    _check_file_name(checked.path, checked, checked.protocol)
    return checked


def compose_node(text: str) -> Node | None:
    """The YAML's node tree (``yaml.compose``) through :data:`YAML_LOADER`."""
    try:
        return yaml.compose(text, Loader=YAML_LOADER)
    except UnsafeInputError:
        raise
    except yaml.YAMLError:
        # The same problem, said in the words (and marks) of the pure-Python parser.
        return yaml.compose(text, Loader=SafePyLoader)


def _compose(
    text: str, checked: CheckedFile, loader_class: type[yaml.SafeLoader] = YAML_LOADER
) -> Any:
    """The YAML's data, keeping its node tree on ``checked``; problems go to ``checked``.

    A problem found by libyaml is read again by the pure-Python parser, so that it is
    said in the same words whichever parser is installed.
    """
    loader: yaml.SafeLoader | None = None
    retry = loader_class is not SafePyLoader
    try:
        loader = loader_class(text)
        root = loader.get_single_node()
        if root is None:
            return None
        checked.root = root
        if _structure_problems(root, checked):
            return None
        return loader.construct_document(root)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as error:
        if retry and not isinstance(error, UnsafeInputError):
            checked.root = None
            return _compose(text, checked, SafePyLoader)
        _add_yaml_problem(text, checked, error)
    finally:
        if loader is not None:
            loader.dispose()
    return None


def _add_yaml_problem(text: str, checked: CheckedFile, error: Exception) -> None:
    if isinstance(error, UnsafeInputError):
        checked.add(error.line, "file", error.reason)
    elif isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = error.problem or error.context or _("not valid YAML")
        checked.add(line, "file", _("not valid YAML: {reason}").format(reason=reason))
    elif isinstance(error, yaml.reader.ReaderError):
        line = text[: error.position].count("\n") + 1
        checked.add(line, "file", _("holds a character that is not allowed in YAML"))
    elif isinstance(error, yaml.YAMLError):
        checked.add(1, "file", _("not valid YAML"))
    elif isinstance(error, RecursionError):
        checked.add(1, "file", _("nested too deeply"))
    else:
        # What the safe loaders should never let out (a date not in the calendar is their
        # YAML error since issue 16): a guard, so a file can still not end in a traceback.
        checked.add(1, "file", _("holds a value YAML cannot read, such as an impossible date"))


def _structure_problems(root: Node, checked: CheckedFile) -> bool:
    """Repeated keys: they hide what the file really says. (Anchors, aliases and over-deep
    nesting were refused while reading: :mod:`app.safe_yaml`.)"""
    found = False
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in keys:
                        checked.add(
                            key.start_mark.line + 1,
                            _key_name(key.value),
                            _("appears twice in the same place"),
                        )
                        found = True
                    keys.add(key.value)
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return found


def _check_file_name(path: Path, checked: CheckedFile, protocol: Protocol) -> None:
    expected = f"{protocol.benefit}.v{protocol.version}.yaml"
    if path.name != expected:
        checked.add(
            checked.line_of(("version",)),
            "file",
            _("the file must be named {expected} (benefit, version)").format(expected=expected),
        )


def check_files(paths: Iterable[Path], names: Iterable[str] | None = None) -> list[CheckedFile]:
    """Check files one by one, then that no two of them are the same (id, version)."""
    path_list = list(paths)
    name_list = list(names) if names is not None else [str(p) for p in path_list]
    checked = [check_file(path, name) for path, name in zip(path_list, name_list, strict=True)]
    first: dict[tuple[str, str], CheckedFile] = {}
    for item in checked:
        if item.protocol is None:
            continue
        key = (item.protocol.id, item.protocol.version)
        if key in first:
            item.add(
                item.line_of(("version",)),
                "version",
                _("version {version} of {protocol} is also in {other}").format(
                    version=key[1], protocol=key[0], other=first[key].name
                ),
            )
        else:
            first[key] = item
    return checked


def check_against_installed(checked: list[CheckedFile], directory: Path) -> None:
    """A version that is already installed elsewhere must be identical: versions never change."""
    given = {_resolved(item.path) for item in checked}
    installed: dict[tuple[str, str], Protocol] = {}
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        if _resolved(path) in given:
            continue
        protocol = check_file(path).protocol
        if protocol is not None:
            installed[(protocol.id, protocol.version)] = protocol
    for item in checked:
        if item.protocol is None:
            continue
        other = installed.get((item.protocol.id, item.protocol.version))
        if other is not None and other != item.protocol:
            item.add(
                item.line_of(("version",)),
                "version",
                _(
                    "version {version} of {protocol} is already installed with other content; "
                    "an installed version never changes, so give this file a new version"
                ).format(version=item.protocol.version, protocol=item.protocol.id),
            )


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def problems_of(checked: Iterable[CheckedFile]) -> list[str]:
    return [line for item in checked for line in item.problems]


def raise_for(problems: list[str]) -> None:
    if problems:
        raise ProtocolError(
            problems,
            ngettext(
                "{count} problem in the protocol files; fix them and try again.",
                "{count} problems in the protocol files; fix them and try again.",
                len(problems),
            ).format(count=len(problems)),
        )


def load_file(path: Path) -> Protocol:
    checked = check_file(path)
    raise_for(checked.problems)
    assert checked.protocol is not None
    return checked.protocol


def load_directory(directory: Path) -> list[Protocol]:
    """Every ``*.yaml`` protocol in ``directory``; all valid, or a :class:`ProtocolError`."""
    if not directory.is_dir():
        raise ProtocolError(
            [f"{directory}:1: file: " + _("no such folder")],
            _("The protocols folder is missing."),
        )
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise ProtocolError(
            [f"{directory}:1: file: " + _("holds no protocol files (*.yaml)")],
            _("No protocols are installed."),
        )
    checked = check_files(paths)
    raise_for(problems_of(checked))
    return [item.protocol for item in checked if item.protocol is not None]


def line_of(root: Node | None, location: Location) -> int:
    """The 1-based YAML line of the node at ``location`` (or of its nearest parent)."""
    if root is None:
        return 1
    node: Node = root
    marker: Node = root
    for part in location:
        if isinstance(node, MappingNode):
            match = next(
                (
                    (key, value)
                    for key, value in node.value
                    if isinstance(key, ScalarNode) and key.value == str(part)
                ),
                None,
            )
            if match is None:
                break
            key, node = match
            marker = node if isinstance(node, ScalarNode) else key
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            marker = node
        else:
            break
    return int(marker.start_mark.line) + 1


def _field_name(location: Location) -> str:
    """``script.questions.3.text.sv``; odd characters in keys become ``?``."""
    return ".".join(_key_name(part) for part in location)[:200] or "protocol"


def _key_name(part: object) -> str:
    return re.sub(r"[^\w-]", "?", str(part))[:40] or "?"


def _kinds(error: ValidationError) -> Iterator[str]:
    for item in error.errors(include_input=False, include_url=False):
        yield item["type"]


def _repeated_question_ids(data: Any) -> Iterator[tuple[Location, str]]:
    """Repeated question ids in raw data that failed validation elsewhere."""
    script = data.get("script") if isinstance(data, dict) else None
    questions = script.get("questions") if isinstance(script, dict) else None
    seen: set[str] = set()
    stack: list[tuple[Location, Any]] = [(("script", "questions"), questions)]
    found: list[tuple[Location, str]] = []
    while stack:
        location, items = stack.pop()
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            here = (*location, index)
            question_id = item.get("id")
            if isinstance(question_id, str):
                if question_id in seen:
                    found.append(((*here, "id"), _("another question already has this id")))
                seen.add(question_id)
            stack.append(((*here, "follow_ups"), item.get("follow_ups")))
    return iter(found)


def _describe(error: ValidationError) -> Iterator[tuple[Location, str]]:
    for item in error.errors(include_input=False, include_url=False):
        location: Location = tuple(item["loc"])
        kind = item["type"]
        context = item.get("ctx") or {}
        if kind == "protocol_consistency":
            yield from context["problems"]
        else:
            yield location, _message(kind, location, context, str(item["msg"]))


def _message(kind: str, location: Location, context: dict[str, Any], fallback: str) -> str:
    last = location[-1] if location else ""
    if kind == "missing":
        return _("required field is missing")
    if kind in ("string_pattern_mismatch", "string_type") and last == "version":
        return _('must be a version number such as "1" or "2.1", in quotes')
    if kind == "extra_forbidden":
        return _("unknown field")
    if kind == "string_type":
        return _("must be text")
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        longest = int(context.get("max_length", 0))
        return ngettext(
            "is too long (at most {count} character)",
            "is too long (at most {count} characters)",
            longest,
        ).format(count=longest)
    if kind == "string_pattern_mismatch":
        return _("must be lower-case letters a-z, digits and _, starting with a letter")
    if kind == "enum":
        return _("must be one of {choices}").format(choices=context.get("expected", "?"))
    if kind == "list_type":
        return _("must be a list (lines starting with -)")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("must be a group of fields (name: value lines)")
    if kind == "too_short":
        fewest = int(context.get("min_length", 1))
        return ngettext(
            "needs at least {count} item", "needs at least {count} items", fewest
        ).format(count=fewest)
    return fallback.replace("Input should be", _("must be"))


# Public names for other YAML data files that report problems the same way
# (training scenarios: app.training.scenario_loader).
compose_yaml = _compose
field_name = _field_name
error_message = _message
