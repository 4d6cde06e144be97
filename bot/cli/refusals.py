"""``ucc refusals``: agencies refusing information (002 para 12), reviewed by operators, and
the notices to the quality-control body."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Final

from bot.app import App
from bot.cli.common import (
    EXIT_OK,
    actor_of,
    day,
    letter_queued,
    person,
    refusals_count,
    say,
    short,
    today_of,
)
from bot.notify.quality import (
    notice_documents,
    notice_held_text,
    notice_letter_held,
    queue_notice_email,
)
from knowledge import refusals
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding.notices import center_staff
from knowledge.staff import Actor, signatory_of


async def cmd_refusals_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        rows = await refusals.refusals(uow, await actor_of(uow, args), status=args.status,
                                       agency_code=args.agency)
    for r in rows:
        say(f"#{r.id} {r.status} {r.refused_on} {r.agency_code} {r.ground} {r.reference} "
            f"notice {r.notice_id or '-'} {short(r.reply_text or '', 60)}")
    if not rows:
        say("no refusals")
    return EXIT_OK


HELD: Final = ("held in the outbox: no quality-control address is configured "
               "(UCC_QC_EMAIL); it goes as soon as the address is set (or send the files "
               "yourself, --out DIR, and mark the notice sent, --sent)")


async def _send_notice(
    app: App, uow: UnitOfWork, notice: refusals.Notice, actor: Actor, today: date
) -> tuple[refusals.Notice, str]:
    """E-mail the notice, or hold its letter until UCC_QC_EMAIL is set (operators told
    once, as for the report's letter); the notice and what became of its letter."""
    address = app.settings.qc_email
    if address:
        queue_notice_email(uow, notice, address, today=today, clock=app.clock,
                           signatory=await signatory_of(uow, actor))
        notice = await refusals.mark_sent(uow, notice.id, via="email", on=today, actor=actor,
                                          clock=app.clock)
        return notice, letter_queued(app, address)
    if notice.status == refusals.NoticeStatus.SENT:
        raise refusals.RefusalDone(f"notice #{notice.id} was sent already on {notice.sent_on}")
    if await notice_letter_held(uow, notice.id):
        return notice, "already " + HELD
    queue_notice_email(uow, notice, None, today=today, clock=app.clock,
                       signatory=await signatory_of(uow, actor))
    app.notifier.staff(uow, await center_staff(uow), notice_held_text(notice))
    return notice, HELD


async def cmd_refusals_review(app: App, args: argparse.Namespace) -> int:
    today = today_of(app, args)
    async with app.uow() as uow:
        actor = await actor_of(uow, args)
        if args.refusals_command == "reject":
            refusal = await refusals.reject(uow, args.refusal, actor=actor, clock=app.clock)
            await uow.commit()
            say(f"refusal #{refusal.id} rejected: it does not count")
            return EXIT_OK
        refusal, notice = await refusals.confirm(uow, args.refusal, actor=actor,
                                                 clock=app.clock, deadlines=app.deadlines)
        letter = ""
        if notice is not None and args.send:
            notice, letter = await _send_notice(app, uow, notice, actor, today)
        await uow.commit()
    say(f"refusal #{refusal.id} confirmed ({refusal.ground})")
    if notice is not None and letter:
        say(f"notice #{notice.id}: letter {letter}")
    if notice is not None:
        say(f"notice #{notice.id} to the quality-control body: {notice.agency_code}, "
            f"{refusals_count(len(notice.refusals))} from {notice.window_start} to "
            f"{notice.window_end}, due {notice.due_on}, {notice.status}")
    return EXIT_OK


def _timeliness(notice: refusals.Notice, today: date) -> str:
    """A notice sent after its due day stays marked late; an unsent one past it, overdue."""
    if notice.late:
        return f" LATE (sent {notice.sent_on}, due {notice.due_on})"
    if notice.overdue(today):
        return f" OVERDUE (due {notice.due_on})"
    return ""


async def cmd_refusals_notices(app: App, args: argparse.Namespace) -> int:
    today = today_of(app, args)
    async with app.uow() as uow:
        rows = await refusals.notices(uow, await actor_of(uow, args))
    for n in rows:
        say(f"#{n.id} {n.status} {n.agency_code} {refusals_count(len(n.refusals))} "
            f"{n.window_start}..{n.window_end} due {n.due_on}"
            + (f" sent {n.sent_on} by {n.sent_via}" if n.sent_on else "")
            + _timeliness(n, today))
    if not rows:
        say("no notices")
    return EXIT_OK


async def cmd_refusals_notice(app: App, args: argparse.Namespace) -> int:
    today = today_of(app, args)
    async with app.uow() as uow:
        actor = await actor_of(uow, args)
        signatory = await signatory_of(uow, actor)
        notice = await refusals.notice(uow, args.notice, actor)
        letter = ""
        if args.send:
            notice, letter = await _send_notice(app, uow, notice, actor, today)
        elif args.sent:
            notice = await refusals.mark_sent(uow, notice.id, via="by_hand", on=today,
                                              actor=actor, clock=app.clock)
        await uow.commit()
    if signatory is None and (args.out or args.send):
        say(f"no full name and position for {actor.name}: the letter leaves a blank to "
            f"sign by hand (ucc users edit {actor.name} --full-name … --position …)")
    if letter:
        say(f"notice #{notice.id}: letter {letter}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for item in notice_documents(notice, today, signatory=signatory):
            (out / item.filename).write_bytes(item.data)
            say(out / item.filename)
    say(f"notice #{notice.id} {notice.status}, due {notice.due_on}"
        + _timeliness(notice, today))
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    rf_sub = parser.add_subparsers(dest="refusals_command", required=True)
    p = person(rf_sub.add_parser("list", help="agencies' refusals to give information, "
                                              "to confirm or reject"))
    p.add_argument("--status", choices=[s.value for s in refusals.RefusalStatus],
                   help="only those in this state")
    p.add_argument("--agency", help="only this agency's (its code)")
    p.set_defaults(func=cmd_refusals_list)
    p = person(rf_sub.add_parser("confirm", help="confirm a refusal: from now on it counts "
                                                 "towards a notice to the quality-control "
                                                 "body"))
    p.add_argument("refusal", type=int, help="its number in ucc refusals list")
    p.add_argument("--on", type=day, help="the day to confirm it on (default: today)")
    p.add_argument("--send", action="store_true",
                   help="if it makes a notice due, e-mail the notice to the quality-control "
                        "body at once")
    p.set_defaults(func=cmd_refusals_review)
    p = person(rf_sub.add_parser("reject", help="it was no refusal: it never counts"))
    p.add_argument("refusal", type=int, help="its number in ucc refusals list")
    p.set_defaults(func=cmd_refusals_review)
    p = person(rf_sub.add_parser("notices", help="the notices to the quality-control body "
                                                 "about refusals, and which are late"))
    p.add_argument("--on", type=day, help="say which are late as of this day (default: "
                                          "today)")
    p.set_defaults(func=cmd_refusals_notices)
    p = person(rf_sub.add_parser("notice", help="one notice: write its letter and documents "
                                                "to a folder, e-mail it, or record that it "
                                                "was sent by hand"))
    p.add_argument("notice", type=int, help="its number in ucc refusals notices")
    p.add_argument("--out", help="a folder for the letter and the documents")
    p.add_argument("--send", action="store_true",
                   help="e-mail it to the quality-control body (UCC_QC_EMAIL)")
    p.add_argument("--sent", action="store_true", help="it was sent by hand")
    p.add_argument("--on", type=day, help="the letter's date (default: today)")
    p.set_defaults(func=cmd_refusals_notice)
