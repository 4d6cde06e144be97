"""Refusals and errors as pages people can read: in the reader's language, inside the
layout, saying what happened and where to go; the status codes stay what they were.

A domain error's English text is for the CLI and the logs. People read its message id
translated (``KnowledgeError.said``), or a plain "could not be done" when it has none.
"""

from __future__ import annotations

import logging
from typing import Any, Final

import aiohttp_jinja2
from aiohttp import web

from bot.console.i18n import _, gettext
from knowledge.errors import KnowledgeError

log = logging.getLogger(__name__)

# the pages a "back to the list" link may lead to: the first part of the path
LISTS: Final = ("/queue", "/conversations", "/knowledge", "/curation", "/onboarding",
                "/refusals", "/complaints", "/reports", "/audit", "/people")


def why_not(exc: KnowledgeError, *, proposed: bool = False) -> str:
    """A domain error for people: its message translated, never the English (an error
    without a message id says only that it could not be done; the log keeps the English)."""
    told = exc.told(gettext)
    if told is None:
        log.info("a domain error without a message id shown as 'could not be done': %s",
                 exc)
        return _("This could not be proposed.") if proposed else _("This could not be done.")
    if proposed:
        return _("This could not be proposed: {reason}").format(reason=told)
    return _("This could not be done: {reason}").format(reason=told)


def _headline(status: int) -> str:
    if status == 403:
        return _("This is not yours to see.")
    if status == 404:
        return _("There is no such page.")
    if status == 409:
        return _("This could not be done now.")
    if status >= 500:
        return _("Something went wrong on our side.")
    return _("This request could not be understood.")


def _back(path: str) -> tuple[str, str]:
    for target in LISTS:
        if path == target or path.startswith(target + "/"):
            return target, _("Back to the list")
    return "/", _("To the start page")


def _detail(exc: web.HTTPException, headline: str) -> str | None:
    """The page's own words (``text=_("…")``, already translated), not aiohttp's English
    default ("404: Not Found")."""
    text = exc.text or ""
    if not text or text in (f"{exc.status}: {exc.reason}", headline):
        return None
    return text


async def _page(request: web.Request, status: int, detail: str | None) -> web.Response:
    # a refusal of the session or CSRF check comes before the template context is made
    from bot.console.server import page_context  # noqa: PLC0415 - server imports this

    headline = _headline(status)
    target, label = _back(request.path)
    context: dict[str, Any] = {**await page_context(request),
                               "status": status, "headline": headline,
                               "detail": detail if detail != headline else None,
                               "back": target, "back_label": label}
    return aiohttp_jinja2.render_template("error.html", request, context, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    """4xx refusals and unexpected errors as pages; redirects and answers pass through."""
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        if exc.content_type not in ("text/plain", "application/octet-stream"):
            raise
        headline = _headline(exc.status)
        page = await _page(request, exc.status, _detail(exc, headline))
        for name in ("Retry-After", "WWW-Authenticate", "Allow"):
            if name in exc.headers:
                page.headers[name] = exc.headers[name]
        return page
    except Exception:
        log.exception("console page %s %s failed", request.method, request.path)
        return await _page(request, 500, None)
    return response
