"""The console's pages: one module a page, each adding its routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from aiohttp import web

from bot.console.pages import conversations, curation, knowledge, queue, signin

PAGES: Final[list[Callable[[web.Application], None]]] = [
    signin.add_routes,
    queue.add_routes,
    conversations.add_routes,
    knowledge.add_routes,
    curation.add_routes,
]
