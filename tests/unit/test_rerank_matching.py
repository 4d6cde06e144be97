"""Round 2 of the fitted engine (issue 17): evidence that only re-ranks, a gate that holds
only for questions the best service misses a word of, and thresholds fitted with the weights.

Each capability is off in ``Params()`` (the kind's re-ranking: with ``kind_rerank=0``) and
on with its parameter: the tests compare both,
so they fail when it is switched off or broken."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

import bot.config
import knowledge.matching.matcher as matcher_module
from bot.config import MatcherSettings
from knowledge.matching.decision import Thresholds
from knowledge.matching.index import KnowledgeIndex, build_index
from knowledge.matching.matcher import Matcher
from knowledge.matching.params import Calibration, Params, Weights, fitted_params
from knowledge.model import Candidate, Decision
from knowledge.text.analyse import query_tokens
from tests.factories import entry_info
from tests.unit.test_sibling_matching import PHRASE, TOPICS, kinds_base, look_alikes

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import fit  # noqa: E402


def scores(matcher: Matcher, question: str) -> dict[str, float]:
    ranked, _, _ = matcher.rank(question)
    return {c.entry: c.score for c in ranked}


def test_the_kind_asked_reranks_a_services_entries_without_raising_any() -> None:
    index = kinds_base()
    question = "какие расценки на справка"  # "расценки": a fee word of other services only
    plain = scores(Matcher(index, params=Params(Weights(kind_rerank=0.0))), question)
    rerank = scores(Matcher(index, params=Params(Weights(kind_rerank=0.5))), question)
    assert plain["s4.fee"] - plain["s4.term"] < 0.05
    assert rerank["s4.fee"] - rerank["s4.term"] > 0.1
    # The likeliest kind keeps its score: no evidence that the service is asked.
    assert rerank["s4.fee"] == plain["s4.fee"]
    assert all(rerank[key] <= plain[key] for key in plain)


def test_a_neighbours_marker_word_lowers_the_service_lacking_it() -> None:
    index = look_alikes()
    question = "документы на временную регистрацию транспорта"
    plain = scores(Matcher(index, params=Params(Weights(separation_rerank=0.0))), question)
    rerank = scores(Matcher(index), question)  # the default re-ranks: 0.2
    assert rerank["temp.documents"] == plain["temp.documents"]
    assert rerank["main.documents"] < plain["main.documents"] - 0.01
    lead = rerank["temp.documents"] - rerank["main.documents"]
    assert lead > plain["temp.documents"] - plain["main.documents"] + 0.01


def test_the_service_gate_holds_only_when_the_service_misses_a_telling_word() -> None:
    question = "документы на регистрацию транспорта"
    matcher = Matcher(look_alikes())
    assert matcher.missing(matcher.resolve(query_tokens(question)), 1) == 0.0
    doubtful = Calibration(-10.0, {})
    always = Params(PHRASE.weights, service_calibration=doubtful, gate_missing=0.0)
    reach = Params(PHRASE.weights, service_calibration=doubtful, gate_missing=0.25)
    assert Matcher(look_alikes(), params=always).ask(question).decision == Decision.CLARIFY
    answer = Matcher(look_alikes(), params=reach).ask(question)
    assert answer.decision == Decision.ANSWER and answer.entry == "main.documents"
    # A word no entry of the best service uses puts the gate back.
    unknown = "документы на регистрацию транспорта трактор"
    assert Matcher(look_alikes(), params=reach).ask(unknown).decision != Decision.ANSWER


def test_fitted_thresholds_come_with_the_params_and_settings_still_override_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    strict = Params(PHRASE.weights, thresholds=Thresholds(answer_min=0.99))
    question = "документы на регистрацию транспорта"
    assert Matcher(look_alikes(), params=PHRASE).ask(question).decision == Decision.ANSWER
    assert Matcher(look_alikes(), params=strict).ask(question).decision == Decision.CLARIFY
    monkeypatch.setattr(bot.config, "fitted_params", lambda: strict)
    assert MatcherSettings(fitted=True).thresholds().answer_min == 0.99
    assert MatcherSettings(fitted=True, answer_min=0.4).thresholds().answer_min == 0.4
    assert MatcherSettings(answer_min=0.4).thresholds() == Thresholds(answer_min=0.4)
    assert MatcherSettings().thresholds() == Thresholds()


def test_the_shipped_fit_reranks_and_gates_softly() -> None:
    params = fitted_params()
    weights = params.weights
    # The hand-set evidence is kept; the fitted evidence only lowers scores.
    assert (weights.entry, weights.aspect, weights.variant, weights.spelling) == (
        Weights().entry, Weights().aspect, Weights().variant, Weights().spelling)
    assert weights.kind == weights.phrase == weights.separation == 0.0
    assert weights.kind_rerank > 0 or weights.separation_rerank > 0
    assert params.entry_p < 0.5 and params.service_p < 0.5


def test_the_decision_fit_does_no_worse_than_the_hand_set_engine_on_its_cases() -> None:
    from tests.unit.test_fit import two_services

    cases = fit.collect("tiny", two_services(), random.Random(fit.SEED))
    hand = fit.figures(cases, Params())
    for options in ({}, {"thresholds": True}, {"gate": False}):
        fitted = fit.figures(cases, fit.fit(cases, **options))
        assert fitted.right >= hand.right
        assert fitted.wrong <= hand.wrong and fitted.false <= hand.false


def test_the_decision_fit_takes_no_gain_in_one_pack_that_costs_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Answering at 0.25 would get pack "a"'s ten questions right but answer pack "b"'s
    question about a service it lacks: the fit keeps the hand-set answer_min."""

    def case(pack: str, truth: str | None, score: float) -> fit.Case:
        made = fit.Case(pack, "variant", "clean", truth, ["s.e"], [], {}, {}, 0.0, 0.13)
        prepared[id(made)] = fit.Prepared(made, True, [Candidate("s.e", score)], {"s.e": 0},
                                          False, True, 0.0, None, None)
        return made

    prepared: dict[int, fit.Prepared] = {}
    cases = [*(case("a", "s.e", 0.25) for _ in range(10)), case("b", "s.e", 0.5),
             case("b", None, 0.25)]
    monkeypatch.setattr(fit, "prepare", lambda c, params: prepared[id(c)])
    kept = fit.fit_decision(cases, Params())
    assert kept.thresholds is not None and kept.thresholds.answer_min == Thresholds().answer_min
    monkeypatch.setattr(fit, "SHORTFALL_COST", 0.0)  # a gain anywhere is taken
    loose = fit.fit_decision(cases, Params()).thresholds
    assert loose is not None and loose.answer_min <= 0.25


def spelling_base() -> Matcher:
    """Services named by words a citizen may misspell or run together with another."""
    def service(no: str, kk: str, ru: str, questions: list[str]) -> list:
        name = {"kk": kk, "ru": ru}
        return [entry_info(f"s{no}.how", {"kk": questions}, register_no=no, service_name=name)]

    return Matcher(build_index([
        *service("1", "Серіктестікті тіркеу", "Регистрация товарищества",
                 ["Серіктестікті қалай тіркеймін?", "Серіктестік құжаттары қандай?"]),
        *service("2", "Серкесті тіркеу", "Регистрация серкесті", ["Серкесті қалай тіркеймін?"]),
        *service("3", "Көлікті тіркеу", "Регистрация машины",
                 ["Көлікті қайда тіркеймін?", "Көлік тіркеу неше күн?"]),
        *service("4", "Ответ на заявление", "Ответ на заявление",
                 ["Сколько ждать ответ?", "Когда будет дан ответ?", "Как узнать ответ?",
                  "Долго ли ждать ответ?"]),
    ]))


def resolved_terms(matcher: Matcher, text: str) -> list[list[str]]:
    names = matcher.index.term_names
    return [[names[tid] for tid, _ in r.terms] for r in matcher.resolve(query_tokens(text))]


def test_a_transposed_letter_is_one_edit_and_a_looser_lookalike_is_dropped() -> None:
    matcher = spelling_base()
    closest = resolved_terms(matcher, "серіктестік")
    assert resolved_terms(matcher, "серкітестік") == closest  # not серкесті as well
    assert matcher.ask("серкітестік қалай тіркеймін").entry == "s1.how"


def test_two_words_typed_without_a_space_are_read_as_both() -> None:
    matcher = spelling_base()
    assert resolved_terms(matcher, "көліктіқайда") == resolved_terms(matcher, "көлікті қайда")
    assert resolved_terms(matcher, "сколькождать") == resolved_terms(matcher, "сколько ждать")
    # A concept phrase joined from two words stays one word.
    assert resolved_terms(matcher, "как долго") == [["#term"]]


def test_glued_words_are_read_by_the_bases_own_spelling_of_each_part() -> None:
    """Folded, "другую" is "другуиу", which the Russian stemmer misreads; the base spells it,
    so the piece stands for what the base's word does."""
    matcher = Matcher(build_index([
        entry_info("s1.how", {"ru": ["Как перевести ребёнка в другую школу?"]}),
    ]))
    assert resolved_terms(matcher, "другуюшколу") == resolved_terms(matcher, "другую школу")


def test_an_ending_left_by_a_cut_is_no_word_of_its_own() -> None:
    # "дан" is a word of the base (будет дан ответ) and a Kazakh ending (-дан).
    matcher = spelling_base()
    assert ["дан"] not in resolved_terms(matcher, "ответдан")


def test_a_word_of_ours_the_base_lacks_is_not_corrected_into_another() -> None:
    # бақша (kindergarten) is one letter from ақша (money, a fee word); a base without
    # kindergartens must not read it as a fee, nor балабақшаға as бала + ақшаға.
    matcher = Matcher(build_index([
        entry_info("s1.fee", {"kk": ["Баланы тіркеуге ақша керек пе?"]}),
    ]))
    assert resolved_terms(matcher, "бақша") == [[]]
    assert resolved_terms(matcher, "балабақшаға") == [[]]


def test_a_question_word_or_particle_the_base_lacks_is_not_corrected_into_another() -> None:
    # почему (why) is one letter from почем (how much apiece, a fee word).
    matcher = Matcher(build_index([
        entry_info("s1.fee", {"ru": ["Справка почём?"]}),
    ]))
    assert resolved_terms(matcher, "почему") == [[]]
    assert resolved_terms(matcher, "почемм") == [["#fee"]]  # a typo of it still reads


def asked_in(index: KnowledgeIndex, question: str) -> dict[str, float]:
    """The aspects a question asks (1.0) or names as context, read against ``index``."""
    resolved = Matcher(index).resolve(query_tokens(question))
    return matcher_module._asked_aspects(resolved, index.term_names)


def test_what_it_is_like_asks_as_any_question_word() -> None:
    asked = asked_in(build_index([
        entry_info("s.fee", {"ru": ["Сколько стоит справка?"]}),
        entry_info("s.term", {"ru": ["Когда будет готова справка?"]}),
    ]), "какова стоимость изготовления справки")
    assert asked["#fee"] == 1.0 and asked["#term"] < 1.0  # изготовление: context


def test_a_kind_of_one_service_only_is_not_reranked_by_how_others_ask(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Four services ask the fee and the term alike; only the fourth has an entry on a lost
    # certificate. Its one phrasing says little of how that kind is asked: the fee words of
    # the question must not push it down.
    index = build_index([
        *kinds_base().entries,
        entry_info("s4.lost", {"ru": ["Что делать, если потерял справку?"]}, register_no="4",
                   service_name={"kk": "Қызмет 4", "ru": "Справка"}),
    ])
    question = "потерял справку, сколько стоит восстановить"
    plain = scores(Matcher(index, params=Params(Weights(kind_rerank=0.0))), question)
    assert scores(Matcher(index), question)["s4.lost"] == plain["s4.lost"]
    monkeypatch.setattr(matcher_module, "COMMON_KINDS_ONLY", False)
    assert scores(Matcher(index), question)["s4.lost"] < plain["s4.lost"] - 0.05


def test_an_aspect_word_teaches_the_kind_though_few_services_ask_with_it() -> None:
    # Only two services ask the validity with "действует", fewer than an asking word of the
    # base must be used by; as a concept of asking (#validity) it is learnt all the same,
    # and a plain word so rare is not.
    entries = []
    for no, topic in TOPICS.items():
        name = {"kk": f"Қызмет {no}", "ru": topic.capitalize()}
        validity = [f"На какой срок выдают {topic}?"]
        if no in ("1", "2"):
            validity.append(f"Сколько действует {topic}, если уеду?")
        entries += [
            entry_info(f"s{no}.term", {"ru": [f"Когда будет готов {topic}?"]}, register_no=no,
                       service_name=name),
            entry_info(f"s{no}.validity", {"ru": validity}, register_no=no, service_name=name),
        ]
    index = build_index(entries)
    assert index.kinds is not None
    assert "#validity" in index.kinds.log_p and "уед" not in index.kinds.log_p
    matcher = Matcher(index)
    rows, _ = matcher.features("сколько действует справка")
    odds = {index.entries[row.entry].key: row.kind_odds for row in rows}
    assert odds["s4.validity"] == 0.0 and odds["s4.term"] < -0.5  # validity the likelier


def test_how_long_it_is_valid_asks_the_validity_not_the_term() -> None:
    index = build_index([
        entry_info("s.term", {"kk": ["Анықтама қанша уақытта дайын болады?"]}),
        entry_info("s.validity", {"kk": ["Анықтаманың жарамдылық мерзімі қандай?"]}),
    ])
    asked = asked_in(index, "анықтама қанша уақыт жарамды")
    assert asked["#validity"] == 1.0 and asked["#term"] < 1.0
    ranked = scores(Matcher(index), "анықтама қанша уақыт жарамды")
    assert ranked["s.validity"] > ranked["s.term"]


def situation_base() -> KnowledgeIndex:
    return build_index([
        entry_info("birth.how", {"ru": [
            "Как зарегистрировать рождение?", "Где регистрируют ребёнка?"]}),
        entry_info("birth.abroad", {"ru": [
            "Как зарегистрировать ребёнка, родившегося за границей?",
            "Ребёнок родился в Турции, где его зарегистрировать?",
            "Как зарегистрировать ребёнка, рождённого за рубежом?",
        ]}),
    ])


def test_an_entry_on_a_situation_the_question_does_not_say_is_lowered() -> None:
    index = situation_base()
    assert index.situation_share == [0.0, 1.0]
    question = "как зарегистрировать ребёнка"
    plain = scores(Matcher(index, params=Params(Weights(situation_rerank=0.0))), question)
    rerank = scores(Matcher(index), question)
    assert plain["birth.abroad"] > plain["birth.how"]  # its words, not its situation
    assert rerank["birth.how"] > rerank["birth.abroad"]
    assert rerank["birth.how"] == plain["birth.how"]
    # Said, the situation keeps its entry's score.
    said = "ребёнок родился в Германии, как зарегистрировать"
    assert scores(Matcher(index), said) == scores(
        Matcher(index, params=Params(Weights(situation_rerank=0.0))), said)
