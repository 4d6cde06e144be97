"""The authorization matrix: every role (operator, administrator, the agency concerned,
another agency) against every action on an escalation, its curation and its refusal.
Each allowed action works; each forbidden one is refused and the refusal is logged."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from bot.app import App
from knowledge import curation, escalations, refusals
from knowledge.staff import AccessDenied, Actor, Role
from tests.escalation_helpers import PASSPORT, clock_at, deadlines, escalate, seed

CLOCK = clock_at(2026, 12, 15)
OPERATOR = Actor("Айгүл", Role.OPERATOR)
ADMIN = Actor("admin", Role.ADMIN)

Action = Callable[[Any, str, Actor], Awaitable[object]]


async def _refused_once(uow: Any, reference: str, actor: Actor) -> object:
    """A question refused by its agency, for the review actions."""
    mvd = Actor("Дана", Role.AGENCY, (await escalations.escalation(
        uow, reference, OPERATOR)).agency_id)
    return await escalations.refuse(uow, reference, ground="plain", reason="нет", actor=mvd,
                                    clock=CLOCK, deadlines=deadlines())


async def _answered_once(uow: Any, reference: str, _actor: Actor) -> object:
    mvd = Actor("Дана", Role.AGENCY, (await escalations.escalation(
        uow, reference, OPERATOR)).agency_id)
    return await escalations.answer(uow, reference, text_ru="Да.", actor=mvd, clock=CLOCK)


ACTIONS: dict[str, tuple[Action, Action | None]] = {
    # name: (the action, what must have happened before it)
    "read": (escalations.escalation, None),
    "queue": (lambda uow, ref, a: escalations.queue(uow, a, agency_code="mvd"), None),
    "list": (lambda uow, ref, a: escalations.list_escalations(uow, a, agency_code="mvd"),
             None),
    "export": (lambda uow, ref, a: escalations.export_csv(uow, a, agency_code="mvd"), None),
    "take": (lambda uow, ref, a: escalations.take(uow, ref, actor=a, clock=CLOCK), None),
    "answer": (lambda uow, ref, a: escalations.answer(uow, ref, text_ru="Да.", actor=a,
                                                      clock=CLOCK), None),
    "refuse": (lambda uow, ref, a: escalations.refuse(
        uow, ref, ground="state_secret", actor=a, clock=CLOCK, deadlines=deadlines()),
        None),
    "triage_queue": (lambda uow, ref, a: escalations.queue(uow, a, triage=True), None),
    "assign": (lambda uow, ref, a: escalations.assign(uow, ref, "mju", actor=a, clock=CLOCK,
                                                      deadlines=deadlines()), None),
    "close": (lambda uow, ref, a: escalations.close_out_of_scope(
        uow, ref, reply_ru="Не к нам.", actor=a, clock=CLOCK), None),
    "oral_help": (lambda uow, ref, a: escalations.record_oral_help(
        uow, ref, who="Ахметова", on=date(2026, 12, 15), what="Да.", actor=a, clock=CLOCK),
        None),
    "curation_list": (lambda uow, ref, a: curation.curation_list(uow, a), _answered_once),
    "propose": (lambda uow, ref, a: curation.propose_entry(
        uow, actor=a, clock=CLOCK, item_id=1, question_kk="Бала паспорты?",
        answer_kk="Иә."), _answered_once),
    "refusals_review": (lambda uow, ref, a: refusals.confirm(
        uow, 1, actor=a, clock=CLOCK, deadlines=deadlines()), _refused_once),
    "refusals_own": (lambda uow, ref, a: refusals.refusals(uow, a, agency_code="mvd"),
                     _refused_once),
    "notices": (lambda uow, ref, a: refusals.notices(uow, a), None),
}
AGENCY_MAY = {"read", "queue", "list", "export", "take", "answer", "refuse", "refusals_own"}
ROLES = ("operator", "admin", "agency", "other_agency")


def allowed(role: str, action: str) -> bool:
    if role in ("operator", "admin"):
        return True
    return role == "agency" and action in AGENCY_MAY


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
async def test_the_role_may_do_what_it_should_and_nothing_else(
    app: App, role: str, action: str, caplog: pytest.LogCaptureFixture,
) -> None:
    mvd, mju = await seed(app)
    actor = {"operator": OPERATOR, "admin": ADMIN, "agency": mvd, "other_agency": mju}[role]
    reference = await escalate(app, "Паспорт ребёнку", register_no=PASSPORT, clock=CLOCK)
    do, before = ACTIONS[action]
    if before is not None:
        async with app.uow() as uow:
            await before(uow, reference, actor)
            await uow.commit()
    caplog.set_level(logging.WARNING, logger="knowledge.staff")
    async with app.uow() as uow:
        if allowed(role, action):
            assert await do(uow, reference, actor) is not None
            assert not [r for r in caplog.records if "access refused" in r.getMessage()]
        else:
            with pytest.raises(AccessDenied):
                await do(uow, reference, actor)
            assert any("access refused" in r.getMessage() for r in caplog.records)
