"""``ucc outbox list|retry``: what did not get through — messages given up or of unknown
fate, updates parked — and sending (or processing) them again on an operator's word."""

from __future__ import annotations

import argparse

from bot.app import App
from bot.cli.common import EXIT_OK, actor_of, person, say, short
from knowledge import undelivered


async def cmd_outbox_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        rows = await undelivered.undelivered(uow, await actor_of(uow, args),
                                             channel=args.channel)
    for r in rows:
        where = f" to {r.address}" if r.address else ""
        say(f"{r.kind} #{r.id} {r.channel}{where} {r.status} {r.at:%Y-%m-%d %H:%M} "
            f"attempts {r.attempts} {short(r.error, 80)}")
    if not rows:
        say("nothing failed, uncertain, held or parked")
    return EXIT_OK


async def cmd_outbox_retry(app: App, args: argparse.Namespace) -> int:
    kind: undelivered.Kind = "update" if args.updates else "message"
    async with app.uow() as uow:
        actor = await actor_of(uow, args)
        ids = (await undelivered.all_stuck(uow, actor, kind) if args.all else args.ids)
        retried = await undelivered.retry(uow, actor, kind, ids, app.clock) if ids else []
        await uow.commit()
    what = "update(s) to process" if kind == "update" else "message(s) to send"
    say(f"{len(retried)} {what} again: " + (", ".join(f"#{i}" for i in retried) or "none"))
    if retried:
        say("the running bot picks them up within seconds")
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="outbox_command", required=True)
    p = person(sub.add_parser("list", help="messages that failed, may not have arrived, or "
                                           "wait; messages received but not answered"))
    p.add_argument("--channel", help="telegram, sms or email (default: all)")
    p.set_defaults(func=cmd_outbox_list)
    p = person(sub.add_parser("retry", help="send such messages again (--updates: answer "
                                            "the received ones again)"))
    p.add_argument("ids", nargs="*", type=int, metavar="ID",
                   help="their numbers in ucc outbox list")
    p.add_argument("--all", action="store_true", help="every one listed")
    p.add_argument("--updates", action="store_true",
                   help="the numbers are of messages received, not sent")
    p.set_defaults(func=cmd_outbox_retry)
