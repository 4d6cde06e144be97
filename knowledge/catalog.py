"""Reading the knowledge base: live entries for the index, and counts for operators."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from knowledge.db.uow import UnitOfWork
from knowledge.model import LANGS, EntryInfo, ServiceInfo, ServiceState


def _texts(kk: str | None, ru: str | None) -> dict[str, str]:
    return {lang: text for lang, text in (("kk", kk), ("ru", ru)) if text}


async def live_entries(uow: UnitOfWork) -> list[EntryInfo]:
    """Every entry of a live service, in import order: what citizens may be answered from."""
    repo = uow.knowledge
    codes = {row.id: row.code for row in await repo.agencies()}
    services = {
        row.id: ServiceInfo(
            register_no=row.register_no,
            agency=codes[row.agency_id],
            name=_texts(row.name_kk, row.name_ru),
            keywords=row.keywords or {},
            card=row.card or {},
        )
        for row in await repo.services(state=ServiceState.LIVE)
    }
    return [
        EntryInfo(
            key=row.key,
            service=services[row.service_id],
            questions=row.questions,
            answer=_texts(row.answer_kk, row.answer_ru),
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


async def kb_stats(uow: UnitOfWork) -> KbStats:
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
        answers = _texts(entry.answer_kk, entry.answer_ru)
        lacking = []
        for lang in LANGS:
            stats.questions[lang] += len(entry.questions.get(lang, []))
            stats.answers[lang] += lang in answers
            if lang not in answers or not entry.questions.get(lang):
                lacking.append(lang)
        if lacking:
            incomplete.append((entry.key, tuple(lacking)))
    return KbStats(list(by_agency.values()), incomplete)
