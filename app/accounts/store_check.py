"""``vagafraga db check``: one report on the whole store.

* the schema: at this version's revision, and the tables as the migrations make them;
* the file: every page's HMAC and SQLite's structure (:mod:`app.storage.integrity`);
* the audit log: the whole chain, every signature and every user's anchor;
* the key file: a slot for every active user, holding the key the users table names, and no
  slot without its user;
* the sealed fields: every case reference and note sealed (never plain text in an encrypted
  store) and well formed; the signed-in handler's own ones open with their key.

Each part is a :class:`Check`; its problems are lines for people.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app.accounts.audit import AuditLog
from app.accounts.keyslots import KeyFile
from app.accounts.login import Login
from app.accounts.users import UserRepository
from app.errors import UserError
from app.i18n import _, ngettext
from app.storage.integrity import integrity_problems
from app.storage.sealing import SEALED_FIELDS, SEALED_PREFIX, field_keys_for, unseal
from app.storage.sqlite_faults import SQLITE_CORRUPT, SQLITE_NOTADB, sqlite_code
from app.storage.tables import RecordRow

# An HPKE X25519 encapsulated key (32 bytes) and the AEAD tag (16 bytes) at least.
_SEALED_MIN_BYTES = 48


@dataclass
class Check:
    title: str
    problems: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(login: Login, schema: Callable[[], str]) -> list[Check]:
    """Every part checked (``schema`` checks the schema: a summary, or :class:`UserError`
    naming the difference)."""
    parts: list[tuple[str, Callable[[], Check]]] = [
        (_("schema"), lambda: _schema(schema)),
        (_("file"), lambda: _file(login)),
        (_("audit log"), lambda: _audit(login)),
        (_("key file"), lambda: _key_file(login)),
        (_("sealed fields"), lambda: _sealed(login)),
    ]
    return [_guarded(title, part) for title, part in parts]


def _guarded(title: str, part: Callable[[], Check]) -> Check:
    """A part that cannot be read through (a damaged page on its way) is a problem of its
    own; the other parts are still checked."""
    try:
        return part()
    except DBAPIError as error:
        if sqlite_code(error) not in (SQLITE_CORRUPT, SQLITE_NOTADB):
            raise
        return Check(title, [_("it cannot be read: a page it needs is damaged")])


def _schema(schema: Callable[[], str]) -> Check:
    check = Check(_("schema"))
    try:
        check.summary = schema()
    except UserError as error:
        check.problems.append(error.message)
    return check


def _file(login: Login) -> Check:
    check = Check(_("file"))
    check.problems = integrity_problems(login.store.engine)
    check.summary = _("every page reads back as written")
    return check


def _audit(login: Login) -> Check:
    check = Check(_("audit log"))
    path = login.key_file
    anchors = KeyFile.load(path).anchors() if path is not None else None
    report = AuditLog(login.store.engine).verify(anchors=anchors)
    check.problems = [problem.message for problem in report.problems]
    check.summary = ngettext(
        "{count} entry, chained and signed", "{count} entries, chained and signed", report.entries
    ).format(count=report.entries)
    return check


def _key_file(login: Login) -> Check:
    check = Check(_("key file"))
    path = login.key_file
    if path is None:
        check.summary = _("none (this store has no key slots)")
        return check
    key_file = KeyFile.load(path)
    fingerprints = UserRepository(login.store.engine).active_fingerprints()
    slots = set(key_file.usernames())
    for user, fingerprint in sorted(fingerprints.items()):
        if user not in slots:
            check.problems.append(
                _("{user} has no key slot: they cannot sign in").format(user=user)
            )
        elif key_file.fingerprint_of(user) != fingerprint:
            check.problems.append(
                _("the key slot of {user} holds another key than their account names").format(
                    user=user
                )
            )
    for user in sorted(slots - set(fingerprints)):
        check.problems.append(
            _("the key slot of {user} belongs to no account (a left-over slot)").format(user=user)
        )
    check.summary = ngettext(
        "{count} key slot, each its account's", "{count} key slots, each its account's", len(slots)
    ).format(count=len(slots))
    return check


def _sealed(login: Login) -> Check:
    check = Check(_("sealed fields"))
    keys = field_keys_for(login.store.engine)
    if login.key_file is None or keys is None:
        check.summary = _("none (this store does not seal fields)")
        return check
    columns = [getattr(RecordRow, name) for name in SEALED_FIELDS]
    query = select(RecordRow.id, RecordRow.handler, *columns).where(
        (columns[0].is_not(None)) | (columns[1].is_not(None))
    )
    sealed = plain = malformed = unopened = 0
    with login.store.engine.connect() as connection:
        for row in connection.execute(query.execution_options(yield_per=5000)):
            for name, value in zip(SEALED_FIELDS, row[2:], strict=True):
                if not value:
                    continue
                if not str(value).startswith(SEALED_PREFIX):
                    plain += 1
                    continue
                sealed += 1
                if not _well_formed(str(value)):
                    malformed += 1
                elif row.handler == keys.owner and (
                    unseal(str(value), keys.private, keys.store_id, str(row.id), name) is None
                ):
                    unopened += 1
    if plain:
        check.problems.append(
            ngettext(
                "{count} case reference or note is stored unsealed",
                "{count} case references or notes are stored unsealed",
                plain,
            ).format(count=plain)
        )
    if malformed:
        check.problems.append(
            ngettext(
                "{count} sealed value is damaged",
                "{count} sealed values are damaged",
                malformed,
            ).format(count=malformed)
        )
    if unopened:
        check.problems.append(
            ngettext(
                "{count} of your sealed values does not open with your key",
                "{count} of your sealed values do not open with your key",
                unopened,
            ).format(count=unopened)
        )
    check.summary = ngettext(
        "{count} sealed value, each well formed",
        "{count} sealed values, each well formed",
        sealed,
    ).format(count=sealed)
    return check


def _well_formed(value: str) -> bool:
    try:
        raw = base64.b64decode(value[len(SEALED_PREFIX) :].encode("ascii"), validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= _SEALED_MIN_BYTES
