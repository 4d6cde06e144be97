"""Back to the citizen: what each settled escalation owes its citizen, once.

The domain says what to tell whom (``Delivery``); the channel's bot layer renders and
queues it in the same transaction, so a reply is neither lost nor sent twice.
"""

from __future__ import annotations

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import CitizenRow, EscalationRow, RefusalRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.model import (
    FINAL_STATUSES,
    Delivery,
    EscalationStatus,
    in_language,
)
from knowledge.model import Lang


def _lang(value: str) -> Lang:
    return "kk" if value == "kk" else "ru"


async def take_deliveries(uow: UnitOfWork, clock: Clock, limit: int = 500) -> list[Delivery]:
    """The answers, refusals and closings not yet passed on, marked passed on (staged)."""
    rows = (await uow.session.scalars(select(EscalationRow).where(
        EscalationRow.status.in_(list(FINAL_STATUSES)), EscalationRow.delivered_at.is_(None),
    ).order_by(EscalationRow.id).limit(limit))).all()
    deliveries = []
    grounds = await _grounds(uow, [r for r in rows if r.status == EscalationStatus.REFUSED])
    for row in rows:
        citizen = await uow.session.get(CitizenRow, row.citizen_id)
        row.delivered_at = clock.now()
        if citizen is None:
            continue
        chosen = in_language(row.lang, row.reply_kk, row.reply_ru)
        deliveries.append(Delivery(
            row.id, citizen.id, citizen.channel, citizen.address, _lang(row.lang),
            row.reference or "", row.status, chosen[1] if chosen else None,
            chosen[0] if chosen else None,
            grounds.get(row.group_id or row.id) if row.status == EscalationStatus.REFUSED
            else None))
    return deliveries


async def overdue_deliveries(uow: UnitOfWork, rows: list[EscalationRow]) -> list[Delivery]:
    """A status message for each waiting citizen of an overdue question."""
    out = []
    for row in rows:
        citizen = await uow.session.get(CitizenRow, row.citizen_id)
        if citizen is not None:
            out.append(Delivery(row.id, citizen.id, citizen.channel, citizen.address,
                                _lang(row.lang), row.reference or "", "overdue_status"))
    return out


async def _grounds(uow: UnitOfWork, rows: list[EscalationRow]) -> dict[int, str]:
    """The refusal's ground by the group leader's id (the refusal is kept on the row that
    was refused, which may be any member)."""
    if not rows:
        return {}
    by_group = {}
    refusals = await uow.session.execute(
        select(RefusalRow.escalation_id, RefusalRow.ground, EscalationRow.group_id)
        .join(EscalationRow, EscalationRow.id == RefusalRow.escalation_id)
        .where(EscalationRow.group_id.in_({r.group_id or r.id for r in rows})))
    for escalation_id, ground, group_id in refusals.tuples():
        by_group[group_id or escalation_id] = ground
    return by_group
