"""The administrators' pages: the audit log (refusals of access, sign-ins) newest first,
filtered and paged; and the people — staff with their agency, role and whether they have a
password — with the actions ``ucc users`` has: add, edit (how documents name them), a
one-time sign-in link, removal.

Operators and agencies are refused (and the refusal is audited), by the same use cases'
checks as the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web
from babel.dates import format_datetime

from bot.channels.telegram.replies import staff_menu_withdrawn
from bot.cli.common import invite_link
from bot.console.actions import Done, Invalid, agency_choices, field, perform, refuse, required
from bot.console.i18n import _, current_language
from bot.console.security import APP_KEY, actor_of
from bot.console.server import base_url
from bot.texts.agencies import agency_name
from bot.texts.days import LOCALES
from knowledge import audit
from knowledge.agencies import agency_names
from knowledge.calendar import KAZAKHSTAN
from knowledge.clock import Clock
from knowledge.credentials import issue_signin_link, people
from knowledge.db.uow import UnitOfWork
from knowledge.outbox import enqueue
from knowledge.staff import (
    AccessDenied,
    Actor,
    Role,
    StaffMember,
    add_staff,
    edit_staff,
    remove_staff,
)

PAGE: Final = 50
ADD_FIELDS: Final = ("name", "role", "agency", "full_name", "position")


def outcome_title(outcome: str) -> str:
    titles = {audit.DENIED: _("Refused"), audit.FAILED: _("Failed sign-in"),
              audit.SIGNED_IN: _("Signed in"), audit.CHANGED: _("Changed")}
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
        "add-person": _("Administration"), "edit-person": _("Administration"),
        "password": _("Sign-in"),
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


@dataclass(frozen=True, slots=True)
class Added:
    """A person just added: their two one-use links, shown on this answer only."""

    name: str
    invitation: str | None  # binds their Telegram account (as ``ucc users add`` prints)
    signin: str  # opens the console once, to set their own password


async def people_page(request: web.Request, *, error: str | None = None,
                      done: str | None = None, link: str | None = None,
                      added: Added | None = None, given: Mapping[str, str] | None = None,
                      status: int = 200) -> web.StreamResponse:
    """The list with its forms; ``given`` keeps what the add form had when it was refused."""
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
        "link": link, "added": added, "refused_add": given is not None,
        "given": {**dict.fromkeys(ADD_FIELDS, ""), **(given or {})},
        "roles": [(role.value, role_title(role)) for role in Role],
        "agencies": agency_choices(names, lang),
        "agency": lambda code: agency_name(code, names, lang) if code else "—"})
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
        _changed(uow, app.clock, actor, "remove-person", member)
        if member.telegram_user_id is not None:
            for item in staff_menu_withdrawn(member.telegram_user_id):
                enqueue(uow, item, app.clock)
        return Done("/people?" + urlencode({"removed": member.name}), wake=True)
    return await perform(request, "remove-person", run, page=_refused_page,
                         refused=_("Only an administrator may open this page."))


def _changed(uow: UnitOfWork, clock: Clock, actor: Actor, action: str,
             member: StaffMember) -> None:
    """A line of the audit log: who changed whom (in the change's own transaction)."""
    audit.record(uow, clock, who=actor.name, action=action, outcome=audit.CHANGED,
                 subject=f"#{member.id} {member.name}", detail=member.role.value)


async def add_person(request: web.Request) -> web.StreamResponse:
    """``ucc users add`` from a form: the person gets a Telegram invitation and a one-time
    sign-in link to set their own password (nobody types another's password)."""
    app = request.app[APP_KEY]
    form = await request.post()
    given = {name: field(form, name) or "" for name in ADD_FIELDS}

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        actor.require_admin()  # the administrators' page (the CLI is the server's owner)
        name = required(form, "name", _("Write the person's name."))
        role = given["role"]
        if role not in set(Role):
            raise Invalid(_("Choose the person's role."))
        member = await add_staff(uow, name, Role(role), app.clock,
                                 agency_code=given["agency"] or None,
                                 full_name=given["full_name"], position=given["position"],
                                 invite=True)
        token = await issue_signin_link(uow, f"#{member.id}", actor, app.clock)
        _changed(uow, app.clock, actor, "add-person", member)
        added = Added(member.name,
                      invite_link(app.settings, member.invite_code)
                      if member.invite_code else None,
                      f"{base_url(app)}/signin/link/{token}")
        return Done("/people", page=lambda: people_page(request, added=added))

    async def again(request: web.Request, *, error: str | None = None
                    ) -> web.StreamResponse:
        return await people_page(request, error=error, given=given, status=409)
    return await perform(request, "add-person", run, page=again,
                         refused=_("Only an administrator may open this page."))


async def edit_person(request: web.Request) -> web.StreamResponse:
    """``ucc users edit``: how documents name a person (full name, position)."""
    who = await _person_name(request)
    form = await request.post()

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        member = await edit_staff(uow, who, actor, full_name=field(form, "full_name"),
                                  position=field(form, "position"))
        _changed(uow, request.app[APP_KEY].clock, actor, "edit-person", member)
        return Done("/people?" + urlencode({"edited": member.name}))
    return await perform(request, "edit-person", run, page=_refused_page,
                         refused=_("Only an administrator may open this page."))


async def _refused_page(request: web.Request, *, error: str | None = None
                        ) -> web.StreamResponse:
    """The people's page again, saying why the change was not made."""
    return await people_page(request, error=error, status=409)


async def people_list(request: web.Request) -> web.StreamResponse:
    removed = request.query.get("removed")
    edited = request.query.get("edited")
    done = None
    if removed:
        done = _("{name} is removed: their sessions, invitation and Telegram role have "
                 "ended.").format(name=removed)
    elif edited:
        done = _("{name}: saved how documents name them.").format(name=edited)
    return await people_page(request, done=done)


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/audit", audit_log)
    web_app.router.add_get("/people", people_list)
    web_app.router.add_post("/people", add_person)
    web_app.router.add_post("/people/{id:\\d+}/edit", edit_person)
    web_app.router.add_post("/people/{id:\\d+}/signin-link", signin_link)
    web_app.router.add_post("/people/{id:\\d+}/remove", remove)
