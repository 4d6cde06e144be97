"""``POST /status/updates``: service providers push application stages, one update (a JSON
object) or a list, authenticated by their bearer token (``ucc status provider add``).

401 without a valid token, 400 when the body is not JSON, 422 with every problem named,
403 when an update touches another provider's application; 200 with the counts once the
updates (and the notices to citizens) are committed. The route is added to any
``web.Application``: the Telegram webhook, the SMS endpoints and this share one server.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Final

from aiohttp import web

from bot.app import App
from bot.channels.status.feed import feed
from knowledge.errors import InvalidFeed
from knowledge.status import parse_json
from knowledge.status.providers import any_provider, provider_by_token

log = logging.getLogger(__name__)

STATUS_PATH: Final = "/status/updates"


def _problems(status: int, problems: list[str]) -> web.Response:
    return web.json_response({"problems": problems}, status=status,
                             dumps=lambda o: json.dumps(o, ensure_ascii=False))


def add_status_routes(
    web_app: web.Application, app: App, *, on_queued: Callable[[], None] = lambda: None
) -> None:
    """Serve the providers' endpoint on ``web_app``; ``on_queued`` wakes the sender when
    citizens were notified."""

    async def receive(request: web.Request) -> web.Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        async with app.uow() as uow:
            provider = (await provider_by_token(uow, token.strip())
                        if scheme.lower() == "bearer" else None)
        if provider is None:
            return web.json_response({"error": "a valid bearer token is required"},
                                     status=401, headers={"WWW-Authenticate": "Bearer"})
        try:
            doc = await request.json()
        except ValueError:
            return _problems(400, ["$: the body is not JSON"])
        try:
            result = await feed(app, parse_json(doc, provider, app.status_desk.stages))
        except InvalidFeed as exc:
            log.info("status updates from %s refused: %d problem(s)", provider.name,
                     len(exc.problems))
            return _problems(403 if exc.forbidden else 422, exc.problems)
        log.info("status updates from %s: %d added, %d changed, %d unchanged, %d stale",
                 provider.name, result.added, result.changed, result.unchanged, result.stale)
        if result.notices:
            on_queued()
        return web.json_response({"added": result.added, "changed": result.changed,
                                  "unchanged": result.unchanged, "stale": result.stale,
                                  "notified": len(result.notices)})

    web_app.router.add_post(STATUS_PATH, receive)


async def status_http_wanted(app: App) -> bool:
    """Whether the bot must serve the endpoint even without a webhook: the setting
    ``UCC_STATUS__SERVE_HTTP`` when given, else as soon as a provider is registered."""
    wanted = app.settings.status.serve_http
    if wanted is not None:
        return wanted
    async with app.uow() as uow:
        return await any_provider(uow)
