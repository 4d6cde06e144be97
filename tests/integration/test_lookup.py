"""Looking the base up as staff: services paged, a card (a draft only for its agency and
the center), search through the engine's matching, and a question tried as a citizen that
records nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.app import App
from knowledge import lookup
from knowledge.db.tables import EscalationRow, ServiceRow, UnansweredRow
from knowledge.staff import AccessDenied
from tests.escalation_helpers import MARRIAGE, OPERATOR, PASSPORT, seed


async def test_services_come_a_page_at_a_time(app: App) -> None:
    await seed(app)
    async with app.uow() as uow:
        first = await lookup.services_page(uow, OPERATOR, limit=1)
        second = await lookup.services_page(uow, OPERATOR, offset=1, limit=1)
    assert [s.register_no for s in first.lines] == [PASSPORT] and first.more
    assert [s.register_no for s in second.lines] == [MARRIAGE] and not second.more
    assert first.lines[0].entries == 1 and first.lines[0].agency == "mvd"


async def test_a_draft_is_its_agencys_and_the_centers_only(app: App) -> None:
    mvd, mju = await seed(app)
    async with app.uow() as uow:
        row = await uow.session.scalar(select(ServiceRow).where(
            ServiceRow.register_no == MARRIAGE))
        assert row is not None
        row.state = "draft"
        await uow.commit()
    async with app.uow() as uow:
        assert MARRIAGE not in [s.register_no for s in
                                (await lookup.services_page(uow, mvd)).lines]
        with pytest.raises(AccessDenied):
            await lookup.service_card(uow, mvd, MARRIAGE)
        card = await lookup.service_card(uow, mju, MARRIAGE)
        assert card.editable and not card.service.live
        passport = await lookup.service_card(uow, mju, PASSPORT)  # live: readable by all
        assert not passport.editable
        assert (await lookup.service_card(uow, OPERATOR, MARRIAGE)).editable


async def test_search_ranks_entries_by_the_engine_in_both_languages(app: App) -> None:
    await seed(app)
    async with app.uow() as uow:
        ru = await lookup.search(uow, app.matchers, OPERATOR, "сколько стоит брак")
        kk = await lookup.search(uow, app.matchers, OPERATOR, "неке қанша")
        numbered = await lookup.search(uow, app.matchers, OPERATOR, PASSPORT)
    assert ru.entries[0].entry.key == "mju.marriage.fee" and ru.entries[0].score > 0
    assert kk.entries[0].entry.key == "mju.marriage.fee"
    assert [s.register_no for s in numbered.services][:1] == [PASSPORT]


async def _counts(app: App) -> tuple[int, int]:
    async with app.uow() as uow:
        return (await uow.session.scalar(select(func.count()).select_from(UnansweredRow))
                or 0,
                await uow.session.scalar(select(func.count()).select_from(EscalationRow))
                or 0)


async def test_a_question_tried_as_a_citizen_records_nothing(app: App) -> None:
    await seed(app)
    async with app.uow() as uow:
        answered = await lookup.as_citizen(uow, app.matchers, "Сколько стоит регистрация брака?",
                                           chosen_lang=None, default_lang="kk")
        lost = await lookup.as_citizen(uow, app.matchers, "Как вырастить помидоры на балконе?",
                                       chosen_lang=None, default_lang="kk")
        hello = await lookup.as_citizen(uow, app.matchers, "Сәлеметсіз бе!",
                                        chosen_lang=None, default_lang="kk")
        chosen = await lookup.as_citizen(uow, app.matchers, "Сколько стоит регистрация брака?",
                                         chosen_lang="kk", default_lang="ru")
    assert answered.kind == "answer" and answered.entry is not None
    assert answered.entry.key == "mju.marriage.fee" and answered.lang == "ru"
    assert answered.candidates[0].entry.key == "mju.marriage.fee"
    assert lost.kind in ("escalate", "out_of_scope")
    assert hello.kind == "small_talk"
    assert chosen.lang == "kk"  # the citizen's chosen language answers
    assert await _counts(app) == (0, 0)


async def test_a_tried_question_too_long_or_wordless_is_not_matched(app: App) -> None:
    await seed(app)
    async with app.uow() as uow:
        long = await lookup.as_citizen(uow, app.matchers, "паспорт " * 1000,
                                       chosen_lang=None, default_lang="ru")
        wordless = await lookup.as_citizen(uow, app.matchers, "???", chosen_lang=None,
                                           default_lang="ru")
    assert long.kind == "too_long" and long.too_long is not None and not long.candidates
    assert wordless.kind == "no_words" and wordless.entry is None
    assert await _counts(app) == (0, 0)
