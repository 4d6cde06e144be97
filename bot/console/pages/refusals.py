"""Refusals (002 para 12): agencies' refusals to give information, reviewed by operators,
and the notices to the quality-control body — per agency and month, how many, due within 3
working days, sent or not — with the actions ``ucc refusals`` has: confirm (and send the
notice it triggers), reject, download a notice's files, e-mail it, mark it sent by hand.

The same use cases as the command line: an agency's staff see their own refusals only and
no notices; every refusal of access is audited.
"""

from __future__ import annotations

from typing import Any, Final

import aiohttp_jinja2
from aiohttp import web

from bot.console import dates
from bot.console.actions import Done, download, look_up, perform, render
from bot.console.errors import why_not
from bot.console.i18n import _, current_language, ngettext
from bot.console.security import APP_KEY, actor_of
from bot.notify.quality import NoticeLetter, notice_documents, send_notice
from bot.texts.agencies import agency_name
from knowledge import refusals
from knowledge.agencies import agency_names
from knowledge.db.uow import UnitOfWork
from knowledge.errors import KnowledgeError
from knowledge.refusals import Ground, Notice, RefusalStatus
from knowledge.staff import Actor, Signatory, signatory_of

REVIEWED_SHOWN: Final = 50
PENDING_SHOWN: Final = 200


def ground_title(ground: str) -> str:
    titles = {
        Ground.STATE_SECRET: _("State secret"),
        Ground.COMMERCIAL_SECRET: _("Commercial secret"),
        Ground.OTHER_SECRET: _("Other secret protected by law"),
        Ground.PLAIN: _("No lawful ground"),
    }
    return titles.get(Ground(ground), ground) if ground in set(Ground) else ground


def status_title(status: str) -> str:
    titles: dict[str, str] = {RefusalStatus.PENDING: _("waits for review"),
                              RefusalStatus.CONFIRMED: _("confirmed"),
                              RefusalStatus.REJECTED: _("rejected: not a refusal")}
    return titles.get(status, status)


def _refused() -> web.HTTPForbidden:
    return web.HTTPForbidden(text=_("This is not yours to see."))


def _notice_state(request: web.Request, notice: Notice) -> tuple[str, bool]:
    """A notice's state in words, and whether it is late or overdue (red)."""
    if notice.sent_on is not None:
        sent = _("sent on {day}").format(day=dates.day(notice.sent_on))
        if notice.late:
            return sent + " · " + _("late"), True
        return sent, False
    left = dates.days_left(request, notice.due_on) or 0
    if left < 0:
        return ngettext("not sent, overdue by {n} working day",
                        "not sent, overdue by {n} working days", -left).format(n=-left), True
    return ngettext("not sent, {n} working day left", "not sent, {n} working days left",
                    left).format(n=left), False


async def refusals_page(request: web.Request, *, error: str | None = None,
                        done: str | None = None) -> web.StreamResponse:
    app = request.app[APP_KEY]
    actor = actor_of(request)
    async with app.uow() as uow:
        pending = await refusals.refusals(uow, actor, status=RefusalStatus.PENDING,
                                          limit=PENDING_SHOWN + 1)
        reviewed = [r for r in await refusals.refusals(
            uow, actor, newest_first=True, limit=REVIEWED_SHOWN + len(pending))
            if r.status != RefusalStatus.PENDING][:REVIEWED_SHOWN]
        notices = await refusals.notices(uow, actor) if actor.of_center else []
        names = await agency_names(uow)
    lang = current_language()
    context: dict[str, Any] = {
        "pending": pending[:PENDING_SHOWN], "more_pending": len(pending) > PENDING_SHOWN,
        "reviewed": reviewed, "error": error, "done": done,
        "notices": [(n, *_notice_state(request, n)) for n in notices],
        "agency": lambda code: agency_name(code, names, lang),
        "ground_title": ground_title, "status_title": status_title,
        "qc_email": app.settings.qc_email}
    template = ("refusals_rows.html" if request.query.get("fragment") == "pending"
                else "refusals.html")
    return render(template, request, context, error=error)


def _done(what: str) -> str | None:
    return {
        "confirmed": _("The refusal is confirmed: it counts from now on."),
        "confirmed_notice": _("The refusal is confirmed, and it makes a notice to the "
                              "quality-control body: see it below."),
        "rejected": _("The refusal is rejected: it never counts."),
        "sent": _("The notice is e-mailed to the quality-control body."),
        "held": _("No quality-control address is configured (UCC_QC_EMAIL): the letter "
                  "waits in the outbox and goes as soon as the address is set. Or "
                  "download the files, send them yourself and mark the notice sent."),
        "by_hand": _("The notice is marked sent by hand."),
    }.get(what)


async def refusals_view(request: web.Request) -> web.StreamResponse:
    return await refusals_page(request, done=_done(request.query.get("done", "")))


def _why(exc: KnowledgeError) -> str:
    if isinstance(exc, refusals.RefusalDone):
        return _("This was done already.")
    return why_not(exc)


def _number(request: web.Request) -> int:
    try:
        return int(request.match_info["number"])
    except ValueError:
        raise web.HTTPNotFound() from None


async def review(request: web.Request) -> web.StreamResponse:
    """Confirm (``decision=confirm``, and ``send=1`` to e-mail the notice it triggers) or
    reject a refusal."""
    app = request.app[APP_KEY]
    form = await request.post()
    decision = str(form.get("decision", ""))
    number = _number(request)
    today = dates.today(request)

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        done = "rejected"
        if decision == "reject":
            await refusals.reject(uow, number, actor=actor, clock=app.clock)
        elif decision == "confirm":
            _refusal, notice = await refusals.confirm(
                uow, number, actor=actor, clock=app.clock, deadlines=app.deadlines)
            done = "confirmed" if notice is None else "confirmed_notice"
            if notice is not None and form.get("send") == "1":
                _notice, outcome = await send_notice(
                    uow, notice, qc_email=app.settings.qc_email, actor=actor,
                    today=today, clock=app.clock, notifier=app.notifier)
                done = "sent" if outcome == NoticeLetter.QUEUED else "held"
        else:
            raise web.HTTPBadRequest(text=_("No such action."))
        return Done(f"/refusals?done={done}", wake=True)
    return await perform(request, f"refusal {decision}", run, page=refusals_page, why=_why)


async def notice_action(request: web.Request) -> web.StreamResponse:
    """E-mail a notice (``how=send``) or mark it sent by hand (``how=by_hand``)."""
    app = request.app[APP_KEY]
    form = await request.post()
    how = str(form.get("how", ""))
    today = dates.today(request)

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        notice = await refusals.notice(uow, _number(request), actor)
        if how == "send":
            _notice, outcome = await send_notice(
                uow, notice, qc_email=app.settings.qc_email, actor=actor, today=today,
                clock=app.clock, notifier=app.notifier)
            done = "sent" if outcome == NoticeLetter.QUEUED else "held"
        elif how == "by_hand":
            await refusals.mark_sent(uow, notice.id, via="by_hand", on=today,
                                     actor=actor, clock=app.clock)
            done = "by_hand"
        else:
            raise web.HTTPBadRequest(text=_("No such action."))
        return Done(f"/refusals?done={done}", wake=True)
    return await perform(request, f"notice {how}", run, page=refusals_page, why=_why)


async def _notice(request: web.Request, what: str) -> tuple[Notice, Signatory | None]:
    """A notice the reader may see, and the signatory of its letter."""
    async def lookup(uow: UnitOfWork, actor: Actor) -> tuple[Notice, Signatory | None]:
        return (await refusals.notice(uow, _number(request), actor),
                await signatory_of(uow, actor))
    return await look_up(request, what, _("No such notice."), lookup)


async def notice_file(request: web.Request) -> web.StreamResponse:
    """One of a notice's files (the letter .docx, the supporting .xlsx and .csv), as
    ``ucc refusals notice N --out`` writes them."""
    notice, signatory = await _notice(request, "notice file")
    return download(request, notice_documents(notice, dates.today(request),
                                              signatory=signatory))


async def notice_page(request: web.Request) -> web.StreamResponse:
    """One notice: its period, refusals, state, files and actions."""
    notice, signatory = await _notice(request, "notice")
    files = notice_documents(notice, dates.today(request), signatory=signatory)
    return aiohttp_jinja2.render_template("refusal_notice.html", request, {
        "notice": notice, "files": [f.filename for f in files],
        "agency": agency_name(notice.agency_code, {notice.agency_code: (
            notice.agency_name_kk, notice.agency_name_ru)}, current_language()),
        "state": _notice_state(request, notice), "ground_title": ground_title})


def add_routes(web_app: web.Application) -> None:
    dates.install(web_app)
    web_app.router.add_get("/refusals", refusals_view)
    web_app.router.add_post("/refusals/{number}/review", review)
    web_app.router.add_get("/refusals/notices/{number}", notice_page)
    web_app.router.add_post("/refusals/notices/{number}/send", notice_action)
    web_app.router.add_get("/refusals/notices/{number}/files/{name}", notice_file)
