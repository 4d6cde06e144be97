"""Import a checked knowledge pack in one transaction, and export the base back to a pack."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.db.repositories import KnowledgeRepository
from knowledge.db.tables import AgencyRow, EntryRow, ServiceRow
from knowledge.db.uow import UnitOfWork
from knowledge.model import LANGS, ServiceState, bilingual
from knowledge.staff import Actor

PACK_FORMAT = "ucc-knowledge-pack"
PACK_VERSION = 1


@dataclass(frozen=True, slots=True)
class ImportReport:
    agencies_added: int
    agencies_updated: int
    services_added: int
    services_updated: int
    entries_added: int
    entries_updated: int


def _by_lang(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Keep the languages present, always kk before ru, so exports are canonical."""
    if value is None:
        return None
    return {lang: value[lang] for lang in LANGS if lang in value}


async def import_pack(
    uow: UnitOfWork, doc: Mapping[str, Any], *, draft: bool, commit: bool = True
) -> ImportReport:
    """New ids are added, known ids updated, nothing else touched; commits once at the end.

    A plain import makes the pack's services live; ``draft`` stages new services as drafts
    and leaves the state of known ones as it was.
    """
    repo = uow.knowledge
    counts = dict.fromkeys(
        ("a_add", "a_upd", "s_add", "s_upd", "e_add", "e_upd"), 0
    )
    agencies = await _import_agencies(repo, doc["agencies"], counts)
    staged = await _import_services(repo, doc["services"], agencies, draft=draft, counts=counts)
    await _import_entries(repo, staged, counts)
    await repo.bump_revision()
    if commit:
        await uow.commit()
    return ImportReport(
        counts["a_add"], counts["a_upd"], counts["s_add"],
        counts["s_upd"], counts["e_add"], counts["e_upd"],
    )


async def _import_agencies(
    repo: KnowledgeRepository, items: Sequence[Mapping[str, Any]], counts: dict[str, int]
) -> dict[str, AgencyRow]:
    agencies = {row.code: row for row in await repo.agencies()}
    position = await repo.next_position(AgencyRow)
    for item in items:
        row = agencies.get(item["code"])
        if row is None:
            row = AgencyRow(code=item["code"], position=position)
            position += 1
            repo.add(row)
            agencies[row.code] = row
            counts["a_add"] += 1
        else:
            counts["a_upd"] += 1
        row.name_kk, row.name_ru = item["name"].get("kk"), item["name"].get("ru")
    await repo.flush()
    return agencies


async def _import_services(
    repo: KnowledgeRepository, items: Sequence[Mapping[str, Any]],
    agencies: Mapping[str, AgencyRow], *, draft: bool, counts: dict[str, int],
) -> list[tuple[ServiceRow, list[Mapping[str, Any]]]]:
    """The services, flushed (their ids are the entries'), each with its entries to import."""
    services = {row.register_no: row for row in await repo.services()}
    service_position = await repo.next_position(ServiceRow)
    staged: list[tuple[ServiceRow, list[Mapping[str, Any]]]] = []
    for item in items:
        service = services.get(item["register_no"])
        if service is None:
            service = ServiceRow(
                register_no=item["register_no"],
                position=service_position,
                state=ServiceState.DRAFT if draft else ServiceState.LIVE,
            )
            service_position += 1
            repo.add(service)
            counts["s_add"] += 1
        else:
            counts["s_upd"] += 1
            if not draft:
                service.state = ServiceState.LIVE
        service.agency_id = agencies[item["agency"]].id
        service.name_kk, service.name_ru = item["name"].get("kk"), item["name"].get("ru")
        service.keywords = _by_lang(item.get("keywords"))
        card = item.get("card")
        service.card = None if card is None else {k: _by_lang(v) for k, v in card.items()}
        staged.append((service, item["faq"]))
    await repo.flush()
    return staged


async def _import_entries(
    repo: KnowledgeRepository, staged: Sequence[tuple[ServiceRow, list[Mapping[str, Any]]]],
    counts: dict[str, int],
) -> None:
    entries = {row.key: row for row in await repo.entries()}
    entry_position = await repo.next_position(EntryRow)
    for service, faq in staged:
        for item in faq:
            entry = entries.get(item["id"])
            if entry is None:
                entry = EntryRow(key=item["id"], position=entry_position)
                entry_position += 1
                repo.add(entry)
                entries[entry.key] = entry
                counts["e_add"] += 1
            else:
                counts["e_upd"] += 1
            entry.service_id = service.id
            entry.questions = _by_lang(item["questions"]) or {}
            entry.answer_kk, entry.answer_ru = item["answer"].get("kk"), item["answer"].get("ru")


async def export_pack(uow: UnitOfWork, actor: Actor) -> dict[str, Any]:
    """The whole base (every state) as a pack, in the order things were first imported;
    drafts and every agency's services included, so the center's alone."""
    actor.require_center()
    repo = uow.knowledge
    agencies = await repo.agencies()
    codes = {row.id: row.code for row in agencies}
    faq: dict[int, list[dict[str, Any]]] = {}
    for entry in await repo.entries():
        faq.setdefault(entry.service_id, []).append({
            "id": entry.key,
            "questions": entry.questions,
            "answer": bilingual(entry.answer_kk, entry.answer_ru),
        })
    services = []
    for row in await repo.services():
        service: dict[str, Any] = {
            "register_no": row.register_no,
            "agency": codes[row.agency_id],
            "name": bilingual(row.name_kk, row.name_ru),
        }
        if row.keywords is not None:
            service["keywords"] = row.keywords
        if row.card is not None:
            service["card"] = row.card
        service["faq"] = faq.get(row.id, [])
        services.append(service)
    return {
        "format": PACK_FORMAT,
        "version": PACK_VERSION,
        "agencies": [
            {"code": row.code, "name": bilingual(row.name_kk, row.name_ru)} for row in agencies
        ],
        "services": services,
    }


def dump_pack(doc: Mapping[str, Any]) -> str:
    """The canonical text of a pack: two-space indent, real letters, a final newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
