"""The console's aiohttp application and its listener.

Pages are modules under ``bot.console.pages``, each with ``add_routes(web_app)``; the
navigation lists what each role may open. The listener is the console's own (never the
webhook's), ``UCC_CONSOLE_HOST:UCC_CONSOLE_PORT``.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import aiohttp_jinja2
import aiohttp_session
import jinja2
from aiohttp import web
from aiohttp.web_exceptions import NotAppKeyWarning
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.app import App
from bot.console import i18n
from bot.console.security import (
    ACTOR,
    APP_KEY,
    SESSION_HOURS,
    cookie_key,
    csrf_middleware,
    csrf_token,
    safe_next,
    session_middleware,
)
from bot.console.throttle import SigninThrottle
from knowledge.credentials import an_administrator_can_sign_in
from knowledge.staff import Actor, Role

log = logging.getLogger(__name__)
# aiohttp-session keeps its storage under a plain string key: its own code, said once
warnings.filterwarnings("ignore", category=NotAppKeyWarning, module="aiohttp_session")

HERE: Final = Path(__file__).resolve().parent
THROTTLE_KEY: Final = web.AppKey("ucc_signin_throttle", SigninThrottle)
COOKIE_NAME: Final = "ucc_console"
# called when a page has queued messages: the running bot's sender goes at once
Wake = Callable[[], None]
WAKE_SENDER: Final[web.AppKey[Wake]] = web.AppKey("ucc_wake_sender")


@dataclass(frozen=True, slots=True)
class NavItem:
    path: str
    title: str  # a gettext message id, translated when shown
    roles: frozenset[Role]


CENTER: Final = frozenset({Role.OPERATOR, Role.ADMIN})
EVERYONE: Final = frozenset(Role)
# the pages in the order the menu shows them; a page module adds its routes below
NAV: Final[list[NavItem]] = [
    NavItem("/queue", "Queue", EVERYONE),
    NavItem("/conversations", "Conversations", EVERYONE),
    NavItem("/knowledge", "Knowledge", EVERYONE),
    NavItem("/curation", "Curation", CENTER),
]


def base_url(app: App) -> str:
    """The console's address as people reach it: UCC_CONSOLE_BASE_URL, or the listener's."""
    settings = app.settings
    return (settings.console_base_url
            or f"http://{settings.console_host}:{settings.console_port}").rstrip("/")


async def _context(request: web.Request) -> dict[str, Any]:
    """What every template may use: the reader, the menu, the form token, the language."""
    actor: Actor | None = request.get(ACTOR)
    session = await aiohttp_session.get_session(request)
    nav = [item for item in NAV if actor is not None and actor.role in item.roles]
    return {"actor": actor, "nav": nav, "csrf_token": csrf_token(session),
            "lang": i18n.current_language(), "path": request.path}


@web.middleware
async def language_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    """The reader's language: their choice (a cookie), else the bot's default language."""
    chosen = request.cookies.get(i18n.COOKIE)
    i18n.use_language(chosen if chosen in i18n.LANGS
                      else request.app[APP_KEY].settings.default_lang)
    response: web.StreamResponse = await handler(request)
    return response


async def choose_language(request: web.Request) -> web.StreamResponse:
    lang = request.match_info["lang"]
    if lang not in i18n.LANGS:
        raise web.HTTPNotFound()
    response = web.HTTPSeeOther(safe_next(request.query.get("next")))
    response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, httponly=True,
                        samesite="Lax")
    raise response


async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/queue")


FIRST_START: Final = (
    "Nobody can sign in to the web console yet. Create the first administrator:\n"
    "  ucc users add NAME --role admin\n"
    "  ucc users passwd NAME        (or: ucc users signin-link NAME)")


async def first_start_hint(app: App) -> str | None:
    """How to create the first administrator, while no administrator can sign in."""
    async with app.uow() as uow:
        return None if await an_administrator_can_sign_in(uow) else FIRST_START


def _nothing() -> None:
    """No sender in this process (``ucc console`` alone): the bot's sender finds the
    messages in the outbox."""


async def create_console(app: App, *, wake_sender: Callable[[], None] = _nothing,
                         ) -> web.Application:
    """The console for ``app``: its pages, sessions and checks, ready to serve."""
    from bot.console.pages import PAGES  # noqa: PLC0415 - pages import this module's NAV

    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app[WAKE_SENDER] = wake_sender
    web_app[THROTTLE_KEY] = SigninThrottle(app.clock)
    secure = base_url(app).startswith("https://")
    aiohttp_session.setup(web_app, EncryptedCookieStorage(
        await cookie_key(app), cookie_name=COOKIE_NAME, max_age=SESSION_HOURS * 3600,
        httponly=True, samesite="Lax", secure=secure))
    web_app.middlewares.extend([language_middleware, session_middleware, csrf_middleware])
    env = aiohttp_jinja2.setup(
        web_app, loader=jinja2.FileSystemLoader(HERE / "templates"),
        context_processors=[_context], autoescape=True,
        undefined=jinja2.StrictUndefined)
    i18n.install(env)
    web_app.router.add_static("/static/", HERE / "static", name="static")
    web_app.router.add_get("/", home)
    web_app.router.add_get("/lang/{lang}", choose_language)
    for add_routes in PAGES:
        add_routes(web_app)
    return web_app


async def serve_console(app: App, *, wake_sender: Callable[[], None] = _nothing,
                        ) -> web.AppRunner:
    """Start the console's listener; the caller cleans the runner up."""
    settings = app.settings
    runner = web.AppRunner(await create_console(app, wake_sender=wake_sender),
                           access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.console_host, settings.console_port).start()
    log.info("web console on %s", base_url(app))
    return runner


async def serve_beside_bot(app: App, *, wake_sender: Callable[[], None] = _nothing,
                           ) -> web.AppRunner | None:
    """``ucc run``'s console (UCC_SERVE_CONSOLE): a console that cannot listen (its port
    taken) is reported and the bot goes on without it."""
    if not app.settings.serve_console:
        return None
    hint = await first_start_hint(app)
    if hint:
        log.warning("%s", hint)
    try:
        return await serve_console(app, wake_sender=wake_sender)
    except OSError as exc:
        log.warning("web console not served on %s:%s: %s", app.settings.console_host,
                    app.settings.console_port, exc.strerror or exc)
        return None
