"""``vagafraga init``, ``vagafraga users ...``, ``vagafraga db rekey | purge``.

The signed-in user comes from ``VAGAFRAGA_USER`` / ``VAGAFRAGA_PASSWORD`` (or a
prompt in a terminal); a new password from ``VAGAFRAGA_NEW_PASSWORD`` (or a prompt,
twice). Heavy modules are imported inside the handlers to keep start-up quick.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from app.accounts.access import Role
from app.cli.commands import command_parser
from app.cli.common import location_from, open_store_for, print_json
from app.cli.progress import progress_bar
from app.errors import UserError
from app.i18n import _, format_number, ngettext


def register(subparsers: Any) -> None:
    init = command_parser(subparsers, "init")
    init.add_argument("--admin", required=True, metavar="NAME", help=_("pseudonymous user name"))
    init.set_defaults(handler=cmd_init)

    users = command_parser(subparsers, "users")
    sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add", help=_("add a user (password from VAGAFRAGA_NEW_PASSWORD or asked)")
    )
    add.add_argument("name", metavar="NAME")
    _role_options(add, required=True)
    add.set_defaults(handler=cmd_users_add)
    passwd = sub.add_parser(
        "passwd", help=_("change your own password, or (administrators) reset NAME's password")
    )
    passwd.add_argument("name", metavar="NAME", nargs="?")
    passwd.set_defaults(handler=cmd_users_passwd)
    remove = sub.add_parser("remove", help=_("remove a user's access (their key slot goes)"))
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_users_remove)
    roles = sub.add_parser("roles", help=_("change a user's roles or teams"))
    roles.add_argument("name", metavar="NAME")
    _role_options(roles, required=False)
    roles.set_defaults(handler=cmd_users_roles)
    listing = sub.add_parser("list", help=_("list the users as JSON"))
    listing.add_argument("--removed", action="store_true", help=_("include removed users"))
    listing.set_defaults(handler=cmd_users_list)


def register_key_and_retention(db_actions: Any) -> None:
    """``db rekey`` and ``db purge``, added to ``vagafraga db`` by :mod:`app.cli.db`."""
    rekey = db_actions.add_parser(
        "rekey", help=_("encrypt the store with a new key (run after removing a user)")
    )
    rekey.set_defaults(handler=cmd_rekey)
    purge = db_actions.add_parser(
        "purge",
        help=_("delete records older than the retention period, keeping monthly counts"),
    )
    purge.add_argument(
        "--older-than",
        metavar="DAYS|DATE",
        help=_(
            "a number of days, or a date: records before it go "
            "(default: the retention_days setting)"
        ),
    )
    purge.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    purge.set_defaults(handler=cmd_purge)


def _role_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--role",
        action="append",
        required=required,
        metavar="ROLE",
        help=_("handler, team_lead, trainer or admin (repeat, or separate with commas)"),
    )
    parser.add_argument(
        "--team", action="append", default=None, metavar="TEAM", help=_("a team id (repeatable)")
    )


def new_password(variable: str = "VAGAFRAGA_NEW_PASSWORD") -> str:
    """A new password from ``variable``, or asked twice in a terminal."""
    given = os.environ.get(variable)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UserError(
            _("Give the new password in {variable}, or run the command in a terminal.").format(
                variable=variable
            )
        )
    first = getpass.getpass(_("New password: "))
    if getpass.getpass(_("The same password again: ")) != first:
        raise UserError(_("The two passwords differ; nothing was changed."))
    return first


def _current_password() -> str:
    given = os.environ.get("VAGAFRAGA_PASSWORD")
    if given is not None:
        return given
    return getpass.getpass(_("Current password: "))


# -- handlers -------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from app.accounts.opening import uses_key_slots
    from app.accounts.session import init_store

    location = location_from(args)
    password = new_password("VAGAFRAGA_PASSWORD")
    with init_store(location, args.admin, password):
        pass
    if uses_key_slots(location):
        print(
            _("Created an encrypted store at {path} with the administrator {user}.").format(
                path=location.describe(), user=args.admin
            )
        )
    else:
        print(
            _(
                "Created the accounts in {store} with the administrator {user}; encryption at "
                "rest is the database server's."
            ).format(store=location.describe(), user=args.admin)
        )
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    from app.accounts.admin import AccountService
    from app.accounts.users import check_password, check_username, parse_roles, parse_teams

    roles = parse_roles(args.role)
    teams = parse_teams(args.team or [])
    check_username(args.name)
    with open_store_for(args) as session:
        session.require(Role.ADMIN)
        password = check_password(new_password())
        AccountService(session.login).add(args.name, password, roles, teams)
    print(_("Added the user {user}.").format(user=args.name))
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from app.accounts.admin import AccountService
    from app.accounts.users import check_password

    with open_store_for(args) as session:
        accounts = AccountService(session.login)
        me = session.principal.username
        if args.name is None or args.name == me:
            password = check_password(new_password())
            accounts.change_own_password(_current_password(), password)
            print(_("Your password was changed."))
        else:
            session.require(Role.ADMIN)
            accounts.reset_password(args.name, check_password(new_password()))
            print(_("The password of {user} was reset.").format(user=args.name))
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    from app.accounts.admin import AccountService

    with open_store_for(args) as session:
        AccountService(session.login).remove(args.name)
        encrypted = session.login.db_key is not None
    print(_("Removed the user {user}.").format(user=args.name))
    if encrypted:
        print(
            _(
                "Run vagafraga db rekey now, so that a copy of the key they may have kept no "
                "longer opens the store."
            )
        )
    return 0


def cmd_users_roles(args: argparse.Namespace) -> int:
    from app.accounts.admin import AccountService
    from app.accounts.users import parse_roles, parse_teams

    if args.role is None and args.team is None:
        raise UserError(_("Give --role or --team (or both); nothing was changed."))
    roles = parse_roles(args.role) if args.role is not None else None
    teams = parse_teams(args.team) if args.team is not None else None
    with open_store_for(args) as session:
        AccountService(session.login).set_roles(args.name, roles, teams)
    print(_("Changed the roles of {user}.").format(user=args.name))
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from app.accounts.admin import AccountService

    with open_store_for(args) as session:
        users = AccountService(session.login).list(include_removed=args.removed)
    print_json(
        [
            {
                "username": user.username,
                "roles": sorted(role.value for role in user.roles),
                "teams": sorted(user.teams),
                "created_at": user.created_at.isoformat(),
                "removed_at": user.disabled_at.isoformat() if user.disabled_at else None,
            }
            for user in users
        ]
    )
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from app.accounts.admin import AccountService

    with open_store_for(args) as session:
        service = AccountService(session.login)
        with progress_bar(_("Encrypting the store with a new key")):
            service.rekey()
    print(_("The store is encrypted with a new key; every remaining user can still sign in."))
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from app.accounts.retention import count_older, cutoff_from, purge
    from app.accounts.slot_file import now_utc
    from app.i18n import to_local
    from app.settings import RETENTION_DAYS, Settings
    from app.storage.policies import Policy, retention_days, store_policies

    today = to_local(now_utc()).date()
    given = cutoff_from(args.older_than, today=today) if args.older_than is not None else None
    with open_store_for(args) as session:
        session.require(Role.ADMIN)
        if given is not None:
            cutoff = given
        else:
            # The store's policy when an administrator set one, else the user's setting.
            store_days = store_policies(session.engine)[Policy.RETENTION_DAYS]
            days = retention_days(store_days, Settings().get(RETENTION_DAYS))
            if days <= 0:
                raise UserError(
                    _(
                        "No retention period is set; give --older-than DAYS or DATE "
                        "(the archive rules decide it). Nothing was deleted."
                    )
                )
            cutoff = cutoff_from(str(days), today=today)
        count = count_older(session.login, cutoff)
        if count and not args.yes:
            _confirm(count, cutoff.isoformat())
        with progress_bar(_("Deleting old records")):
            outcome = purge(session.login, cutoff)
    print(
        ngettext(
            "Deleted {count} record from before {date}; their monthly counts were kept.",
            "Deleted {count} records from before {date}; their monthly counts were kept.",
            outcome.records,
        ).format(count=format_number(outcome.records), date=cutoff.isoformat())
    )
    return 0


def _confirm(count: int, day: str) -> None:
    if not sys.stdin.isatty():
        message = ngettext(
            "Add --yes to delete {count} record from before {date}; nothing was deleted.",
            "Add --yes to delete {count} records from before {date}; nothing was deleted.",
            count,
        )
        raise UserError(message.format(count=format_number(count), date=day))
    sys.stderr.write(
        ngettext(
            "Delete {count} record from before {date}? Type yes: ",
            "Delete {count} records from before {date}? Type yes: ",
            count,
        ).format(count=format_number(count), date=day)
    )
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() not in {"yes", "ja"}:
        raise UserError(_("Nothing was deleted."))
