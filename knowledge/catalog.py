"""Reading the knowledge base: live entries for the index, and counts for operators."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from knowledge.db.uow import UnitOfWork
from knowledge.model import LANGS, EntryInfo, ServiceInfo, ServiceState, bilingual
from knowledge.staff import Actor


async def live_entries(uow: UnitOfWork) -> list[EntryInfo]:
    """Every entry of a live service, in import order: what citizens may be answered from."""
    repo = uow.knowledge
    codes = {row.id: row.code for row in await repo.agencies()}
    services = {
        row.id: ServiceInfo(
            register_no=row.register_no,
            agency=codes[row.agency_id],
            name=bilingual(row.name_kk, row.name_ru),
            keywords=row.keywords or {},
            card=row.card or {},
            id=row.id,
        )
        for row in await repo.services(state=ServiceState.LIVE)
    }
    return [
        EntryInfo(
            key=row.key,
            service=services[row.service_id],
            questions=row.questions,
            answer=bilingual(row.answer_kk, row.answer_ru),
            id=row.id,
        )
        for row in await repo.entries(list(services))
    ]


@dataclass(slots=True)
class AgencyStats:
    code: str
    services: int = 0
    live_services: int = 0
    entries: int = 0
    questions: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class KbStats:
    agencies: list[AgencyStats]
    # (entry key, languages it lacks in questions or answer)
    incomplete: list[tuple[str, tuple[str, ...]]]


async def kb_stats(uow: UnitOfWork, actor: Actor) -> KbStats:
    """Counts of every agency's services and entries: the center's to read."""
    actor.require_center()
    repo = uow.knowledge
    by_agency = {row.id: AgencyStats(row.code) for row in await repo.agencies()}
    services = {row.id: row for row in await repo.services()}
    for row in services.values():
        stats = by_agency[row.agency_id]
        stats.services += 1
        stats.live_services += row.state == ServiceState.LIVE
    incomplete: list[tuple[str, tuple[str, ...]]] = []
    for entry in await repo.entries():
        stats = by_agency[services[entry.service_id].agency_id]
        stats.entries += 1
        answers = bilingual(entry.answer_kk, entry.answer_ru)
        lacking = []
        for lang in LANGS:
            stats.questions[lang] += len(entry.questions.get(lang, []))
            stats.answers[lang] += lang in answers
            if lang not in answers or not entry.questions.get(lang):
                lacking.append(lang)
        if lacking:
            incomplete.append((entry.key, tuple(lacking)))
    return KbStats(list(by_agency.values()), incomplete)


@dataclass(frozen=True, slots=True)
class AgencyItem:
    id: int
    code: str
    name: dict[str, str]
    live_services: int


@dataclass(frozen=True, slots=True)
class ServiceItem:
    id: int
    register_no: str
    agency_id: int
    name: dict[str, str]
    card: dict[str, dict[str, str]]


async def agencies_with_live_services(uow: UnitOfWork) -> list[AgencyItem]:
    """Agencies that have something to tell citizens, in import order."""
    repo = uow.knowledge
    counts: Counter[int] = Counter(s.agency_id for s in await repo.services(state="live"))
    return [
        AgencyItem(row.id, row.code, bilingual(row.name_kk, row.name_ru), counts[row.id])
        for row in await repo.agencies() if counts[row.id]
    ]


async def live_services(uow: UnitOfWork, agency_id: int | None = None) -> list[ServiceItem]:
    return [
        ServiceItem(row.id, row.register_no, row.agency_id, bilingual(row.name_kk, row.name_ru),
                    dict(row.card or {}))
        for row in await uow.knowledge.services(state=ServiceState.LIVE)
        if agency_id is None or row.agency_id == agency_id
    ]


async def live_service(uow: UnitOfWork, service_id: int) -> ServiceItem | None:
    return next((s for s in await live_services(uow) if s.id == service_id), None)
