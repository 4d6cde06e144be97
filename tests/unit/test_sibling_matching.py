"""Telling look-alike services and kinds of question apart, and the fitted decision.

Each capability is off in ``Params()`` (the hand-set engine) and on with a weight: the
tests compare both, so they fail when the capability is switched off or broken."""

from __future__ import annotations

import json

import pytest

import knowledge.matching.index as index_module
from knowledge.matching.index import KnowledgeIndex, build_index
from knowledge.matching.matcher import Matcher
from knowledge.matching.params import PARAMS_FILE, Calibration, Params, Weights, fitted_params
from knowledge.model import Decision
from knowledge.text.analyse import query_tokens
from tests.factories import entry_info

TEMPORARY = {"kk": "Көлікті уақытша тіркеу", "ru": "Временная регистрация транспорта"}
REGISTRATION = {"kk": "Көлікті тіркеу", "ru": "Регистрация транспорта"}


def look_alikes() -> KnowledgeIndex:
    """A specific service listed first, and its general sibling sharing all its words but
    one ("временная")."""
    return build_index([
        entry_info("temp.documents",
                   {"ru": ["Какие документы нужны для временной регистрации транспорта?"]},
                   register_no="1", service_name=TEMPORARY),
        entry_info("temp.fee", {"ru": ["Сколько стоит временная регистрация транспорта?"]},
                   register_no="1", service_name=TEMPORARY),
        entry_info("main.documents", {"ru": ["Какие документы нужны для регистрации транспорта?"]},
                   register_no="2", service_name=REGISTRATION),
        entry_info("main.fee", {"ru": ["Сколько стоит регистрация транспорта?"]},
                   register_no="2", service_name=REGISTRATION),
    ])


PHRASE = Params(Weights(phrase=1.0))


def test_the_general_sibling_is_answered_when_the_specific_ones_marker_is_absent() -> None:
    index = look_alikes()
    question = "документы на регистрацию транспорта"
    answer = Matcher(index, params=PHRASE).ask(question)
    assert answer.decision == Decision.ANSWER and answer.entry == "main.documents"
    # Without the phrase evidence the two services are too close to answer.
    no_phrase = Params(Weights(phrase_rerank=0.0))
    assert Matcher(index, params=no_phrase).ask(question).decision == Decision.CLARIFY


def test_the_service_is_decided_first_by_how_fully_its_names_are_said() -> None:
    """The default engine's phrase re-ranking: a service whose name the question says only
    in part loses part of its score, the one said whole keeps all of it."""
    index = look_alikes()
    general = Matcher(index).ask("документы на регистрацию транспорта")
    assert general.decision == Decision.ANSWER and general.entry == "main.documents"
    specific = Matcher(index).ask("документы на временную регистрацию транспорта")
    assert specific.decision == Decision.ANSWER and specific.entry == "temp.documents"
    ranked, _, _ = Matcher(index).rank("документы на регистрацию транспорта")
    plain, _, _ = Matcher(index, params=Params(Weights(phrase_rerank=0.0))).rank(
        "документы на регистрацию транспорта")
    kept = {c.entry: c.score for c in ranked}
    before = {c.entry: c.score for c in plain}
    assert kept["main.documents"] == before["main.documents"]  # its name said whole
    assert kept["temp.documents"] < before["temp.documents"] - 0.05


def test_the_specific_sibling_is_answered_when_its_marker_is_said() -> None:
    answer = Matcher(look_alikes(), params=PHRASE).ask(
        "документы на временную регистрацию транспорта")
    assert answer.decision == Decision.ANSWER and answer.entry == "temp.documents"


def test_look_alikes_are_each_others_neighbours() -> None:
    assert look_alikes().neighbours == [(1,), (0,)]


def test_a_neighbours_marker_word_separates_against_the_service_lacking_it() -> None:
    matcher = Matcher(look_alikes())
    resolved = matcher.resolve(query_tokens("временная регистрация транспорта"))
    assert matcher._separation(0, resolved) > 0.5 > matcher._separation(1, resolved)


TOPICS = {"1": "паспорт", "2": "виза", "3": "лицензия", "4": "справка"}


def kinds_base() -> KnowledgeIndex:
    """Four services with a fee and a term entry; three ask about the fee with "расценки",
    the fourth never does."""
    entries = []
    for no, topic in TOPICS.items():
        name = {"kk": f"Қызмет {no}", "ru": topic.capitalize()}
        fee = [f"Сколько стоит {topic}?"]
        if no != "4":
            fee.append(f"Какие расценки на {topic}?")
        entries.append(entry_info(f"s{no}.fee", {"ru": fee}, register_no=no, service_name=name))
        entries.append(entry_info(f"s{no}.term", {"ru": [f"Когда готов {topic}?"]},
                                  register_no=no, service_name=name))
    return build_index(entries)


def test_the_kind_of_question_is_learnt_from_other_services_variants() -> None:
    index = kinds_base()
    assert index.kinds is not None and set(index.kinds.names) == {"fee", "term"}

    def lead(params: Params) -> float:
        ranked, _, _ = Matcher(index, params=params).rank("какие расценки на справка")
        scores = {c.entry: c.score for c in ranked}
        return scores["s4.fee"] - scores["s4.term"]

    assert lead(Params(Weights(kind=1.0))) > 0.2
    # "расценки" is no word of the fourth service's entries
    assert lead(Params(Weights(kind_rerank=0.0))) < 0.05


def test_ids_without_parts_have_no_kinds() -> None:
    index = build_index([
        entry_info("fee", {"ru": ["Сколько стоит паспорт?"]}),
        entry_info("term", {"ru": ["Когда готов паспорт?"]}),
    ])
    assert index.kinds is None


def test_an_answer_whose_service_is_more_likely_wrong_becomes_a_choice() -> None:
    question = "документы на регистрацию транспорта"
    doubtful = Params(PHRASE.weights, service_calibration=Calibration(-10.0, {}))
    sure = Params(PHRASE.weights, service_calibration=Calibration(10.0, {}))
    assert Matcher(look_alikes(), params=sure).ask(question).decision == Decision.ANSWER
    answer = Matcher(look_alikes(), params=doubtful).ask(question)
    assert answer.decision == Decision.CLARIFY and answer.entry is None
    assert "main.documents" in {c.entry for c in answer.candidates}


def test_an_answer_whose_entry_is_more_likely_wrong_becomes_a_choice() -> None:
    question = "документы на регистрацию транспорта"
    by_score = Calibration(-5.0, {"score": 10.0})  # P >= 0.5 from a score of 0.5
    assert Matcher(look_alikes(), params=Params(PHRASE.weights, by_score)).ask(
        question).decision == Decision.ANSWER
    strict = Params(PHRASE.weights, by_score, entry_p=0.9999)
    assert Matcher(look_alikes(), params=strict).ask(question).decision == Decision.CLARIFY


def test_params_survive_their_file_and_the_shipped_fit_is_complete() -> None:
    params = fitted_params()
    assert Params.from_json(json.loads(json.dumps(params.to_json()))) == params
    assert params.calibration is not None and params.service_calibration is not None
    assert json.loads(PARAMS_FILE.read_text(encoding="utf-8"))["weights"]["service_power"] == 1.0


def residence() -> KnowledgeIndex:
    name = {"kk": "Тұрғылықты жері бойынша тіркеу", "ru": "Регистрация по месту жительства"}
    return build_index([
        entry_info("res.term", {"ru": ["Когда меня пропишут, если подать заявку сегодня?"]},
                   register_no="1", service_name=name),
        entry_info("res.fee", {"ru": ["Сколько стоит регистрация по месту жительства?"]},
                   register_no="1", service_name=name),
        *look_alikes().entries,
    ])


def test_a_question_the_base_holds_says_its_service_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A question asked as the base holds it is answered, though it says none of its
    service's names: its questions say the service as its names do."""
    question = "Когда меня пропишут, если подать заявку сегодня?"
    answer = Matcher(residence()).ask(question)
    assert answer.decision == Decision.ANSWER and answer.entry == "res.term"

    monkeypatch.setattr(
        index_module, "_said_by",
        lambda read, frame: [index_module._said_arrays(phrases) for phrases in read.phrases],
    )
    names_only = Matcher(residence()).ask(question)
    assert names_only.decision != Decision.ANSWER
