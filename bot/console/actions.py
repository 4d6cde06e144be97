"""What every page does around a use case: look something up or act on it in one unit of
work, and answer the same way everywhere — a refusal of access is audited and forbidden, a
domain error is the page again saying why (in the reader's language), a form filled wrongly
is the page saying what to fix, and a change done wakes the sender (when citizens' messages
were queued) and redirects to the page that says it is done.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import aiohttp_jinja2
from aiohttp import web

from bot.console.errors import why_not
from bot.console.i18n import _
from bot.console.security import APP_KEY, actor_of, deny
from bot.console.server import WAKE_SENDER
from bot.texts.agencies import agency_name
from knowledge.agencies import AgencyNames
from knowledge.db.uow import UnitOfWork
from knowledge.errors import KnowledgeError
from knowledge.staff import AccessDenied, Actor

T = TypeVar("T")


class Invalid(Exception):
    """A form filled wrongly: the page says what to fix (nothing is changed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Done:
    """An action done: where the browser goes next (a page with ``?done=``), whether
    citizens' messages were queued (the sender is woken), and, instead of the redirect, a
    page to answer with (a one-use key shown once)."""

    to: str
    wake: bool = False
    page: Callable[[], Awaitable[web.StreamResponse]] | None = None


class ErrorPage(Protocol):
    def __call__(self, request: web.Request, *,
                 error: str | None = ...) -> Awaitable[web.StreamResponse]: ...


async def refuse(request: web.Request, what: str, exc: AccessDenied,
                 text: str | None = None) -> web.HTTPForbidden:
    """A refusal of access: audited, and the forbidden answer to raise."""
    await deny(request, what, str(exc))
    return web.HTTPForbidden(text=text if text is not None else _("This is not yours to see."))


async def look_up(request: web.Request, what: str,
                  missing: str | Callable[[KnowledgeError], str],
                  lookup: Callable[[UnitOfWork, Actor], Awaitable[T]]) -> T:
    """One thing the reader may see, in its own unit of work: another's is refused
    (audited, as ``what``), one that is not there is "not found" saying ``missing`` (or
    what it makes of the error)."""
    app = request.app[APP_KEY]
    try:
        async with app.uow() as uow:
            return await lookup(uow, actor_of(request))
    except AccessDenied as exc:
        raise await refuse(request, what, exc) from None
    except KnowledgeError as exc:
        raise web.HTTPNotFound(text=missing if isinstance(missing, str) else missing(exc)
                               ) from None


async def perform(request: web.Request, what: str,
              action: Callable[[UnitOfWork, Actor], Awaitable[Done]], *, page: ErrorPage,
              why: Callable[[KnowledgeError], str] = why_not,
              refused: str | None = None) -> web.StreamResponse:
    """Run one action through its use case in one transaction (committed when it returns):
    a refusal of access is audited (as ``what``) and forbidden (saying ``refused``, else
    that it is not the reader's); a domain error or a form
    filled wrongly is ``page`` again with the reason; else the sender is woken if messages
    were queued and the browser goes where the action says."""
    app = request.app[APP_KEY]
    try:
        async with app.uow() as uow:
            done = await action(uow, actor_of(request))
            await uow.commit()
    except AccessDenied as exc:
        raise await refuse(request, what, exc, refused) from None
    except Invalid as exc:
        return await page(request, error=exc.message)
    except KnowledgeError as exc:
        return await page(request, error=why(exc))
    if done.wake:
        request.app[WAKE_SENDER]()
    if done.page is not None:
        return await done.page()
    raise web.HTTPSeeOther(done.to)


def field(form: Mapping[str, Any], name: str) -> str | None:
    """A form's text field, trimmed; None when it is empty or missing."""
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def required(form: Mapping[str, Any], name: str, missing: str) -> str:
    """A text field that must be filled: else the form is ``Invalid``, saying ``missing``."""
    text = field(form, name)
    if text is None:
        raise Invalid(missing)
    return text


def agency_choices(names: AgencyNames, lang: str) -> list[tuple[str, str]]:
    """The agencies as a form's choices: (code, name in the reader's language), by name."""
    return sorted(((code, agency_name(code, names, lang)) for code in names),
                  key=lambda pair: pair[1])


class File(Protocol):
    """A file a page offers for download (a letter, a report, a notice's documents)."""

    @property
    def filename(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def data(self) -> bytes: ...


def attachment(files: Iterable[File], name: str) -> web.Response | None:
    """The file named ``name`` among ``files`` as a download, or None when it is not one."""
    for item in files:
        if item.filename == name:
            return web.Response(body=item.data, content_type=item.content_type, headers={
                "Content-Disposition": f'attachment; filename="{item.filename}"'})
    return None


def download(request: web.Request, files: Iterable[File]) -> web.Response:
    """The file the path names (``{name}``) among ``files``, else "no such document"."""
    found = attachment(files, request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound(text=_("No such document."))
    return found


def render(template: str, request: web.Request, context: dict[str, Any], *,
           error: str | None = None) -> web.Response:
    """A page; 409 when it says why an action was not done (``error``)."""
    response = aiohttp_jinja2.render_template(template, request, context)
    if error:
        response.set_status(409)
    return response
