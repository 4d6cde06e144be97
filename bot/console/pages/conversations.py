"""Conversations: one citizen's history — what they wrote and were told, their questions
and complaints — found from a question ("the citizen's other messages") or by search (a
reference number, a citizen number, the center an address); personal data as the role
allows (``knowledge.history``), another agency's citizen refused by URL and audited."""

from __future__ import annotations

from typing import Final

import aiohttp_jinja2
from aiohttp import web

from bot.console.actions import refuse
from bot.console.i18n import _, current_language
from bot.console.security import APP_KEY, actor_of
from bot.texts.agencies import agency_name
from knowledge.agencies import agency_names
from knowledge.calendar import KAZAKHSTAN
from knowledge.clock import as_utc
from knowledge.history import NoSuchCitizen, citizen_history, find_citizen
from knowledge.staff import AccessDenied

CHANNELS: Final = {"telegram": "Telegram", "sms": "SMS", "cli": "CLI", "terminal": "CLI"}


async def search(request: web.Request) -> web.StreamResponse:
    query = request.query.get("q", "").strip()
    error = None
    if query:
        app = request.app[APP_KEY]
        try:
            async with app.uow() as uow:
                citizen_id = await find_citizen(uow, actor_of(request), query)
        except AccessDenied as exc:
            raise await refuse(request, "conversation", exc) from None
        except NoSuchCitizen:
            error = _("Nobody is found by “{query}”.").format(query=query)
        else:
            raise web.HTTPSeeOther(f"/conversations/{citizen_id}")
    response = aiohttp_jinja2.render_template("conversations.html", request, {
        "query": query, "error": error})
    if error:
        response.set_status(404)
    return response


async def history(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    try:
        citizen_id = int(request.match_info["citizen"])
        before = int(request.query["before"]) if "before" in request.query else None
    except ValueError:
        raise web.HTTPNotFound(text=_("Nobody is found.")) from None
    try:
        async with app.uow() as uow:
            found = await citizen_history(uow, actor_of(request), citizen_id, before=before)
            names = await agency_names(uow)
    except AccessDenied as exc:
        raise await refuse(request, "conversation", exc) from None
    except NoSuchCitizen:
        raise web.HTTPNotFound(text=_("Nobody is found.")) from None
    lang = current_language()
    return aiohttp_jinja2.render_template("conversation.html", request, {
        "history": found, "channel": CHANNELS.get(found.channel, found.channel),
        "agency": lambda code: agency_name(code, names, lang) if code else _(
            "No agency yet (triage)"),
        "local": lambda moment: as_utc(moment).astimezone(KAZAKHSTAN).strftime(
            "%d.%m.%Y %H:%M"),
        "query": ""})


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/conversations", search)
    web_app.router.add_get("/conversations/{citizen}", history)
