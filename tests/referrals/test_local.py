"""Local entries: imported all or nothing, written atomically, merged with the shipped ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import UserError, ValidationProblems
from app.i18n import set_language
from app.referrals.directory import DirectoryEntry, Source
from app.referrals.local import (
    import_file,
    load_directory,
    load_local,
    local_path,
    remove_entry,
    save_entry,
)

LOCAL = """\
entries:
  - id: test_social_norr
    name: {sv: Socialtjänsten i Testkommun, en: Social services in Test municipality}
    description: {sv: Påhittad post för test., en: Made-up entry for tests.}
    kind: authority
    phone: 090-16 10 00
    audience: [everyone]
    scope: "2480"
    local_for: social_services
    last_verified: 2026-10-01
"""
OVERRIDE = """\
entries:
  - id: valj_att_sluta
    name: {sv: Välj att sluta, en: Välj att sluta}
    description: {sv: Ny text., en: New text.}
    kind: support_line
    phone: 020-555 667
    audience: [people_using_violence]
    scope: national
    last_verified: 2026-10-02
"""


@pytest.fixture(autouse=True)
def _english() -> None:
    """Messages are checked in English (the msgids)."""
    set_language("en")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_adds_local_entries_and_they_survive_a_reload(
    tmp_path: Path, data_dir: Path
) -> None:
    outcome = import_file(data_dir, write(tmp_path, "in.yaml", LOCAL))
    assert (outcome.added, outcome.replaced) == (1, 0)
    directory = load_directory(data_dir)
    assert directory["test_social_norr"].scope == "2480"
    assert directory.source("test_social_norr") is Source.LOCAL
    assert directory.local_versions("social_services")[0].id == "test_social_norr"


def test_import_with_a_shipped_id_replaces_the_shipped_entry(
    tmp_path: Path, data_dir: Path
) -> None:
    outcome = import_file(data_dir, write(tmp_path, "in.yaml", OVERRIDE))
    assert (outcome.added, outcome.replaced) == (0, 1)
    directory = load_directory(data_dir)
    assert directory["valj_att_sluta"].phone == "020-555 667"
    assert directory.source("valj_att_sluta") is Source.LOCAL_OVERRIDE


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (LOCAL.replace("kind: authority", "kind: clinic"), ":5: kind: unknown value"),
        (LOCAL.replace("phone: 090-16 10 00", "phone: ring växeln"), ":6: phone: not a Swedish"),
        (
            LOCAL.replace(", en: Social services in Test municipality", ""),
            ":3: name.en: missing translation",
        ),
    ],
)
def test_bad_import_changes_nothing(
    tmp_path: Path, data_dir: Path, broken: str, expected: str
) -> None:
    import_file(data_dir, write(tmp_path, "first.yaml", OVERRIDE))
    before = local_path(data_dir).read_bytes()
    # a good entry and a broken one in the same file: neither is imported
    bad = write(
        tmp_path,
        "bad.yaml",
        broken + LOCAL.split("entries:\n", 1)[1].replace("test_social_norr", "test_other_entry"),
    )
    with pytest.raises(ValidationProblems) as caught:
        import_file(data_dir, bad)
    assert any(expected in problem for problem in caught.value.problems)
    assert all(problem.startswith(str(bad)) for problem in caught.value.problems)
    assert local_path(data_dir).read_bytes() == before
    assert sorted(path.name for path in local_path(data_dir).parent.iterdir()) == ["local.yaml"]


def test_bad_import_into_an_empty_data_dir_creates_no_file(tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(ValidationProblems):
        import_file(
            data_dir, write(tmp_path, "bad.yaml", LOCAL.replace("kind: authority", "kind: x"))
        )
    assert not local_path(data_dir).exists()


def test_a_local_entry_for_an_unknown_entry_is_refused(tmp_path: Path, data_dir: Path) -> None:
    text = LOCAL.replace("local_for: social_services", "local_for: no_such_entry")
    with pytest.raises(ValidationProblems, match="1 entry has problems") as caught:
        import_file(data_dir, write(tmp_path, "in.yaml", text))
    assert caught.value.problems == [
        f"{tmp_path / 'in.yaml'}:9: local_for: no entry with this id in the directory"
    ]
    assert not local_path(data_dir).exists()


def test_save_and_remove_a_local_entry(data_dir: Path) -> None:
    entry = DirectoryEntry.model_validate(
        {
            "id": "test_line",
            "name": {"sv": "Testlinjen", "en": "Test line"},
            "description": {"sv": "Påhittad.", "en": "Made up."},
            "kind": "support_line",
            "phone": "020-12 12 12",
            "audience": ["everyone"],
            "last_verified": "2026-09-09",
        }
    )
    save_entry(data_dir, entry)
    save_entry(data_dir, entry.model_copy(update={"phone": "020-12 12 13"}))
    assert [item.phone for item in load_local(data_dir)] == ["020-12 12 13"]
    remove_entry(data_dir, "test_line")
    assert load_local(data_dir) == []
    with pytest.raises(UserError, match="no local entry"):
        remove_entry(data_dir, "kvinnofridslinjen")


def test_removing_an_override_brings_the_shipped_entry_back(tmp_path: Path, data_dir: Path) -> None:
    import_file(data_dir, write(tmp_path, "in.yaml", OVERRIDE))
    remove_entry(data_dir, "valj_att_sluta")
    directory = load_directory(data_dir)
    assert directory["valj_att_sluta"].phone == "020-555 666"
    assert directory.source("valj_att_sluta") is Source.SHIPPED


def test_a_damaged_local_file_is_reported_not_guessed(data_dir: Path) -> None:
    local_path(data_dir).parent.mkdir(parents=True)
    local_path(data_dir).write_text("entries: [\n", encoding="utf-8")
    with pytest.raises(ValidationProblems, match="not a valid directory file"):
        load_directory(data_dir)
