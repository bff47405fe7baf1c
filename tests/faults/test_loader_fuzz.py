"""Fuzzing every loader (Hypothesis): nesting, aliases, huge numbers, invalid UTF-8 and
random bytes. Whatever comes in, the only exception that leaves a loader is its own, and
none takes a second of CPU time.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import UserError
from app.referrals.loading import parse_entries, read_entries
from app.safe_input import UnsafeInputError, load_json
from app.safe_yaml import SafeCLoader, SafePyLoader
from app.screening.protocol_loader import CheckedFile, check_source
from app.screening.record_io import read_jsonl
from app.settings import LANGUAGE, Settings
from app.stats.case_counts import read_case_counts
from app.training.scenario_loader import ScenarioFile
from app.training.scenario_loader import check_source as check_scenario
from tests.faults.hostile import HOSTILE_JSON, HOSTILE_YAML

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CPU_SECONDS = 1.0


@contextlib.contextmanager
def quick() -> Iterator[None]:
    """The body may take at most :data:`CPU_SECONDS` of this process's CPU time (not wall
    time: the test machine is shared)."""
    started = time.process_time()
    yield
    assert time.process_time() - started < CPU_SECONDS


def nested(depth: int, kind: str) -> str:
    opening, closing, leaf = {
        "list": ("[", "]", "1"),
        "map": ('{"a":', "}", "1"),
        "block": ("", "", "x"),
    }[kind]
    if kind == "block":
        return "".join(f"{' ' * n}k{n}:\n" for n in range(depth)) + " " * depth + leaf + "\n"
    return opening * depth + leaf + closing * depth


def alias_bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ",".join(["lol"] * width) + "]"]
    lines += [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * width) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


SNIPPETS = st.sampled_from(
    [
        "&a ",
        "*a",
        "? [a]\n: b\n",
        "? {a: 1}\n: b\n",
        "<<: *a\n",
        "!!python/object:os.system x\n",
        "2026-02-30",
        "entries:\n  - ",
        "id: x\n",
        "- ",
        "[",
        "{",
        ": ",
        "\t",
        "\ufeff",
        '"',
        "'",
        "#",
        "\n",
    ]
)
HUGE_NUMBER = st.integers(min_value=101, max_value=20_000).map(lambda n: "9" * n)
DEEP = st.builds(
    nested, st.integers(min_value=1, max_value=5_000), st.sampled_from(["list", "map"])
)
YAML_TEXT = st.one_of(
    st.lists(st.one_of(SNIPPETS, HUGE_NUMBER, st.text(max_size=20)), max_size=30).map("".join),
    DEEP,
    st.builds(nested, st.integers(min_value=1, max_value=600), st.just("block")),
    st.builds(alias_bomb, st.integers(min_value=2, max_value=12), st.integers(1, 12)),
)
JSON_TEXT = st.one_of(
    DEEP,
    HUGE_NUMBER.map(lambda digits: '{"benefit": ' + digits + "}"),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=30,
    ).map(json.dumps),
    st.text(max_size=200),
)


def as_bytes(text: str) -> st.SearchStrategy[bytes]:
    """``text`` encoded, maybe with invalid UTF-8 spliced in."""
    data = text.encode("utf-8", "surrogatepass")
    return st.sampled_from([b"", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]).flatmap(
        lambda junk: st.integers(0, len(data)).map(lambda at: data[:at] + junk + data[at:])
    )


YAML_BYTES = st.one_of(YAML_TEXT.flatmap(as_bytes), st.binary(max_size=500))
JSON_BYTES = st.one_of(JSON_TEXT.flatmap(as_bytes), st.binary(max_size=500))
HOSTILE = [content for _name, content, _words in HOSTILE_YAML + HOSTILE_JSON]


def refuses_only_with(errors: tuple[type[BaseException], ...], call: Callable[[], Any]) -> None:
    with quick(), contextlib.suppress(*errors):
        call()


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def written(folder: Path, data: bytes, name: str) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# -- the shared reader -------------------------------------------------------------------------


@FUZZ
@given(YAML_TEXT)
def test_the_safe_yaml_loaders_raise_only_yaml_errors(text: str) -> None:
    for loader in (SafeCLoader, SafePyLoader):
        refuses_only_with((yaml.YAMLError,), lambda loader=loader: yaml.load(text, Loader=loader))


@FUZZ
@given(JSON_BYTES)
def test_the_safe_json_loader_raises_only_value_errors(data: bytes) -> None:
    # UnsafeInputError, json.JSONDecodeError and UnicodeDecodeError are all ValueErrors
    refuses_only_with((ValueError,), lambda: load_json(data))


def test_the_worst_cases_are_refused_at_once() -> None:
    bomb = alias_bomb(12, 12)
    with quick(), pytest.raises(UnsafeInputError):
        yaml.load(bomb, Loader=SafeCLoader)
    for text in (nested(5_000, "list"), nested(5_000, "map")):
        with quick(), pytest.raises(UnsafeInputError):
            load_json(text)


# -- every loader ------------------------------------------------------------------------------


@FUZZ
@given(YAML_BYTES)
def test_protocol_files_only_ever_give_problems(data: bytes) -> None:
    with quick():
        checked = check_source(data, CheckedFile("p.yaml", Path("p.yaml")))
    assert checked.protocol is not None or checked.problems


@FUZZ
@given(YAML_BYTES)
def test_scenario_files_only_ever_give_problems(data: bytes) -> None:
    with quick():
        checked = check_scenario(data, ScenarioFile("s.yaml", Path("s.yaml")))
    assert checked.scenario is not None or checked.problems


@FUZZ
@given(YAML_BYTES)
def test_directory_files_raise_only_the_loaders_error(folder: Path, data: bytes) -> None:
    path = written(folder, data, "local.yaml")
    refuses_only_with((UserError,), lambda: read_entries(path))


@FUZZ
@given(YAML_TEXT)
def test_directory_text_raises_only_the_loaders_error(text: str) -> None:
    refuses_only_with((UserError,), lambda: parse_entries(text, "local.yaml"))


@FUZZ
@given(st.lists(JSON_BYTES, min_size=1, max_size=4))
def test_record_imports_raise_only_the_loaders_error(folder: Path, lines: list[bytes]) -> None:
    path = written(folder, b"\n".join(line.replace(b"\n", b" ") for line in lines), "r.jsonl")
    refuses_only_with((UserError,), lambda: read_jsonl(path))


@FUZZ
@given(JSON_BYTES)
def test_guide_contexts_exit_2_with_one_message(folder: Path, data: bytes) -> None:
    from app.cli import main

    path = written(folder, data, "context.json")
    err = io.StringIO()
    with quick(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["guide", str(path)])
    assert code in (0, 2)
    assert "internal error" not in err.getvalue()
    assert "Traceback" not in err.getvalue()


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.one_of(HUGE_NUMBER, st.text(max_size=8), st.sampled_from(['"', ",", "\x00"])),
            max_size=8,
        )
        .map(lambda cells: "month,team,benefit,cases\n" + ",".join(cells))
        .flatmap(as_bytes),
    )
)
def test_case_counts_raise_only_the_loaders_error(folder: Path, data: bytes) -> None:
    path = written(folder, data, "cases.csv")
    refuses_only_with((UserError,), lambda: read_case_counts(path))


@FUZZ
@given(JSON_BYTES)
def test_a_damaged_settings_file_falls_back_to_the_defaults(folder: Path, data: bytes) -> None:
    path = written(folder, data, "settings.json")
    with quick():
        language = Settings(path).get(LANGUAGE)
    assert language in LANGUAGE.choices  # type: ignore[operator]


@pytest.mark.parametrize("content", HOSTILE)
def test_settings_survive_every_hostile_file(tmp_path: Path, content: bytes) -> None:
    path = written(tmp_path, content, "settings.json")
    assert Settings(path).get(LANGUAGE) == LANGUAGE.default
