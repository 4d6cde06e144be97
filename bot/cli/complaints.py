"""``ucc complaints``: citizens' complaints from the terminal — the list, one complaint, the
agency's response, the operators' triage, the CSV export, the erasure, and the scheduler's
run. Acts as the center's administrator, or with ``--as NAME`` as a registered person (an
agency's staff then reach their agency's complaints only)."""

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
    working_days,
    write_csv,
)
from bot.jobs import run_job
from bot.jobs.complaints import ComplaintJob
from knowledge import complaints
from knowledge.calendar import local_today
from knowledge.complaints import Complaint


def line(item: Complaint) -> str:
    return (f"{item.number} {item.request_no} {item.created_at:%Y-%m-%d %H:%M} {item.status} "
            f"{item.channel} {item.lang} {item.agency_code or 'triage'} "
            f"{item.register_no or '-'} due {item.due_on or '-'} {item.category} "
            f"{item.handled_by or '-'}" + (f" repeat-of {item.repeat_of}" if item.repeat_of
                                           else "") + f" {short(item.content, 80)}")


async def cmd_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        items = await complaints.list_complaints(
            uow, await actor_of(uow, args), agency_code=args.agency, status=args.status,
            triage=args.triage, repeats=args.repeats, limit=args.limit)
    for item in items:
        say(line(item))
    if not items:
        say("no complaints")
    return EXIT_OK


async def cmd_show(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await complaints.complaint(uow, args.number, await actor_of(uow, args))
    say(line(item))
    say(f"applicant: {item.applicant}")
    say(f"region: {item.region}; nature: {item.nature}; service: {item.service_name or '-'}")
    say(item.content)
    for lang, text in (("kk", item.reply_kk), ("ru", item.reply_ru)):
        if text:
            say(f"response {lang}: {text}")
    return EXIT_OK


async def cmd_respond(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await complaints.respond(uow, args.number, text_kk=args.kk, text_ru=args.ru,
                                        actor=await actor_of(uow, args), clock=app.clock)
        queued = await app.notifier.pending_complaint_outcomes(uow)
        await uow.commit()
    say(f"{item.number} answered; {queued} message(s) to citizens queued")
    return EXIT_OK


async def cmd_extend(app: App, args: argparse.Namespace) -> int:
    on = happened_on(app, args)
    async with app.uow() as uow:
        item, notice = await complaints.extend(
            uow, args.number, args.days, reason=args.reason, actor=await actor_of(uow, args),
            clock=app.clock, deadlines=app.deadlines, on=on)
        queued = await app.notifier.complaint_outcomes(uow, [notice] if notice else [])
        await uow.commit()
    notice_by = app.deadlines.policy.due("complaint_extension_notice", on,
                                         app.deadlines.calendar)
    late = " (late)" if local_today(app.clock.now()) > notice_by else ""
    say(f"{item.number} extended on {on} by {working_days(args.days)}: due {item.due_on}; "
        f"{queued} message(s) to the applicant queued, due by {notice_by}{late}")
    return EXIT_OK


async def cmd_assign(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await complaints.assign(uow, args.number, args.agency,
                                       actor=await actor_of(uow, args), clock=app.clock,
                                       deadlines=app.deadlines)
        await uow.commit()
    say(f"{item.number} forwarded to {item.agency_code} with request {item.request_no}, "
        f"due {item.due_on} (the center's own term)")
    return EXIT_OK


async def cmd_take(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await complaints.take(uow, args.number, actor=await actor_of(uow, args),
                                     clock=app.clock)
        await uow.commit()
    say(f"{item.number}: {item.handled_by} is responsible")
    return EXIT_OK


async def cmd_erase(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        item = await complaints.erase(uow, args.number, actor=await actor_of(uow, args),
                                      clock=app.clock)
        await uow.commit()
    say(f"{item.number}: the applicant's name, contact and texts erased; the anonymised row "
        "stays for the counts")
    return EXIT_OK


async def cmd_export(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        data = await complaints.export_csv(uow, await actor_of(uow, args),
                                           agency_code=args.agency)
    write_csv(data, args.out)
    return EXIT_OK


async def cmd_tick(app: App, args: argparse.Namespace) -> int:
    result = await run_job(app, ComplaintJob(app), today_of(app, args))
    if result is None:
        say("another instance is running the complaints job now: nothing done")
        return EXIT_OK
    say(f"{result.delivered} message(s) to citizens queued; {result.drafts_dropped} expired "
        "draft(s) dropped")
    for r in result.reminders:
        say(f"{r.kind}: {r.number} ({r.agency_code or 'triage'}) due {r.due_on or '-'}"
            + (f" repeat of {r.repeat_of}" if r.repeat_of else ""))
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    c = parser.add_subparsers(dest="complaints_command", required=True)
    p = person(c.add_parser("list", help="citizens' complaints, oldest first"))
    p.add_argument("--agency", help="only this agency's (its code)")
    p.add_argument("--status", choices=[s.value for s in complaints.ComplaintStatus],
                   help="only those in this state")
    p.add_argument("--triage", action="store_true",
                   help="only those not passed to an agency yet")
    p.add_argument("--repeats", action="store_true",
                   help="only complaints made again about the same matter")
    p.add_argument("--limit", type=int, default=200, help="how many to show (default 200)")
    p.set_defaults(func=cmd_list)
    p = person(c.add_parser("show", help="one complaint with everything about it"))
    p.add_argument("number", help="its number, e.g. C-7")
    p.set_defaults(func=cmd_show)
    p = person(c.add_parser("respond", help="record the agency's response; the citizen gets "
                                           "it at once"))
    p.add_argument("number", help="its number, e.g. C-7")
    p.add_argument("--kk", help="the response in Kazakh")
    p.add_argument("--ru", help="the response in Russian")
    p.set_defaults(func=cmd_respond)
    p = person(c.add_parser("extend", help="the agency gives itself more time to decide "
                                          "(once, up to 10 working days, art. 25 of the "
                                          "Law); the citizen is told"))
    p.add_argument("number", help="its number, e.g. C-7")
    p.add_argument("--days", type=int, required=True, help="how many working days more")
    p.add_argument("--reason", required=True, help="why, as the citizen will read it")
    p.add_argument("--on", type=day, help="the day the agency extended it (default: today)")
    p.set_defaults(func=cmd_extend)
    p = person(c.add_parser("assign", help="pass a complaint to the agency that should "
                                          "decide it"))
    p.add_argument("number", help="its number, e.g. C-7")
    p.add_argument("agency", help="the agency's code (see ucc agency list)")
    p.set_defaults(func=cmd_assign)
    p = person(c.add_parser("take", help="take a complaint: you are the operator "
                                        "responsible for it"))
    p.add_argument("number", help="its number, e.g. C-7")
    p.set_defaults(func=cmd_take)
    p = person(c.add_parser("erase", help="remove the citizen's name, contact and texts "
                                         "(the complaint is still counted)"))
    p.add_argument("number", help="its number, e.g. C-7")
    p.set_defaults(func=cmd_erase)
    p = person(c.add_parser("export", help="save the complaints as a table (CSV)"))
    p.add_argument("--agency", help="only this agency's (its code)")
    p.add_argument("--out", default="-", help="the file to write ('-': print it)")
    p.set_defaults(func=cmd_export)
    p = c.add_parser("tick", help="do now what the bot does by itself every day: pass "
                                  "responses on, remind agencies, drop unfinished "
                                  "complaints")
    p.add_argument("--on", type=day, help="as if today were this day (YYYY-MM-DD)")
    p.set_defaults(func=cmd_tick)
