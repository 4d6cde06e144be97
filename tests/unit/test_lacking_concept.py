"""A question naming a thing of ours (a concept that is no aspect) that the best service
never mentions is about something else, maybe a service the base lacks (issue 17): "ИП"
where no service is about sole proprietors, "налог" beside a certificate's words. No answer
from that service, and no agency is burdened with it."""

from __future__ import annotations

from knowledge.matching.index import build_index
from knowledge.matching.matcher import Matcher
from knowledge.model import Decision, EntryInfo
from tests.factories import entry_info

RESIDENCE = {"ru": "Регистрация по месту жительства", "kk": "Тұрғылықты жері бойынша тіркеу"}
PROPRIETOR = {"ru": "Регистрация индивидуального предпринимателя", "kk": "ЖК тіркеу"}


def _residence() -> list[EntryInfo]:
    return [
        entry_info("res.fee", {"ru": ["Сколько стоит регистрация по месту жительства?"]},
                   register_no="1", service_name=RESIDENCE),
        entry_info("res.documents",
                   {"ru": ["Какие документы нужны для регистрации по месту жительства?"]},
                   register_no="1", service_name=RESIDENCE),
    ]


def test_a_thing_the_base_never_mentions_is_not_answered_by_another_service() -> None:
    question = "сколько стоит регистрация по месту жительства для ИП"
    answer = Matcher(build_index(_residence())).ask(question)
    assert answer.decision == Decision.CLARIFY and answer.entry is None
    assert [c.entry for c in answer.candidates] == ["res.fee"]
    assert not answer.service_identified
    # Without "ИП" the same question is answered.
    plain = Matcher(build_index(_residence())).ask("сколько стоит регистрация по месту жительства")
    assert plain.decision == Decision.ANSWER and plain.entry == "res.fee"


def test_the_same_thing_is_read_when_the_base_has_it() -> None:
    base = [*_residence(), entry_info("ip.fee", {"ru": ["Сколько стоит открыть ИП?"]},
                                      register_no="2", service_name=PROPRIETOR)]
    answer = Matcher(build_index(base)).ask("сколько стоит открыть ИП")
    assert answer.decision == Decision.ANSWER and answer.entry == "ip.fee"


WITHDRAWAL = {"ru": "Снятие пенсионных накоплений", "kk": "Зейнетақы жинағын алу"}
CERTIFICATE = {"ru": "Справка о доходах", "kk": "Табыс туралы анықтама"}


def _withdrawal(answer: str) -> list[EntryInfo]:
    return [
        entry_info("wd.how", {"ru": ["Как снять пенсионные накопления?"]}, register_no="1",
                   service_name=WITHDRAWAL, answer={"ru": answer, "kk": answer}),
        entry_info("wd.fee", {"ru": ["Сколько стоит снять пенсионные накопления?"]},
                   register_no="1", service_name=WITHDRAWAL),
        entry_info("inc.how", {"ru": ["Как получить справку о доходах?"]}, register_no="2",
                   service_name=CERTIFICATE,
                   answer={"ru": "Через eGov; приложите выписку из банка.", "kk": "eGov."}),
    ]


def test_a_thing_only_another_services_answer_mentions_is_not_answered_either() -> None:
    """"выписка" is in no name, keyword or question, and only the income certificate's answer
    names it: a question on a statement of one's savings is not the withdrawal's to answer."""
    question = "как получить выписку пенсионных накоплений"
    answer = Matcher(build_index(_withdrawal("Через ЦОН или eGov."))).ask(question)
    assert answer.decision != Decision.ANSWER and not answer.service_identified
    # When the best service's own answer speaks of it, the question is that service's.
    told = Matcher(build_index(_withdrawal("Через eGov; выписку счёта получите там же.")))
    answer = told.ask(question)
    assert answer.decision == Decision.ANSWER and answer.entry == "wd.how"


def test_a_thing_another_service_is_about_is_no_question_for_the_best_one() -> None:
    """"налог" is the tax audit's, and the property certificate never mentions it: "the tax
    on my flat" is no question for the certificate, though its words are all there."""
    property_certificate = {"ru": "Справка о недвижимости", "kk": "Анықтама"}
    base = [
        entry_info("prop.fee", {"ru": ["Сколько стоит справка о недвижимости?"]},
                   register_no="1", service_name=property_certificate),
        entry_info("prop.how", {"ru": ["Где получить справку о недвижимости?"]},
                   register_no="1", service_name=property_certificate),
        entry_info("llp.tax", {"ru": ["Будет ли налоговая проверка при закрытии ТОО?"]},
                   register_no="2", service_name={"ru": "Ликвидация ТОО", "kk": "ЖШС тарату"}),
    ]
    matcher = Matcher(build_index(base))
    answer = matcher.ask("сколько стоит справка о недвижимости для налоговой")
    assert answer.decision == Decision.CLARIFY and not answer.service_identified
    assert matcher.ask("сколько стоит справка о недвижимости").entry == "prop.fee"


def test_a_situation_the_best_service_never_speaks_of_is_no_question_for_it() -> None:
    """Leaving for abroad, when no text of the savings withdrawal speaks of it: the question
    may be about a service for emigrants the base lacks."""
    base = _withdrawal("Через ЦОН или eGov.")
    question = "живу за границей, как снять пенсионные накопления"
    answer = Matcher(build_index(base)).ask(question)
    assert answer.decision != Decision.ANSWER and not answer.service_identified
    abroad = _withdrawal("Через ЦОН или eGov; живущим за границей — через консульство.")
    answer = Matcher(build_index(abroad)).ask(question)
    assert answer.decision == Decision.ANSWER and answer.entry == "wd.how"
