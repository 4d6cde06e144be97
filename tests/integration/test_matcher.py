"""The answer engine on a small base: answer, clarify, escalate, and rebuild on change."""

from __future__ import annotations

import json

import pytest

import knowledge.matching.matcher as matcher_module
from bot.app import App
from knowledge.asking import ask, unanswered
from knowledge.matching.decision import Thresholds
from knowledge.matching.index import build_index
from knowledge.matching.matcher import Matcher
from knowledge.model import Decision, EntryInfo
from knowledge.pack.io import import_pack
from knowledge.pack.validate import parse_pack
from knowledge.staff import SYSTEM
from tests.factories import entry, entry_info, pack, service

PASSPORT = {"kk": "Төлқұжат беру", "ru": "Выдача паспорта"}
MARRIAGE = {"kk": "Некені тіркеу", "ru": "Регистрация брака"}


def small_matcher() -> Matcher:
    entries = [
        entry_info("passport.fee", {"kk": ["Төлқұжат қанша тұрады?"],
                                    "ru": ["Сколько стоит паспорт?"]},
                   register_no="1", service_name=PASSPORT),
        entry_info("passport.term", {"kk": ["Төлқұжат неше күнде дайын болады?"],
                                     "ru": ["Как долго делают паспорт?"]},
                   register_no="1", service_name=PASSPORT),
        entry_info("passport.documents", {"kk": ["Төлқұжатқа қандай құжаттар керек?"],
                                          "ru": ["Какие документы нужны для паспорта?"]},
                   register_no="1", service_name=PASSPORT),
        entry_info("marriage.fee", {"kk": ["Некені тіркеу ақылы ма?"],
                                    "ru": ["Сколько стоит регистрация брака?"]},
                   register_no="2", service_name=MARRIAGE),
        entry_info("marriage.term", {"kk": ["Некені қашан тіркейді?"],
                                     "ru": ["Через сколько дней регистрируют брак?"]},
                   register_no="2", service_name=MARRIAGE),
    ]
    return Matcher(build_index(entries), Thresholds())


def test_answers_when_both_the_service_and_the_aspect_match() -> None:
    answer = small_matcher().ask("паспорт цена")
    assert answer.decision == Decision.ANSWER
    assert answer.entry == "passport.fee"


def test_the_same_aspect_of_another_service_is_not_confused() -> None:
    answer = small_matcher().ask("неке тіркеу бағасы қанша")
    assert answer.candidates[0].entry == "marriage.fee"


def test_answers_kazakh_typed_without_its_letters_and_in_latin() -> None:
    matcher = small_matcher()
    assert matcher.ask("tolqujat qansha turady").candidates[0].entry == "passport.fee"
    assert matcher.ask("толкужатка кандай кужаттар керек").candidates[0].entry == (
        "passport.documents"
    )


def test_clarifies_when_only_the_service_is_named() -> None:
    answer = small_matcher().ask("паспорт")
    assert answer.decision == Decision.CLARIFY
    assert {c.entry for c in answer.candidates} == {
        "passport.fee", "passport.term", "passport.documents"
    }


def test_escalates_a_question_about_something_the_base_does_not_hold() -> None:
    answer = small_matcher().ask("какой смартфон купить до 200 тысяч")
    assert answer.decision == Decision.ESCALATE
    assert answer.entry is None


def test_answers_in_the_language_the_citizen_wrote_in() -> None:
    matcher = small_matcher()
    assert matcher.ask("Сколько стоит паспорт?", "kk").lang == "ru"
    assert matcher.ask("Төлқұжат қанша тұрады?", "ru").lang == "kk"


def test_empty_and_wordless_questions_escalate_with_a_reason() -> None:
    matcher = small_matcher()
    assert matcher.ask("   ").reason == "empty"
    assert matcher.ask("🙂🙂").reason == "no_words"


def test_scores_are_between_zero_and_one_and_candidates_best_first() -> None:
    answer = small_matcher().ask("паспорт документы сроки")
    scores = [c.score for c in answer.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert len(answer.candidates) <= 5


async def test_the_index_follows_the_knowledge_base_without_a_restart(app: App) -> None:
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(json.dumps(pack())), draft=False)
    async with app.uow() as uow:
        first = await ask(uow, app.matchers, "неке қию ақылы ма", channel="test",
                          fallback_lang="kk", clock=app.clock)
    assert first.decision == Decision.ESCALATE
    marriage = service("2", agency="mju", name=MARRIAGE, keywords={"kk": ["неке"]}, card={},
                       faq=[entry("mju.marriage.fee", "Некені тіркеу ақылы ма?",
                                  "Платная ли регистрация брака?")])
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(json.dumps(pack(marriage))), draft=False)
    async with app.uow() as uow:
        second = await ask(uow, app.matchers, "неке қию ақылы ма", channel="test",
                           fallback_lang="kk", clock=app.clock)
    assert second.candidates[0].entry == "mju.marriage.fee"


async def test_an_escalated_question_is_recorded_verbatim_for_operators(app: App) -> None:
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(json.dumps(pack())), draft=False)
    text = "  <b>Ажырасу</b> қалай? \u200b '; DROP TABLE entries; --"
    async with app.uow() as uow:
        answer = await ask(uow, app.matchers, text, channel="telegram", fallback_lang="kk",
                           clock=app.clock)
    assert answer.decision == Decision.ESCALATE
    async with app.uow() as uow:
        rows = await unanswered(uow, SYSTEM)
    assert [(r.text, r.channel) for r in rows] == [(text, "telegram")]


ID_CARD = {"kk": "Азаматтарға жеке куәлік беру", "ru": "Выдача удостоверений личности гражданам"}
PASSPORT_WORDS = {"kk": ["төлқұжат", "загранпаспорт"], "ru": ["паспорт", "загранпаспорт"]}


def passport_and_id_card() -> Matcher:
    """Two services asked about alike: only the service's own words tell them apart."""
    def passport(aspect: str, kk: str, ru: str) -> EntryInfo:
        return entry_info(f"passport.{aspect}", {"kk": [kk], "ru": [ru]}, register_no="1",
                          service_name=PASSPORT, keywords=PASSPORT_WORDS)

    def id_card(aspect: str, kk: str, ru: str) -> EntryInfo:
        return entry_info(f"idcard.{aspect}", {"kk": [kk], "ru": [ru]}, register_no="2",
                          service_name=ID_CARD, keywords={"ru": ["удостоверение личности"]})

    return Matcher(build_index([
        passport("documents", "Төлқұжатқа қандай құжаттар керек?",
                 "Какие документы нужны для паспорта?"),
        passport("term", "Төлқұжат неше күнде дайын болады?", "Сколько ждать паспорт?"),
        passport("how", "Төлқұжатты қайда рәсімдейді?", "Где оформить паспорт?"),
        passport("lost", "Төлқұжатты жоғалтсам не істеймін?", "Что делать, если потерял паспорт?"),
        id_card("documents", "Жеке куәлікке қандай құжаттар керек?",
                "Какие документы нужны для удостоверения личности?"),
        id_card("term", "Жеке куәлік неше күнде дайын?", "Сколько ждать удостоверение личности?"),
    ]), Thresholds())


def test_a_long_message_that_names_the_service_by_its_own_word_is_answered() -> None:
    answer = passport_and_id_card().ask(
        "здравствуйте, собираюсь в отпуск и делать загранпаспорт первый раз в жизни, "
        "какие документы нужны?"
    )
    assert answer.decision == Decision.ANSWER
    assert answer.entry == "passport.documents"


def test_a_long_message_naming_no_service_of_its_own_is_not_answered() -> None:
    answer = passport_and_id_card().ask(
        "здравствуйте, собираюсь в отпуск и менять водительские права первый раз в жизни, "
        "какие документы нужны?"
    )
    assert answer.decision != Decision.ANSWER


def test_the_aspect_beside_the_question_word_is_the_one_asked() -> None:
    # Documents are named as context, the term is asked: "…what is the term?"
    matcher = passport_and_id_card()
    for text in ("документы на паспорт сдал, какой срок?",
                 "паспорт құжаттарын тапсырдым, мерзімі қандай?"):
        assert matcher.ask(text).candidates[0].entry == "passport.term", text


def test_the_citizens_situation_outweighs_where_they_ask_to_go() -> None:
    # Evidence on the aspect: the entry on a lost passport fits fully; the one on where to
    # apply only as context, though "где" asks where.
    rows, _ = passport_and_id_card().features("потерял паспорт, где оформить новый?")
    aspect = {row.entry: row.aspect for row in rows}
    lost, how = 3, 2  # the entries' numbers in passport_and_id_card()
    assert aspect[lost] == 1.0
    assert aspect[how] < aspect[lost]


def test_a_service_is_named_by_its_own_keywords_not_by_words_of_its_official_name() -> None:
    matcher = passport_and_id_card()
    _, resolved, _ = matcher.rank("загранпаспорт")
    assert matcher.names_service(resolved, 0)
    # "гражданам" is in the ID card's official name only, but no citizen names it so.
    _, resolved, _ = matcher.rank("гражданам")
    assert resolved[0].terms and not matcher.names_service(resolved, 1)


def test_one_wrong_letter_in_a_four_letter_word_is_still_read() -> None:
    matcher = Matcher(build_index([
        entry_info("passport.how", {"ru": ["Куда идти за паспортом?"]}, service_name=PASSPORT),
    ]), Thresholds())
    _, resolved, _ = matcher.rank("кцда")
    assert [matcher.index.term_names[t] for t, _ in resolved[0].terms] == ["#apply"]
    _, resolved, _ = matcher.rank("туда")  # "there" is no typo of "where": a stop-word
    assert resolved == []


def test_a_concept_phrase_holding_a_question_word_asks() -> None:
    # "сколько стоит" asks the fee; "подать" beside it is only context: the fee entry wins
    # though the entry on where to apply shares the verb.
    matcher = Matcher(build_index([
        entry_info("passport.fee", {"ru": ["Оформление паспорта платное?"]},
                   service_name=PASSPORT),
        entry_info("passport.how", {"ru": ["Куда подать на паспорт?"]}, service_name=PASSPORT),
    ]), Thresholds())
    rows, resolved = matcher.features("сколько стоит подать на паспорт")
    assert [t.asks for t in resolved if t.folded.startswith("скол")] == [True]
    aspect = {matcher.index.entries[row.entry].key: row.aspect for row in rows}
    assert aspect["passport.fee"] > aspect["passport.how"]


def test_what_it_costs_is_still_asked_beside_the_citizens_situation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "Lost my passport, how much is a new one?": the fee entry answers what it costs; the
    # situation does not make the fee mere context as it does where to go.
    matcher = Matcher(build_index([
        entry_info("passport.fee", {"ru": ["Сколько стоит паспорт?"]}, service_name=PASSPORT),
        entry_info("passport.lost", {"ru": ["Что делать, если потерял паспорт?"]},
                   service_name=PASSPORT),
    ]), Thresholds())
    question = "потерял паспорт, сколько стоит новый?"

    def fee_aspect() -> float:
        rows, _ = matcher.features(question)
        return next(r.aspect for r in rows if matcher.index.entries[r.entry].key == "passport.fee")

    assert fee_aspect() == 1.0
    monkeypatch.setattr(matcher_module, "SITUATIONS_ASIDE", frozenset())
    assert fee_aspect() < 1.0
