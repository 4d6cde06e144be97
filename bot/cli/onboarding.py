"""``ucc onboarding``: the agency onboarding protocol (002) run from the terminal.

The command line acts as the center's administrator; who did a step is stamped with
``--by`` (default: the login name), and when with ``--on`` (default: today). What reads a
case (``status``, ``documents``, ``protocol-document``) takes ``--as NAME``: an agency's
staff then read their own agency's cases only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.app import App
from bot.cli.common import (
    EXIT_OK,
    acting_as,
    actor_of,
    administrator,
    day,
    happened_on,
    invite_link,
    letter_queued,
    past_day,
    today_of,
)
from bot.jobs import run_job
from bot.jobs.onboarding import OnboardingJob
from bot.notify.letters import (
    protocol_attachment,
    queue_question_list,
    record_center_step,
    request_documents,
    send_protocol_for_signature,
)
from bot.texts.agencies import agency_name
from bot.texts.days import written_day
from bot.texts.i18n import gettext_for
from bot.texts.onboarding import (
    BY_ITSELF,
    HISTORY_COLUMNS,
    MACHINE_ACTORS,
    NEW_PERSON_DUE,
    ON_TIME,
    ROLE_TITLES,
    STATUS_COLUMNS,
    STEP_TITLES,
)
from bot.texts.terms import case_time_left
from knowledge import onboarding
from knowledge.agencies import agency_names
from knowledge.errors import InvalidInput
from knowledge.onboarding import acceptance, maintenance
from knowledge.onboarding.submission import read_submission
from knowledge.staff import Actor, Signatory, signatory_of


async def cmd_start(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        case = await onboarding.start_case(
            uow, args.register_no, args.agency, past_day(app, args.approved),
            actor=administrator(args), clock=app.clock, deadlines=app.deadlines,
            registered_on=args.registered and past_day(app, args.registered),
            name_kk=args.name_kk, name_ru=args.name_ru)
        await uow.commit()
    print(f"case for service {case.register_no} opened: request to {case.agency_code} "
          f"due {case.due_on}")
    return EXIT_OK


async def cmd_name(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        case = await onboarding.name_case(uow, args.register_no, name_kk=args.name_kk,
                                          name_ru=args.name_ru, actor=administrator(args))
        await uow.commit()
    print(f"service {case.register_no}: {case.name_kk} / {case.name_ru}")
    return EXIT_OK


def _warn_unnamed(actor: Actor, signatory: Signatory | None) -> None:
    """Documents name the center's person by full name and position, never by login."""
    if signatory is None:
        print(f"no full name and position for {actor.name}: the documents leave a blank to "
              f"fill by hand (ucc users edit {actor.name} --full-name … --position …)")


async def cmd_step(app: App, args: argparse.Namespace) -> int:
    actor, on = administrator(args), happened_on(app, args)
    async with app.uow() as uow:
        case, mailed = await record_center_step(
            uow, args.register_no, args.step_key, on=on, actor=actor,
            clock=app.clock, deadlines=app.deadlines, note=args.note)
        signatory = await signatory_of(uow, actor)
        await uow.commit()
    if args.step_key in ("request_sent", "training_held"):
        _warn_unnamed(actor, signatory)
    if args.step_key == "request_sent":
        print(f"request {letter_queued(app, mailed)}" if mailed else
              "the agency has no e-mail in the registry: send the documents yourself "
              f"(ucc onboarding documents {args.register_no} --out DIR)")
    _print_next(case)
    return EXIT_OK


async def cmd_documents(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        actor = await actor_of(uow, args)
        case = await onboarding.case_of(uow, args.register_no, actor)
        signatory = await signatory_of(uow, actor)
    documents = request_documents(case, executor=signatory, on=today_of(app, args),
                                  deadlines=app.deadlines)
    _warn_unnamed(actor, signatory)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for attachment in documents:
        (out / attachment.filename).write_bytes(attachment.data)
        print(out / attachment.filename)
    return EXIT_OK


async def cmd_appoint(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        case, member = await onboarding.appoint_responsible(
            uow, args.register_no, args.name, on=happened_on(app, args),
            actor=administrator(args), clock=app.clock, deadlines=app.deadlines,
            position=args.position, phone=args.phone, email=args.email,
            changed_on=args.changed_on and past_day(app, args.changed_on))
        await uow.commit()
        steps = await onboarding.history(uow, args.register_no, administrator(args))
    print(f"responsible person: {member.name} ({case.agency_code})")
    if steps[-1].step == "responsible_replaced":
        print(f"change of responsible person: {_timeliness(steps[-1], app)}")
    if member.invite_code:
        print(f"invite (one use): {invite_link(app.settings, member.invite_code)}")
    _print_next(case)
    return EXIT_OK


async def cmd_responsible_left(app: App, args: argparse.Namespace) -> int:
    """The responsible person left and nobody is named yet: the p.7 clock starts."""
    async with app.uow() as uow:
        await onboarding.record_departure(uow, args.register_no, on=happened_on(app, args),
                                          actor=administrator(args), clock=app.clock,
                                          deadlines=app.deadlines)
        await uow.commit()
        steps = await onboarding.history(uow, args.register_no, administrator(args))
    print(f"the responsible person of service {args.register_no} left on "
          f"{steps[-1].done_on}: the agency names the new one by {steps[-1].due_on} "
          "(002 p.7); reminders as for a step (ucc onboarding appoint closes it)")
    return EXIT_OK


async def cmd_submit(app: App, args: argparse.Namespace) -> int:
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {args.file}: {exc.strerror}") from None
    on = happened_on(app, args)
    async with app.uow() as uow:
        case = await onboarding.case_of(uow, args.register_no, administrator(args))
        doc = await read_submission(uow, case, raw)
    if case.kind == "update":
        async with app.uow() as uow:
            case = await maintenance.submit_update(
                uow, args.register_no, doc, on=on, actor=administrator(args), clock=app.clock)
            await uow.commit()
        print(f"update of service {case.register_no} stored for an operator's review "
              f"(ucc onboarding accept {case.register_no})")
        return EXIT_OK
    async with app.uow() as uow:
        case, report = await onboarding.submit_information(
            uow, args.register_no, doc, on=on, actor=administrator(args), clock=app.clock,
            deadlines=app.deadlines)
        await uow.commit()
    print(f"draft stored: {report.entries_added} entries added, {report.entries_updated} "
          "updated (not visible to citizens before the activation date)")
    _print_next(case)
    return EXIT_OK


async def cmd_status(app: App, args: argparse.Namespace) -> int:
    """The cases as staff read them in Telegram, in the reader's language (``--lang``,
    default ``UCC_DEFAULT_LANG``): the agency by name, the step by its title, the due date
    written out, the working days left."""
    today, lang = today_of(app, args), args.lang or app.settings.default_lang
    _ = gettext_for(lang).gettext
    async with app.uow() as uow:
        rows = await onboarding.cases(uow, await actor_of(uow, args), closed=args.all)
        names = await agency_names(uow)
    if not rows:
        print(_("No open onboarding cases."))
        return EXIT_OK
    table = [[_(title) for title in STATUS_COLUMNS]]
    for case in rows:
        table.append([
            case.register_no, written_day(case.due_on, lang) if case.due_on else "—",
            _(STEP_TITLES.get(case.step, case.step)),
            case_time_left(case, today, app.deadlines, lang) or "—",
            agency_name(case.agency_code, names, lang)])
    _print_table(table)
    return EXIT_OK


async def cmd_history(app: App, args: argparse.Namespace) -> int:
    """A case's steps: when each was done, against which due date, and by whom, in the
    reader's language (``--lang``, default ``UCC_DEFAULT_LANG``)."""
    lang = args.lang or app.settings.default_lang
    _ = gettext_for(lang).gettext
    async with app.uow() as uow:
        steps = await onboarding.history(uow, args.register_no, await actor_of(uow, args))
    table = [[_(title) for title in HISTORY_COLUMNS]]
    for entry in steps:
        note = f" ({entry.note})" if entry.note and entry.step != "question" else ""
        table.append([written_day(entry.done_on, lang),
                      _(STEP_TITLES.get(entry.step, entry.step)),
                      written_day(entry.due_on, lang) if entry.due_on else "—",
                      _read_timeliness(entry, app, lang), _recorded_by(entry.by, lang) + note])
    _print_table(table)
    return EXIT_OK


def _read_timeliness(entry: onboarding.HistoryEntry, app: App, lang: str) -> str:
    """On time, or how many working days late, as the reader says it."""
    if entry.due_on is None:
        return "—"
    due = written_day(entry.due_on, lang)
    if entry.step == onboarding.LEFT:
        return gettext_for(lang).gettext(NEW_PERSON_DUE).format(due=due)
    late = entry.working_days_late(app.deadlines.calendar)
    if late:
        return gettext_for(lang).ngettext("{n} working day late (due {due})",
                                          "{n} working days late (due {due})",
                                          late).format(n=late, due=due)
    return gettext_for(lang).gettext(ON_TIME)


def _recorded_by(by: str, lang: str) -> str:
    """"admin:Айгүл" as "Айгүл (администратор)"."""
    role, _colon, name = by.partition(":")
    if name in MACHINE_ACTORS:
        return gettext_for(lang).gettext(BY_ITSELF)
    title = ROLE_TITLES.get(role)
    return f"{name} ({gettext_for(lang).gettext(title)})" if title and name else by


def _print_table(table: list[list[str]]) -> None:
    """Columns as wide as their longest cell, two spaces apart."""
    widths = [max(len(row[column]) for row in table) for column in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(width)
                        for cell, width in zip(row, widths, strict=True)).rstrip())


def _timeliness(entry: onboarding.HistoryEntry, app: App) -> str:
    if entry.due_on is None:
        return "-"
    if entry.step == onboarding.LEFT:  # the clock it started, judged at the appointment
        return f"new person due {entry.due_on}"
    late = entry.working_days_late(app.deadlines.calendar)
    if late:
        return f"{late} working day{'s' if late > 1 else ''} late (due {entry.due_on})"
    return f"on time (due {entry.due_on})"


async def cmd_tick(app: App, args: argparse.Namespace) -> int:
    """What the bot's scheduler does each day: activation, reminders, overdue flags."""
    result = await run_job(app, OnboardingJob(app), today_of(app, args))
    if result is None:
        print("another instance is running the onboarding job now: nothing done")
        return EXIT_OK
    for case in result.live:
        print(f"live: service {case.register_no} ({case.agency_code})")
    for r in result.reminders:
        print(f"{r.kind}: service {r.case.register_no} step {r.step} due {r.due_on} "
              f"(owed by {r.owed_by})")
    return EXIT_OK


async def cmd_question(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        await acceptance.add_question(uow, args.register_no, args.text, on=today_of(app, args),
                                      actor=administrator(args), clock=app.clock)
        await uow.commit()
        pending = await acceptance.pending_questions(uow, args.register_no, administrator(args))
    print(f"{len(pending)} question(s) on service {args.register_no} waiting to be sent "
          f"(ucc onboarding send-questions {args.register_no})")
    return EXIT_OK


async def cmd_send_questions(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        questions = await acceptance.send_questions(
            uow, args.register_no, on=today_of(app, args), actor=administrator(args),
            clock=app.clock)
        ways = queue_question_list(uow, questions, clock=app.clock)
        await uow.commit()
    print(f"{len(questions.questions)} question(s) sent to the responsible person"
          + (f" by {', '.join(ways)}" if ways else
             ": nobody to send them to (no bound Telegram account, no e-mail)"))
    return EXIT_OK


async def cmd_protocol_document(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        actor = await actor_of(uow, args)
        signatory = await signatory_of(uow, actor)
        if args.send:
            data = await send_protocol_for_signature(
                uow, args.register_no, on=today_of(app, args), actor=actor,
                deadlines=app.deadlines, clock=app.clock)
            await uow.commit()
        else:
            data = await acceptance.protocol_data(
                uow, args.register_no, on=today_of(app, args), actor=actor,
                deadlines=app.deadlines, representative=str(signatory or ""))
    _warn_unnamed(actor, signatory)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    attachment = protocol_attachment(data)
    (out / attachment.filename).write_bytes(attachment.data)
    print(out / attachment.filename)
    return EXIT_OK


async def cmd_update(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        case = await maintenance.start_update(
            uow, args.register_no, past_day(app, args.act_date), actor=administrator(args),
            clock=app.clock, deadlines=app.deadlines, note=args.note)
        await uow.commit()
    print(f"update of service {case.register_no}: the agency's information due {case.due_on}")
    return EXIT_OK


async def cmd_accept(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        case = await maintenance.accept_update(
            uow, args.register_no, on=today_of(app, args), actor=administrator(args),
            clock=app.clock, effective_on=args.effective)
        await uow.commit()
    if case.step == "live":
        print(f"update of service {case.register_no} accepted: live from {case.activation_on}")
    else:
        print(f"update of service {case.register_no} accepted and live")
    return EXIT_OK


async def cmd_return(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        case = await maintenance.return_update(
            uow, args.register_no, args.reason, on=today_of(app, args), actor=administrator(args),
            clock=app.clock, deadlines=app.deadlines)
        await uow.commit()
    print(f"update of service {case.register_no} returned: a corrected one due {case.due_on}")
    return EXIT_OK


def _print_next(case: onboarding.Case) -> None:
    if case.step == "live":
        print(f"service {case.register_no} goes live on {case.activation_on}")
    else:
        print(f"service {case.register_no}: next {case.step}, due {case.due_on}")


REGISTER_NO = "the service's number in the Register of public services"


def add_parsers(parser: argparse.ArgumentParser) -> None:
    ob_sub = parser.add_subparsers(dest="onboarding_command", required=True)

    def with_common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--on", type=day, help="the day it happened (default: today)")
        p.add_argument("--by", help="who did it (default: your login name)")
        return p

    p = with_common(ob_sub.add_parser("start", help="begin: a service entered the Register; "
                                                    "the request to its agency is due"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("--agency", required=True, help="the agency's code (see ucc agency list)")
    p.add_argument("--approved", type=day, required=True,
                   help="the day the service's standard was approved")
    p.add_argument("--registered", type=day,
                   help="the day the service entered the Register, if later")
    # Required: the request form's column 3 and every letter name the service.
    p.add_argument("--name-kk", required=True,
                   help="the service's name in the Register, in Kazakh")
    p.add_argument("--name-ru", required=True,
                   help="the service's name in the Register, in Russian")
    p.set_defaults(func=cmd_start)
    p = with_common(ob_sub.add_parser(
        "name", help="give the service's name as in the Register, when it was started "
                     "without it"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("--name-kk", required=True, help="the name in Kazakh")
    p.add_argument("--name-ru", required=True, help="the name in Russian")
    p.set_defaults(func=cmd_name)
    p = acting_as(with_common(ob_sub.add_parser(
        "documents", help="save the request to the agency and the files it fills in, to "
                          "send them yourself")))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("--out", required=True, help="the folder to save them in")
    p.set_defaults(func=cmd_documents)
    for name, key, text in (
        ("request-sent", "request_sent",
         "the request went to the agency (it is e-mailed with its files, if the agency has "
         "an address)"),
        ("training", "training_held",
         "the agency trained the center's staff (the protocol goes to both sides to sign)"),
        ("protocol", "protocol_signed",
         "both sides signed the protocol: the service goes live 5 working days later"),
    ):
        p = with_common(ob_sub.add_parser(name, help=text))
        p.add_argument("register_no", help=REGISTER_NO)
        p.add_argument("--note", help="a remark kept with the step")
        p.set_defaults(func=cmd_step, step_key=key)
    p = with_common(ob_sub.add_parser("appoint", help="the agency named its responsible "
                                                      "person; prints their invitation link "
                                                      "for Telegram"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("name", help="the person's name")
    p.add_argument("--position", help="their position")
    p.add_argument("--phone", help="their phone number")
    p.add_argument("--email", help="their e-mail address")
    p.add_argument("--changed-on", type=day,
                   help="a replacement: the day the agency changed its person")
    p.set_defaults(func=cmd_appoint)
    p = with_common(ob_sub.add_parser(
        "responsible-left", help="the responsible person left and nobody is named yet "
                                 "(--on: the day they left); the agency must name a new one "
                                 "(para 7 of the Rules)"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.set_defaults(func=cmd_responsible_left)
    p = with_common(ob_sub.add_parser("question", help="note a question about the agency's "
                                                       "information, to ask at the training"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("text", help="the question")
    p.set_defaults(func=cmd_question)
    p = with_common(ob_sub.add_parser(
        "send-questions", help="send the noted questions to the agency's responsible "
                               "person"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.set_defaults(func=cmd_send_questions)
    p = acting_as(with_common(ob_sub.add_parser(
        "protocol-document", help="save the protocol of acceptance as a Word document "
                                  "(Kazakh and Russian)")))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("--out", required=True, help="the folder to save it in")
    p.add_argument("--send", action="store_true",
                   help="also send it to both sides for their signatures")
    p.set_defaults(func=cmd_protocol_document)
    p = with_common(ob_sub.add_parser(
        "update", help="the law behind a live service changed: the agency must send new "
                       "information"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("--act-date", type=day, required=True,
                   help="the day the act was approved or changed")
    p.add_argument("--note", help="which act")
    p.set_defaults(func=cmd_update)
    p = with_common(ob_sub.add_parser("accept", help="accept the new information the agency "
                                                     "sent"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("--effective", type=day, help="live from this day (default: at once)")
    p.set_defaults(func=cmd_accept)
    p = with_common(ob_sub.add_parser("return", help="send the agency's new information "
                                                     "back to be corrected"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("--reason", required=True, help="what to correct")
    p.set_defaults(func=cmd_return)
    p = with_common(ob_sub.add_parser(
        "submit", help="load the information the agency sent (its filled-in file); "
                       "citizens see it only once the service is live"))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("file", help="the filled-in .xlsx (or a knowledge file, .json)")
    p.set_defaults(func=cmd_submit)
    p = acting_as(with_common(ob_sub.add_parser("status",
                                                help="the services being brought in, and "
                                                     "what is due when")))
    p.add_argument("--all", action="store_true", help="finished ones too")
    p.add_argument("--lang", choices=["kk", "ru"],
                   help="the language to read it in (default: UCC_DEFAULT_LANG)")
    p.set_defaults(func=cmd_status)
    p = acting_as(with_common(ob_sub.add_parser(
        "history", help="one service's steps: when each was done, when it was due, and "
                        "by whom")))
    p.add_argument("register_no", help=REGISTER_NO)
    p.add_argument("--lang", choices=["kk", "ru"],
                   help="the language to read it in (default: UCC_DEFAULT_LANG)")
    p.set_defaults(func=cmd_history)
    p = with_common(ob_sub.add_parser("tick", help="do now what the bot does by itself "
                                                  "every day: make services live on their "
                                                  "day, send reminders"))
    p.set_defaults(func=cmd_tick)
