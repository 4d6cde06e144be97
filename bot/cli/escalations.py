"""``ucc escalations``: the queue of questions passed to agencies, from the terminal.

Acts as the center's administrator (``--by`` names who, default the login name), or as a
registered person with ``--as NAME`` (agency staff then see and act on their agency's
questions only).
"""

from __future__ import annotations

import argparse

from bot.app import App
from bot.cli.common import (
    EXIT_OK,
    actor_of,
    day,
    happened_on,
    person,
    say,
    short,
    today_of,
    write_csv,
)
from bot.jobs import run_job
from bot.jobs.escalations import EscalationJob
from bot.jobs.reports import MonthlyReportJob
from knowledge import escalations, refusals
from knowledge.db.uow import UnitOfWork


async def cmd_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        rows = await escalations.list_escalations(uow, await actor_of(uow, args), args.status,
                                                  args.limit, agency_code=args.agency)
    for row in rows:
        say(f"{row.reference} {row.created_at:%Y-%m-%d %H:%M} {row.status} {row.channel} "
            f"{row.lang} {row.register_no or '-'} {row.agency_code or 'triage'} "
            f"{short(row.text)}")
    if not rows:
        say("no escalations")
    return EXIT_OK


async def cmd_queue(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        items = await escalations.queue(uow, await actor_of(uow, args), agency_code=args.agency,
                                        triage=args.triage, deadlines=app.deadlines)
    for item in items:
        group = f" (+{item.group_size - 1} same)" if item.group_size > 1 else ""
        taken = f" taken by {item.taken_by}" if item.taken_by else ""
        say(f"{item.reference} {item.agency_code or 'triage'} due {item.due_on or '-'} "
            f"{item.lang}{group}{taken} {short(item.text)}")
    if not items:
        say("the queue is empty")
    return EXIT_OK


async def cmd_show(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.escalation(uow, args.reference, await actor_of(uow, args))
    say(f"{item.reference} {item.status} {item.agency_code or 'triage'} due {item.due_on or '-'}")
    say(item.text)
    for lang, text in (("kk", item.reply_kk), ("ru", item.reply_ru)):
        if text:
            say(f"reply {lang}: {text}")
    return EXIT_OK


async def cmd_take(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.take(uow, args.reference, actor=await actor_of(uow, args),
                                      clock=app.clock)
        await uow.commit()
    say(f"{item.reference} taken by {item.taken_by}")
    return EXIT_OK


async def _settled(app: App, uow: UnitOfWork, done: str) -> int:
    """Pass the outcome on to the citizens in the same transaction."""
    queued = await app.notifier.pending_escalation_outcomes(uow)
    await uow.commit()
    say(f"{done}; {queued} message(s) to citizens queued")
    return EXIT_OK


async def cmd_answer(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.answer(uow, args.reference, text_kk=args.kk, text_ru=args.ru,
                                        actor=await actor_of(uow, args), clock=app.clock,
                                        on=happened_on(app, args))
        return await _settled(app, uow, f"{item.reference} answered ({item.group_size} "
                                        "question(s))")


async def cmd_refuse(app: App, args: argparse.Namespace) -> int:
    on = happened_on(app, args)
    if args.ground == escalations.NOT_COMPETENT:
        return await _not_competent(app, args)
    async with app.uow() as uow:
        refusal = await escalations.refuse(uow, args.reference, ground=args.ground,
                                           reason=args.reason, actor=await actor_of(uow, args),
                                           clock=app.clock, deadlines=app.deadlines, on=on)
        standing = (f"notice #{refusal.notice_id}" if refusal.notice_id is not None
                    else "waits for an operator" if refusal.status == "pending" else "counted")
        return await _settled(app, uow, f"{refusal.reference} refused ({refusal.ground}); "
                                        f"refusal #{refusal.id} {standing}")


async def _not_competent(app: App, args: argparse.Namespace) -> int:
    """Not the agency's competence: back to the operators' triage, no refusal counted."""
    async with app.uow() as uow:
        item = await escalations.not_competent(uow, args.reference, reason=args.reason,
                                               actor=await actor_of(uow, args),
                                               clock=app.clock, deadlines=app.deadlines)
        await uow.commit()
    say(f"{item.reference} is not the agency's competence: back to the operators' triage "
        "(not counted as a refusal)")
    return EXIT_OK


async def cmd_assign(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.assign(uow, args.reference, args.agency,
                                        actor=await actor_of(uow, args), clock=app.clock,
                                        deadlines=app.deadlines)
        await uow.commit()
    say(f"{item.reference} assigned to {item.agency_code}, due {item.due_on}")
    return EXIT_OK


async def cmd_close(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.close_out_of_scope(
            uow, args.reference, reply_kk=args.kk, reply_ru=args.ru,
            actor=await actor_of(uow, args), clock=app.clock)
        return await _settled(app, uow, f"{item.reference} closed as out of scope")


async def cmd_from_base(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.answer_from_base(uow, args.reference, args.entry,
                                                  actor=await actor_of(uow, args),
                                                  clock=app.clock)
        return await _settled(app, uow, f"{item.reference} answered from {args.entry}")


async def cmd_oral(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await escalations.record_oral_help(
            uow, args.reference, who=args.who, on=happened_on(app, args), what=args.what,
            actor=await actor_of(uow, args), clock=app.clock)
        return await _settled(app, uow, f"{item.reference}: oral help recorded")


async def cmd_export(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        data = await escalations.export_csv(uow, await actor_of(uow, args),
                                            agency_code=args.agency)
    write_csv(data, args.out)
    return EXIT_OK


async def cmd_tick(app: App, args: argparse.Namespace) -> int:
    today = today_of(app, args)
    result = await run_job(app, EscalationJob(app), today)
    if result is None:
        say("another instance is running the escalation job now: nothing done")
        return EXIT_OK
    say(f"{result.delivered} message(s) to citizens queued")
    for r in result.reminders:
        say(f"{r.kind}: {r.escalation.reference} ({r.escalation.agency_code or 'triage'}) "
            f"due {r.due_on}")
    for n in result.notices:
        say(f"{n.kind}: refusal notice #{n.notice.id} ({n.notice.agency_code}) due {n.due_on}")
    made = await run_job(app, MonthlyReportJob(app), today)
    if made is not None and made.report is not None:
        say(f"monthly report {made.report.month:%Y-%m} made"
            + (f", sent to {', '.join(made.sent_to)}" if made.sent_to else ""))
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    e = parser.add_subparsers(dest="escalations_command", required=True)
    p = person(e.add_parser("list", help="every question passed to a person, with its "
                                         "reference number"))
    p.add_argument("--limit", type=int, default=100, help="how many to show (default 100)")
    p.add_argument("--agency", help="only this agency's (its code, see ucc agency list)")
    p.add_argument("--status", choices=[s.value for s in escalations.EscalationStatus],
                   help="only those in this state")
    p.set_defaults(func=cmd_list)
    p = person(e.add_parser("queue", help="the questions waiting for an answer, oldest "
                                          "first"))
    p.add_argument("--agency", help="only this agency's (its code, see ucc agency list)")
    p.add_argument("--triage", action="store_true",
                   help="only those no agency was found for: the operators decide where "
                        "they go")
    p.set_defaults(func=cmd_queue)
    p = person(e.add_parser("show", help="one question with everything about it"))
    p.add_argument("reference", help="its reference number, e.g. Q-12")
    p.set_defaults(func=cmd_show)
    p = person(e.add_parser("take", help="take a question: you will answer it"))
    p.add_argument("reference", help="its reference number, e.g. Q-12")
    p.set_defaults(func=cmd_take)
    p = person(e.add_parser("answer", help="record the agency's answer; the citizen gets it "
                                           "at once"))
    p.add_argument("reference", help="its reference number, e.g. Q-12")
    p.add_argument("--kk", help="the answer in Kazakh")
    p.add_argument("--ru", help="the answer in Russian")
    p.add_argument("--on", type=day, help="the day the agency answered (default: today)")
    p.set_defaults(func=cmd_answer)
    p = person(e.add_parser("refuse", help="record that the agency refused to give the "
                                           "information; the citizen is told"))
    p.add_argument("reference", help="its reference number, e.g. Q-12")
    p.add_argument("--ground", required=True,
                   choices=[*(g.value for g in refusals.Ground), escalations.NOT_COMPETENT],
                   help="why: a secret protected by law, a plain refusal, or "
                        f"{escalations.NOT_COMPETENT} (not their question: it goes back to "
                        "the operators, and is no refusal)")
    p.add_argument("--reason", help="the agency's reason (needed for a plain refusal)")
    p.add_argument("--on", type=day, help="the day the agency refused (default: today); the "
                                          "month and the notice of para 12 count from it")
    p.set_defaults(func=cmd_refuse)
    p = person(e.add_parser("assign", help="pass a question to the agency that should "
                                           "answer it"))
    p.add_argument("reference", help="its reference number, e.g. Q-12")
    p.add_argument("agency", help="the agency's code (see ucc agency list)")
    p.set_defaults(func=cmd_assign)
    p = person(e.add_parser("close", help="close a question no agency should answer, with "
                                          "a reply to the citizen"))
    p.add_argument("reference", help="its reference number, e.g. Q-12")
    p.add_argument("--kk", help="the reply in Kazakh")
    p.add_argument("--ru", help="the reply in Russian")
    p.set_defaults(func=cmd_close)
    p = person(e.add_parser("from-base", help="answer a question with one of the bot's "
                                              "existing answers"))
    p.add_argument("reference", help="its reference number, e.g. Q-12")
    p.add_argument("entry", help="the answer's id, as in the knowledge base")
    p.set_defaults(func=cmd_from_base)
    p = person(e.add_parser("oral", help="record that the agency helped by phone or in "
                                         "person"))
    p.add_argument("reference", help="its reference number, e.g. Q-12")
    p.add_argument("--who", required=True, help="who at the agency helped")
    p.add_argument("--on", type=day, help="when (default: today)")
    p.add_argument("--what", required=True, help="what they said")
    p.set_defaults(func=cmd_oral)
    p = person(e.add_parser("export", help="save the questions passed to a person as a "
                                           "table (CSV)"))
    p.add_argument("--agency", help="only this agency's (its code)")
    p.add_argument("--out", default="-", help="the file to write ('-': print it)")
    p.set_defaults(func=cmd_export)
    p = e.add_parser("tick", help="do now what the bot does by itself every day: pass "
                                  "answers on, remind agencies, write notices and the "
                                  "monthly report")
    p.add_argument("--on", type=day, help="as if today were this day (YYYY-MM-DD)")
    p.set_defaults(func=cmd_tick)
