"""Who is asking: the session cookie (encrypted and signed), the CSRF token every form
carries, and the check that a session still speaks for an active person in their role.

The cookie keeps the person's number, the role and session epoch it was opened with, when
it was opened and the CSRF token; nothing else. Every request looks the person up again,
so removal, another role or a new password end the session at its next request.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Final
from urllib.parse import quote

from aiohttp import web
from aiohttp_session import Session, get_session, new_session
from sqlalchemy import select

from bot.app import App
from bot.console.i18n import _
from knowledge import audit
from knowledge.credentials import SignedIn, session_actor
from knowledge.db.tables import ConsoleKeyRow
from knowledge.staff import Actor, Role

APP_KEY: Final = web.AppKey("ucc_app", App)
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "X-CSRF-Token"
SESSION_HOURS: Final = 12
ACTOR: Final = web.RequestKey("ucc_actor", Actor)
PUBLIC_PREFIXES: Final = ("/signin", "/static/", "/lang/", "/healthz")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def cookie_key(app: App) -> bytes:
    """32 bytes for the cookie's Fernet key: UCC_CONSOLE_SECRET, or one made on the first
    start and kept in the database (so sessions survive a restart)."""
    secret = app.settings.console_secret
    if secret is not None:
        raw = base64.urlsafe_b64decode(secret.get_secret_value().encode() + b"==")
        if len(raw) != 32:
            raise ValueError("UCC_CONSOLE_SECRET must be 32 bytes in url-safe base64 "
                             "(python -c 'import secrets; print(secrets.token_urlsafe(32))')")
        return raw
    async with app.uow() as uow:
        row = await uow.session.scalar(select(ConsoleKeyRow).order_by(ConsoleKeyRow.id))
        if row is None:
            row = ConsoleKeyRow(key=secrets.token_urlsafe(32), created_at=app.clock.now())
            uow.session.add(row)
            await uow.commit()
        key = row.key
    return base64.urlsafe_b64decode(key.encode() + b"==")


def csrf_token(session: Session) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        session["csrf"] = token
    return token


async def open_session(request: web.Request, person: SignedIn, *,
                       by_link: bool = False) -> None:
    """A new session for a person who has just proved who they are (a fresh cookie, a fresh
    CSRF token: nothing carries over from before sign-in). ``by_link``: opened by a one-time
    link, the proof that lets the person choose a password without typing the old one."""
    session = await new_session(request)
    session["sid"] = person.staff_id
    session["role"] = person.role.value
    session["epoch"] = person.epoch
    session["at"] = request.app[APP_KEY].clock.now().timestamp()
    if by_link:
        session["by_link"] = True
    csrf_token(session)


async def opened_by_link(request: web.Request) -> bool:
    """Whether this session was opened by a one-time sign-in link (and no password has been
    chosen in it since)."""
    return (await get_session(request)).get("by_link") is True


def _signed_in(session: Session) -> SignedIn | None:
    try:
        return SignedIn(int(session["sid"]), Role(session["role"]), int(session["epoch"]))
    except (KeyError, TypeError, ValueError):
        return None


def _expired(session: Session, now: datetime) -> bool:
    opened = session.get("at")
    if not isinstance(opened, (int, float)):
        return True
    return now.timestamp() - opened > timedelta(hours=SESSION_HOURS).total_seconds()


def actor_of(request: web.Request) -> Actor:
    """The signed-in person (the middleware has checked the session)."""
    actor: Actor = request[ACTOR]
    return actor


async def deny(request: web.Request, what: str, detail: str | None = None) -> None:
    """Audit a refusal: who, what they asked for."""
    app = request.app[APP_KEY]
    actor: Actor | None = request.get(ACTOR)
    async with app.uow() as uow:
        audit.record(uow, app.clock, who=actor.name if actor else "anonymous",
                     action=what, outcome=audit.DENIED, subject=request.path_qs,
                     detail=detail)
        await uow.commit()


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every form that changes something carries the session's token: a page of another
    site cannot post in a signed-in person's name."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        session = await get_session(request)
        expected = session.get("csrf")
        given = request.headers.get(CSRF_HEADER)
        if given is None and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            given = str((await request.post()).get(CSRF_FIELD, ""))
        if not (isinstance(expected, str) and given
                and hmac.compare_digest(expected.encode(), given.encode())):
            await deny(request, "csrf", "a form without its token")
            raise web.HTTPForbidden(text=_("The form was too old or came from elsewhere: "
                                         "reload the page and send it again."))
    return await handler(request)


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Signed-in pages need a live session; the others (sign-in, static files) do not."""
    if request.path.startswith(PUBLIC_PREFIXES):
        return await handler(request)
    app = request.app[APP_KEY]
    session = await get_session(request)
    person = _signed_in(session)
    actor = None
    if person is not None and not _expired(session, app.clock.now()):
        async with app.uow() as uow:
            actor = await session_actor(uow, person)
    if actor is None:
        if person is not None:
            session.invalidate()
        raise web.HTTPSeeOther(f"/signin?next={_quote(request.path_qs)}")
    request[ACTOR] = actor
    return await handler(request)


def _quote(path: str) -> str:
    return quote(path, safe="")


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a path of this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target
