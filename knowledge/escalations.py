"""Escalations: questions the base cannot answer, passed to a person with a reference number.

The agencies' queue that works them comes later; for now they are listed for operators.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.db.tables import EscalationRow
from knowledge.db.uow import UnitOfWork
from knowledge.model import Candidate, Lang


class EscalationStatus(StrEnum):
    OPEN = "open"


@dataclass(frozen=True, slots=True)
class Escalation:
    id: int
    reference: str
    channel: str
    lang: str
    text: str
    register_no: str | None
    candidates: tuple[Candidate, ...]
    status: str
    created_at: datetime


def reference_for(escalation_id: int, created_at: datetime) -> str:
    """A number a citizen can read out on the phone: Q-YYMMDD-NNNNN."""
    return f"Q-{created_at:%y%m%d}-{escalation_id:05d}"


async def open_escalation(
    uow: UnitOfWork,
    citizen: Citizen,
    text: str,
    *,
    lang: Lang,
    candidates: tuple[Candidate, ...],
    register_no: str | None,
    clock: Clock,
) -> str:
    """Stage an escalation and return its reference number."""
    row = EscalationRow(
        citizen_id=citizen.id, channel=citizen.channel, lang=lang, text=text,
        register_no=register_no, candidates=[asdict(c) for c in candidates],
        status=EscalationStatus.OPEN, created_at=clock.now(),
    )
    uow.session.add(row)
    await uow.session.flush()
    row.reference = reference_for(row.id, row.created_at)
    return row.reference


async def list_escalations(
    uow: UnitOfWork, status: str | None = None, limit: int = 100
) -> list[Escalation]:
    query = select(EscalationRow).order_by(EscalationRow.id).limit(limit)
    if status is not None:
        query = query.where(EscalationRow.status == status)
    return [
        Escalation(
            r.id, r.reference or "", r.channel, r.lang, r.text, r.register_no,
            tuple(Candidate(c["entry"], c["score"]) for c in r.candidates), r.status,
            r.created_at,
        )
        for r in await uow.session.scalars(query)
    ]
