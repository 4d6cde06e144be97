"""Onboarding: the cases as a board (a column a step, due dates and working days left), one
case's page with its history, the step actions ``ucc onboarding`` has, and its documents.

The same use cases as ``ucc onboarding`` and the bot's ``/case``: agency staff see their own
agency's cases only, by board and by URL, and every refusal is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import aiohttp_jinja2
from aiohttp import web

from bot.channels.email.letters import Attachment
from bot.cli.common import invite_link
from bot.console import dates
from bot.console.actions import (
    Done,
    agency_choices,
    download,
    field,
    look_up,
    perform,
    render,
    required,
)
from bot.console.errors import why_not
from bot.console.i18n import _, current_language, gettext, ngettext
from bot.console.security import APP_KEY, actor_of
from bot.notify.letters import (
    protocol_attachment,
    queue_question_list,
    record_center_step,
    request_documents,
    sign_protocol,
)
from bot.texts.agencies import agency_name
from bot.texts.onboarding import MACHINE_ACTORS, STEP_TITLES
from knowledge import onboarding
from knowledge.agencies import AgencyNames, agency_names
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidPack, KnowledgeError
from knowledge.onboarding import CaseCard, acceptance, maintenance
from knowledge.onboarding.board import board
from knowledge.onboarding.cases import StepOutOfOrder
from knowledge.onboarding.steps import own_target
from knowledge.onboarding.submission import read_submission
from knowledge.staff import Actor, signatory_of

UPLOAD_LIMIT: Final = 10 * 1024 * 1024  # an information template or a pack


def step_title(key: str) -> str:
    if key == onboarding.CLOSED:
        return _("closed: the service is live")
    return _(STEP_TITLES.get(key, key))


def _service_name(case: onboarding.Case) -> str:
    if current_language() == "kk":
        return case.name_kk or case.name_ru or "—"
    return case.name_ru or case.name_kk or "—"


def _term(case: onboarding.Case, days_left: int | None, request: web.Request) -> str:
    """What the date on a card means, in the reader's words."""
    if days_left is None:
        return ""
    if case.step == "live":
        return (ngettext("goes live in {n} working day", "goes live in {n} working days",
                         days_left).format(n=days_left) if days_left > 0
                else _("goes live today"))
    target = own_target(case.step, request.app[APP_KEY].deadlines.policy)
    if days_left < 0:
        late = -days_left
        return (ngettext("{n} working day past the center's own target",
                         "{n} working days past the center's own target", late)
                if target else ngettext("overdue by {n} working day",
                                        "overdue by {n} working days", late)).format(n=late)
    return (ngettext("{n} working day to the center's own target",
                     "{n} working days to the center's own target", days_left)
            if target else ngettext("{n} working day left", "{n} working days left",
                                    days_left)).format(n=days_left)


def _helpers(request: web.Request, names: AgencyNames) -> dict[str, Any]:
    lang = current_language()
    return {"step_title": step_title, "service_name": _service_name,
            "agency": lambda code: agency_name(code, names, lang),
            "term": lambda case, left: _term(case, left, request)}


async def board_page(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    actor = actor_of(request)
    closed = request.query.get("closed") == "1"
    async with app.uow() as uow:
        columns = await board(uow, actor, dates.today(request), app.deadlines.calendar,
                              closed=closed)
        names = await agency_names(uow)
    lang = current_language()
    agencies = agency_choices(names, lang)
    template = ("onboarding_columns.html" if request.query.get("fragment") == "1"
                else "onboarding.html")
    return aiohttp_jinja2.render_template(template, request, {
        "columns": columns, "agencies": agencies, "error": None, "form": {},
        "closed": closed, **_helpers(request, names)})


async def _card(request: web.Request) -> CaseCard:
    register_no = request.match_info["register_no"]
    return await look_up(request, "onboarding case", _("No such onboarding case."),
                         lambda uow, actor: onboarding.case_card(uow, register_no, actor))


def _done(what: str) -> str | None:
    """What the page says after an action it redirected from (``?done=``)."""
    return {
        "step": _("The step is recorded."),
        "request_sent": _("The step is recorded; the request and the template are queued "
                          "for the agency's official e-mail."),
        "no_email": _("The step is recorded. The agency has no official e-mail in the "
                      "registry: download the request and the template below and send them "
                      "another way."),
        "appointed": _("The responsible person is recorded."),
        "submitted": _("The information is stored as a draft; citizens do not see it before "
                       "the service goes live."),
        "update_submitted": _("The update is stored for an operator's review."),
        "question": _("The question is kept; send the questions when they are all written."),
        "questions_sent": _("The questions are sent to the responsible person."),
        "signed": _("Your signature is recorded."),
        "accepted": _("The update is accepted."),
        "returned": _("The update is returned for correction."),
        "left": _("The departure is recorded: the person has lost access, and the agency "
                  "owes the name of the new one."),
        "named": _("The service's names are recorded."),
        "update_opened": _("The update is opened: the agency owes the new information."),
    }.get(what)


async def case_page(request: web.Request, *, error: str | None = None,
                    done: str | None = None, invite: str | None = None,
                    ) -> web.StreamResponse:
    card = await _card(request)
    app = request.app[APP_KEY]
    async with app.uow() as uow:
        names = await agency_names(uow)
    case = card.case
    history = [(entry, entry.working_days_late(app.deadlines.calendar))
               for entry in card.history]
    return render("onboarding_case.html", request, {
        "card": card, "case": case, "days_left": dates.days_left(request, case.due_on),
        "history": history, "machine_actors": MACHINE_ACTORS,
        "error": error, "done": done, "invite": invite,
        "documents": _document_names(case), **_helpers(request, names)}, error=error)


async def case_view(request: web.Request) -> web.StreamResponse:
    return await case_page(request, done=_done(request.query.get("done", "")))


def _document_names(case: onboarding.Case) -> list[tuple[str, str]]:
    """The files of a case: (name, what it is)."""
    no = case.register_no
    files = []
    if case.name_kk and case.name_ru:
        files += [(f"request-{no}.xlsx", _("The request (Annex 1)")),
                  (f"information-{no}.xlsx", _("The template of the service's information"))]
    if case.step in ("protocol_signed", "live", onboarding.CLOSED):
        files.append((f"protocol-{no}.docx", _("The protocol of acceptance (kk and ru)")))
    return files


def _why(exc: KnowledgeError) -> str:
    if isinstance(exc, StepOutOfOrder):
        return _("This step cannot be taken now: service {register_no} waits for "
                 "“{step}”.").format(register_no=exc.register_no, step=step_title(exc.waits))
    if isinstance(exc, InvalidPack):
        return _("The file was refused: {problems}").format(
            problems="; ".join(p.render(gettext) for p in exc.problems[:10]))
    return why_not(exc)


def _back(register_no: str, done: str) -> str:
    return f"/onboarding/{register_no}?done={done}"


async def act(request: web.Request) -> web.StreamResponse:
    """One of the case's actions, by the form's ``action``: the same use cases as the
    command line and the bot's buttons."""
    card = await _card(request)
    app = request.app[APP_KEY]
    register_no = card.case.register_no
    form = await request.post()
    action = str(form.get("action", ""))
    today = dates.today(request)
    valid, on_given = dates.form_day(form.get("on"), today)
    valid_change, changed_on = dates.form_day(form.get("changed_on"), today)
    if not (valid and valid_change):
        return await case_page(request, error=_("Give a day that has come, or none for "
                                                "today."))
    on = on_given or today

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        done, wake = "step", False
        if action in ("request_sent", "training_held", "protocol_signed"):
            _case, mailed = await record_center_step(
                uow, register_no, action, on=on, actor=actor, clock=app.clock,
                deadlines=app.deadlines, note=field(form, "note"))
            if action == "request_sent":
                done = "request_sent" if mailed else "no_email"
            wake = True
        elif action == "appoint":
            name = required(form, "name", _("Write the person's name."))
            _case, member = await onboarding.appoint_responsible(
                uow, register_no, name, on=on, actor=actor, clock=app.clock,
                deadlines=app.deadlines, position=field(form, "position"),
                phone=field(form, "phone"), email=field(form, "email"),
                changed_on=changed_on)
            if member.invite_code:  # shown once, on this answer only: it is a one-use key
                invite = invite_link(request.app[APP_KEY].settings, member.invite_code)
                return Done(_back(register_no, "appointed"), page=lambda: case_page(
                    request, done=_done("appointed"), invite=invite))
            done = "appointed"
        elif action == "left":
            await onboarding.record_departure(uow, register_no, on=on, actor=actor,
                                              clock=app.clock, deadlines=app.deadlines)
            done = "left"
        elif action == "name":
            await onboarding.name_case(
                uow, register_no, name_kk=str(form.get("name_kk", "")),
                name_ru=str(form.get("name_ru", "")), actor=actor)
            done = "named"
        elif action == "update":
            await maintenance.start_update(
                uow, register_no, on, actor=actor, clock=app.clock,
                deadlines=app.deadlines, note=field(form, "note"))
            done = "update_opened"
        elif action == "question":
            text = required(form, "text", _("Write the question."))
            await acceptance.add_question(uow, register_no, text, on=on, actor=actor,
                                          clock=app.clock)
            done = "question"
        elif action == "send_questions":
            questions = await acceptance.send_questions(uow, register_no, on=on,
                                                        actor=actor, clock=app.clock)
            queue_question_list(uow, questions, clock=app.clock)
            done, wake = "questions_sent", True
        elif action == "sign":
            await sign_protocol(uow, register_no, on=on, actor=actor, clock=app.clock,
                                deadlines=app.deadlines)
            done, wake = "signed", True
        elif action == "accept":
            await maintenance.accept_update(uow, register_no, on=on, actor=actor,
                                            clock=app.clock)
            done = "accepted"
        elif action == "return":
            reason = required(form, "reason", _("Write why it goes back."))
            await maintenance.return_update(uow, register_no, reason, on=on, actor=actor,
                                            clock=app.clock, deadlines=app.deadlines)
            done = "returned"
        else:
            raise web.HTTPBadRequest(text=_("No such action."))
        return Done(_back(register_no, done), wake=wake)
    return await perform(request, f"onboarding {action}", run, page=case_page, why=_why)


async def submit(request: web.Request) -> web.StreamResponse:
    """The agency's information: the filled template (.xlsx) or a pack (.json)."""
    card = await _card(request)
    app = request.app[APP_KEY]
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        return await case_page(request, error=_("Choose the file to send."))
    raw = upload.file.read(UPLOAD_LIMIT + 1)
    if len(raw) > UPLOAD_LIMIT:
        return await case_page(request, error=_("The file is too large."))
    on = dates.today(request)
    register_no = card.case.register_no

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        case = await onboarding.case_of(uow, register_no, actor)
        doc = await read_submission(uow, case, raw)
        if case.kind == "update":
            await maintenance.submit_update(uow, register_no, doc, on=on, actor=actor,
                                            clock=app.clock)
            return Done(_back(register_no, "update_submitted"))
        await onboarding.submit_information(uow, register_no, doc, on=on, actor=actor,
                                            clock=app.clock, deadlines=app.deadlines)
        return Done(_back(register_no, "submitted"))
    return await perform(request, "onboarding submit", run, page=case_page, why=_why)


async def document(request: web.Request) -> web.StreamResponse:
    """A case's file, written as ``ucc onboarding documents`` / ``protocol-document`` write
    it, for whoever may read the case."""
    card = await _card(request)
    app = request.app[APP_KEY]
    case = card.case
    name = request.match_info["name"]
    on = dates.today(request)

    async def lookup(uow: UnitOfWork, actor: Actor) -> list[Attachment]:
        signatory = await signatory_of(uow, actor)
        if name.startswith(("request-", "information-")):
            return list(request_documents(case, executor=signatory, on=on,
                                          deadlines=app.deadlines))
        if name.startswith("protocol-"):
            data = await acceptance.protocol_data(
                uow, case.register_no, on=on, actor=actor, deadlines=app.deadlines,
                representative=str(signatory or ""))
            return [protocol_attachment(data)]
        return []
    return download(request, await look_up(request, "onboarding document", _why, lookup))


async def start(request: web.Request) -> web.StreamResponse:
    """A service entered the Register: a new case (the center only)."""
    app = request.app[APP_KEY]
    form = await request.post()
    fields = {key: str(form.get(key, "")).strip() for key in
              ("register_no", "agency", "approved", "name_kk", "name_ru")}
    try:
        approved = date.fromisoformat(fields["approved"])
    except ValueError:
        return await _board_error(request, fields, _("Give the day the standard was "
                                                     "approved."))
    if not all(fields.values()):
        return await _board_error(request, fields, _("Fill in every field."))
    if approved > dates.today(request):
        return await _board_error(request, fields, _("That day has not come yet."))

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        case = await onboarding.start_case(
            uow, fields["register_no"], fields["agency"], approved, actor=actor,
            clock=app.clock, deadlines=app.deadlines, name_kk=fields["name_kk"],
            name_ru=fields["name_ru"])
        return Done(_back(case.register_no, "step"))

    async def page(request: web.Request, *, error: str | None = None) -> web.StreamResponse:
        return await _board_error(request, fields, error or "")
    return await perform(request, "onboarding start", run, page=page, why=_why)


async def _board_error(request: web.Request, fields: dict[str, str],
                       error: str) -> web.StreamResponse:
    app = request.app[APP_KEY]
    async with app.uow() as uow:
        columns = await board(uow, actor_of(request), dates.today(request),
                              app.deadlines.calendar)
        names = await agency_names(uow)
    lang = current_language()
    agencies = agency_choices(names, lang)
    response = aiohttp_jinja2.render_template("onboarding.html", request, {
        "columns": columns, "agencies": agencies, "error": error, "form": fields,
        "closed": False, **_helpers(request, names)})
    response.set_status(409)
    return response


def add_routes(web_app: web.Application) -> None:
    dates.install(web_app)
    web_app.router.add_get("/onboarding", board_page)
    web_app.router.add_post("/onboarding/start", start)
    web_app.router.add_get("/onboarding/{register_no}", case_view)
    web_app.router.add_post("/onboarding/{register_no}/act", act)
    web_app.router.add_post("/onboarding/{register_no}/submit", submit)
    web_app.router.add_get("/onboarding/{register_no}/files/{name}", document)
