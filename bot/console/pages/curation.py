"""The curation page: unanswered questions grouped (out-of-scope ones marked as gaps),
agencies' answers to curate, proposals waiting; one proposal's diff, approved or rejected
by another person of the center than its author (``ucc curation``'s rules, in the domain).

The list is the center's; a proposal's page is also its service's agency's, who proposed
it and may follow it. Every refusal is audited.
"""

from __future__ import annotations

from typing import Final

import aiohttp_jinja2
from aiohttp import web

from bot.console.actions import Done, perform, refuse, render
from bot.console.errors import why_not
from bot.console.i18n import _
from bot.console.security import APP_KEY, actor_of
from knowledge import curation, lookup
from knowledge.db.uow import UnitOfWork
from knowledge.errors import KnowledgeError
from knowledge.staff import AccessDenied, Actor, Role

GROUPS: Final = 30
MAX_GROUPS: Final = 300
MEMO: Final = web.AppKey("ucc_unanswered_grouping", curation.GroupingMemo)


def _limit(request: web.Request) -> int:
    try:
        asked = int(request.query.get("limit", str(GROUPS)))
    except ValueError:
        asked = GROUPS
    return min(max(asked, GROUPS), MAX_GROUPS)


async def curation_page(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    actor = actor_of(request)
    limit = _limit(request)
    if request.query.get("fragment") == "proposals":
        return await _proposal_rows(request)
    try:
        async with app.uow() as uow:
            groups = await curation.unanswered_groups(uow, actor, limit=limit + 1,
                                                      memo=request.app[MEMO])
            waiting = await curation.proposals(uow, actor)
            items = await curation.curation_list(uow, actor)
    except AccessDenied as exc:
        raise await refuse(request, "curation", exc) from None
    return aiohttp_jinja2.render_template("curation.html", request, {
        "groups": groups[:limit], "more": len(groups) > limit and limit < MAX_GROUPS,
        "next_limit": min(limit + GROUPS, MAX_GROUPS), "proposals": waiting,
        "items": items})


async def _proposal_rows(request: web.Request) -> web.StreamResponse:
    """The proposals' rows alone (the page's live list): cheap, unlike the grouping of the
    unanswered questions, which is not re-run every few seconds."""
    app = request.app[APP_KEY]
    try:
        async with app.uow() as uow:
            waiting = await curation.proposals(uow, actor_of(request))
    except AccessDenied as exc:
        raise await refuse(request, "curation", exc) from None
    return aiohttp_jinja2.render_template("curation_proposals_rows.html", request,
                                          {"proposals": waiting})


async def _proposal(request: web.Request) -> curation.Proposal:
    app = request.app[APP_KEY]
    try:
        number = int(request.match_info["number"])
        async with app.uow() as uow:
            return await curation.proposal(uow, number, actor_of(request))
    except AccessDenied as exc:
        raise await refuse(request, "proposal", exc) from None
    except (KnowledgeError, ValueError):
        raise web.HTTPNotFound(text=_("No such proposal.")) from None


def _done(what: str) -> str | None:
    if what == "proposed":
        return _("Your proposal is saved. It changes nothing until another person of the "
                 "contact center approves it.")
    if what == "approved":
        return _("Approved: citizens are answered with it now.")
    if what == "rejected":
        return _("Rejected: the knowledge base stays as it was.")
    return None


def _why(exc: KnowledgeError) -> str:
    if isinstance(exc, curation.ReviewedAlready):
        return _("This proposal has been reviewed already.")
    if isinstance(exc, curation.ChangedMeanwhile):
        return _("The entry was changed after this proposal was made: reject it and "
                 "propose the edit again.")
    if isinstance(exc, curation.OwnProposal):
        return _("You made this proposal: another person reviews it.")
    return why_not(exc)


async def proposal_page(request: web.Request, *, error: str | None = None,
                        ) -> web.StreamResponse:
    found = await _proposal(request)
    actor = actor_of(request)
    own = found.proposed_by == f"{actor.role}:{actor.name}" and actor.role != Role.ADMIN
    return render("proposal.html", request, {
        "proposal": found, "changes": curation.changes(found), "error": error,
        "done": _done(request.query.get("done", "")),
        "may_review": actor.of_center and found.status == "pending" and not own,
        "own": own and found.status == "pending"}, error=error)


async def review(request: web.Request) -> web.StreamResponse:
    found = await _proposal(request)
    app = request.app[APP_KEY]
    action = request.match_info["action"]
    decide = curation.approve if action == "approve" else curation.reject

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        await decide(uow, found.id, actor=actor, clock=app.clock)
        done = "approved" if action == "approve" else "rejected"
        return Done(f"/curation/proposals/{found.id}?done={done}")
    return await perform(request, f"{action} proposal", run, page=proposal_page, why=_why)


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().isdigit()][:500]


def _item_id(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


async def propose_page(request: web.Request, *, error: str | None = None,
                       form: dict[str, str] | None = None) -> web.StreamResponse:
    """A new entry, or more questions of an entry, from unanswered questions or an
    agency's answer: the citizens' wording and the answer given filled in."""
    app = request.app[APP_KEY]
    actor = actor_of(request)
    values = form if form is not None else dict(request.query)
    ids = _ids(values.get("unanswered", ""))
    item_id = _item_id(values.get("item", ""))
    try:
        async with app.uow() as uow:
            group = await curation.unanswered_source(uow, actor, ids) if ids else None
            item = await curation.curation_item(uow, actor, item_id) if item_id else None
            services = await lookup.service_choices(uow, actor)
            entries = (await app.matchers.get(uow)).entries_by_key
    except AccessDenied as exc:
        raise await refuse(request, "propose", exc) from None
    except KnowledgeError:
        raise web.HTTPNotFound(text=_("No such question.")) from None
    if group is None and item is None:
        raise web.HTTPNotFound(text=_("No such question."))
    if form is None:
        best = group.best_entry if group else None
        lang = item.lang if item else group.lang if group else "ru"
        wording = item.question if item else group.text if group else ""
        form = {"register_no": (item.register_no if item and item.register_no else
                                entries[best].service.register_no if best in entries else ""),
                "entry_key": best or "", f"question_{lang}": wording,
                "answer_kk": (item.answer_kk or "") if item else "",
                "answer_ru": (item.answer_ru or "") if item else ""}
    return render("propose.html", request, {
        "group": group, "item": item, "services": services, "form": form, "error": error,
        "unanswered": ",".join(map(str, ids)), "item_id": item_id or ""}, error=error)


async def propose_view(request: web.Request) -> web.StreamResponse:
    return await propose_page(request)


async def propose(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    posted = await request.post()
    form = {name: str(posted.get(name, "")).strip() for name in (
        "unanswered", "item", "kind", "register_no", "entry_key", "question_kk",
        "question_ru", "answer_kk", "answer_ru")}
    ids, item_id = _ids(form["unanswered"]), _item_id(form["item"])

    async def run(uow: UnitOfWork, actor: Actor) -> Done:
        if form["kind"] == "variant":
            made = await curation.propose_variant(
                uow, form["entry_key"], actor=actor, clock=app.clock,
                item_id=item_id, unanswered_ids=ids,
                question_kk=form["question_kk"] or None,
                question_ru=form["question_ru"] or None)
        else:
            made = await curation.propose_entry(
                uow, actor=actor, clock=app.clock, item_id=item_id,
                unanswered_ids=ids, register_no=form["register_no"] or None,
                question_kk=form["question_kk"] or None,
                question_ru=form["question_ru"] or None,
                answer_kk=form["answer_kk"] or None, answer_ru=form["answer_ru"] or None)
        return Done(f"/curation/proposals/{made.id}?done=proposed")

    async def page(request: web.Request, *, error: str | None = None) -> web.StreamResponse:
        return await propose_page(request, form=form, error=error)
    return await perform(request, "propose", run, page=page,
                         why=lambda exc: why_not(exc, proposed=True))


def add_routes(web_app: web.Application) -> None:
    web_app[MEMO] = curation.GroupingMemo()
    web_app.router.add_get("/curation", curation_page)
    web_app.router.add_get("/curation/propose", propose_view)
    web_app.router.add_post("/curation/propose", propose)
    web_app.router.add_get("/curation/proposals/{number}", proposal_page)
    web_app.router.add_post("/curation/proposals/{number}/{action:approve|reject}", review)
