"""The audit log: refusals of access and sign-ins, kept where an administrator can read
them (not only in the process's log)."""

from __future__ import annotations

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import AuditRow
from knowledge.db.uow import UnitOfWork

DENIED = "denied"


def record(uow: UnitOfWork, clock: Clock, *, who: str, action: str, outcome: str,
           subject: str | None = None, detail: str | None = None) -> None:
    """Stage one line of the audit log (the caller commits)."""
    uow.session.add(AuditRow(at=clock.now(), who=who, action=action, outcome=outcome,
                             subject=subject, detail=detail))


async def recent(uow: UnitOfWork, limit: int = 100, *, outcome: str | None = None,
                 ) -> list[AuditRow]:
    """The latest lines, newest first."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if outcome is not None:
        query = query.where(AuditRow.outcome == outcome)
    return list(await uow.session.scalars(query))
