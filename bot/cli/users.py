"""``ucc users``: operators, administrators and agency staff, bound to Telegram at once or
through a one-use invite link."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.app import App
from bot.channels.telegram.replies import staff_menu_messages, staff_menu_withdrawn
from bot.cli.common import EXIT_OK, actor_of, invite_link, person
from knowledge.credentials import issue_signin_link, set_password
from knowledge.errors import InvalidInput
from knowledge.outbox import enqueue
from knowledge.staff import Role, StaffMember, add_staff, edit_staff, list_staff, remove_staff


async def cmd_users_add(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        member = await add_staff(uow, args.name, Role(args.role), app.clock,
                                 agency_code=args.agency, position=args.position,
                                 phone=args.phone, email=args.email,
                                 telegram_user_id=args.telegram_id,
                                 invite=args.telegram_id is None,
                                 full_name=args.full_name)
        if member.telegram_user_id is not None:
            for item in staff_menu_messages(member.telegram_user_id,
                                            app.settings.default_lang):
                enqueue(uow, item, app.clock)
        await uow.commit()
    print(f"{member.role} #{member.id} {member.name} added")
    if member.invite_code:
        print(f"invite (one use): {invite_link(app.settings, member.invite_code)}")
    return EXIT_OK


async def cmd_users_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        people = await list_staff(uow, await actor_of(uow, args))
    for m in people:
        bound = "telegram" if m.telegram_user_id else ("invited" if m.invite_code else "-")
        if not m.active:
            bound = "removed"
        print(f"#{m.id:<4} {m.role:<8} {m.agency_code or '-':<20} {bound:<9} {m.name}"
              + _as_documents_name(m))
    if not people:
        print("no users")
    return EXIT_OK


def _as_documents_name(member: StaffMember) -> str:
    signatory = member.signatory
    return "" if signatory is None else f" — {signatory}"


async def cmd_users_edit(app: App, args: argparse.Namespace) -> int:
    """An administrator sets how documents name a person: full name and position."""
    async with app.uow() as uow:
        member = await edit_staff(uow, args.name, await actor_of(uow, args),
                                  full_name=args.full_name, position=args.position)
        await uow.commit()
    print(f"{member.role} #{member.id} {member.name}:"
          f" {member.signatory or 'no full name yet (--full-name)'}")
    return EXIT_OK


async def cmd_users_remove(app: App, args: argparse.Namespace) -> int:
    """An administrator takes a person's role away, effective from their next update."""
    async with app.uow() as uow:
        member = await remove_staff(uow, args.name, await actor_of(uow, args))
        if member.telegram_user_id is not None:
            for item in staff_menu_withdrawn(member.telegram_user_id):
                enqueue(uow, item, app.clock)
        await uow.commit()
    print(f"{member.role} #{member.id} {member.name} removed")
    if member.telegram_user_id:
        print(f"Telegram account {member.telegram_user_id} unbound: "
              "its next message gets a citizen's answer")
    if member.invite_code:
        print("invite withdrawn")
    return EXIT_OK


async def cmd_users_passwd(app: App, args: argparse.Namespace) -> int:
    """Set a person's console password (asked twice at a terminal; one line on stdin
    otherwise). Their open console sessions end."""
    password = _read_password()
    async with app.uow() as uow:
        row = await set_password(uow, args.name, password, await actor_of(uow, args))
        who = f"#{row.id} {row.name}"
        await uow.commit()
    print(f"password set for {who}; their console sessions ended")
    return EXIT_OK


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("new password: ")
        if getpass.getpass("again: ") != first:
            raise InvalidInput("the two passwords differ: nothing was changed")
        return first
    return sys.stdin.readline().rstrip("\n")


async def cmd_users_signin_link(app: App, args: argparse.Namespace) -> int:
    """A one-time link to the console, valid for a day, for a person with no password."""
    from bot.console.server import base_url  # noqa: PLC0415 - aiohttp only when asked

    async with app.uow() as uow:
        token = await issue_signin_link(uow, args.name, await actor_of(uow, args), app.clock)
        await uow.commit()
    print(f"sign-in link (one use, valid 24 hours): {base_url(app)}/signin/link/{token}")
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    us_sub = parser.add_subparsers(dest="users_command", required=True)
    p = us_sub.add_parser("add", help="add a person; prints a one-time invitation link for "
                                      "their Telegram")
    p.add_argument("name", help="the name to know them by")
    p.add_argument("--role", choices=[r.value for r in Role], required=True,
                   help="what they may do")
    p.add_argument("--agency", help="their agency's code (for an agency's staff only)")
    p.add_argument("--telegram-id", type=int,
                   help="their Telegram account's number, to link it now instead of an "
                        "invitation")
    p.add_argument("--full-name", help="surname, name, patronymic, as letters name them")
    p.add_argument("--position", help="their position, as letters name it")
    p.add_argument("--phone", help="their phone number")
    p.add_argument("--email", help="their e-mail address")
    p.set_defaults(func=cmd_users_add)
    p = person(us_sub.add_parser("list", help="the people who work with the bot"))
    p.set_defaults(func=cmd_users_list)
    p = person(us_sub.add_parser(
        "edit", help="set a person's full name and position, as letters name them "
                     "(administrators only)"))
    p.add_argument("name", help="as in ucc users list, or its number (#7)")
    p.add_argument("--full-name", help="surname, name, patronymic")
    p.add_argument("--position", help="their position")
    p.set_defaults(func=cmd_users_edit)
    p = person(us_sub.add_parser(
        "remove", help="stop a person working with the bot (administrators only)"))
    p.add_argument("name", help="as in ucc users list, or its number (#7)")
    p.set_defaults(func=cmd_users_remove)
    p = person(us_sub.add_parser(
        "passwd", help="set a person's password for the web console (typed twice, or "
                       "given as one line of input)"))
    p.add_argument("name", help="as in ucc users list, or its number (#7)")
    p.set_defaults(func=cmd_users_passwd)
    p = person(us_sub.add_parser(
        "signin-link", help="a one-time link to the web console, valid for a day"))
    p.add_argument("name", help="as in ucc users list, or its number (#7)")
    p.set_defaults(func=cmd_users_signin_link)
