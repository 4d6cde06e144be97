"""The queue: open questions oldest first, with their working-day due dates; one question's
page, where it is taken and answered in Kazakh and Russian.

The same use cases as ``ucc escalations`` and the Telegram buttons: agency staff see their
own agency's questions only, by list and by URL, and every refusal is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import aiohttp_jinja2
from aiohttp import web

from bot.console.i18n import _, current_language
from bot.console.security import APP_KEY, actor_of, deny
from bot.console.server import WAKE_SENDER
from bot.texts.agencies import agency_name
from knowledge import escalations
from knowledge.agencies import AgencyNames, agency_names
from knowledge.calendar import local_today
from knowledge.errors import KnowledgeError
from knowledge.escalations.model import Escalation, EscalationDone
from knowledge.staff import AccessDenied


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One question as the queue shows it."""

    item: Escalation
    agency: str
    days_left: int | None  # working days to the due date; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def _days_left(request: web.Request, due_on: date | None, today: date) -> int | None:
    if due_on is None:
        return None
    calendar = request.app[APP_KEY].deadlines.calendar
    return calendar.working_days_between(today, due_on)


@dataclass(frozen=True, slots=True)
class QueueFilters:
    agency: str | None = None
    triage: bool = False


async def _lines(request: web.Request) -> tuple[list[QueueLine], AgencyNames, QueueFilters]:
    app = request.app[APP_KEY]
    actor = actor_of(request)
    filters = QueueFilters()
    if actor.of_center:  # agency staff have one queue: their own
        filters = QueueFilters(request.query.get("agency") or None,
                               request.query.get("triage") == "1")
    async with app.uow() as uow:
        items = await escalations.queue(uow, actor, agency_code=filters.agency,
                                        triage=filters.triage, deadlines=app.deadlines)
        names = await agency_names(uow)
    today = local_today(app.clock.now())
    lang = current_language()
    lines = [QueueLine(item, agency_name(item.agency_code, names, lang),
                       _days_left(request, item.due_on, today)) for item in items]
    return lines, names, filters


async def queue_page(request: web.Request) -> web.StreamResponse:
    try:
        lines, names, filters = await _lines(request)
    except AccessDenied as exc:
        await deny(request, "queue", str(exc))
        raise web.HTTPForbidden(text=_("This is not yours to see.")) from None
    lang = current_language()
    agencies = sorted(((code, agency_name(code, names, lang)) for code in names),
                      key=lambda pair: pair[1])
    template = "queue_rows.html" if request.query.get("fragment") == "1" else "queue.html"
    return aiohttp_jinja2.render_template(template, request, {
        "lines": lines, "filters": filters, "agencies": agencies})


async def _item(request: web.Request) -> Escalation:
    app = request.app[APP_KEY]
    reference = request.match_info["reference"]
    try:
        async with app.uow() as uow:
            return await escalations.escalation(uow, reference, actor_of(request))
    except AccessDenied as exc:
        await deny(request, "escalation", str(exc))
        raise web.HTTPForbidden(text=_("This is not yours to see.")) from None
    except KnowledgeError:
        raise web.HTTPNotFound(text=_("No such question.")) from None


async def item_page(request: web.Request, *, error: str | None = None,
                    done: str | None = None) -> web.StreamResponse:
    item = await _item(request)
    app = request.app[APP_KEY]
    async with app.uow() as uow:
        names = await agency_names(uow)
    today = local_today(app.clock.now())
    response = aiohttp_jinja2.render_template("escalation.html", request, {
        "item": item, "agency": agency_name(item.agency_code, names, current_language()),
        "days_left": _days_left(request, item.due_on, today), "error": error, "done": done})
    if error:
        response.set_status(409)
    return response


def _done(what: str) -> str | None:
    """What the page says after an action it redirected from (``?done=``)."""
    if what == "answered":
        return _("The answer is saved; the citizens are being told.")
    if what == "taken":
        return _("The question is yours now.")
    return None


async def item_view(request: web.Request) -> web.StreamResponse:
    return await item_page(request, done=_done(request.query.get("done", "")))


def _why(exc: KnowledgeError) -> str:
    """A refusal in the reader's language (the domain's own message is for logs)."""
    if isinstance(exc, escalations.AlreadyTaken):
        return _("Somebody else has taken this question already.")
    if isinstance(exc, EscalationDone):
        return _("This question is settled already.")
    return _("This could not be done: {reason}").format(reason=exc)


async def take(request: web.Request) -> web.StreamResponse:
    item = await _item(request)
    app = request.app[APP_KEY]
    try:
        async with app.uow() as uow:
            await escalations.take(uow, item.reference, actor=actor_of(request),
                                   clock=app.clock)
            await uow.commit()
    except KnowledgeError as exc:
        return await item_page(request, error=_why(exc))
    raise web.HTTPSeeOther(f"/queue/{item.reference}?done=taken")


async def answer(request: web.Request) -> web.StreamResponse:
    """Answer in Kazakh, Russian or both; the citizens are told in the same transaction
    (the bot's sender delivers what is queued)."""
    item = await _item(request)
    app = request.app[APP_KEY]
    form = await request.post()
    kk = str(form.get("kk", "")).strip() or None
    ru = str(form.get("ru", "")).strip() or None
    if kk is None and ru is None:
        return await item_page(request, error=_("Write the answer in Kazakh, Russian or "
                                                "both."))
    try:
        async with app.uow() as uow:
            await escalations.answer(uow, item.reference, text_kk=kk, text_ru=ru,
                                     actor=actor_of(request), clock=app.clock)
            await app.notifier.pending_escalation_outcomes(uow)
            await uow.commit()
    except AccessDenied as exc:
        await deny(request, "answer", str(exc))
        raise web.HTTPForbidden(text=_("This is not yours to see.")) from None
    except KnowledgeError as exc:
        return await item_page(request, error=_why(exc))
    request.app[WAKE_SENDER]()
    raise web.HTTPSeeOther(f"/queue/{item.reference}?done=answered")


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/queue", queue_page)
    web_app.router.add_get("/queue/{reference}", item_view)
    web_app.router.add_post("/queue/{reference}/take", take)
    web_app.router.add_post("/queue/{reference}/answer", answer)
