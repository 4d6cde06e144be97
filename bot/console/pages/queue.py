"""The queue: open questions oldest first, with their working-day due dates, grouped,
filtered (agency, status, service) and paged; one question's page, where it is taken,
assigned, answered in Kazakh and Russian, refused with its ground, its oral help
recorded, or answered from the knowledge base.

The same use cases as ``ucc escalations`` and the Telegram buttons: agency staff see their
own agency's questions only, by list and by URL, and every refusal is audited.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web

from bot.console import dates
from bot.console.actions import (
    Done,
    Invalid,
    agency_choices,
    field,
    look_up,
    perform,
    render,
    required,
)
from bot.console.errors import why_not
from bot.console.i18n import _, current_language
from bot.console.security import APP_KEY, actor_of
from bot.texts.agencies import agency_name
from bot.texts.days import written_day
from knowledge import escalations
from knowledge.agencies import AgencyNames, agency_names
from knowledge.calendar import day_it_happened, local_today
from knowledge.db.uow import UnitOfWork
from knowledge.errors import KnowledgeError
from knowledge.escalations.board import (
    QueuePage,
    QueueQuery,
    ServiceChoice,
    View,
    group_questions,
    queue_page,
    services_to_filter,
)
from knowledge.escalations.model import Escalation, EscalationDone, ReplyTooLong
from knowledge.refusals import Ground
from knowledge.staff import Actor

# the grounds an agency may give, as ``ucc escalations refuse --ground`` offers them
GROUNDS: Final = (*(g.value for g in Ground), escalations.NOT_COMPETENT)


def ground_title(ground: str) -> str:
    titles = {
        Ground.STATE_SECRET.value: _("State secret"),
        Ground.COMMERCIAL_SECRET.value: _("Commercial secret"),
        Ground.OTHER_SECRET.value: _("Other secret protected by law"),
        Ground.PLAIN.value: _("Refusal without a ground protected by law (give the reason)"),
        escalations.NOT_COMPETENT: _("Not our agency's competence (back to the operators)"),
    }
    return titles.get(ground, ground)


def view_title(view: View) -> str:
    titles = {
        View.OPEN: _("Waiting for an answer"), View.UNTAKEN: _("Not taken yet"),
        View.TAKEN: _("Taken"), View.OVERDUE: _("Overdue"),
        View.TRIAGE: _("No agency yet (triage)"), View.ANSWERED: _("Answered"),
        View.REFUSED: _("Refused"), View.CLOSED: _("Closed"),
    }
    return titles[view]


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One question as the queue shows it."""

    item: Escalation
    agency: str
    days_left: int | None  # working days to the due date; negative when overdue
    due: str | None  # the due date written in the reader's language

    @property
    def overdue(self) -> bool:
        return (self.item.status == "open" and self.days_left is not None
                and self.days_left < 0)


def _line(request: web.Request, item: Escalation, names: AgencyNames,
          today: date) -> QueueLine:
    lang = current_language()
    return QueueLine(item, agency_name(item.agency_code, names, lang),
                     dates.days_left(request, item.due_on),
                     written_day(item.due_on, lang) if item.due_on else None)


def _query(actor: Actor, params: Mapping[str, str]) -> QueueQuery:
    try:
        view = View(params.get("status") or View.OPEN.value)
    except ValueError:
        view = View.OPEN
    if params.get("triage") == "1":  # the older link's way of asking for the triage
        view = View.TRIAGE
    try:
        page = max(1, int(params.get("page") or 1))
    except ValueError:
        page = 1
    # agency staff have one queue: their own (the use case refuses another's)
    agency = (params.get("agency") or None) if actor.of_center else None
    return QueueQuery(view, agency, params.get("service") or None, page)


def _params(query: QueueQuery, page: int | None = None) -> str:
    params = {"status": query.view.value if query.view != View.OPEN else "",
              "agency": query.agency_code or "", "service": query.register_no or "",
              "page": str(page) if page and page > 1 else ""}
    return urlencode({k: v for k, v in params.items() if v})


async def queue_view(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    actor = actor_of(request)
    query = _query(actor, request.query)
    today = local_today(app.clock.now())

    async def lookup(uow: UnitOfWork, actor: Actor) -> tuple[
            QueuePage, AgencyNames, list[ServiceChoice]]:
        return (await queue_page(uow, actor, query, today=today, deadlines=app.deadlines),
                await agency_names(uow), await services_to_filter(uow, actor))
    found, names, services = await look_up(request, "queue", _("No such agency."), lookup)
    lang = current_language()
    lines = [_line(request, item, names, today) for item in found.items]
    agencies = agency_choices(names, lang)
    views = [v for v in View if actor.of_center or v != View.TRIAGE]
    params = _params(query)
    template = "queue_rows.html" if request.query.get("fragment") == "1" else "queue.html"
    return aiohttp_jinja2.render_template(template, request, {
        "lines": lines, "query": query, "found": found, "agencies": agencies,
        "views": [(v.value, view_title(v)) for v in views],
        "services": [(s.register_no, s.name(lang)) for s in services],
        "live": "/queue?" + urlencode({"fragment": "1"}) + ("&" + params if params else ""),
        "previous": ("/queue?" + _params(query, found.page - 1)) if found.page > 1 else None,
        "next": ("/queue?" + _params(query, found.page + 1))
        if found.page < found.pages else None})


async def _item(request: web.Request) -> Escalation:
    reference = request.match_info["reference"]
    return await look_up(request, "escalation", _("No such question."),
                         lambda uow, actor: escalations.escalation(uow, reference, actor))


async def item_page(request: web.Request, *, error: str | None = None,
                    done: str | None = None) -> web.StreamResponse:
    item = await _item(request)
    app = request.app[APP_KEY]
    actor = actor_of(request)
    lang = current_language()
    async with app.uow() as uow:
        names = await agency_names(uow)
        group = await group_questions(uow, item.reference, actor)
    today = local_today(app.clock.now())
    agencies = agency_choices(names, lang)
    return render("escalation.html", request, {
        "item": item, "line": _line(request, item, names, today),
        "group": [other for other in group if other.id != item.id],
        "agencies": agencies, "grounds": [(g, ground_title(g)) for g in GROUNDS],
        "today": today.isoformat(), "error": error, "done": done,
        "asked_on": written_day(item.created_at.date(), lang)}, error=error)


def _done(what: str) -> str | None:
    """What the page says after an action it redirected from (``?done=``)."""
    said = {
        "answered": _("The answer is saved; the citizens are being told."),
        "taken": _("The question is yours now."),
        "assigned": _("The question is in the agency's queue now."),
        "refused": _("The refusal is saved; the citizens are being told."),
        "triage": _("The question went back to the operators to find its agency."),
        "oral": _("The oral help is recorded; the citizens are being told."),
        "from_base": _("The answer from the knowledge base is on its way to the citizens."),
        "closed": _("The question is closed; the citizens are being told."),
    }
    return said.get(what)


async def item_view(request: web.Request) -> web.StreamResponse:
    return await item_page(request, done=_done(request.query.get("done", "")))


def _why(exc: KnowledgeError) -> str:
    """A refusal in the reader's language (the domain's own message is for logs)."""
    if isinstance(exc, escalations.AlreadyTaken):
        return _("Somebody else has taken this question already.")
    if isinstance(exc, EscalationDone):
        return _("This question is settled already.")
    if isinstance(exc, ReplyTooLong):
        # the language is in the sentence, not inserted: its name takes a case in both
        if exc.lang == "kk":
            text = _("The answer in Kazakh does not fit in one message: it has {length} "
                     "characters, and at most {limit} reach the citizen.")
        else:
            text = _("The answer in Russian does not fit in one message: it has {length} "
                     "characters, and at most {limit} reach the citizen.")
        return text.format(length=exc.length, limit=exc.limit)
    return why_not(exc)


# an action: stages its change in the unit of work; True when citizens are to be told
Action = Callable[[UnitOfWork, Escalation, Actor], Awaitable[bool]]


async def _act(request: web.Request, what: str, action: Action) -> web.StreamResponse:
    """Run one action on the question through its use case, in one transaction: the
    citizens' messages are queued with it and the sender woken; a refusal is audited."""
    item = await _item(request)
    app = request.app[APP_KEY]

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        tells = await action(uow, item, actor)
        if tells:
            await app.notifier.pending_escalation_outcomes(uow)
        return Done(f"/queue/{item.reference}?done={what}", wake=tells)
    return await perform(request, what, run, page=item_page, why=_why)


def _kk_ru(form: Mapping[str, Any], missing: str) -> tuple[str | None, str | None]:
    """A text written in Kazakh, Russian or both; ``missing`` when neither."""
    kk, ru = field(form, "kk"), field(form, "ru")
    if kk is None and ru is None:
        raise Invalid(missing)
    return kk, ru


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(_("Write the date as YYYY-MM-DD.")) from None


async def take(request: web.Request) -> web.StreamResponse:
    async def act(uow: UnitOfWork, item: Escalation, actor: Actor) -> bool:
        app = request.app[APP_KEY]
        await escalations.take(uow, item.reference, actor=actor, clock=app.clock)
        return False
    return await _act(request, "taken", act)


async def answer(request: web.Request) -> web.StreamResponse:
    """Answer in Kazakh, Russian or both; the citizens are told in the same transaction
    (the bot's sender delivers what is queued)."""
    form = await request.post()

    async def act(uow: UnitOfWork, item: Escalation, actor: Actor) -> bool:
        kk, ru = _kk_ru(form, _("Write the answer in Kazakh, Russian or both."))
        app = request.app[APP_KEY]
        await escalations.answer(uow, item.reference, text_kk=kk, text_ru=ru, actor=actor,
                                 clock=app.clock)
        return True
    return await _act(request, "answered", act)


async def assign(request: web.Request) -> web.StreamResponse:
    """Triage (or a wrong agency): the question and its group go to an agency's queue."""
    form = await request.post()

    async def act(uow: UnitOfWork, item: Escalation, actor: Actor) -> bool:
        agency = required(form, "agency", _("Choose the agency."))
        app = request.app[APP_KEY]
        await escalations.assign(uow, item.reference, agency, actor=actor, clock=app.clock,
                                 deadlines=app.deadlines)
        return False
    return await _act(request, "assigned", act)


async def refuse(request: web.Request) -> web.StreamResponse:
    """A refusal with its ground; "not our competence" sends the question back to the
    operators' triage and is no refusal (as ``ucc escalations refuse``)."""
    form = await request.post()
    ground = field(form, "ground") or ""

    async def act(uow: UnitOfWork, item: Escalation, actor: Actor) -> bool:
        if ground not in GROUNDS:
            raise Invalid(_("Choose the ground of the refusal."))
        app = request.app[APP_KEY]
        reason = field(form, "reason")
        if ground == escalations.NOT_COMPETENT:
            await escalations.not_competent(uow, item.reference, reason=reason, actor=actor,
                                            clock=app.clock, deadlines=app.deadlines)
            return False
        if ground == Ground.PLAIN.value and reason is None:
            raise Invalid(_("A refusal without a protected ground needs its reason: the "
                             "citizen reads it."))
        on = day_it_happened(_day(field(form, "on")), app.clock.now())
        await escalations.refuse(uow, item.reference, ground=ground, reason=reason,
                                 actor=actor, clock=app.clock, deadlines=app.deadlines, on=on)
        return True
    return await _act(request, "triage" if ground == escalations.NOT_COMPETENT else "refused",
                      act)


async def oral(request: web.Request) -> web.StreamResponse:
    """An operator records the agency's oral or telephone help: who, when, what (as
    ``ucc escalations oral``); what was said reaches the citizen."""
    form = await request.post()

    async def act(uow: UnitOfWork, item: Escalation, actor: Actor) -> bool:
        who, what = field(form, "who"), field(form, "what")
        if who is None or what is None:
            raise Invalid(_("Write who helped and what they said."))
        app = request.app[APP_KEY]
        on = day_it_happened(_day(field(form, "on")), app.clock.now())
        await escalations.record_oral_help(uow, item.reference, who=who, on=on, what=what,
                                           actor=actor, clock=app.clock)
        return True
    return await _act(request, "oral", act)


async def from_base(request: web.Request) -> web.StreamResponse:
    """The base had the answer after all: an entry's answer goes to the citizens."""
    form = await request.post()

    async def act(uow: UnitOfWork, item: Escalation, actor: Actor) -> bool:
        entry = required(form, "entry", _("Choose or write the entry of the knowledge base."))
        app = request.app[APP_KEY]
        await escalations.answer_from_base(uow, item.reference, entry, actor=actor,
                                           clock=app.clock)
        return True
    return await _act(request, "from_base", act)


async def close(request: web.Request) -> web.StreamResponse:
    """Not a question for the center (a complaint, a private matter): closed with a reply
    to the citizen (the center's, as ``ucc escalations close``)."""
    form = await request.post()

    async def act(uow: UnitOfWork, item: Escalation, actor: Actor) -> bool:
        kk, ru = _kk_ru(form, _("Write the reply to the citizen in Kazakh, Russian or both."))
        app = request.app[APP_KEY]
        await escalations.close_out_of_scope(uow, item.reference, reply_kk=kk, reply_ru=ru,
                                             actor=actor, clock=app.clock)
        return True
    return await _act(request, "closed", act)


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/queue", queue_view)
    web_app.router.add_get("/queue/{reference}", item_view)
    web_app.router.add_post("/queue/{reference}/take", take)
    web_app.router.add_post("/queue/{reference}/answer", answer)
    web_app.router.add_post("/queue/{reference}/assign", assign)
    web_app.router.add_post("/queue/{reference}/refuse", refuse)
    web_app.router.add_post("/queue/{reference}/oral", oral)
    web_app.router.add_post("/queue/{reference}/from-base", from_base)
    web_app.router.add_post("/queue/{reference}/close", close)
