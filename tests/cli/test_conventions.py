"""The command line's conventions: the language from --language, the settings file or the
locale; --help in that language; global options after the command; --version everywhere."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app import __version__
from app.cli import build_parser, main
from app.cli.commands import COMMANDS
from app.cli.language import language_option, locale_language
from app.i18n import set_language
from app.settings import LANGUAGE, Settings
from tests.conftest import TEST_PASSWORD

# A message the user meets with no store: the guide reading an empty input.
EMPTY_INPUT = {
    "sv": "stdin: tom indata; ett JSON-objekt förväntades\n",
    "en": "stdin: empty input; expected a JSON object\n",
}


@pytest.fixture
def guide_says(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., str]:
    """The language ``vagafraga guide`` answers in (given empty input) with these arguments."""

    def run(*arguments: str) -> str:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        assert main(list(arguments)) == 2
        said = capsys.readouterr().err
        (language,) = [name for name, text in EMPTY_INPUT.items() if text == said]
        return language

    return run


def test_swedish_without_any_choice(guide_says: Callable[..., str]) -> None:
    assert guide_says("guide") == "sv"


@pytest.mark.parametrize("variable", ["LANG", "LC_MESSAGES", "LC_ALL"])
def test_the_locale_chooses_when_nothing_else_does(
    guide_says: Callable[..., str], monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "en_GB.UTF-8")
    assert guide_says("guide") == "en"


def test_lc_all_wins_over_lc_messages_which_wins_over_lang(
    guide_says: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_MESSAGES", "sv_SE.UTF-8")
    assert guide_says("guide") == "sv"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert guide_says("guide") == "en"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en"}, "en"),
        ({"LANG": "en_US@euro"}, "en"),
        ({"LANG": "C.UTF-8"}, None),  # no language: Swedish, the app's default
        ({"LANG": "de_DE.UTF-8"}, None),  # no catalog: Swedish too
        ({"LC_ALL": "", "LANG": "en_GB"}, "en"),  # an empty variable is not set
        ({"LC_ALL": "C", "LANG": "en_GB"}, None),  # the first set one decides
        ({}, None),
    ],
)
def test_the_language_of_a_locale(environ: dict[str, str], expected: str | None) -> None:
    assert locale_language(environ) == expected


def test_the_settings_file_wins_over_the_locale(
    guide_says: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    Settings().set(LANGUAGE, "en")
    assert guide_says("guide") == "en"


def test_the_option_wins_over_the_settings_file_and_the_locale(
    guide_says: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    Settings().set(LANGUAGE, "en")
    assert guide_says("--language", "sv", "guide") == "sv"
    assert guide_says("guide", "--language", "sv") == "sv"  # after the command too
    assert guide_says("guide", "--lang=sv") == "sv"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--language", "en", "guide"], "en"),
        (["guide", "--language=en"], "en"),
        (["--language", "sv", "stats", "--language", "en"], "en"),  # the last one counts
        (["guide", "--language", "de"], None),  # argparse refuses it
        (["guide", "--", "--language", "en"], None),
        (["guide", "--language"], None),
    ],
)
def test_the_language_option_is_found_anywhere(arguments: list[str], expected: str | None) -> None:
    assert language_option(arguments) == expected


def _help(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_is_swedish_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help(capsys, "--help")
    assert shown.startswith("användning: vagafraga")
    assert "visa den här hjälptexten och avsluta" in shown
    assert "lista, importera, exportera och beskriv registreringar" in shown
    command = _help(capsys, "records", "export", "--help")
    assert "ta med övningsregistreringar" in command
    assert "allmänna flaggor:" in command


def test_help_in_english_when_chosen(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help(capsys, "--language", "en", "--help")
    assert shown.startswith("usage: vagafraga")
    assert "list, import, export and describe screening records" in shown
    command = _help(capsys, "records", "export", "--help", "--language", "en")
    assert "include practice records" in command
    assert "global options:" in command


def test_argparse_errors_are_in_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["records", "export", "--format", "pdf"])
    assert exited.value.code == 2
    assert "vagafraga records export: fel: argumentet --format: ogiltigt val: 'pdf'" in (
        capsys.readouterr().err
    )


Parsers = Iterator[tuple[str, argparse.ArgumentParser]]


def _parsers(parser: argparse.ArgumentParser, path: str) -> Parsers:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                if child.add_help:  # a command listed only by name never parses
                    yield from _parsers(child, f"{path} {name}")


def _helps(command: str, language: str) -> dict[tuple[str, str], str]:
    set_language(language)
    found: dict[tuple[str, str], str] = {}
    for path, parser in _parsers(build_parser(command), "vagafraga"):
        parser.format_help()  # every help line formats (a stray % in a translation fails)
        if parser.description:
            found[path, "description"] = parser.description
        for action in parser._actions:
            if action.help and action.help != argparse.SUPPRESS:
                found[path, "/".join(action.option_strings) or action.dest] = action.help
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    found[path, choice.dest] = str(choice.help)
    return found


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_help_line_is_translated(command: str) -> None:
    english, swedish = _helps(command, "en"), _helps(command, "sv")
    assert english.keys() == swedish.keys()
    untranslated = [key for key, text in swedish.items() if text == english[key]]
    assert untranslated == []


def test_global_options_work_after_the_command(
    run_cli: Callable[..., object],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    init_test_store: Callable[[Path], Path],
) -> None:
    elsewhere = init_test_store(tmp_path / "elsewhere")
    monkeypatch.setenv("VAGAFRAGA_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("VAGAFRAGA_USER", "test-admin")
    monkeypatch.setenv("VAGAFRAGA_PASSWORD", TEST_PASSWORD)
    arguments = ["stats", "--by", "benefit", "--data-dir", str(elsewhere), "--language", "en"]
    assert main(arguments) == 0
    assert '"total"' in capsys.readouterr().out
    # Before the command and not repeated after it: kept.
    assert main(["--data-dir", str(elsewhere), "stats", "--by", "benefit"]) == 0
    capsys.readouterr()
    # Without it, the (empty) default folder: no store there.
    assert main(["stats", "--language", "en"]) == 2
    assert "store" in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments",
    [["--version"], ["records", "--version"], ["records", "export", "--version"],
     ["stats", "equality", "--version"], ["guide", "--version"]],
)  # fmt: skip
def test_version_at_every_level(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(arguments)
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"vagafraga {__version__}\n"
