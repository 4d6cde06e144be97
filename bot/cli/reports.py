"""``ucc report monthly``: the monthly analytical report (002 para 14), made once a month."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.app import App
from bot.cli.common import EXIT_OK, actor_of, letter_queued, person, say
from bot.notify.quality import queue_report_emails
from knowledge.complaints import complaint_register
from knowledge.reports import generate_monthly_report, month_of, report_files


async def cmd_report_monthly(app: App, args: argparse.Namespace) -> int:
    month = month_of(args.month)
    async with app.uow() as uow:
        actor = await actor_of(uow, args)
        if actor.of_center:
            report = await generate_monthly_report(uow, month, deadlines=app.deadlines,
                                                   clock=app.clock,
                                                   complaints=complaint_register)
            letters = (await queue_report_emails(uow, report, app.settings.qc_email,
                                                 clock=app.clock) if args.send else None)
            await uow.commit()
            sent = letters.sent_to if letters else []
            say(f"report {month:%Y-%m}: due {report.due_on}, generated {report.generated_on}"
                + (" (late)" if report.late else "")
                + "".join(f"; letter {letter_queued(app, address)}" for address in sent))
            if letters and letters.held:
                say("the quality-control body's letter waits in the outbox: UCC_QC_EMAIL is "
                    "not set (it goes once the address is set and the bot runs)")
        files = await report_files(uow, month, actor)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for item in files:
            (out / item.filename).write_bytes(item.data)
            say(out / item.filename)
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    rp_sub = parser.add_subparsers(dest="report_command", required=True)
    p = person(rp_sub.add_parser("monthly", help="a month's report (made once, then kept "
                                                 "as it was): save it or e-mail it"))
    p.add_argument("month", help="the month, as YYYY-MM")
    p.add_argument("--out", help="a folder for the files")
    p.add_argument("--send", action="store_true",
                   help="e-mail it: the whole report to the quality-control body "
                        "(UCC_QC_EMAIL), each agency its own part")
    p.set_defaults(func=cmd_report_monthly)
