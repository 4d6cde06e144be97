"""Out of scope: a question whose main content words no service of the base covers is told
so, neither guessed at nor escalated. Coverage is the base's own vocabulary: names,
keywords, questions, and (in part) answers."""

from __future__ import annotations

from knowledge.matching.index import build_index
from knowledge.matching.matcher import OUT_OF_SCOPE, Matcher
from knowledge.model import Decision
from knowledge.text.analyse import query_tokens
from tests.factories import entry_info

PASSPORT = {"kk": "Төлқұжат беру", "ru": "Выдача паспорта"}
LLP = {"kk": "ЖШС тіркеу", "ru": "Регистрация ТОО"}


def tiny_matcher() -> Matcher:
    return Matcher(build_index([
        entry_info("passport.fee", {"kk": ["Төлқұжат қанша тұрады?"],
                                    "ru": ["Сколько стоит паспорт?"]},
                   register_no="1", service_name=PASSPORT,
                   answer={"kk": "9 АЕК.", "ru": "9 МРП; бланк заполняют сотрудники."}),
        entry_info("passport.term", {"kk": ["Төлқұжат неше күнде дайын болады?"],
                                     "ru": ["Как долго делают паспорт?"]},
                   register_no="1", service_name=PASSPORT),
        entry_info("llp.documents", {"kk": ["ЖШС тіркеуге қандай құжаттар керек?"],
                                     "ru": ["Какие документы нужны для регистрации ТОО?"]},
                   register_no="2", service_name=LLP),
    ]))


def uncovered(matcher: Matcher, text: str) -> float:
    return matcher.uncovered(matcher.resolve(query_tokens(text)))


def test_a_question_on_a_topic_the_base_never_mentions_is_out_of_scope() -> None:
    matcher = tiny_matcher()
    for text in ("какая погода будет завтра", "кто выиграл футбольный матч",
                 "ертең ауа райы қандай болады"):
        answer = matcher.ask(text)
        assert answer.decision == Decision.ESCALATE, text
        assert answer.reason == OUT_OF_SCOPE, text
        assert answer.entry is None and not answer.service_identified


def test_a_question_in_the_base_words_is_not_out_of_scope() -> None:
    matcher = tiny_matcher()
    assert matcher.ask("паспорт").reason is None  # clarified: which of its answers
    answered = matcher.ask("сколько стоит паспорт")
    assert answered.decision == Decision.ANSWER and answered.reason is None


def test_one_unknown_word_beside_the_base_words_does_not_make_it_out_of_scope() -> None:
    answer = tiny_matcher().ask("сколько стоит паспорт ребёнку")
    assert answer.reason is None
    assert answer.candidates[0].entry == "passport.fee"


def test_coverage_comes_from_names_questions_and_in_part_from_answers() -> None:
    matcher = tiny_matcher()
    assert uncovered(matcher, "паспорт ТОО") == 0.0  # a name, a question word
    assert uncovered(matcher, "погода футбол") == 1.0  # words no text of the base uses
    only_in_an_answer = uncovered(matcher, "бланк")
    assert 0.0 < only_in_an_answer < 1.0
