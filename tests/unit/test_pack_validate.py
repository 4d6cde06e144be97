"""An invalid pack is refused whole, with every problem named by its JSON path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.channels.telegram.render import MESSAGE_LIMIT
from knowledge.errors import InvalidPack
from knowledge.pack import validate
from knowledge.pack.validate import json_path, parse_pack
from tests.factories import entry, pack, service

SCHEMA = Path(__file__).parents[2] / "knowledge" / "pack" / "schema.json"


def problems_of(doc: object) -> list[str]:
    with pytest.raises(InvalidPack) as caught:
        parse_pack(json.dumps(doc, ensure_ascii=False))
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_pack_parses() -> None:
    doc = pack()
    assert parse_pack(json.dumps(doc)) == doc


def test_json_path_renders_like_the_format_document() -> None:
    assert json_path(["services", 3, "faq", 1, "id"]) == "services[3].faq[1].id"
    assert json_path([]) == "$"


def test_not_json_is_refused_with_its_line_and_column() -> None:
    with pytest.raises(InvalidPack) as caught:
        parse_pack('{"format": "ucc-knowledge-pack",\n  "version": 1,,}')
    assert str(caught.value.problems[0]).startswith("$: not valid JSON at line 2 column")


def test_not_utf8_is_refused() -> None:
    with pytest.raises(InvalidPack) as caught:
        parse_pack(b"\xff\xfe{}")
    assert "not UTF-8" in str(caught.value.problems[0])


def test_duplicate_ids_are_named_by_path() -> None:
    doc = pack(service(faq=[entry("a.b", "сұрақ", None), entry("a.b", None, "вопрос")]))
    assert problems_of(doc) == ['services[0].faq[1].id: duplicate id "a.b"']


def test_duplicate_register_numbers_and_agency_codes_are_named() -> None:
    doc = pack(
        service("1", faq=[entry("x.1", "а", None)]),
        service("1", faq=[entry("x.2", "б", None)]),
        agencies=[{"code": "mvd", "name": {"ru": "МВД"}}, {"code": "mvd", "name": {"ru": "МВД"}}],
    )
    problems = problems_of(doc)
    assert 'agencies[1].code: duplicate code "mvd"' in problems
    assert 'services[1].register_no: duplicate register number "1"' in problems


def test_unknown_agency_is_named() -> None:
    problems = problems_of(pack(service(agency="nope")))
    assert problems == ['services[0].agency: unknown agency "nope" (not in agencies)']


def test_missing_languages_and_wrong_types_are_all_reported_at_once() -> None:
    bad_entry = {"id": "e.1", "questions": {"kk": []}, "answer": {}}
    doc = pack(service(register_no=42, name="Паспорт", faq=[bad_entry]))  # type: ignore[arg-type]
    problems = problems_of(doc)
    assert "services[0].register_no: 42 is not of type 'string'" in problems
    assert "services[0].name: 'Паспорт' is not of type 'object'" in problems
    assert "services[0].faq[0].questions: needs at least one question in kk or ru" in problems
    assert "services[0].faq[0].answer: needs a text in kk or ru" in problems


def test_blank_texts_and_unknown_keys_are_refused() -> None:
    doc = pack(service(faq=[entry("e.1", "   ", None)], colour="red"))
    problems = problems_of(doc)
    assert "services[0].faq[0].questions.kk[0]: must not be blank" in problems
    assert any(p.startswith("services[0]: Additional properties") for p in problems)


def test_wrong_format_and_version_are_refused() -> None:
    doc = pack()
    doc["format"], doc["version"] = "other", 2
    problems = problems_of(doc)
    assert any(p.startswith("format:") for p in problems)
    assert any(p.startswith("version:") for p in problems)


def test_shared_demo_pack_is_valid(shared_demo: bytes) -> None:
    doc = parse_pack(shared_demo)
    assert len(doc["services"]) >= 12


@pytest.fixture
def shared_demo() -> bytes:
    from tests.conftest import SHARED_DEMO_PACK

    return SHARED_DEMO_PACK.read_bytes()


def test_entries_beyond_the_pack_limit_are_refused_at_services(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(validate, "MAX_ENTRIES", 2)
    doc = pack(service("1", faq=[entry("a.1", "а", None), entry("a.2", "б", None)]),
               service("2", faq=[entry("b.1", "в", None)]))
    assert problems_of(doc) == ["services: 3 entries in the pack, more than the limit of 2"]


def test_a_lone_surrogate_in_a_key_is_named_at_its_object_and_never_printed() -> None:
    text = json.dumps(pack(service(faq=[entry("a.1", "а", None)])))
    text = text.replace('"questions"', '"\\udc80": 1, "questions"', 1)
    with pytest.raises(InvalidPack) as caught:
        parse_pack(text)
    problems = [str(problem) for problem in caught.value.problems]
    assert "services[0].faq[0]: a key is not Unicode text: a lone surrogate U+DC80" in problems
    assert all(not re.search("[\ud800-\udfff]", problem) for problem in problems)


def test_a_huge_wrong_value_is_shown_cut_short() -> None:
    [problem] = problems_of(pack(service(name=["Төлқұжат"] * 10_000)))
    assert problem.startswith("services[0].name: ['Төлқұжат', ")
    assert len(problem) < 200


def test_an_answer_fits_four_telegram_messages_and_a_card_section_one() -> None:
    defs = json.loads(SCHEMA.read_text(encoding="utf-8"))["$defs"]
    assert defs["answer"]["properties"]["kk"]["maxLength"] == 4 * MESSAGE_LIMIT
    assert defs["section"]["properties"]["ru"]["maxLength"] == MESSAGE_LIMIT
