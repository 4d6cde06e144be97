"""The console's pages: one module a page, each adding its routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from aiohttp import web

from bot.console.pages import (
    admin,
    complaints,
    conversations,
    curation,
    knowledge,
    onboarding,
    password,
    queue,
    refusals,
    reports,
    signin,
)

PAGES: Final[list[Callable[[web.Application], None]]] = [
    signin.add_routes,
    password.add_routes,
    queue.add_routes,
    conversations.add_routes,
    knowledge.add_routes,
    curation.add_routes,
    onboarding.add_routes,
    refusals.add_routes,
    complaints.add_routes,
    reports.add_routes,
    admin.add_routes,
]
