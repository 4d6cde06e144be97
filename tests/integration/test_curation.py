"""Curation: an agency's answer becomes knowledge after review, and the bot answers the
same question itself next time; unanswered questions are grouped, most frequent first."""

from __future__ import annotations

import pytest

from bot.app import App
from knowledge import curation, escalations
from knowledge.asking import MatcherCache, record_unanswered
from knowledge.curation import CurationError
from knowledge.model import Answer, Decision
from knowledge.staff import AccessDenied, Actor, Role
from tests.escalation_helpers import OPERATOR, PASSPORT, clock_at, escalate, seed

CLOCK = clock_at(2026, 12, 15)
REVIEWER = Actor("Бекзат", Role.OPERATOR)
QUESTION = "Можно ли оформить паспорт без постоянной регистрации?"


async def ask(app: App, matchers: MatcherCache, text: str) -> Answer:
    async with app.uow() as uow:
        matcher = await matchers.get(uow)
    return matcher.ask(text, "ru")


async def test_an_agency_answer_curated_and_approved_answers_the_next_citizen(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    matchers = MatcherCache()
    assert (await ask(app, matchers, QUESTION)).decision != Decision.ANSWER
    ref = await escalate(app, QUESTION, register_no=PASSPORT)
    async with app.uow() as uow:
        await escalations.answer(uow, ref, text_ru="Да, по месту временного пребывания.",
                                 actor=mvd, clock=CLOCK)
        await uow.commit()
        [item] = await curation.curation_list(uow, OPERATOR)
    assert (item.reference, item.question) == (ref, QUESTION)

    async with app.uow() as uow:
        with pytest.raises(CurationError, match="kk is missing"):
            await curation.propose_entry(uow, item_id=item.id, actor=OPERATOR, clock=CLOCK)
        with pytest.raises(AccessDenied):
            await curation.propose_entry(uow, item_id=item.id, actor=mvd, clock=CLOCK)
        proposal = await curation.propose_entry(
            uow, item_id=item.id, actor=OPERATOR, clock=CLOCK,
            question_kk="Тұрақты тіркеусіз төлқұжат алуға бола ма?",
            answer_kk="Иә, уақытша тұратын жері бойынша.")
        await uow.commit()
    assert proposal.questions == {"kk": ["Тұрақты тіркеусіз төлқұжат алуға бола ма?"],
                                  "ru": [QUESTION]}
    assert proposal.entry_key == f"mvd.{PASSPORT}.asked-1"
    assert (await ask(app, matchers, QUESTION)).entry != proposal.entry_key  # not yet live

    async with app.uow() as uow:
        await curation.approve(uow, proposal.id, actor=REVIEWER, clock=CLOCK)
        await uow.commit()
        assert await curation.curation_list(uow, OPERATOR) == []
    answer = await ask(app, matchers, QUESTION)
    assert (answer.decision, answer.entry) == (Decision.ANSWER, proposal.entry_key)


async def test_unanswered_questions_are_grouped_most_frequent_first_and_become_variants(
    app: App,
) -> None:
    await seed(app)
    matchers = MatcherCache()
    texts = ["Паспорт на ребенка сколько стоит", "паспорт на ребёнка сколько стоит?",
             "Где мой паспорт?", "Паспорт на ребенка сколько стоит!"]
    async with app.uow() as uow:
        for text in texts:
            record_unanswered(uow, text, Answer(Decision.ESCALATE, "ru", None, 0.0, ()),
                              "telegram", CLOCK)
        await uow.commit()
        groups = await curation.unanswered_groups(uow, OPERATOR)
    assert [g.count for g in groups] == [3, 1]
    assert groups[0].ids == (1, 2, 4)

    async with app.uow() as uow:
        proposal = await curation.propose_variant(uow, "mvd.passport.fee", actor=OPERATOR,
                                                  clock=CLOCK, unanswered_ids=groups[0].ids)
        with pytest.raises(curation.CurationError, match="another operator"):
            await curation.approve(uow, proposal.id, actor=OPERATOR, clock=CLOCK)
        await curation.approve(uow, proposal.id, actor=REVIEWER, clock=CLOCK)
        await uow.commit()
        left = await curation.unanswered_groups(uow, OPERATOR)
    assert [g.text for g in left] == ["Где мой паспорт?"]
    answer = await ask(app, matchers, "Паспорт на ребенка сколько стоит")
    assert (answer.decision, answer.entry) == (Decision.ANSWER, "mvd.passport.fee")
