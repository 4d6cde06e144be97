"""Sign-in (a password, or a one-time link) and sign-out."""

from __future__ import annotations

from datetime import timedelta

import aiohttp_jinja2
from aiohttp import web
from aiohttp_session import get_session

from bot.console.i18n import _, ngettext
from bot.console.security import APP_KEY, open_session, safe_next
from bot.console.server import THROTTLE_KEY
from knowledge import audit
from knowledge.credentials import check_password, redeem_signin_link


def _client(request: web.Request) -> str:
    return f"ip:{request.remote or '?'}"


def _minutes(wait: timedelta) -> int:
    return max(1, int(wait.total_seconds() // 60) + (wait.total_seconds() % 60 > 0))


async def signin_page(request: web.Request) -> web.StreamResponse:
    await get_session(request)  # the form's CSRF token lives in the visitor's session
    return aiohttp_jinja2.render_template("signin.html", request, {
        "error": None, "name": "", "next": safe_next(request.query.get("next"))})


async def signin(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    throttle = request.app[THROTTLE_KEY]
    form = await request.post()
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")) or None)
    keys = (f"name:{name.lower()}", _client(request))
    wait = throttle.wait_for(*keys)
    person = None
    if wait is None:
        async with app.uow() as uow:
            person = await check_password(uow, name, password)
            audit.record(uow, app.clock, who=name or "anonymous", action="sign-in",
                         outcome="signed-in" if person else "failed", subject=_client(request))
            await uow.commit()
    if person is None:
        if wait is None:
            throttle.failed(*keys)
            error = _("The name or the password is wrong.")
        else:
            minutes = _minutes(wait)
            error = ngettext("Too many attempts: try again in {n} minute.",
                             "Too many attempts: try again in {n} minutes.",
                             minutes).format(n=minutes)
        response = aiohttp_jinja2.render_template("signin.html", request, {
            "error": error, "name": name, "next": target})
        response.set_status(429 if wait is not None else 401)
        return response
    throttle.succeeded(*keys)
    await open_session(request, person)
    raise web.HTTPSeeOther(target)


async def signin_link(request: web.Request) -> web.StreamResponse:
    """A one-time link: signs its person in once, then is spent; they go on to choose their
    own password (or skip it)."""
    app = request.app[APP_KEY]
    async with app.uow() as uow:
        person = await redeem_signin_link(uow, request.match_info["token"], app.clock)
        audit.record(uow, app.clock, who=f"#{person.staff_id}" if person else "anonymous",
                     action="sign-in link", outcome="signed-in" if person else "failed",
                     subject=_client(request))
        await uow.commit()
    if person is None:
        await get_session(request)
        response = aiohttp_jinja2.render_template("signin.html", request, {
            "error": _("This sign-in link is not valid: it was used already or has "
                       "expired. Ask an administrator for a new one."),
            "name": "", "next": "/"})
        response.set_status(410)
        return response
    await open_session(request, person, by_link=True)
    raise web.HTTPSeeOther("/password")


async def signout(request: web.Request) -> web.StreamResponse:
    session = await get_session(request)
    session.invalidate()
    raise web.HTTPSeeOther("/signin")


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/signin", signin_page)
    web_app.router.add_post("/signin", signin)
    web_app.router.add_get("/signin/link/{token}", signin_link)
    web_app.router.add_post("/signout", signout)
