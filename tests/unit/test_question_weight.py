"""What a question's words weigh (issue 17): an aspect asked can tell a service's entries
apart by itself, and a word the base uses only in passing dilutes a long message less.

Each test switches its capability off (a module constant) and sees the difference."""

from __future__ import annotations

import pytest

import knowledge.matching.matcher as matcher_module
from knowledge.matching.index import KnowledgeIndex, build_index
from knowledge.matching.matcher import Matcher
from knowledge.model import Decision, EntryInfo
from knowledge.text.analyse import query_tokens
from tests.factories import entry_info

LAND = {"ru": "Выдача акта на земельный участок", "kk": "Жер учаскесіне акт беру"}


def _land_act() -> KnowledgeIndex:
    """Every answer names the term, so no word of "how long" is rarer than the service."""
    def entry(key: str, question: str, answer: str) -> EntryInfo:
        return entry_info(key, {"ru": [question]}, register_no="1", service_name=LAND,
                          answer={"ru": answer, "kk": answer})

    return build_index([
        entry("land.term", "Через сколько дней готов акт на землю?",
              "Акт готовят за 10 рабочих дней."),
        entry("land.fee", "Сколько стоит акт на землю?", "Бесплатно; срок 10 рабочих дней."),
        entry("land.documents", "Какие документы нужны для акта на землю?",
              "Удостоверение личности; срок 10 рабочих дней."),
        entry("land.how", "Где получить акт на землю?", "В ЦОНе; срок 10 рабочих дней."),
    ])


def test_an_aspect_asked_tells_the_entries_apart_when_nothing_else_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    question = "акт на землю как долго"
    answer = Matcher(_land_act()).ask(question)
    assert answer.decision == Decision.ANSWER and answer.entry == "land.term"
    monkeypatch.setattr(matcher_module, "ASPECT_APART", 2.0)  # aspects never tell
    assert Matcher(_land_act()).ask(question).decision == Decision.CLARIFY


def test_an_aspect_does_not_tell_when_the_question_has_a_word_the_service_lacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """"...для трактора": maybe a look-alike service not in the base; a choice, not a guess."""
    question = "акт на землю как долго делают для трактора"
    assert Matcher(_land_act()).ask(question).decision == Decision.CLARIFY
    monkeypatch.setattr(matcher_module, "ASPECT_APART_MISSING", 1.0)
    answer = Matcher(_land_act()).ask(question)
    assert answer.decision == Decision.ANSWER and answer.entry == "land.term"


def _two_services() -> KnowledgeIndex:
    card = {"ru": "Справка выдаётся в ЦОНе, а по четвергам приём ведёт юрист.",
            "kk": "Анықтама ХҚКО-да беріледі."}
    return build_index([
        entry_info("cert.fee", {"ru": ["Сколько стоит справка о несудимости?"]},
                   register_no="1", service_name={"ru": "Справка о несудимости", "kk": "Анықтама"},
                   answer=card),
        entry_info("pass.fee", {"ru": ["Сколько стоит паспорт?"]}, register_no="2",
                   service_name={"ru": "Паспорт", "kk": "Паспорт"}),
    ])


def test_a_word_met_only_in_an_answer_weighs_partly_as_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """"четвергам" is in an answer only: the question's weight counts it partly as unknown,
    and beyond the first two unknown words ("зюзя", "бряка") they saturate."""
    matcher = Matcher(_two_services())
    resolved = matcher.resolve(query_tokens("паспорт сколько стоит по четвергам зюзя бряка"))
    thursday = next(t for t in resolved if t.folded.startswith("четверг"))
    assert thursday.terms and 0.0 < matcher._coverage(thursday) < 1.0
    partly = matcher._question_weight(resolved)
    monkeypatch.setattr(matcher_module, "PASSING_UNKNOWN", False)
    fully = matcher._question_weight(resolved)
    assert partly < fully


def test_a_word_of_a_single_phrasing_weighs_partly_as_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """"назад" is in one phrasing of the whole base: incidental, not what a service is asked
    by; "паспорт", a name, and "стоит", in two phrasings, are known in full."""
    index = build_index([
        entry_info("pass.fee", {"ru": ["Сколько стоит паспорт?"]}, register_no="1",
                   service_name={"ru": "Паспорт", "kk": "Паспорт"}),
        entry_info("pass.term", {"ru": ["Подал на паспорт неделю назад, когда готов?"]},
                   register_no="1", service_name={"ru": "Паспорт", "kk": "Паспорт"}),
        entry_info("cert.fee", {"ru": ["Сколько стоит справка?"]}, register_no="2",
                   service_name={"ru": "Справка", "kk": "Анықтама"}),
    ])
    assert "назад" in index.incidental
    assert not {"паспорт", "стоит", "стоить"} & index.incidental
    matcher = Matcher(index)
    resolved = matcher.resolve(query_tokens("паспорт назад зюзя бряка"))
    partly = matcher._question_weight(resolved)
    monkeypatch.setattr(matcher_module, "INCIDENTAL_SHARE", 1.0)
    assert partly < matcher._question_weight(resolved)


def test_a_number_the_base_never_uses_is_a_detail_not_a_topic() -> None:
    """"2015" (a year) does not dilute the question; "19", which a phrasing holds, is read."""
    index = build_index([
        entry_info("car.fee", {"ru": ["Сколько стоит регистрация машины?"]}, register_no="1",
                   service_name={"ru": "Регистрация машины", "kk": "Көлікті тіркеу"}),
        entry_info("fam.age", {"ru": ["Старшему 19 лет, пособие дадут?"]}, register_no="2",
                   service_name={"ru": "Пособие многодетным", "kk": "Жәрдемақы"}),
    ])
    matcher = Matcher(index)
    year = matcher.resolve(query_tokens("регистрация машины 2015 сколько стоит"))
    number = next(t for t in year if t.folded == "2015")
    assert number.weight == 0.0 and number.frame and not number.terms
    assert matcher._question_weight(year) == matcher._question_weight(
        matcher.resolve(query_tokens("регистрация машины сколько стоит")))
    known = next(t for t in matcher.resolve(query_tokens("старшему 19")) if t.folded == "19")
    assert known.terms and known.weight > 0
