"""Keeping a live service's information current: updates when the act behind it changes.

The agency owes the new information within the policy's days of the act's approval or
change (Law on Public Services art. 23(2); the Rules' p.6 said 5). An update is a case of
its own: the information sent is kept aside (not in the base, which keeps answering from
the current text) until an operator accepts it; it goes live at once or on the date it
takes effect, by the same scheduler that activates new services.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import OnboardingCaseRow, ServiceRow
from knowledge.db.uow import UnitOfWork
from knowledge.model import ServiceState
from knowledge.onboarding.cases import (
    Case,
    Deadlines,
    OnboardingError,
    StepOutOfOrder,
    case_row_for,
    case_view,
    check_pack_of_case,
    open_case_row,
    stamp,
)
from knowledge.onboarding.steps import CLOSED
from knowledge.pack.io import import_pack
from knowledge.problems import marked
from knowledge.staff import Actor

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)


async def start_update(
    uow: UnitOfWork, register_no: str, act_on: date, *, actor: Actor, clock: Clock,
    deadlines: Deadlines, note: str | None = None,
) -> Case:
    """The act behind a live service was approved or changed on ``act_on``: the agency's
    new information is due by the policy (staged). The center or the agency may open it."""
    service = await uow.session.scalar(select(ServiceRow).where(
        ServiceRow.register_no == register_no, ServiceRow.state == ServiceState.LIVE))
    if service is None:
        raise OnboardingError.said(_("service {register_no} is not live: onboard it first"),
                                   register_no=register_no)
    actor.require_agency(service.agency_id)
    if await open_case_row(uow, register_no) is not None:
        raise OnboardingError.said(_("service {register_no} has an open case already"),
                                   register_no=register_no)
    last = await uow.session.scalar(select(OnboardingCaseRow).where(
        OnboardingCaseRow.register_no == register_no,
        OnboardingCaseRow.responsible_id.is_not(None)).order_by(OnboardingCaseRow.id.desc()))
    row = OnboardingCaseRow(
        register_no=register_no, agency_id=service.agency_id, approved_on=act_on,
        kind="update", act_on=act_on, step="update_provided",
        due_on=deadlines.policy.due("info_update", act_on, deadlines.calendar),
        responsible_id=last.responsible_id if last else None, opened_at=clock.now(),
    )
    uow.session.add(row)
    await uow.session.flush()
    stamp(uow, row, "update_started", act_on, None, actor, clock, note)
    return await case_view(uow, row)


async def submit_update(
    uow: UnitOfWork, register_no: str, pack: Mapping[str, Any], *, on: date, actor: Actor,
    clock: Clock,
) -> Case:
    """The agency's new information (a valid pack of this one service), kept aside for an
    operator's review; the base still answers from the current text (staged)."""
    row = await case_row_for(uow, register_no, actor)
    if row.step != "update_provided":
        raise StepOutOfOrder(f"service {register_no} waits for {row.step!r}, not an update",
                             register_no=register_no, waits=row.step)
    await check_pack_of_case(uow, row, pack)
    row.pending_pack = dict(pack)
    stamp(uow, row, "update_provided", on, row.due_on, actor, clock)
    row.step, row.due_on = "update_accepted", None  # no law dates the review
    return await case_view(uow, row)


async def accept_update(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, clock: Clock,
    effective_on: date | None = None,
) -> Case:
    """An operator accepts the update: live now, or from ``effective_on`` (staged)."""
    actor.require_center()
    row = await case_row_for(uow, register_no, actor)
    if row.step != "update_accepted" or row.pending_pack is None:
        raise OnboardingError.said(_("service {register_no} has no update waiting for review"),
                                   register_no=register_no)
    stamp(uow, row, "update_accepted", on, None, actor, clock,
          f"effective {effective_on.isoformat()}" if effective_on else None)
    if effective_on is not None and effective_on > on:
        row.step, row.due_on, row.activation_on = "live", effective_on, effective_on
        row.effective_on = effective_on
        return await case_view(uow, row)
    await import_pack(uow, row.pending_pack, draft=False, commit=False)
    row.pending_pack, row.effective_on = None, on
    stamp(uow, row, "live", on, None, actor, clock)
    row.step, row.due_on, row.closed_at = CLOSED, None, clock.now()
    return await case_view(uow, row)


async def return_update(
    uow: UnitOfWork, register_no: str, reason: str, *, on: date, actor: Actor, clock: Clock,
    deadlines: Deadlines,
) -> Case:
    """An operator sends the update back with the reason: the agency owes a corrected one,
    due by the same rule from today (staged)."""
    actor.require_center()
    row = await case_row_for(uow, register_no, actor)
    if row.step != "update_accepted":
        raise OnboardingError.said(_("service {register_no} has no update waiting for review"),
                                   register_no=register_no)
    stamp(uow, row, "update_returned", on, None, actor, clock, reason)
    row.pending_pack = None
    row.step = "update_provided"
    row.due_on = deadlines.policy.due("info_update", on, deadlines.calendar)
    return await case_view(uow, row)
