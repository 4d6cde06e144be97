"""An entry's edit through curation: the base is unchanged until another person of the
center approves; an agency proposes for its own services only; the entry changed
meanwhile is not overwritten; the diff shows what goes and what comes, per language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App
from knowledge import curation
from knowledge.db.tables import EntryRow, UnansweredRow
from knowledge.staff import AccessDenied, Actor, Role
from knowledge.textdiff import Piece, word_diff
from tests.escalation_helpers import OPERATOR, clock_at, seed

CLOCK = clock_at(2026, 12, 15)
SECOND = Actor("Бауыржан", Role.OPERATOR)
NEW_KK = "Төлқұжат 9 АЕК тұрады, ХҚКО-да төленеді."


async def _entry(app: App, key: str = "mvd.passport.fee") -> curation.EntryTexts:
    async with app.uow() as uow:
        row = await uow.session.scalar(select(EntryRow).where(EntryRow.key == key))
        assert row is not None
        return curation.EntryTexts.of(row)


async def _propose(app: App, actor: Actor, answer_kk: str = NEW_KK,
                   key: str = "mvd.passport.fee") -> curation.Proposal:
    async with app.uow() as uow:
        proposal = await curation.propose_edit(
            uow, key, actor=actor, clock=CLOCK,
            questions={"kk": ["Төлқұжат қанша тұрады?", "Паспорт бағасы қандай?"],
                       "ru": ["Сколько стоит паспорт?"]},
            answer_kk=answer_kk, answer_ru="Ответ.")
        await uow.commit()
    return proposal


async def test_an_edit_waits_for_another_operator_then_goes_live(app: App) -> None:
    await seed(app)
    revision_before = await _revision(app)
    proposal = await _propose(app, OPERATOR)
    assert proposal.kind == curation.EDIT and proposal.status == "pending"
    assert proposal.base is not None and proposal.base.answer_kk == "Жауап."
    assert (await _entry(app)).answer_kk == "Жауап."  # nothing live yet
    async with app.uow() as uow:
        with pytest.raises(curation.OwnProposal):
            await curation.approve(uow, proposal.id, actor=OPERATOR, clock=CLOCK)
    async with app.uow() as uow:
        done = await curation.approve(uow, proposal.id, actor=SECOND, clock=CLOCK)
        await uow.commit()
    assert done.status == "approved" and done.reviewed_by == "operator:Бауыржан"
    entry = await _entry(app)
    assert entry.answer_kk == NEW_KK
    assert entry.questions["kk"] == ("Төлқұжат қанша тұрады?", "Паспорт бағасы қандай?")
    assert await _revision(app) > revision_before  # every matcher rebuilds


async def _revision(app: App) -> int:
    async with app.uow() as uow:
        return await uow.knowledge.revision()


async def test_an_agency_proposes_for_its_own_services_only(app: App) -> None:
    mvd, mju = await seed(app)
    mine = await _propose(app, mvd)
    assert mine.proposed_by == "agency:Дана"
    with pytest.raises(AccessDenied):
        await _propose(app, mju)
    async with app.uow() as uow:
        with pytest.raises(AccessDenied):  # reviewing is the center's
            await curation.approve(uow, mine.id, actor=mvd, clock=CLOCK)
        with pytest.raises(AccessDenied):  # and another agency cannot read it
            await curation.proposal(uow, mine.id, mju)
        assert (await curation.proposal(uow, mine.id, mvd)).id == mine.id


async def test_an_edit_of_an_entry_changed_meanwhile_is_not_applied(app: App) -> None:
    await seed(app)
    proposal = await _propose(app, OPERATOR)
    async with app.uow() as uow:  # e.g. a pack imported meanwhile
        row = await uow.session.scalar(select(EntryRow).where(
            EntryRow.key == "mvd.passport.fee"))
        assert row is not None
        row.answer_ru = "Новый ответ из пакета."
        await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(curation.ChangedMeanwhile):
            await curation.approve(uow, proposal.id, actor=SECOND, clock=CLOCK)
    assert (await _entry(app)).answer_ru == "Новый ответ из пакета."


async def test_what_an_edit_cannot_be(app: App) -> None:
    await seed(app)
    async with app.uow() as uow:
        with pytest.raises(curation.NothingChanged):
            await curation.propose_edit(
                uow, "mvd.passport.fee", actor=OPERATOR, clock=CLOCK,
                questions={"kk": ["Төлқұжат қанша тұрады?"], "ru": ["Сколько стоит паспорт?"]},
                answer_kk="Жауап.", answer_ru="Ответ.")
        with pytest.raises(curation.EditRefused) as refused:
            await curation.propose_edit(
                uow, "mvd.passport.fee", actor=OPERATOR, clock=CLOCK,
                questions={"kk": ["Төлқұжат қанша тұрады?"]}, answer_kk="Жауап.",
                answer_ru="Ответ без вопроса.")
        assert refused.value.reasons == (("together", "ru"),)
        with pytest.raises(curation.EditRefused) as refused:
            await curation.propose_edit(
                uow, "mvd.passport.fee", actor=OPERATOR, clock=CLOCK,
                questions={"kk": ["Төлқұжат қанша тұрады?"]}, answer_kk="Жауап.",
                answer_ru="")
        assert refused.value.reasons == (("removed", "ru"),)
    await _propose(app, OPERATOR)
    with pytest.raises(curation.EditRefused) as refused:
        await _propose(app, SECOND, answer_kk="Басқа жауап.")
    assert refused.value.reasons[0][0] == "waiting"


async def test_the_diff_shows_per_language_what_goes_and_comes(app: App) -> None:
    await seed(app)
    proposal = await _propose(app, OPERATOR)
    kk, ru = curation.changes(proposal)
    assert kk.lang == "kk" and kk.changed
    assert Piece("del", "Жауап.") in kk.answer and Piece("ins", NEW_KK) in kk.answer
    assert any(p.op == "ins" and "Паспорт бағасы" in p.text for p in kk.questions)
    assert not ru.changed


def test_a_word_diff_keeps_the_common_words() -> None:
    pieces = word_diff("Паспорт стоит 9 МРП", "Паспорт стоит 10 МРП")
    assert pieces == [Piece("same", "Паспорт стоит "), Piece("del", "9"),
                      Piece("ins", "10"), Piece("same", " МРП")]
    assert word_diff(None, "Жаңа") == [Piece("ins", "Жаңа")]


async def test_unanswered_groups_mark_the_gaps(app: App) -> None:
    await seed(app)
    async with app.uow() as uow:
        for text, decision in (("Как получить визу в Китай?", "out_of_scope"),
                               ("Как получить визу в Китай?", "out_of_scope"),
                               ("Паспорт жоғалды", "escalate")):
            uow.unanswered.add(UnansweredRow(text=text, lang="ru", channel="telegram",
                                             decision=decision, candidates=[],
                                             created_at=CLOCK.now()))
        await uow.commit()
        groups = await curation.unanswered_groups(uow, OPERATOR)
    by_text = {g.text: g for g in groups}
    assert by_text["Как получить визу в Китай?"].gaps == 2
    assert by_text["Паспорт жоғалды"].gaps == 0
