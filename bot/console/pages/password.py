"""A person chooses their own console password, after a one-time sign-in link: the link is
the proof of who they are, so administrators never type (or know) another's password.

A session opened by a password cannot set a new one here (a borrowed, unlocked screen must
not change it): the person asks an administrator for a link. The same use case as ``ucc
users passwd`` checks the rules; a new password ends every other session of the person.
"""

from __future__ import annotations

from aiohttp import web

from bot.console.actions import Done, Invalid, perform, render
from bot.console.i18n import _
from bot.console.security import APP_KEY, deny, open_session, opened_by_link
from knowledge import audit
from knowledge.credentials import SignedIn, set_password
from knowledge.db.uow import UnitOfWork
from knowledge.staff import Actor


async def password_page(request: web.Request, *, error: str | None = None,
                        done: str | None = None) -> web.StreamResponse:
    return render("password.html", request, {
        "error": error, "done": done, "may_set": await opened_by_link(request)},
        error=error)


async def choose_password(request: web.Request) -> web.StreamResponse:
    if not await opened_by_link(request):
        await deny(request, "password", "a session not opened by a sign-in link")
        raise web.HTTPForbidden(text=_("To choose a new password, ask an administrator for "
                                       "a one-time sign-in link."))
    form = await request.post()
    password = str(form.get("password", ""))
    if password != str(form.get("again", "")):
        return await password_page(request, error=_("The two passwords differ: nothing was "
                                                    "changed."))
    chosen: list[SignedIn] = []

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        if actor.staff_id is None:
            raise Invalid(_("This could not be done."))
        row = await set_password(uow, f"#{actor.staff_id}", password, actor)
        app = request.app[APP_KEY]
        audit.record(uow, app.clock, who=actor.name, action="password",
                     outcome=audit.CHANGED, subject=f"#{row.id} {row.name}")
        chosen.append(SignedIn(row.id, actor.role, row.session_epoch or 0))
        return Done("/password", page=signed_in_again)

    async def signed_in_again() -> web.StreamResponse:
        # the new password ended every session, this one too: it goes on, by password now
        await open_session(request, chosen[0])
        return await password_page(request, done=_("Your password is set. Sign in with your "
                                                   "name and this password from now on."))
    return await perform(request, "password", run, page=password_page)


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/password", password_page)
    web_app.router.add_post("/password", choose_password)
