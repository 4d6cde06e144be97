"""The knowledge base as staff look it up: the services a page at a time, one service's
card with its entries, a search through the engine's own matching (what a citizen asking
these words would be offered), and a question tried as a citizen, which records nothing.

Everyone may read what citizens read (the live services of every agency); a draft service
is its agency's and the center's only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

from sqlalchemy import func, or_, select

from knowledge.asking import MatcherCache, small_talk_answer, talk_of, too_long_answer
from knowledge.db.tables import AgencyRow, EntryRow, KbProposalRow, ServiceRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import KnowledgeError
from knowledge.length import TooLong, over_limit
from knowledge.matching.matcher import OUT_OF_SCOPE
from knowledge.model import Answer, Decision, EntryInfo, Lang, ServiceState
from knowledge.problems import marked
from knowledge.staff import Actor

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

PAGE: Final = 25
SEARCH_HITS: Final = 15
SERVICE_HITS: Final = 10


class NoSuchService(KnowledgeError):
    """No service by that register number (or none this person may read)."""


@dataclass(frozen=True, slots=True)
class ServiceLine:
    id: int
    register_no: str
    agency: str  # its code; pages show its name
    name_kk: str | None
    name_ru: str | None
    state: str
    entries: int

    @property
    def live(self) -> bool:
        return self.state == ServiceState.LIVE

    def name(self, lang: str) -> str:
        first, second = (self.name_kk, self.name_ru) if lang == "kk" else (
            self.name_ru, self.name_kk)
        return first or second or self.register_no


@dataclass(frozen=True, slots=True)
class ServicesPage:
    lines: tuple[ServiceLine, ...]
    offset: int
    more: bool  # another page follows


@dataclass(frozen=True, slots=True)
class EntryCard:
    key: str
    questions: dict[str, tuple[str, ...]]
    answer_kk: str | None
    answer_ru: str | None


@dataclass(frozen=True, slots=True)
class ServiceCard:
    service: ServiceLine
    agency_id: int
    entries: tuple[EntryCard, ...]
    editable: bool  # the reader may propose edits of its entries
    # proposals waiting for review, by entry key (the reader's to see when editable)
    waiting: dict[str, tuple[int, ...]] = field(default_factory=dict)


def _readable(actor: Actor) -> object:
    """The services a person may read: live ones, and their own agency's drafts."""
    if actor.of_center:
        return True
    return or_(ServiceRow.state == ServiceState.LIVE, ServiceRow.agency_id == actor.agency_id)


def _line(row: ServiceRow, code: str, entries: int) -> ServiceLine:
    return ServiceLine(row.id, row.register_no, code, row.name_kk, row.name_ru, row.state,
                       entries)


async def services_page(
    uow: UnitOfWork, actor: Actor, *, offset: int = 0, limit: int = PAGE,
    agency_code: str | None = None,
) -> ServicesPage:
    """The services in the base's order, ``limit`` from ``offset`` (one more is read to
    tell whether another page follows)."""
    counts = (select(EntryRow.service_id, func.count().label("n"))
              .group_by(EntryRow.service_id).subquery())
    query = (select(ServiceRow, AgencyRow.code, func.coalesce(counts.c.n, 0))
             .join(AgencyRow, AgencyRow.id == ServiceRow.agency_id)
             .outerjoin(counts, counts.c.service_id == ServiceRow.id)
             .where(_readable(actor))  # type: ignore[arg-type]
             .order_by(ServiceRow.position, ServiceRow.id)
             .offset(max(offset, 0)).limit(limit + 1))
    if agency_code:
        query = query.where(AgencyRow.code == agency_code)
    rows = (await uow.session.execute(query)).all()
    lines = tuple(_line(row, code, n) for row, code, n in rows[:limit])
    return ServicesPage(lines, max(offset, 0), len(rows) > limit)


async def service_card(uow: UnitOfWork, actor: Actor, register_no: str) -> ServiceCard:
    """One service with its entries; a draft of another agency is refused (AccessDenied)."""
    row = await uow.session.scalar(select(ServiceRow).where(
        ServiceRow.register_no == register_no))
    if row is None:
        raise NoSuchService.said(_("no service {register_no}"), register_no=repr(register_no))
    if row.state != ServiceState.LIVE:
        actor.require_agency(row.agency_id)
    entries = tuple(
        EntryCard(e.key, {k: tuple(v) for k, v in dict(e.questions).items() if v},
                  e.answer_kk, e.answer_ru)
        for e in await uow.knowledge.entries([row.id]))
    editable = actor.may_see_agency(row.agency_id)
    waiting: dict[str, tuple[int, ...]] = {}
    if editable:
        for number, key in (await uow.session.execute(
                select(KbProposalRow.id, KbProposalRow.entry_key).where(
                    KbProposalRow.register_no == register_no,
                    KbProposalRow.status == "pending").order_by(KbProposalRow.id))).all():
            waiting[key] = (*waiting.get(key, ()), number)
    return ServiceCard(_line(row, row.agency.code, len(entries)), row.agency_id, entries,
                       editable, waiting)


async def service_choices(uow: UnitOfWork, actor: Actor) -> list[ServiceLine]:
    """Every service the person may read, in the base's order (a form's list to pick from:
    a few hundred at most, the register's size)."""
    rows = (await uow.session.execute(
        select(ServiceRow, AgencyRow.code).join(AgencyRow, AgencyRow.id == ServiceRow.agency_id)
        .where(_readable(actor))  # type: ignore[arg-type]
        .order_by(ServiceRow.position, ServiceRow.id))).all()
    return [_line(row, code, 0) for row, code in rows]


@dataclass(frozen=True, slots=True)
class EntryHit:
    entry: EntryInfo
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    entries: tuple[EntryHit, ...]  # by the engine's score, best first
    services: tuple[ServiceLine, ...]  # named or numbered like the words, then the hits'


async def search(
    uow: UnitOfWork, matchers: MatcherCache, actor: Actor, text: str, *,
    limit: int = SEARCH_HITS,
) -> SearchResult:
    """Entries ranked by the engine for these words (in either language, as a citizen's
    question would be), and the services whose name or register number holds them."""
    text = text.strip()[:matchers.max_chars]
    if not text:
        return SearchResult((), ())
    matcher = await matchers.get(uow)
    ranked, _resolved, _lang = matcher.rank(text)
    by_key = matcher.entries_by_key
    hits = tuple(EntryHit(by_key[c.entry], c.score) for c in ranked[:limit]
                 if c.entry in by_key)
    pattern = f"%{text.lower()}%"
    named = select(ServiceRow, AgencyRow.code).join(
        AgencyRow, AgencyRow.id == ServiceRow.agency_id).where(
        _readable(actor),  # type: ignore[arg-type]
        or_(func.lower(ServiceRow.name_kk).contains(text.lower()),
            func.lower(ServiceRow.name_ru).contains(text.lower()),
            ServiceRow.register_no.like(pattern))).order_by(ServiceRow.position).limit(
        SERVICE_HITS)
    services: dict[str, ServiceLine] = {}
    for row, code in (await uow.session.execute(named)).all():
        services[row.register_no] = _line(row, code, 0)
    for hit in hits:
        info = hit.entry.service
        if info.register_no not in services and len(services) < SERVICE_HITS:
            services[info.register_no] = ServiceLine(
                info.id, info.register_no, info.agency, info.name.get("kk"),
                info.name.get("ru"), ServiceState.LIVE, 0)
    return SearchResult(hits, tuple(services.values()))


@dataclass(frozen=True, slots=True)
class Trial:
    """What the bot would do with a citizen's question: its verdict, the entries it
    weighed with their scores, and what the citizen would be told."""

    answer: Answer
    lang: Lang  # the reply's language
    kind: str  # answer, clarify, escalate, out_of_scope, small_talk, too_long, no_words
    entry: EntryInfo | None  # the answered entry
    candidates: tuple[EntryHit, ...]  # the engine's ranking, best first
    choices: tuple[EntryInfo, ...]  # offered to pick from (clarify)
    too_long: TooLong | None = None


async def as_citizen(
    uow: UnitOfWork, matchers: MatcherCache, text: str, *, chosen_lang: Lang | None,
    default_lang: Lang, limit: int = SEARCH_HITS,
) -> Trial:
    """A question tried as a citizen would ask it (``knowledge.dialogue.respond``'s steps,
    with nothing logged, kept or passed on): ``chosen_lang`` is the language the citizen
    chose in the bot, None when they chose none (the message's language decides)."""
    fallback = chosen_lang or default_lang
    cut = too_long_answer(text, matchers.max_chars, fallback)
    if cut is not None:
        return Trial(cut, chosen_lang or cut.lang, "too_long", None, (), (),
                     over_limit(text, matchers.max_chars))
    talk = small_talk_answer(text, fallback)
    if talk is not None and talk_of(talk) is not None:
        return Trial(talk, chosen_lang or talk.lang, "small_talk", None, (), ())
    matcher = await matchers.get(uow)
    answer = matcher.ask(text, fallback, chosen_lang=fallback)
    if chosen_lang is not None:
        answer = replace(answer, lang=chosen_lang)
    by_key = matcher.entries_by_key
    ranked, _resolved, _lang = matcher.rank(text) if text.strip() else ([], [], "")
    candidates = tuple(EntryHit(by_key[c.entry], c.score) for c in ranked[:limit]
                       if c.entry in by_key)
    if answer.reason == OUT_OF_SCOPE:
        return Trial(answer, answer.lang, "out_of_scope", None, candidates, ())
    if answer.reason is not None:
        return Trial(answer, fallback, "no_words", None, candidates, ())
    if answer.decision == Decision.ANSWER and answer.entry in by_key:
        return Trial(answer, answer.lang, "answer", by_key[answer.entry], candidates, ())
    if answer.decision == Decision.CLARIFY:
        return Trial(answer, answer.lang, "clarify", None, candidates,
                     tuple(by_key[c.entry] for c in answer.candidates if c.entry in by_key))
    return Trial(answer, answer.lang, "escalate", None, candidates, ())
