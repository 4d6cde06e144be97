"""Which entry of a service a question asks for (issue 17): evidence learned from the
base itself. Each test switches its capability off (the module constant at 0 or 1) and
shows the ranking it changes."""

from __future__ import annotations

import pytest

import knowledge.matching.index as index_module
from knowledge.matching.index import KnowledgeIndex, build_index
from knowledge.matching.matcher import Matcher
from tests.factories import entry_info

TOPICS = {"1": "справка о несудимости", "2": "выписка из реестра", "3": "акт на землю"}


def kinds_base() -> KnowledgeIndex:
    """Three services with a documents and a fee entry; the third's documents entry never
    says "документы" (people ask it so in the other two)."""
    entries = []
    for no, topic in TOPICS.items():
        name = {"kk": f"Қызмет {no}", "ru": topic.capitalize()}
        documents = (
            f"Что подать, чтобы получить {topic}?" if no == "3"
            else f"Какие документы нужны на {topic}?"
        )
        entries.append(entry_info(f"s{no}.documents", {"ru": [documents]},
                                  register_no=no, service_name=name))
        entries.append(entry_info(f"s{no}.fee", {"ru": [f"Сколько стоит {topic}?"]},
                                  register_no=no, service_name=name))
    return build_index(entries)


def lead(index: KnowledgeIndex, question: str, first: str, second: str) -> float:
    ranked, _, _ = Matcher(index).rank(question)
    scores = {c.entry: c.score for c in ranked}
    return scores[first] - scores[second]


def test_an_entry_is_asked_as_its_kind_is_asked_in_other_services(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    question = "какие документы нужны на акт на землю"
    index = kinds_base()
    documents = index.entries.index(next(e for e in index.entries if e.key == "s3.documents"))
    assert index.aspects[documents]["#documents"] == pytest.approx(1 / 3)  # (0 + 2/3) / 2
    with_kind = lead(index, question, "s3.documents", "s3.fee")

    monkeypatch.setattr(index_module, "KIND_PRIOR", 0.0)
    alone = kinds_base()
    assert "#documents" not in alone.aspects[documents]
    assert with_kind > lead(alone, question, "s3.documents", "s3.fee") + 0.05
    assert with_kind > 0


def pension() -> KnowledgeIndex:
    name = {"kk": "Жасына байланысты зейнетақы", "ru": "Пенсия по возрасту"}
    return build_index([
        entry_info("p.age", {"ru": ["С какого возраста назначают пенсию?"]}, service_name=name),
        entry_info("p.documents", {"ru": ["Что подать для назначения пенсии по возрасту?"]},
                   service_name=name),
        entry_info("p.fee", {"ru": ["Сколько стоит оформление пенсии?"]}, service_name=name),
    ])


def test_a_word_of_the_services_name_tells_its_entries_apart_less(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """"возраст" names the service (pension by age); in "что подать для пенсии по
    возрасту" it does not ask at what age."""
    question = "что подать для пенсии по возрасту"
    index = pension()
    named = lead(index, question, "p.documents", "p.age")

    monkeypatch.setattr(index_module, "NAME_WORD_SHARE", 1.0)
    plain = pension()
    within, plain_within = index.services[0].idf_within, plain.services[0].idf_within
    assert within["возраст"] == pytest.approx(0.5 * plain_within["возраст"])
    assert within["назначен"] == plain_within["назначен"]  # no word of the name
    assert named > lead(plain, question, "p.documents", "p.age") + 0.02
    assert named > 0
