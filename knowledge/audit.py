"""The audit log: refusals of access, sign-ins and changes to who may act (a person added,
edited, removed, a password chosen), kept where an administrator can read them (not only in
the process's log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import AuditRow
from knowledge.db.uow import UnitOfWork
from knowledge.staff import Actor

DENIED = "denied"
FAILED = "failed"  # a sign-in refused (wrong password or link)
SIGNED_IN = "signed-in"
CHANGED = "changed"  # a person added, edited, removed, or their password chosen
OUTCOMES: Final = (DENIED, FAILED, SIGNED_IN, CHANGED)


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


@dataclass(frozen=True, slots=True)
class AuditLine:
    id: int
    at: datetime
    who: str
    action: str
    outcome: str
    subject: str | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class AuditPage:
    lines: list[AuditLine]
    more_before: int | None  # the id to page on from (``before``), None on the last page


async def audit_page(uow: UnitOfWork, actor: Actor, *, outcome: str | None = None,
                     who: str | None = None, before: int | None = None, limit: int = 50,
                     ) -> AuditPage:
    """The log for an administrator: newest first, ``limit`` lines older than ``before``
    (an id: keyset paging stays fast on a long log), filtered by outcome and person."""
    actor.require_admin()
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit + 1)
    if outcome is not None:
        query = query.where(AuditRow.outcome == outcome)
    if who:
        query = query.where(AuditRow.who == who)
    if before is not None:
        query = query.where(AuditRow.id < before)
    lines = [AuditLine(row.id, row.at, row.who, row.action, row.outcome, row.subject,
                       row.detail) for row in await uow.session.scalars(query)]
    more = lines[limit - 1].id if len(lines) > limit else None
    return AuditPage(lines[:limit], more)
