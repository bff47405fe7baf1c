"""``vagafraga sync [--server URL] [--restore]``: the team server gets one's own records."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.commands import command_parser
from app.cli.common import credentials, location_from, open_store_for, print_json
from app.cli.progress import progress_bar
from app.errors import UserError
from app.i18n import _, ngettext
from app.settings import SYNC_SERVER_URL, Settings


def register(subparsers: Any) -> None:
    sync = command_parser(subparsers, "sync")
    sync.add_argument(
        "--server", metavar="URL", help=_("the team server, postgresql://HOST/DATABASE (saved)")
    )
    sync.add_argument(
        "--restore",
        action="store_true",
        help=_("bring your own records back from the team server onto this computer"),
    )
    sync.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    from app.accounts.access import Role
    from app.accounts.session import store_exists, uses_key_slots
    from app.sync.push import run_sync
    from app.sync.restore import new_device_store, run_restore
    from app.sync.server import TeamServer

    if not uses_key_slots(location_from(args)):
        raise UserError(
            _(
                "Sync sends the records of the store on this computer; the store named "
                "here is a server's already (--database-url or the team server address "
                "in the settings)."
            )
        )
    settings = Settings()
    url = args.server or settings.get(SYNC_SERVER_URL)
    if not url:
        raise UserError(
            _("No team server is set yet; name it once with vagafraga sync --server URL.")
        )
    username, password = credentials()
    server = TeamServer(url, username, password)
    server.sqlalchemy_url()  # a bad address is reported before anything else
    if args.server:
        settings.set(SYNC_SERVER_URL, args.server)
    location = location_from(args)
    if args.restore and not store_exists(location):
        new_device_store(location, server)  # a new computer: the account as the server has it
    with open_store_for(args, signed_in=(username, password)) as session:
        session.require(Role.HANDLER)
        if args.restore:
            with progress_bar(_("Bringing your records back")) as progress:
                restored = run_restore(session.engine, session.principal, server, progress=progress)
            print_json(restored.summary())
            conflicts = restored.conflicts
        else:
            with progress_bar(_("Sending records to the team server")) as progress:
                outcome = run_sync(
                    session.engine,
                    session.principal,
                    server,
                    key_file=session.login.key_file,
                    on_batch=progress,
                )
            print_json(outcome.summary())
            conflicts = outcome.conflicts
            if outcome.audit_problem is not None:
                print(
                    _(
                        "The team server found a problem with the audit log on this computer "
                        "({problem}); it has been recorded there."
                    ).format(problem=outcome.audit_problem),
                    file=sys.stderr,
                )
    if conflicts:
        print(
            ngettext(
                "{count} screening has another version on the team server than on this "
                "computer; it was left as it is on both. Ask an administrator.",
                "{count} screenings have another version on the team server than on this "
                "computer; they were left as they are on both. Ask an administrator.",
                conflicts,
            ).format(count=conflicts),
            file=sys.stderr,
        )
    return 0
