"""The administrators' pages: the audit log (refusals of access, sign-ins) newest first,
filtered and paged; and the people — staff with their agency, role and whether they have a
password — with the actions ``ucc users`` has: a one-time sign-in link, removal.

Operators and agencies are refused (and the refusal is audited), by the same use cases'
checks as the command line.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web
from babel.dates import format_datetime

from bot.channels.telegram.replies import staff_menu_withdrawn
from bot.console.actions import Done, perform, refuse
from bot.console.i18n import _, current_language
from bot.console.security import APP_KEY, actor_of
from bot.console.server import base_url
from bot.texts.agencies import agency_name
from bot.texts.days import LOCALES
from knowledge import audit
from knowledge.agencies import agency_names
from knowledge.calendar import KAZAKHSTAN
from knowledge.credentials import issue_signin_link, people
from knowledge.db.uow import UnitOfWork
from knowledge.outbox import enqueue
from knowledge.staff import AccessDenied, Actor, Role, remove_staff

PAGE: Final = 50


def outcome_title(outcome: str) -> str:
    titles = {audit.DENIED: _("Refused"), audit.FAILED: _("Failed sign-in"),
              audit.SIGNED_IN: _("Signed in")}
    return titles.get(outcome, outcome)


def area_title(action: str) -> str:
    """What a line of the log was about, by its action's first word (the action itself,
    e.g. ``complaint extend``, is the code the command line and the logs use)."""
    if action in ("sign-in", "sign-in link"):
        return _("Sign-in by a link") if action == "sign-in link" else _("Sign-in")
    first = action.split(" ", 1)[0]
    areas = {
        "queue": _("Queue"), "escalation": _("Queue"),
        "conversation": _("Conversations"),
        "knowledge": _("Knowledge"), "service": _("Knowledge"), "entry": _("Knowledge"),
        "edit": _("Knowledge"),
        "curation": _("Curation"), "proposal": _("Curation"), "propose": _("Curation"),
        "review": _("Curation"),
        "onboarding": _("Onboarding"),
        "refusal": _("Refusals"), "notice": _("Refusals"),
        "complaint": _("Complaints"), "complaints": _("Complaints"),
        "report": _("Reports"),
        "audit": _("Administration"), "people": _("Administration"),
        "signin-link": _("Administration"), "remove-person": _("Administration"),
        "csrf": _("A form without its token"),
    }
    return areas.get(first, action)


def moment(at: datetime) -> str:
    """When, in Kazakhstan's time and the reader's language."""
    lang = current_language()
    local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(KAZAKHSTAN)
    return format_datetime(local, "d MMM y, HH:mm:ss", locale=LOCALES.get(lang, lang))


def role_title(role: str) -> str:
    titles = {Role.OPERATOR: _("Operator"), Role.ADMIN: _("Administrator"),
              Role.AGENCY: _("Agency staff")}
    return titles.get(Role(role), role) if role in set(Role) else role


async def _refuse(request: web.Request, what: str, exc: AccessDenied) -> web.HTTPForbidden:
    return await refuse(request, what, exc, _("Only an administrator may open this page."))


async def audit_log(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    outcome = request.query.get("outcome") or None
    who = (request.query.get("who") or "").strip() or None
    before_text = request.query.get("before", "")
    before = int(before_text) if before_text.isdigit() else None
    try:
        async with app.uow() as uow:
            page = await audit.audit_page(
                uow, actor_of(request), before=before, who=who, limit=PAGE,
                outcome=outcome if outcome in audit.OUTCOMES else None)
    except AccessDenied as exc:
        raise await _refuse(request, "audit", exc) from None
    more = None
    if page.more_before is not None:
        more = "/audit?" + urlencode({k: v for k, v in (
            ("outcome", outcome or ""), ("who", who or ""),
            ("before", str(page.more_before))) if v})
    return aiohttp_jinja2.render_template("audit.html", request, {
        "lines": page.lines, "outcome": outcome or "", "who": who or "",
        "outcomes": [(o, outcome_title(o)) for o in audit.OUTCOMES],
        "outcome_title": outcome_title, "moment": moment, "area_title": area_title, "more": more,
        "paged": before is not None})


async def people_page(request: web.Request, *, error: str | None = None,
                      done: str | None = None, link: str | None = None,
                      status: int = 200) -> web.StreamResponse:
    app = request.app[APP_KEY]
    lang = current_language()
    try:
        async with app.uow() as uow:
            staff = await people(uow, actor_of(request))
            names = await agency_names(uow)
    except AccessDenied as exc:
        raise await _refuse(request, "people", exc) from None
    response = aiohttp_jinja2.render_template("people.html", request, {
        "people": staff, "role_title": role_title, "error": error, "done": done,
        "link": link, "agency": lambda code: agency_name(code, names, lang) if code else "—"})
    response.set_status(status)
    return response


async def _person_name(request: web.Request) -> str:
    number = request.match_info["id"]
    return f"#{number}"  # by number: two people may share a name


async def signin_link(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    who = await _person_name(request)
    try:
        actor_of(request).require_admin()  # the administrators' page (the CLI lets operators too)
    except AccessDenied as exc:
        raise await _refuse(request, "signin-link", exc) from None

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        token = await issue_signin_link(uow, who, actor, app.clock)
        # shown once, on this answer only: a reload does not show it again
        return Done("/people", page=lambda: people_page(
            request, link=f"{base_url(app)}/signin/link/{token}"))
    return await perform(request, "signin-link", run, page=_refused_page,
                         refused=_("Only an administrator may open this page."))


async def remove(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    who = await _person_name(request)

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        member = await remove_staff(uow, who, actor)
        if member.telegram_user_id is not None:
            for item in staff_menu_withdrawn(member.telegram_user_id):
                enqueue(uow, item, app.clock)
        return Done("/people?" + urlencode({"removed": member.name}), wake=True)
    return await perform(request, "remove-person", run, page=_refused_page,
                         refused=_("Only an administrator may open this page."))


async def _refused_page(request: web.Request, *, error: str | None = None
                        ) -> web.StreamResponse:
    """The people's page again, saying why the change was not made."""
    return await people_page(request, error=error, status=409)


async def people_list(request: web.Request) -> web.StreamResponse:
    removed = request.query.get("removed")
    done = _("{name} is removed: their sessions, invitation and Telegram role have ended."
             ).format(name=removed) if removed else None
    return await people_page(request, done=done)


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/audit", audit_log)
    web_app.router.add_get("/people", people_list)
    web_app.router.add_post("/people/{id:\\d+}/signin-link", signin_link)
    web_app.router.add_post("/people/{id:\\d+}/remove", remove)
