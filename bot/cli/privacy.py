"""``ucc citizen erase`` (one citizen's data, on request) and ``ucc privacy purge`` (the
retention job, also run by the bot's clockwork)."""

from __future__ import annotations

import argparse
from datetime import timedelta

from bot.app import App, payload_address
from bot.cli.common import EXIT_OK, say
from knowledge.errors import InvalidInput
from knowledge.privacy import erase_citizen, purge_older_than


async def cmd_citizen_erase(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        erased = await erase_citizen(uow, args.channel, args.address,
                                     payload_address(args.channel))
        if erased is None:
            raise InvalidInput(f"no citizen {args.address} on {args.channel}")
        await uow.commit()
    say(f"citizen #{erased.citizen_id} erased: {erased.messages} conversation line(s), "
        f"{erased.inbox} stored update(s), {erased.outbox} message(s) emptied; "
        f"{erased.escalations} escalation(s) kept anonymised for the counts")
    return EXIT_OK


async def cmd_privacy_purge(app: App, args: argparse.Namespace) -> int:
    days = args.days if args.days is not None else app.settings.retention_days
    async with app.uow() as uow:
        done = await purge_older_than(uow, app.clock.now() - timedelta(days=days))
        await uow.commit()
    say(f"older than {days} days: " + ", ".join(f"{name} {n}" for name, n in done.items()))
    return EXIT_OK


def add_citizen_parsers(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="citizen_command", required=True)
    p = sub.add_parser("erase", help="remove a citizen's messages and address on their "
                                     "request (the counts stay, without names)")
    p.add_argument("address", help="the Telegram chat number, or the phone number")
    p.add_argument("--channel", default="telegram",
                   help="where they wrote from: telegram (default) or sms")
    p.set_defaults(func=cmd_citizen_erase)


def add_privacy_parsers(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="privacy_command", required=True)
    p = sub.add_parser("purge", help="delete conversations older than the time they are "
                                     "kept")
    p.add_argument("--days", type=int,
                   help="delete those older than this many days (default "
                        "UCC_RETENTION_DAYS)")
    p.set_defaults(func=cmd_privacy_purge)
