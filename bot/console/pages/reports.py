"""Reports: the month at a glance — per agency questions, answered by the bot, escalated,
answered by the agency, refused, overdue — with charts drawn on the server (inline SVG),
month over month, and the monthly report's files (``ucc report monthly``) to download; the
center makes a month's report here once the month is over (and may send it).

The center sees every agency; an agency's staff see their own line and their own file, as
``ucc report monthly --as`` gives them.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from aiohttp import web

from bot.console import charts, dates
from bot.console.actions import Done, attachment, perform, refuse, render
from bot.console.charts import Group, Series
from bot.console.i18n import _, current_language
from bot.console.security import APP_KEY, actor_of, deny
from bot.notify.quality import queue_report_emails
from bot.texts.agencies import agency_name
from knowledge.agencies import agency_names
from knowledge.complaints import complaint_register
from knowledge.db.uow import UnitOfWork
from knowledge.errors import KnowledgeError
from knowledge.refusals import add_months
from knowledge.reports import generate_monthly_report, month_of, report_files
from knowledge.reports.figures import TRIAGE
from knowledge.reports.glance import Line, month_glance
from knowledge.staff import AccessDenied, Actor

MONTHS_SHOWN: Final = 6


def _series() -> list[Series]:
    return [Series("questions", _("Questions"), "#0a5ca8"),
            Series("answered_by_bot", _("Answered by the bot"), "#1e7b34"),
            Series("escalated", _("Passed to the agency"), "#e08a00"),
            Series("answered_by_agency", _("Answered by the agency"), "#5aa9e6"),
            Series("refused", _("Refused"), "#7b3fa0"),
            Series("overdue", _("Overdue"), "#b3261e")]


def _month(request: web.Request, text: str | None) -> date:
    if not text:
        return dates.today(request).replace(day=1)
    try:
        return month_of(text)
    except KnowledgeError:
        raise web.HTTPNotFound(text=_("No such month.")) from None


def _values(line: Line) -> dict[str, int]:
    return {s.key: line.value(s.key) for s in _series()}


async def reports_page(request: web.Request, *, error: str | None = None,
                       done: str | None = None) -> web.StreamResponse:
    app = request.app[APP_KEY]
    actor = actor_of(request)
    month = _month(request, request.query.get("month"))
    async with app.uow() as uow:
        glance = await month_glance(uow, month, actor, months=MONTHS_SHOWN)
        names = await agency_names(uow)
    lang = current_language()

    def agency(code: str) -> str:
        return _("No agency found") if code == TRIAGE else agency_name(code, names, lang)

    series = _series()
    by_agency = charts.horizontal_bars(
        _("Per agency"), [Group(agency(line.agency), _values(line)) for line in glance.lines],
        series)
    over_months = charts.vertical_bars(
        _("Month over month"), [Group(dates.short_month(m.month), _values(m.totals))
                                for m in glance.history],
        [s for s in series if s.key in ("questions", "answered_by_bot", "escalated",
                                         "overdue")])
    this_month = dates.today(request).replace(day=1)
    return render("reports.html", request, {
        "glance": glance, "agency": agency, "series": series, "by_agency": by_agency,
        "over_months": over_months, "error": error, "done": done,
        "previous": f"{add_months(month, -1):%Y-%m}",
        "next": f"{add_months(month, 1):%Y-%m}" if month < this_month else None,
        "over": add_months(month, 1) <= this_month, "key": f"{month:%Y-%m}"}, error=error)


async def reports_view(request: web.Request) -> web.StreamResponse:
    done = {"made": _("The report is made and kept as it is."),
            "sent": _("The report is made; its letters are queued."),
            "held": _("The report is made; the quality-control body's letter waits in the "
                      "outbox: no address is configured (UCC_QC_EMAIL).")}.get(
        request.query.get("done", ""))
    return await reports_page(request, done=done)


async def generate(request: web.Request) -> web.StreamResponse:
    """Make the month's report once (``ucc report monthly``), and send it when asked."""
    app = request.app[APP_KEY]
    actor = actor_of(request)
    month = _month(request, request.match_info["month"])
    form = await request.post()
    try:
        actor.require_center()
    except AccessDenied as exc:
        raise await refuse(request, "report", exc) from None

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        report = await generate_monthly_report(uow, month, deadlines=app.deadlines,
                                               clock=app.clock, complaints=complaint_register)
        done = "made"
        if form.get("send") == "1":
            letters = await queue_report_emails(uow, report, app.settings.qc_email,
                                                clock=app.clock)
            done = "held" if letters.held else "sent"
        return Done(f"/reports?month={month:%Y-%m}&done={done}", wake=True)
    return await perform(request, "report", run, page=reports_page)


async def report_file(request: web.Request) -> web.StreamResponse:
    """One of the month's files the viewer may have (the whole, or the agency's slice)."""
    app = request.app[APP_KEY]
    month = _month(request, request.match_info["month"])
    name = request.match_info["name"]
    try:
        async with app.uow() as uow:
            files = await report_files(uow, month, actor_of(request))
    except KnowledgeError:
        raise web.HTTPNotFound(text=_("No report for this month yet.")) from None
    found = attachment(files, name)
    if found is not None:
        return found
    await deny(request, "report file", "not one of the viewer's files")
    raise web.HTTPForbidden(text=_("This is not yours to see."))


def add_routes(web_app: web.Application) -> None:
    dates.install(web_app)
    web_app.router.add_get("/reports", reports_view)
    web_app.router.add_post("/reports/{month}/generate", generate)
    web_app.router.add_get("/reports/{month}/files/{name}", report_file)
