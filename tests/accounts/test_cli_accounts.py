"""``vagafraga init | users | db rekey | db purge`` and per-role access through the CLI.

These run on the shared test store (tests/conftest.py: ``test-admin`` with every role,
``test-h01``/``test-h02`` handlers of test-team-a, ``test-h03`` of test-team-b,
``test-lead`` of test-team-a, ``test-trainer``), signing in through the environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSWORD, open_test_store, record_data

pytestmark = pytest.mark.usefixtures("english")


def jsonl(path: Path, *records: dict) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def imported(run_en, tmp_path: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    made = {
        "h01": record_data(handler="test-h01", team="test-team-a", notes="test note 1"),
        "h02": record_data(handler="test-h02", team="test-team-a", notes="test note 2"),
        "h03": record_data(handler="test-h03", team="test-team-b", notes="test note 3"),
        "practice": record_data(handler="test-h02", practice=True),
    }
    result = run_en("records", "import", str(jsonl(tmp_path / "all.jsonl", *made.values())))
    assert result.code == 0, result.err
    return made


def exported_ids(result) -> set[str]:
    return {json.loads(line)["id"] for line in result.out.splitlines()}


def test_a_fresh_data_dir_says_how_to_create_a_store(run_en, tmp_path: Path) -> None:
    result = run_en("--data-dir", str(tmp_path / "fresh"), "records", "export")
    assert result.code == 2
    assert result.err == "No store yet; create one with vagafraga init --admin NAME\n"


def test_init_creates_a_store_the_admin_can_sign_in_to(
    run_en, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "new"
    monkeypatch.setenv("VAGAFRAGA_PASSWORD", "the first password")
    result = run_en("--data-dir", str(folder), "init", "--admin", "test-boss", user="test-boss",
                     password="the first password")  # fmt: skip
    assert result.code == 0, result.err
    assert "encrypted store" in result.out
    listing = run_en(
        "--data-dir", str(folder), "users", "list", user="test-boss", password="the first password"
    )
    assert [u["username"] for u in json.loads(listing.out)] == ["test-boss"]
    again = run_en("--data-dir", str(folder), "init", "--admin", "test-boss")
    assert again.code == 2
    assert "already exists" in again.err


def test_missing_credentials_are_one_clear_message(
    run_en, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    monkeypatch.delenv("VAGAFRAGA_USER", raising=False)
    monkeypatch.delenv("VAGAFRAGA_PASSWORD", raising=False)
    assert main(["--language", "en", "records", "export"]) == 2
    assert capsys.readouterr().err.startswith("Sign in first: set VAGAFRAGA_USER")


def test_a_wrong_password_is_one_line_and_exit_2(run_en, data_dir: Path) -> None:
    # A real process: SQLCipher's own log lines would go to file descriptor 2.
    run_en("records", "schema")  # the test store is in data_dir
    env = dict(
        os.environ,
        VAGAFRAGA_USER="test-h01",
        VAGAFRAGA_PASSWORD="not the password",
        VAGAFRAGA_DATA_DIR=str(data_dir),
    )
    done = subprocess.run(
        [sys.executable, "-m", "app", "--language", "en", "records", "export"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "The user name or the password is wrong. Nothing was opened.\n"
    assert done.stdout == ""


def test_each_role_exports_only_what_it_may(run_en, imported) -> None:
    ids = {name: data["id"] for name, data in imported.items()}
    h01 = run_en("records", "export", "--include-practice", "--include-sensitive", user="test-h01")
    assert exported_ids(h01) == {ids["h01"]}
    assert json.loads(h01.out)["notes"] == "test note 1"
    assert run_en("records", "export", user="test-lead").code == 2
    trainer = run_en("records", "export", "--include-practice", user="test-trainer")
    assert exported_ids(trainer) == {ids["practice"]}
    admin = run_en("records", "export", "--include-practice", user="test-admin")
    assert exported_ids(admin) == set(ids.values())  # every role: practice included
    assert "test note" not in admin.out
    refused = run_en("records", "export", "--include-sensitive", user="test-admin")
    assert refused.code == 2
    assert "only from your own records" in refused.err


def test_imports_through_the_cli_respect_roles(run_en, tmp_path: Path) -> None:
    other = jsonl(tmp_path / "other.jsonl", record_data(handler="test-h02"))
    refused = run_en("records", "import", str(other), user="test-h01")
    assert refused.code == 2
    assert "not yours to import" in refused.err
    assert run_en("records", "import", str(other), user="test-lead").code == 0


def test_only_admins_manage_users_add_demo_data_and_back_up(run_en, tmp_path: Path) -> None:
    for args in (
        ("users", "list"),
        ("users", "remove", "test-h02"),
        ("demo", "--records", "10"),
        ("db", "backup", str(tmp_path / "b.db")),
        ("db", "rekey"),
        ("audit", "verify"),
    ):
        result = run_en(*args, user="test-h01")
        assert result.code == 2, args
        assert "role" in result.err


def test_users_add_passwd_remove_and_rekey(
    run_en, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAGAFRAGA_NEW_PASSWORD", "brand new password")
    added = run_en("users", "add", "test-h09", "--role", "handler", "--team", "test-team-c")
    assert added.code == 0, added.err
    assert run_en("records", "export", user="test-h09", password="brand new password").code == 0
    monkeypatch.setenv("VAGAFRAGA_NEW_PASSWORD", "changed password 2")
    own = run_en("users", "passwd", user="test-h09", password="brand new password")
    assert own.code == 0, own.err
    assert run_en("records", "export", user="test-h09", password="brand new password").code == 2
    assert run_en("records", "export", user="test-h09", password="changed password 2").code == 0
    removed = run_en("users", "remove", "test-h02")
    assert "db rekey" in removed.out
    assert run_en("db", "rekey").code == 0
    for name in ("test-admin", "test-h01", "test-h03", "test-lead", "test-trainer"):
        assert run_en("records", "export", user=name).code in (0, 2)  # signed in
        assert "password is wrong" not in run_en("records", "export", user=name).err
    gone = run_en("records", "export", user="test-h02")
    assert gone.code == 2
    assert "password is wrong" in gone.err
    with open_test_store(data_dir, "test-h01") as store:
        assert store.records.count() == 0


def test_users_roles_and_bad_role_names(run_en) -> None:
    assert run_en("users", "roles", "test-h01", "--role", "handler,team_lead").code == 0
    listing = json.loads(run_en("users", "list").out)
    h01 = next(u for u in listing if u["username"] == "test-h01")
    assert h01["roles"] == ["handler", "team_lead"]
    bad = run_en("users", "roles", "test-h01", "--role", "boss")
    assert bad.code == 2
    assert "Unknown role 'boss'" in bad.err


def test_purge_needs_a_period_and_a_yes(run_en, tmp_path: Path, data_dir: Path) -> None:
    old = record_data(recorded_at="2020-01-15T10:00:00+01:00")
    recent = record_data()
    run_en("records", "import", str(jsonl(tmp_path / "r.jsonl", old, recent)))
    unset = run_en("db", "purge")
    assert unset.code == 2
    assert "No retention period is set" in unset.err
    unconfirmed = run_en("db", "purge", "--older-than", "2021-01-01")
    assert unconfirmed.code == 2
    assert "--yes" in unconfirmed.err
    done = run_en("db", "purge", "--older-than", "2021-01-01", "--yes")
    assert done.code == 0, done.err
    assert "Deleted 1 record" in done.out
    with open_test_store(data_dir) as store:
        assert [str(r.id) for r in store.records.query()] == [recent["id"]]
    assert run_en("db", "purge", "--older-than", "soon").code == 2


def test_the_retention_setting_is_the_default_period(
    run_en, tmp_path: Path, data_dir: Path
) -> None:
    from app.settings import RETENTION_DAYS, Settings

    Settings().set(RETENTION_DAYS, 3650)
    run_en("records", "import", str(jsonl(tmp_path / "r.jsonl", record_data())))
    done = run_en("db", "purge", "--yes")
    assert done.code == 0, done.err
    assert "Deleted 0 records" in done.out


def test_db_backup_writes_the_key_file_beside_the_copy(run_en, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "copy.db"
    result = run_en("db", "backup", str(target))
    assert result.code == 0, result.err
    assert (tmp_path / "copies" / "copy.db.keys").exists()
    assert not target.read_bytes().startswith(b"SQLite format 3")
    assert TEST_PASSWORD.encode() not in (tmp_path / "copies" / "copy.db.keys").read_bytes()
