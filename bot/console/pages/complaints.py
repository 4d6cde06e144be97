"""Complaints (004 art.25; Annex 2): the register with due dates in working days, one
complaint's page, and the actions ``ucc complaints`` has — the agency's response in kk and
ru (the citizen is answered on their channel), an extension with its reason, the operators'
triage (forward, take), the erasure of the applicant's data, and the CSV export.

The same use cases as the command line: an agency's staff reach their own agency's
complaints only, by list, by URL and by export; every refusal is audited.
"""

from __future__ import annotations

from typing import Any, Final

import aiohttp_jinja2
from aiohttp import web
from yarl import URL

from bot.console import dates
from bot.console.actions import Done, Invalid, agency_choices, look_up, perform, refuse, render
from bot.console.errors import why_not
from bot.console.i18n import _, current_language
from bot.console.security import APP_KEY, actor_of
from bot.texts.agencies import agency_name
from knowledge import complaints
from knowledge.agencies import agency_names
from knowledge.complaints import Complaint, ComplaintStatus
from knowledge.complaints.categories import NATURE_BY_CODE, REGION_BY_CODE
from knowledge.db.uow import UnitOfWork
from knowledge.errors import AlreadyDone, KnowledgeError
from knowledge.staff import AccessDenied, Actor

PAGE: Final = 100
MOST: Final = 2000


def _status_title(status: str) -> str:
    titles: dict[str, str] = {ComplaintStatus.OPEN: _("waits for the agency"),
                              ComplaintStatus.ANSWERED: _("answered")}
    return titles.get(status, status)


def _named(table: dict[str, Any], code: str) -> str:
    found = table.get(code)
    return found.name(current_language()) if found is not None else code


def _limit(request: web.Request) -> int:
    try:
        return max(PAGE, min(MOST, int(request.query.get("limit", PAGE))))
    except ValueError:
        return PAGE


async def list_page(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    actor = actor_of(request)
    query = request.query
    chosen = query.get("status", "open")
    status = chosen if chosen in set(ComplaintStatus) else None
    agency = (query.get("agency") or None) if actor.of_center else None
    triage = actor.of_center and query.get("triage") == "1"
    repeats = query.get("repeats") == "1"
    limit = _limit(request)
    try:
        async with app.uow() as uow:
            items = await complaints.list_complaints(
                uow, actor, agency_code=agency, status=status, triage=triage,
                repeats=repeats, limit=limit + 1)
            names = await agency_names(uow)
    except AccessDenied as exc:
        raise await refuse(request, "complaints", exc) from None
    except KnowledgeError:
        items, names = [], {}
    lang = current_language()
    agencies = agency_choices(names, lang)
    more = dict(query) | {"limit": str(limit + PAGE)}
    live = URL("/complaints").with_query(dict(query) | {"fragment": "1"}).path_qs
    template = ("complaints_rows.html" if request.query.get("fragment") == "1"
                else "complaints.html")
    return aiohttp_jinja2.render_template(template, request, {
        "live": live,
        "lines": [(item, dates.days_left(request, item.due_on)) for item in items[:limit]],
        "more": (URL("/complaints").with_query(more).path_qs
                 if len(items) > limit and limit < MOST else None),
        "filters": {"status": status or "", "agency": agency or "", "triage": triage,
                    "repeats": repeats},
        "agencies": agencies, "status_title": _status_title,
        "agency": lambda code: agency_name(code, names, lang)})


async def _item(request: web.Request) -> Complaint:
    number = request.match_info["number"]
    return await look_up(request, "complaint", _("No such complaint."),
                         lambda uow, actor: complaints.complaint(uow, number, actor))


async def item_page(request: web.Request, *, error: str | None = None,
                    done: str | None = None) -> web.StreamResponse:
    item = await _item(request)
    app = request.app[APP_KEY]
    async with app.uow() as uow:
        names = await agency_names(uow)
    lang = current_language()
    agencies = agency_choices(names, lang)
    return render("complaint.html", request, {
        "item": item, "days_left": dates.days_left(request, item.due_on),
        "agency": agency_name(item.agency_code, names, lang), "agencies": agencies,
        "region": _named(REGION_BY_CODE, item.region),
        "nature": _named(NATURE_BY_CODE, item.nature),
        "status_title": _status_title, "error": error, "done": done,
        "extension_days": app.deadlines.policy.rule("complaint_extension").value}, error=error)


def _done(what: str) -> str | None:
    return {
        "responded": _("The response is saved; the applicant is being told."),
        "extended": _("The term is extended; the applicant is being told the new date and "
                      "the reason."),
        "assigned": _("The complaint is forwarded to the agency with its request."),
        "taken": _("You are responsible for this complaint now."),
        "erased": _("The applicant's name, contact and texts are erased."),
    }.get(what)


async def item_view(request: web.Request) -> web.StreamResponse:
    return await item_page(request, done=_done(request.query.get("done", "")))


def _why(exc: KnowledgeError) -> str:
    if isinstance(exc, AlreadyDone):
        return _("This was done already.")
    return why_not(exc)


async def act(request: web.Request) -> web.StreamResponse:
    """One of the complaint's actions, by the form's ``action``."""
    item = await _item(request)
    app = request.app[APP_KEY]
    form = await request.post()
    action = str(form.get("action", ""))
    on = dates.today(request)

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        if action == "respond":
            kk = str(form.get("kk", "")).strip() or None
            ru = str(form.get("ru", "")).strip() or None
            if kk is None and ru is None:
                raise Invalid(_("Write the response in Kazakh, Russian or both."))
            await complaints.respond(uow, item.number, text_kk=kk, text_ru=ru,
                                     actor=actor, clock=app.clock)
            await app.notifier.pending_complaint_outcomes(uow)
            done = "responded"
        elif action == "extend":
            reason = str(form.get("reason", "")).strip()
            try:
                days = int(str(form.get("days", "")))
            except ValueError:
                days = 0
            if not reason or days <= 0:
                raise Invalid(_("Give the working days and the reason."))
            valid, day = dates.form_day(form.get("on"), on)
            if not valid:
                raise Invalid(_("Give a day that has come, or none for today."))
            _item_now, notice = await complaints.extend(
                uow, item.number, days, reason=reason, actor=actor, clock=app.clock,
                deadlines=app.deadlines, on=day or on)
            await app.notifier.complaint_outcomes(uow, [notice] if notice else [])
            done = "extended"
        elif action == "assign":
            await complaints.assign(uow, item.number, str(form.get("agency", "")),
                                    actor=actor, clock=app.clock, deadlines=app.deadlines)
            done = "assigned"
        elif action == "take":
            await complaints.take(uow, item.number, actor=actor, clock=app.clock)
            done = "taken"
        elif action == "erase":
            await complaints.erase(uow, item.number, actor=actor, clock=app.clock)
            done = "erased"
        else:
            raise web.HTTPBadRequest(text=_("No such action."))
        return Done(f"/complaints/{item.number}?done={done}", wake=True)
    return await perform(request, f"complaint {action}", run, page=item_page, why=_why)


async def export(request: web.Request) -> web.StreamResponse:
    """The complaints one may see, every status, as CSV (``ucc complaints export``)."""
    agency = request.query.get("agency") or None
    data = await look_up(request, "complaints export", _("No such agency."),
                         lambda uow, actor: complaints.export_csv(uow, actor,
                                                                  agency_code=agency))
    return web.Response(body=data, content_type="text/csv", charset="utf-8", headers={
        "Content-Disposition": 'attachment; filename="complaints.csv"'})


def add_routes(web_app: web.Application) -> None:
    dates.install(web_app)
    web_app.router.add_get("/complaints", list_page)
    web_app.router.add_get("/complaints.csv", export)
    web_app.router.add_get("/complaints/{number}", item_view)
    web_app.router.add_post("/complaints/{number}/act", act)
