"""``vagafraga policy [show] | set NAME VALUE``: the store's policies for everyone."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.commands import command_parser
from app.cli.common import open_store_for, print_json
from app.i18n import _


def register(subparsers: Any) -> None:
    policy = command_parser(subparsers, "policy")
    policy.set_defaults(handler=cmd_show)
    sub = policy.add_subparsers(dest="policy_command", metavar="ACTION")
    show = sub.add_parser("show", help=_("every policy and its value (JSON)"))
    show.set_defaults(handler=cmd_show)
    change = sub.add_parser(
        "set", help=_("set a policy for everyone using the store (administrators; audited)")
    )
    change.add_argument("name", metavar="NAME")
    change.add_argument("value", metavar="VALUE", type=int)
    change.set_defaults(handler=cmd_set)


def cmd_show(args: argparse.Namespace) -> int:
    from app.accounts.policies import PolicyService

    with open_store_for(args, read_only=True) as session:
        values = PolicyService(session.login).show()
    print_json({policy.value: value for policy, value in values.items()})
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from app.accounts.policies import PolicyService, parse_policy

    policy = parse_policy(args.name)
    with open_store_for(args) as session:
        PolicyService(session.login).set(policy, args.value)
    print(
        _("{name} is now {value} for everyone using the store.").format(
            name=policy.value, value=args.value
        )
    )
    return 0
