"""Tampering that a plain hash chain misses (issue 14): the log cut short with its head moved
back, emptied, its newest entry rewritten with a recomputed hash, a forged entry appended.
Signed entries and each user's anchor in their key slot find them all, through ``audit
verify`` and at sign-in; and ``audit verify`` never crashes on a log without its head.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.accounts.audit import GENESIS, AuditTamperedError, entry_hash
from app.accounts.session import unlock
from app.storage.engine import resolve_location
from tests.conftest import TEST_PASSWORD, open_test_store

pytestmark = pytest.mark.usefixtures("english")


def tamper(data_dir: Path, change: Callable[..., None]) -> None:
    """Someone with the database key and a few lines of Python changes the log."""
    with open_test_store(data_dir) as store, store.engine.begin() as connection:
        change(connection)


def _newest(connection) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    row = connection.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC")).first()
    return int(row.seq), str(row.hash)


def borrow_signature(connection, seq: int, *, of: int) -> None:  # type: ignore[no-untyped-def]
    """Entry ``seq`` is given the signature of entry ``of`` (a real one, not its own)."""
    borrowed = connection.execute(
        text("SELECT signature FROM audit_log WHERE seq = :s"), {"s": of}
    ).scalar()
    connection.execute(
        text("UPDATE audit_log SET signature = :g WHERE seq = :s"), {"g": borrowed, "s": seq}
    )


def cut_tail(connection) -> None:  # type: ignore[no-untyped-def]
    seq, _hash = _newest(connection)
    connection.execute(text("DELETE FROM audit_log WHERE seq > :s"), {"s": seq - 2})
    kept = connection.execute(
        text("SELECT hash FROM audit_log WHERE seq = :s"), {"s": seq - 2}
    ).scalar()
    connection.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": seq - 2, "h": kept})


def empty(connection) -> None:  # type: ignore[no-untyped-def]
    connection.execute(text("DELETE FROM audit_log"))
    connection.execute(text("DELETE FROM audit_head"))


def _rehash(connection, seq: int, **fields: object) -> str:  # type: ignore[no-untyped-def]
    row = connection.execute(text("SELECT * FROM audit_log WHERE seq = :s"), {"s": seq}).one()
    values = {
        "at": datetime.fromisoformat(str(row.at)).replace(tzinfo=UTC),
        "actor": row.actor,
        "event": row.event,
        "record_id": row.record_id,
        "subject": row.subject,
        "detail": row.detail,
        "prev_hash": row.prev_hash,
    }
    values.update(fields)
    return entry_hash(**values)  # type: ignore[arg-type]


def rewrite_newest(connection) -> None:  # type: ignore[no-untyped-def]
    seq, _hash = _newest(connection)
    digest = _rehash(connection, seq, actor="test-h02")
    connection.execute(
        text(
            "UPDATE audit_log SET actor = 'test-h02', signer = 'test-h02', hash = :h WHERE seq = :s"
        ),
        {"h": digest, "s": seq},
    )
    connection.execute(text("UPDATE audit_head SET hash = :h"), {"h": digest})


def forge_append(connection) -> None:  # type: ignore[no-untyped-def]
    seq, prev = _newest(connection)
    at = datetime(2026, 11, 30, tzinfo=UTC)
    digest = entry_hash(
        at=at, actor="test-h01", event="login_succeeded", record_id=None, subject=None,
        detail="{}", prev_hash=prev,
    )  # fmt: skip
    connection.execute(
        text(
            "INSERT INTO audit_log (seq, at, actor, event, detail, prev_hash, hash) "
            "VALUES (:s, :at, 'test-h01', 'login_succeeded', '{}', :p, :h)"
        ),
        {"s": seq + 1, "at": at.replace(tzinfo=None), "p": prev, "h": digest},
    )
    connection.execute(
        text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": seq + 1, "h": digest}
    )


def edit_middle(connection) -> None:  # type: ignore[no-untyped-def]
    connection.execute(text("UPDATE audit_log SET subject = 'test-h99' WHERE seq = 3"))


def reorder(connection) -> None:  # type: ignore[no-untyped-def]
    for statement in (
        "UPDATE audit_log SET seq = -1 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = -1",
    ):
        connection.execute(text(statement))


TAMPERINGS = {
    "tail cut, head moved back": (cut_tail, "the log was cut short"),
    "every row and the head deleted": (empty, "the log was cut short"),
    "newest entry rewritten with its hash": (rewrite_newest, "signature"),
    "forged entry appended": (forge_append, "is not signed"),
    "an entry in the middle edited": (edit_middle, "entry 3 was changed"),
    "two entries swapped": (reorder, "out of order"),
}


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_every_tampering_is_found_by_verify_and_by_sign_in(
    run_en, data_dir: Path, name: str
) -> None:
    change, words = TAMPERINGS[name]
    for user in ("test-h01", "test-h02", "test-trainer"):
        assert run_en("records", "export", user=user).code == 0
    assert run_en("audit", "verify").code == 0
    tamper(data_dir, change)
    verified = run_en("audit", "verify")
    assert verified.code == 1, verified.out
    assert words in verified.err
    assert "Traceback" not in verified.err
    refused = run_en("records", "export", user="test-h01")
    assert refused.code == 2
    assert "audit log has been altered" in refused.err


def test_verify_without_the_head_row_reports_instead_of_crashing(run_en, data_dir: Path) -> None:
    assert run_en("records", "export", user="test-h01").code == 0
    tamper(data_dir, lambda connection: connection.execute(text("DELETE FROM audit_head")))
    result = run_en("audit", "verify")
    assert result.code == 1
    assert "the record of the newest entry is missing" in result.err
    assert "internal error" not in result.err
    # and nothing was written onto the broken log by the sign-in of the check itself
    examining = unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD, check_audit=False)
    with examining.store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_head")).scalar() == 0
    examining.store.close()


def test_entries_carry_their_writers_signature_and_anchors_move(run_en, data_dir: Path) -> None:
    from app.accounts.keyslots import KeyFile

    assert run_en("records", "export", user="test-h01").code == 0
    anchor = KeyFile.load(data_dir / "vagafraga.keys").slots["test-h01"]["anchor"]
    with open_test_store(data_dir) as store, store.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT seq, actor, event, signer, signature FROM audit_log ORDER BY seq DESC")
        ).all()
    newest = next(row for row in rows if row.actor == "test-h01")
    assert (newest.actor, newest.event, newest.signer) == (
        "test-h01",
        "records_exported",
        "test-h01",
    )
    assert newest.signature
    assert anchor["seq"] == newest.seq  # moved at sign-out to the newest entry
    assert anchor["hash"] != GENESIS


def test_a_long_chain_is_checked_on_several_threads_and_each_problem_keeps_its_entry(
    login, data_dir: Path
) -> None:
    """Signatures are checked in slices on one thread per processor (:mod:`.audit_checks`):
    a bad signature and an unsigned entry far apart are each reported at their own entry,
    and nothing else is."""
    from app.accounts.audit import AuditEvent, AuditLog, Pending

    log = AuditLog(login.store.engine)
    log.append_many(Pending("test-admin", AuditEvent.RECORD_VIEWED) for _ in range(300))
    assert log.verify().ok
    with login.store.engine.begin() as connection:
        newest, _hash = _newest(connection)
        borrow_signature(connection, newest - 200, of=newest - 250)
        connection.execute(
            text("UPDATE audit_log SET signature = NULL, signer = NULL WHERE seq = :s"),
            {"s": newest - 10},
        )
    report = log.verify()
    assert [(problem.seq, problem.message) for problem in report.problems] == [
        (newest - 200, f"entry {newest - 200} does not carry its writer's signature"),
        (newest - 10, f"entry {newest - 10} is not signed"),
    ]
    quick = log.verify(last=100)  # the sign-in's check: only the second is among its entries
    assert [problem.seq for problem in quick.problems] == [newest - 10]


# -- the note of a passed check (app.accounts.audit_checked) ------------------------------------


def _counting_signature_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import app.accounts.audit_checks as checks

    calls: list[int] = []
    real = checks.signature_valid

    def counted(*args: object) -> bool:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(checks, "signature_valid", counted)
    return calls


def _signed_in(data_dir: Path):  # type: ignore[no-untyped-def]
    return unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD)


def _long_log(data_dir: Path, init_test_store: Callable[[Path], Path]) -> None:
    """A store whose log has 300 entries more than its making left; ``test-admin`` has
    signed in and out since (their slot holds the note of that sign-in's check)."""
    from app.accounts.audit import AuditEvent, AuditLog, Pending

    init_test_store(data_dir)
    with _signed_in(data_dir) as login:
        AuditLog(login.store.engine).append_many(
            Pending("test-admin", AuditEvent.RECORD_VIEWED) for _ in range(300)
        )
    _signed_in(data_dir).close()


def test_a_sign_in_checks_only_the_signatures_its_user_has_not_checked_before(
    data_dir: Path, init_test_store: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _long_log(data_dir, init_test_store)
    unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD).close()  # another's entry
    calls = _counting_signature_checks(monkeypatch)
    with _signed_in(data_dir) as login:
        assert 1 <= len(calls) <= 3  # the entries since their last sign-out's check
        assert login.audit.verify().ok
        everything = len(calls)
    assert everything > 300  # a full check (``audit verify``) checks every signature


def test_a_signature_changed_under_the_note_is_still_found_at_sign_in(
    data_dir: Path, init_test_store: Callable[[Path], Path]
) -> None:
    _long_log(data_dir, init_test_store)
    with open_test_store(data_dir) as store, store.engine.begin() as connection:
        newest, _hash = _newest(connection)
        borrow_signature(connection, newest - 200, of=newest - 250)
    with pytest.raises(AuditTamperedError, match=f"entry {newest - 200} does not carry"):
        _signed_in(data_dir)


def test_a_note_its_user_did_not_sign_counts_for_nothing(
    data_dir: Path, init_test_store: Callable[[Path], Path]
) -> None:
    """Someone with the database key and the key file changes a signature and writes a
    note whose digest fits the changed log, signed with a key of their own."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.accounts.audit_checked import Checked, CheckedDigest
    from app.accounts.audit_verify import signing_keys
    from app.accounts.keyslots import KeyFile
    from app.accounts.signing import Signer

    _long_log(data_dir, init_test_store)
    key_path = data_dir / "vagafraga.keys"
    note = KeyFile.load(key_path).checked_of("test-admin")
    assert note is not None
    with open_test_store(data_dir) as store, store.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_log SET signature = :g WHERE seq = :s"),
            {"g": "AAAA", "s": note.seq - 5},
        )
        digest = CheckedDigest(signing_keys(connection))
        for row in connection.execute(
            text(
                "SELECT seq, hash, signer, signature FROM audit_log WHERE seq > :a AND seq <= :b "
                "ORDER BY seq"
            ),
            {"a": note.start, "b": note.seq},
        ):
            digest.add(row)
    key_file = KeyFile.load(key_path)
    stranger = Signer("test-admin", Ed25519PrivateKey.generate())
    key_file.set_checked(
        Checked.signed(stranger, key_file.store_id, note.start, note.seq, digest.hexdigest())
    )
    key_file.save()
    with pytest.raises(AuditTamperedError, match=f"entry {note.seq - 5} does not carry"):
        _signed_in(data_dir)


def test_a_reading_command_notes_its_check_for_the_next_sign_in(run_cli, data_dir: Path) -> None:
    from app.accounts.keyslots import KeyFile

    assert KeyFile.load(data_dir / "vagafraga.keys").checked_of("test-h01") is None
    assert run_cli("records", "list", user="test-h01").code == 0
    note = KeyFile.load(data_dir / "vagafraga.keys").checked_of("test-h01")
    assert note is not None
    with open_test_store(data_dir) as store, store.engine.connect() as connection:
        newest, _hash = _newest(connection)
    assert note.start == 0
    assert newest - 3 <= note.seq < newest  # the log as checked; its own entry came after
