"""Finding an escalation for a person: by reference or id, and only when their role allows.

An agency's staff reach only their agency's escalations, whatever id or reference they
send (a forged button included); the operators' triage is the center's alone.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from sqlalchemy import or_, select

from knowledge.clock import Clock
from knowledge.db.tables import AgencyRow, EscalationEventRow, EscalationRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import state
from knowledge.escalations.model import (
    EscalationDone,
    EscalationError,
    EscalationStatus,
    stamp,
)
from knowledge.problems import marked
from knowledge.staff import AccessDenied, Actor

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)


class Routed(Protocol):
    """A case routed to an agency's queue (None: the operators' triage)."""

    @property
    def agency_id(self) -> int | None: ...


async def find_row(uow: UnitOfWork, reference: str) -> EscalationRow:
    """By reference (Q-…) or by its number."""
    key = reference.strip()
    query = select(EscalationRow).where(EscalationRow.reference == key)
    if key.isdigit():
        query = select(EscalationRow).where(or_(EscalationRow.reference == key,
                                                EscalationRow.id == int(key)))
    row: EscalationRow | None = await uow.session.scalar(query)
    if row is None:
        raise EscalationError.said(_("no escalation {reference}"), reference=repr(reference))
    return row


def check_access(row: Routed, actor: Actor) -> None:
    """An agency's case for its staff and the center; triage for the center only."""
    if row.agency_id is None:
        actor.require_center()
    else:
        actor.require_agency(row.agency_id)


async def row_for(uow: UnitOfWork, reference: str, actor: Actor) -> EscalationRow:
    row = await find_row(uow, reference)
    check_access(row, actor)
    return row


def require_open(row: EscalationRow, *, done: EscalationStatus | None = None) -> None:
    """Open, to be acted on. ``done``: the status the action would give it, which the
    question has already when the action was taken before (a button pressed twice)."""
    if done is not None and row.status == done:
        raise EscalationDone.said(_("{reference} is {status} already"),
                                   reference=row.reference, status=state(row.status))
    if row.status != EscalationStatus.OPEN:
        raise EscalationError.said(_("{reference} is {status} already"),
                                   reference=row.reference, status=state(row.status))


async def group_of(uow: UnitOfWork, row: EscalationRow) -> list[EscalationRow]:
    """The escalation and the open ones grouped with it (one answer reaches them all)."""
    if row.group_id is None:
        return [row]
    members = (await uow.session.scalars(select(EscalationRow).where(
        EscalationRow.group_id == row.group_id,
        EscalationRow.status == EscalationStatus.OPEN).order_by(EscalationRow.id))).all()
    return list(dict.fromkeys([row, *members]))


async def agency_by_code(uow: UnitOfWork, code: str) -> AgencyRow:
    row: AgencyRow | None = await uow.session.scalar(
        select(AgencyRow).where(AgencyRow.code == code))
    if row is None:
        raise EscalationError.said(_("no agency with code {code}"), code=repr(code))
    return row


async def readable_agency(
    uow: UnitOfWork, actor: Actor, agency_code: str | None,
) -> int | None:
    """The agency whose cases the actor may read: their own, or any (None: all) for the
    center."""
    if agency_code is None:
        if actor.of_center:
            return None
        if actor.agency_id is None:
            raise AccessDenied.said(_("{name}: no agency"), name=actor.name)
        return actor.agency_id
    agency = await agency_by_code(uow, agency_code)
    actor.require_agency(agency.id)
    return agency.id


async def agency_codes(uow: UnitOfWork) -> dict[int, str]:
    return {row.id: row.code for row in await uow.knowledge.agencies()}


def log_event(
    uow: UnitOfWork, row: EscalationRow, kind: str, actor: Actor, clock: Clock, *,
    note: str | None = None, who: str | None = None, on: date | None = None,
) -> None:
    uow.session.add(EscalationEventRow(
        escalation_id=row.id, kind=kind, by=stamp(actor), who=who, on=on, note=note,
        at=clock.now()))
