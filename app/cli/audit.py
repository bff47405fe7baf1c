"""``vagafraga audit verify | export | who-viewed | viewed-by`` (administrators).

These commands open the store even when its audit log was altered (that is what
they are for); ``verify`` exits with 1 when it finds a problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, Any

from app.cli.commands import command_parser
from app.cli.common import open_store_for, print_json
from app.errors import UserError
from app.i18n import _, ngettext


def register(subparsers: Any) -> None:
    audit = command_parser(subparsers, "audit")
    sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser(
        "verify", help=_("check the hash chain; names any changed, deleted or moved entry")
    )
    verify.add_argument(
        "--against",
        metavar="EXPORT",
        help=_("also check that every entry of an earlier audit export is still there unchanged"),
    )
    verify.set_defaults(handler=cmd_verify)
    export = sub.add_parser("export", help=_("write the audit log as JSON Lines"))
    export.add_argument("--out", help=_("output file (default: standard output)"))
    export.add_argument(
        "--after", type=int, default=0, metavar="N", help=_("only entries after entry N")
    )
    export.set_defaults(handler=cmd_export)
    who = sub.add_parser("who-viewed", help=_("who looked at (or corrected) one record"))
    who.add_argument("record_id", metavar="RECORD_ID")
    who.set_defaults(handler=cmd_who_viewed)
    what = sub.add_parser("viewed-by", help=_("what one user looked at, newest first"))
    what.add_argument("username", metavar="USER")
    what.set_defaults(handler=cmd_viewed_by)


def _service(args: argparse.Namespace) -> Any:
    from app.accounts.admin import AuditService

    session = open_store_for(args, check_audit=False, read_only=True)
    try:
        return session, AuditService(session.login)
    except BaseException:
        session.close()
        raise


def cmd_verify(args: argparse.Namespace) -> int:
    session, audit = _service(args)
    with session:
        report = audit.verify()
        problems = list(report.problems)
        if args.against:
            problems += audit.log().compare_with_export(Path(args.against))
    if problems:
        for problem in problems:
            print(problem.message, file=sys.stderr)
        print(
            ngettext(
                "The audit log has {count} problem; it has been altered.",
                "The audit log has {count} problems; it has been altered.",
                len(problems),
            ).format(count=len(problems)),
            file=sys.stderr,
        )
        return 1
    print(
        ngettext(
            "The audit log is intact ({count} entry).",
            "The audit log is intact ({count} entries).",
            report.entries,
        ).format(count=report.entries)
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    session, audit = _service(args)
    with session:
        if args.out:
            target = Path(args.out)
            partial = target.with_name(target.name + ".partial")
            try:
                with partial.open("wb") as out:
                    count = _write(audit, out, args.after)
                partial.replace(target)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise UserError(
                    _("{file}: cannot be written ({reason})").format(
                        file=args.out, reason=error.strerror
                    )
                ) from None
        else:
            count = _write(audit, sys.stdout.buffer, args.after)
            sys.stdout.flush()
        audit.note_export(count)
    print(
        ngettext("exported {count} audit entry", "exported {count} audit entries", count).format(
            count=count
        ),
        file=sys.stderr,
    )
    return 0


def _write(audit: Any, out: IO[bytes], after: int) -> int:
    count = 0
    for entry in audit.log().entries(after=after):
        out.write(json.dumps(entry.to_json(), ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def cmd_who_viewed(args: argparse.Namespace) -> int:
    session, audit = _service(args)
    with session:
        entries = audit.who_viewed(args.record_id)
    print_json([entry.to_json() for entry in entries])
    return 0


def cmd_viewed_by(args: argparse.Namespace) -> int:
    session, audit = _service(args)
    with session:
        entries = audit.viewed_by(args.username)
    print_json([entry.to_json() for entry in entries])
    return 0
