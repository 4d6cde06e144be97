"""The knowledge page: the services a page at a time, a search through the engine's own
matching, a question tried as a citizen, one service's card, and an entry's edit — which
changes nothing until another person of the center approves it (``/curation``).

Everyone reads what citizens read; an agency's staff propose edits of their own agency's
entries only (by form and by URL), and every refusal is audited.
"""

from __future__ import annotations

from typing import Final

import aiohttp_jinja2
from aiohttp import web

from bot.console.actions import Done, look_up, perform, refuse, render
from bot.console.errors import why_not
from bot.console.i18n import _, current_language
from bot.console.security import APP_KEY, actor_of
from bot.runners.terminal import render_answer
from bot.texts.agencies import agency_name
from knowledge import curation, lookup
from knowledge.agencies import agency_names
from knowledge.db.uow import UnitOfWork
from knowledge.errors import KnowledgeError
from knowledge.model import LANGS, Lang
from knowledge.staff import AccessDenied, Actor

TRY_LANGS: Final = ("auto", "kk", "ru")


def _offset(request: web.Request) -> int:
    try:
        return max(int(request.query.get("offset", "0")), 0)
    except ValueError:
        return 0


async def knowledge_page(request: web.Request) -> web.StreamResponse:
    """Search, the citizen's test box and the services' list on one page."""
    app = request.app[APP_KEY]
    actor = actor_of(request)
    query = request.query.get("q", "").strip()
    # a question is posted (a citizen's may be longer than an address can carry)
    posted = await request.post() if request.method == "POST" else request.query
    asked = str(posted.get("ask", "")).strip()
    chosen = str(posted.get("lang_as", "auto"))
    chosen = chosen if chosen in TRY_LANGS else "auto"
    chosen_lang: Lang | None = "kk" if chosen == "kk" else "ru" if chosen == "ru" else None
    lang = current_language()
    async with app.uow() as uow:
        names = await agency_names(uow)
        found = await lookup.search(uow, app.matchers, actor, query) if query else None
        page = await lookup.services_page(uow, actor, offset=_offset(request))
        trial = None
        if asked:
            trial = await lookup.as_citizen(
                uow, app.matchers, asked,
                chosen_lang=chosen_lang, default_lang=app.settings.default_lang)
            entries = (await app.matchers.get(uow)).entries_by_key
    reply: list[str] = []
    if trial is not None and trial.kind != "escalate":
        reply = render_answer(trial.answer, entries, trial.lang, too_long=trial.too_long)
    return aiohttp_jinja2.render_template("knowledge.html", request, {
        "query": query, "found": found, "page": page, "asked": asked, "chosen": chosen,
        "trial": trial, "reply": reply, "try_langs": TRY_LANGS,
        "agency": lambda code: agency_name(code, names, lang)})


async def _card(request: web.Request) -> lookup.ServiceCard:
    register_no = request.match_info["register_no"]
    return await look_up(request, "service", _("No such service."),
                         lambda uow, actor: lookup.service_card(uow, actor, register_no))


async def service_page(request: web.Request) -> web.StreamResponse:
    card = await _card(request)
    app = request.app[APP_KEY]
    async with app.uow() as uow:
        names = await agency_names(uow)
    return aiohttp_jinja2.render_template("service.html", request, {
        "card": card, "langs": LANGS,
        "agency": agency_name(card.service.agency, names, current_language())})


async def _entry(request: web.Request) -> tuple[lookup.ServiceCard, lookup.EntryCard]:
    """The entry to edit, of a service the reader may propose for (else refused, audited)."""
    card = await _card(request)
    key = request.match_info["key"]
    entry = next((e for e in card.entries if e.key == key), None)
    if entry is None:
        raise web.HTTPNotFound(text=_("No such entry."))
    if not card.editable:
        actor = actor_of(request)
        raise await refuse(request, "edit entry",
                            AccessDenied(f"{actor.name}: this belongs to another agency"))
    return card, entry


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


async def edit_page(request: web.Request, *, error: str | None = None,
                    form: dict[str, str] | None = None) -> web.StreamResponse:
    card, entry = await _entry(request)
    if form is None:
        form = {f"questions_{lang}": "\n".join(entry.questions.get(lang, ()))
                for lang in LANGS}
        form.update(answer_kk=entry.answer_kk or "", answer_ru=entry.answer_ru or "")
    return render("entry_edit.html", request, {
        "card": card, "entry": entry, "form": form, "error": error, "langs": LANGS}, error=error)


async def edit_view(request: web.Request) -> web.StreamResponse:
    return await edit_page(request)


def _reason(what: str, detail: str | None) -> str:
    language = _("In Kazakh") if detail == "kk" else _("In Russian")
    if what == "together":
        return _("{language}: write both the questions and the answer, or neither.").format(
            language=language)
    if what == "removed":
        return _("{language}: the entry has texts in this language; they cannot be left "
                 "empty.").format(language=language)
    if what == "waiting":
        return _("Another edit of this entry waits for review (proposal #{n}): it is "
                 "approved or rejected first.").format(n=detail)
    return _("Write the questions and the answer in one language at least.")


def _why(exc: KnowledgeError) -> str:
    """A refusal in the reader's language (the domain's own message is for logs)."""
    if isinstance(exc, curation.NothingChanged):
        return _("Nothing was changed.")
    if isinstance(exc, curation.EditRefused):
        return " ".join(_reason(what, detail) for what, detail in exc.reasons)
    return why_not(exc, proposed=True)


async def propose(request: web.Request) -> web.StreamResponse:
    """The edit becomes a proposal: the base is unchanged until another person approves."""
    card, entry = await _entry(request)
    app = request.app[APP_KEY]
    posted = await request.post()
    form = {name: str(posted.get(name, "")) for name in (
        "questions_kk", "questions_ru", "answer_kk", "answer_ru")}
    questions: dict[str, list[str]] = {lang: _lines(form[f"questions_{lang}"])
                                       for lang in LANGS}

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        proposal = await curation.propose_edit(
            uow, entry.key, actor=actor, clock=app.clock, questions=questions,
            answer_kk=form["answer_kk"], answer_ru=form["answer_ru"])
        return Done(f"/curation/proposals/{proposal.id}?done=proposed")

    async def page(request: web.Request, *, error: str | None = None) -> web.StreamResponse:
        return await edit_page(request, error=error, form=form)
    return await perform(request, "edit entry", run, page=page, why=_why)


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/knowledge", knowledge_page)
    web_app.router.add_post("/knowledge/ask", knowledge_page)
    web_app.router.add_get("/knowledge/ask", knowledge_page)  # the language switch's way back
    web_app.router.add_get("/knowledge/services/{register_no}", service_page)
    web_app.router.add_get("/knowledge/services/{register_no}/entries/{key}/edit",
                           edit_view)
    web_app.router.add_post("/knowledge/services/{register_no}/entries/{key}/edit",
                            propose)
