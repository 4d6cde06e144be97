"""Import lands in one transaction; export → import → export gives the same bytes."""

from __future__ import annotations

import json

import pytest

from bot.app import App
from knowledge.catalog import kb_stats, live_entries
from knowledge.errors import InvalidPack
from knowledge.pack.io import dump_pack, export_pack, import_pack
from knowledge.pack.validate import parse_pack
from knowledge.staff import SYSTEM
from tests.conftest import PRODUCT_DEMO_PACK, SHARED_DEMO_PACK
from tests.factories import entry, pack, service


async def export_text(app: App) -> str:
    async with app.uow() as uow:
        return dump_pack(await export_pack(uow, SYSTEM))


async def load(app: App, doc: dict, *, draft: bool = False) -> None:  # type: ignore[type-arg]
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(json.dumps(doc, ensure_ascii=False)), draft=draft)


@pytest.mark.parametrize("path", [SHARED_DEMO_PACK, PRODUCT_DEMO_PACK], ids=["shared", "product"])
async def test_export_import_export_reproduces_the_file_byte_for_byte(
    app: App, path: object, tmp_path: object
) -> None:
    raw = path.read_bytes()  # type: ignore[attr-defined]
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(raw), draft=False)
    first = await export_text(app)
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(first), draft=False)
    assert await export_text(app) == first
    assert json.loads(first) == json.loads(raw)


async def test_the_shared_demo_exports_exactly_as_written(app: App) -> None:
    raw = SHARED_DEMO_PACK.read_bytes()
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(raw), draft=False)
    assert (await export_text(app)).encode() == raw


async def test_import_adds_new_ids_updates_known_ones_and_leaves_the_rest(app: App) -> None:
    await load(app, pack(service(faq=[entry("a.1", "бір", None), entry("a.2", "екі", None)])))
    changed = service(faq=[entry("a.1", "бірінші", None), entry("a.3", "үш", None)])
    await load(app, pack(changed))
    doc = json.loads(await export_text(app))
    faq = {e["id"]: e["questions"] for e in doc["services"][0]["faq"]}
    assert faq == {"a.1": {"kk": ["бірінші"]}, "a.2": {"kk": ["екі"]}, "a.3": {"kk": ["үш"]}}


async def test_a_refused_pack_changes_nothing(app: App) -> None:
    await load(app, pack())
    before = await export_text(app)
    bad = pack(service("7", faq=[entry("x", "а", None)]), service("7", agency="ghost"))
    with pytest.raises(InvalidPack) as caught:
        parse_pack(json.dumps(bad))
    assert len(caught.value.problems) == 2
    assert await export_text(app) == before


async def test_a_failure_inside_the_import_rolls_everything_back(app: App) -> None:
    await load(app, pack())
    before = await export_text(app)
    doc = pack(service("9", faq=[entry("new.entry", "жаңа", None)]))
    doc["services"][0]["agency"] = "unknown-at-import-time"  # bypasses parse_pack on purpose
    async with app.uow() as uow:
        with pytest.raises(KeyError):
            await import_pack(uow, doc, draft=False)
    assert await export_text(app) == before


async def test_draft_import_keeps_new_services_out_of_answers(app: App) -> None:
    await load(app, pack(service("1", faq=[entry("live.1", "бір", None)])))
    await load(app, pack(service("2", faq=[entry("draft.1", "екі", None)])), draft=True)
    async with app.uow() as uow:
        keys = [e.key for e in await live_entries(uow)]
    assert keys == ["live.1"]
    await load(app, pack(service("2", faq=[entry("draft.1", "екі", None)])))
    async with app.uow() as uow:
        keys = [e.key for e in await live_entries(uow)]
    assert keys == ["live.1", "draft.1"]


async def test_stats_count_per_agency_and_name_entries_lacking_a_language(app: App) -> None:
    await load(app, pack(service(faq=[
        entry("full", "сұрақ", "вопрос"),
        entry("ru-only", None, "вопрос", answer={"ru": "Ответ."}),
    ])))
    async with app.uow() as uow:
        stats = await kb_stats(uow, SYSTEM)
    mvd = next(a for a in stats.agencies if a.code == "mvd")
    assert (mvd.services, mvd.live_services, mvd.entries) == (1, 1, 2)
    assert mvd.questions["kk"] == 1 and mvd.questions["ru"] == 2
    assert stats.incomplete == [("ru-only", ("kk",))]
