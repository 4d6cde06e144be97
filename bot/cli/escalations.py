"""``ucc escalations``, ``ucc curation``, ``ucc refusals`` and ``ucc report``: the queue,
curation, refusal notices and the monthly report from the terminal.

The command line acts as the center's administrator (``--by`` names who, default the login
name), or as a registered person with ``--as NAME`` (agency staff then see and act on their
agency's questions only).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app import App
from bot.jobs.escalations import EscalationScheduler
from bot.notify.escalations import deliver_pending
from bot.notify.quality import queue_notice_email, queue_report_emails
from knowledge import curation, escalations, refusals
from knowledge.calendar import local_today
from knowledge.complaints import complaint_register
from knowledge.db.tables import StaffRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.refusal_notice import notice_files
from knowledge.reports import generate_monthly_report, month_of, report_files
from knowledge.staff import Actor, Role

EXIT_OK = 0


def say(*parts: object) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


async def _actor(uow: UnitOfWork, args: argparse.Namespace) -> Actor:
    """``--as NAME``: a registered person in their role; else the administrator."""
    name = getattr(args, "as_name", None)
    if name is None:
        return Actor(getattr(args, "by", None) or getpass.getuser(), Role.ADMIN)
    row = await uow.session.scalar(select(StaffRow).where(StaffRow.name == name,
                                                          StaffRow.active.is_(True)))
    if row is None:
        raise InvalidInput(f"no active user named {name!r} (ucc users list)")
    return Actor(row.name, Role(row.role), row.agency_id, row.id)


def _today(app: App, args: argparse.Namespace) -> date:
    on: date | None = getattr(args, "on", None)
    return on or local_today(app.clock.now())


def _short(text: str, limit: int = 100) -> str:
    text = text.replace("\n", " ")
    return json.dumps(text if len(text) <= limit else text[: limit - 3] + "...",
                      ensure_ascii=False)


# ---- escalations


async def cmd_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        rows = await escalations.list_escalations(uow, args.status, args.limit,
                                                  agency_code=args.agency)
    for row in rows:
        say(f"{row.reference} {row.created_at:%Y-%m-%d %H:%M} {row.status} {row.channel} "
            f"{row.lang} {row.register_no or '-'} {row.agency_code or 'triage'} "
            f"{_short(row.text)}")
    if not rows:
        say("no escalations")
    return EXIT_OK


async def cmd_queue(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        items = await escalations.queue(uow, await _actor(uow, args), agency_code=args.agency,
                                        triage=args.triage, deadlines=app.deadlines)
    for item in items:
        group = f" (+{item.group_size - 1} same)" if item.group_size > 1 else ""
        taken = f" taken by {item.taken_by}" if item.taken_by else ""
        say(f"{item.reference} {item.agency_code or 'triage'} due {item.due_on or '-'} "
            f"{item.lang}{group}{taken} {_short(item.text)}")
    if not items:
        say("the queue is empty")
    return EXIT_OK


async def cmd_show(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.escalation(uow, args.reference, await _actor(uow, args))
    say(f"{item.reference} {item.status} {item.agency_code or 'triage'} due {item.due_on or '-'}")
    say(item.text)
    for lang, text in (("kk", item.reply_kk), ("ru", item.reply_ru)):
        if text:
            say(f"reply {lang}: {text}")
    return EXIT_OK


async def cmd_take(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.take(uow, args.reference, actor=await _actor(uow, args),
                                      clock=app.clock)
        await uow.commit()
    say(f"{item.reference} taken by {item.taken_by}")
    return EXIT_OK


async def _settled(app: App, uow: UnitOfWork, done: str) -> int:
    """Pass the outcome on to the citizens in the same transaction."""
    queued = await deliver_pending(uow, app.clock, sms_max_parts=app.settings.sms_max_parts)
    await uow.commit()
    say(f"{done}; {queued} message(s) to citizens queued")
    return EXIT_OK


async def cmd_answer(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.answer(uow, args.reference, text_kk=args.kk, text_ru=args.ru,
                                        actor=await _actor(uow, args), clock=app.clock)
        return await _settled(app, uow, f"{item.reference} answered ({item.group_size} "
                                        "question(s))")


async def cmd_refuse(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        refusal = await escalations.refuse(uow, args.reference, ground=args.ground,
                                           reason=args.reason, actor=await _actor(uow, args),
                                           clock=app.clock, deadlines=app.deadlines)
        standing = (f"notice #{refusal.notice_id}" if refusal.notice_id is not None
                    else "waits for an operator" if refusal.status == "pending" else "counted")
        return await _settled(app, uow, f"{refusal.reference} refused ({refusal.ground}); "
                                        f"refusal #{refusal.id} {standing}")


async def cmd_assign(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.assign(uow, args.reference, args.agency,
                                        actor=await _actor(uow, args), clock=app.clock,
                                        deadlines=app.deadlines)
        await uow.commit()
    say(f"{item.reference} assigned to {item.agency_code}, due {item.due_on}")
    return EXIT_OK


async def cmd_close(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.close_out_of_scope(
            uow, args.reference, reply_kk=args.kk, reply_ru=args.ru,
            actor=await _actor(uow, args), clock=app.clock)
        return await _settled(app, uow, f"{item.reference} closed as out of scope")


async def cmd_from_base(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.answer_from_base(uow, args.reference, args.entry,
                                                  actor=await _actor(uow, args),
                                                  clock=app.clock)
        return await _settled(app, uow, f"{item.reference} answered from {args.entry}")


async def cmd_oral(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.record_oral_help(
            uow, args.reference, who=args.who, on=args.on or _today(app, args), what=args.what,
            actor=await _actor(uow, args), clock=app.clock)
        return await _settled(app, uow, f"{item.reference}: oral help recorded")


def write_csv(data: bytes, out: str) -> None:
    """An export to a file, or to stdout ('-') without the BOM."""
    if out == "-":
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        Path(out).write_bytes(data)
        say(out)


def person(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of a command done by someone: ``--by`` (the administrator's name) or
    ``--as`` (a registered person, in their role)."""
    p.add_argument("--by", help="who does it (default: your login name)")
    p.add_argument("--as", dest="as_name", metavar="NAME",
                   help="act as this registered person, in their role")
    return p


async def cmd_export(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        data = await escalations.export_csv(uow, await _actor(uow, args),
                                            agency_code=args.agency)
    write_csv(data, args.out)
    return EXIT_OK


async def cmd_tick(app: App, args: argparse.Namespace) -> int:
    result = await EscalationScheduler(app).tick(_today(app, args))
    say(f"{result.delivered} message(s) to citizens queued")
    for r in result.reminders:
        say(f"{r.kind}: {r.escalation.reference} ({r.escalation.agency_code or 'triage'}) "
            f"due {r.due_on}")
    for n in result.notices:
        say(f"{n.kind}: refusal notice #{n.notice.id} ({n.notice.agency_code}) due {n.due_on}")
    if result.report is not None:
        say(f"monthly report {result.report.month:%Y-%m} made"
            + (f", sent to {', '.join(result.report_sent_to)}" if result.report_sent_to
               else ""))
    return EXIT_OK


# ---- curation


async def cmd_curation_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        actor = await _actor(uow, args)
        items = await curation.curation_list(uow, actor, status=None if args.all else "open")
        pending = await curation.proposals(uow, actor)
    for item in items:
        answer = item.answer_ru or item.answer_kk or ""
        say(f"#{item.id} {item.status} {item.reference or '-'} {item.register_no or '-'} "
            f"{item.lang} {_short(item.question, 80)} -> {_short(answer, 80)}")
    if not items:
        say("nothing to curate")
    for p in pending:
        say(f"proposal #{p.id} {p.kind} {p.entry_key} by {p.proposed_by}: "
            f"{json.dumps(p.questions, ensure_ascii=False)}")
    return EXIT_OK


async def cmd_curation_unanswered(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        groups = await curation.unanswered_groups(uow, await _actor(uow, args),
                                                  limit=args.limit)
    for group in groups:
        say(f"{group.count}x ids {','.join(map(str, group.ids))} {group.lang} "
            f"{_short(group.text, 80)} [{group.best_entry or '-'}]")
    if not groups:
        say("no unanswered questions")
    return EXIT_OK


def _ids(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(f"--unanswered {text!r}: ids separated by commas") from None


async def cmd_curation_propose(app: App, args: argparse.Namespace) -> int:
    if args.item is None and not args.unanswered:
        raise InvalidInput("propose from a curation item (ITEM) or --unanswered IDS")
    async with app.uow() as uow:
        actor = await _actor(uow, args)
        if args.variant_of:
            proposal = await curation.propose_variant(
                uow, args.variant_of, actor=actor, clock=app.clock, item_id=args.item,
                unanswered_ids=_ids(args.unanswered), question_kk=args.question_kk,
                question_ru=args.question_ru)
        else:
            proposal = await curation.propose_entry(
                uow, actor=actor, clock=app.clock, item_id=args.item,
                unanswered_ids=_ids(args.unanswered), register_no=args.service,
                entry_key=args.entry, question_kk=args.question_kk,
                question_ru=args.question_ru, answer_kk=args.answer_kk,
                answer_ru=args.answer_ru)
        await uow.commit()
    say(f"proposal #{proposal.id} ({proposal.kind} {proposal.entry_key}) waits for review "
        f"(ucc curation approve {proposal.id})")
    return EXIT_OK


async def cmd_curation_review(app: App, args: argparse.Namespace) -> int:
    review = curation.approve if args.curation_command == "approve" else curation.reject
    async with app.uow() as uow:
        proposal = await review(uow, args.proposal, actor=await _actor(uow, args),
                                clock=app.clock)
        await uow.commit()
    say(f"proposal #{proposal.id} {proposal.status}: {proposal.entry_key}")
    return EXIT_OK


# ---- refusals


async def cmd_refusals_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        rows = await refusals.refusals(uow, await _actor(uow, args), status=args.status,
                                       agency_code=args.agency)
    for r in rows:
        say(f"#{r.id} {r.status} {r.refused_on} {r.agency_code} {r.ground} {r.reference} "
            f"notice {r.notice_id or '-'} {_short(r.reply_text or '', 60)}")
    if not rows:
        say("no refusals")
    return EXIT_OK


async def _send_notice(
    app: App, uow: UnitOfWork, notice: refusals.Notice, actor: Actor, today: date
) -> refusals.Notice:
    address = app.settings.qc_email
    if not address:
        raise InvalidInput("UCC_QC_EMAIL is not set: write the files (--out DIR) and send "
                           "them yourself, then mark the notice sent (--sent)")
    queue_notice_email(uow, notice, address, today=today, clock=app.clock)
    return await refusals.mark_sent(uow, notice.id, via="email", on=today, actor=actor,
                                    clock=app.clock)


async def cmd_refusals_review(app: App, args: argparse.Namespace) -> int:
    today = _today(app, args)
    async with app.uow() as uow:
        actor = await _actor(uow, args)
        if args.refusals_command == "reject":
            refusal = await refusals.reject(uow, args.refusal, actor=actor, clock=app.clock)
            await uow.commit()
            say(f"refusal #{refusal.id} rejected: it does not count")
            return EXIT_OK
        refusal, notice = await refusals.confirm(uow, args.refusal, actor=actor,
                                                 clock=app.clock, deadlines=app.deadlines)
        if notice is not None and args.send:
            notice = await _send_notice(app, uow, notice, actor, today)
        await uow.commit()
    say(f"refusal #{refusal.id} confirmed ({refusal.ground})")
    if notice is not None:
        say(f"notice #{notice.id} to the quality-control body: {notice.agency_code}, "
            f"{len(notice.refusals)} refusal(s) from {notice.window_start} to "
            f"{notice.window_end}, due {notice.due_on}, {notice.status}")
    return EXIT_OK


async def cmd_refusals_notices(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        rows = await refusals.notices(uow, await _actor(uow, args))
    for n in rows:
        say(f"#{n.id} {n.status} {n.agency_code} {len(n.refusals)} refusal(s) "
            f"{n.window_start}..{n.window_end} due {n.due_on}"
            + (f" sent {n.sent_on} by {n.sent_via}" if n.sent_on else ""))
    if not rows:
        say("no notices")
    return EXIT_OK


async def cmd_refusals_notice(app: App, args: argparse.Namespace) -> int:
    today = _today(app, args)
    async with app.uow() as uow:
        actor = await _actor(uow, args)
        notice = await refusals.notice(uow, args.notice, actor)
        if args.send:
            notice = await _send_notice(app, uow, notice, actor, today)
        elif args.sent:
            notice = await refusals.mark_sent(uow, notice.id, via="by_hand", on=today,
                                              actor=actor, clock=app.clock)
        await uow.commit()
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for item in notice_files(notice, today):
            (out / item.filename).write_bytes(item.data)
            say(out / item.filename)
    say(f"notice #{notice.id} {notice.status}, due {notice.due_on}")
    return EXIT_OK


# ---- the monthly report


async def cmd_report_monthly(app: App, args: argparse.Namespace) -> int:
    month = month_of(args.month)
    async with app.uow() as uow:
        actor = await _actor(uow, args)
        if actor.of_center:
            report = await generate_monthly_report(uow, month, deadlines=app.deadlines,
                                                   clock=app.clock,
                                                   complaints=complaint_register)
            sent = (await queue_report_emails(uow, report, app.settings.qc_email,
                                              clock=app.clock) if args.send else [])
            await uow.commit()
            say(f"report {month:%Y-%m}: due {report.due_on}, generated {report.generated_on}"
                + (" (late)" if report.late else "")
                + (f", sent to {', '.join(sent)}" if sent else ""))
        files = await report_files(uow, month, actor)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for item in files:
            (out / item.filename).write_bytes(item.data)
            say(out / item.filename)
    return EXIT_OK


def add_parsers(sub: Any, escalations_sub: Any) -> None:
    """The queue's commands go under ``escalations``; the rest are new groups."""
    e = escalations_sub
    p = person(e.add_parser("list", help="every escalation, with its reference"))
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--agency", help="an agency's code")
    p.add_argument("--status", choices=[s.value for s in escalations.EscalationStatus])
    p.set_defaults(func=cmd_list)
    p = person(e.add_parser("queue", help="open questions to work, oldest first"))
    p.add_argument("--agency")
    p.add_argument("--triage", action="store_true", help="those no agency was found for")
    p.set_defaults(func=cmd_queue)
    p = person(e.add_parser("show", help="one escalation"))
    p.add_argument("reference")
    p.set_defaults(func=cmd_show)
    p = person(e.add_parser("take", help="claim a question to answer it"))
    p.add_argument("reference")
    p.set_defaults(func=cmd_take)
    p = person(e.add_parser("answer", help="the agency's answer (kk, ru or both)"))
    p.add_argument("reference")
    p.add_argument("--kk", help="the answer in Kazakh")
    p.add_argument("--ru", help="the answer in Russian")
    p.set_defaults(func=cmd_answer)
    p = person(e.add_parser("refuse", help="the agency refuses the information"))
    p.add_argument("reference")
    p.add_argument("--ground", required=True, choices=[g.value for g in refusals.Ground])
    p.add_argument("--reason", help="needed for a plain refusal")
    p.set_defaults(func=cmd_refuse)
    p = person(e.add_parser("assign", help="triage: send to an agency's queue"))
    p.add_argument("reference")
    p.add_argument("agency")
    p.set_defaults(func=cmd_assign)
    p = person(e.add_parser("close", help="triage: out of scope, with a reply"))
    p.add_argument("reference")
    p.add_argument("--kk")
    p.add_argument("--ru")
    p.set_defaults(func=cmd_close)
    p = person(e.add_parser("from-base", help="triage: answer with an entry of the base"))
    p.add_argument("reference")
    p.add_argument("entry")
    p.set_defaults(func=cmd_from_base)
    p = person(e.add_parser("oral", help="record the agency's oral or phone help"))
    p.add_argument("reference")
    p.add_argument("--who", required=True, help="who at the agency helped")
    p.add_argument("--on", type=_day, help="when (default: today)")
    p.add_argument("--what", required=True, help="what they said")
    p.set_defaults(func=cmd_oral)
    p = person(e.add_parser("export", help="escalations as CSV"))
    p.add_argument("--agency")
    p.add_argument("--out", default="-", help="a file ('-': stdout)")
    p.set_defaults(func=cmd_export)
    p = e.add_parser("tick", help="replies, reminders, notices, the monthly report")
    p.add_argument("--on", type=_day)
    p.set_defaults(func=cmd_tick)

    cu = sub.add_parser("curation", help="turn agency answers and unanswered questions "
                                         "into knowledge")
    cu_sub = cu.add_subparsers(dest="curation_command", required=True)
    p = person(cu_sub.add_parser("list", help="agency answers to curate, and proposals"))
    p.add_argument("--all", action="store_true")
    p.set_defaults(func=cmd_curation_list)
    p = person(cu_sub.add_parser("unanswered", help="unanswered questions, grouped"))
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_curation_unanswered)
    p = person(cu_sub.add_parser("propose", help="a new entry, or a question variant"))
    p.add_argument("item", nargs="?", type=int, help="a curation item's number")
    p.add_argument("--unanswered", metavar="IDS", help="unanswered question ids: 3,7,9")
    p.add_argument("--variant-of", metavar="ENTRY", help="add the wording to this entry")
    p.add_argument("--service", metavar="REGISTER_NO", help="a new entry's service")
    p.add_argument("--entry", metavar="ID", help="a new entry's id (default: made up)")
    p.add_argument("--question-kk")
    p.add_argument("--question-ru")
    p.add_argument("--answer-kk")
    p.add_argument("--answer-ru")
    p.set_defaults(func=cmd_curation_propose)
    for name in ("approve", "reject"):
        p = person(cu_sub.add_parser(name, help=f"{name} a proposal"))
        p.add_argument("proposal", type=int)
        p.set_defaults(func=cmd_curation_review)

    rf = sub.add_parser("refusals", help="agencies refusing information (para 12)")
    rf_sub = rf.add_subparsers(dest="refusals_command", required=True)
    p = person(rf_sub.add_parser("list"))
    p.add_argument("--status", choices=[s.value for s in refusals.RefusalStatus])
    p.add_argument("--agency")
    p.set_defaults(func=cmd_refusals_list)
    p = person(rf_sub.add_parser("confirm", help="the refusal counts from now on"))
    p.add_argument("refusal", type=int)
    p.add_argument("--on", type=_day)
    p.add_argument("--send", action="store_true",
                   help="e-mail a notice it triggers to the quality-control body at once")
    p.set_defaults(func=cmd_refusals_review)
    p = person(rf_sub.add_parser("reject", help="not a refusal: it never counts"))
    p.add_argument("refusal", type=int)
    p.set_defaults(func=cmd_refusals_review)
    p = person(rf_sub.add_parser("notices", help="notices to the quality-control body"))
    p.set_defaults(func=cmd_refusals_notices)
    p = person(rf_sub.add_parser("notice", help="write a notice's files, send or mark sent"))
    p.add_argument("notice", type=int)
    p.add_argument("--out", help="a folder for the letter and the documents")
    p.add_argument("--send", action="store_true", help="e-mail it (UCC_QC_EMAIL)")
    p.add_argument("--sent", action="store_true", help="it was sent by hand")
    p.add_argument("--on", type=_day)
    p.set_defaults(func=cmd_refusals_notice)

    rp = sub.add_parser("report", help="the monthly analytical report")
    rp_sub = rp.add_subparsers(dest="report_command", required=True)
    p = person(rp_sub.add_parser("monthly", help="make (once) and write a month's report"))
    p.add_argument("month", help="YYYY-MM")
    p.add_argument("--out", help="a folder for the files")
    p.add_argument("--send", action="store_true",
                   help="e-mail it: all to UCC_QC_EMAIL, each agency its slice")
    p.set_defaults(func=cmd_report_monthly)
