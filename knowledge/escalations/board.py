"""The queue as a page of a screen: filtered (agency, status, service), a page at a time,
counted, with each group's size — fast on a month of questions (LIMIT/OFFSET on an
index, group sizes counted for the page's leaders only).

The same scoping as ``queue``: agency staff read their own agency's questions, the
operators' triage is the center's alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Select, func, select

from knowledge.db.tables import EscalationRow, ServiceRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.access import agency_codes, readable_agency, row_for
from knowledge.escalations.model import Escalation, EscalationStatus, view
from knowledge.onboarding import Deadlines
from knowledge.staff import Actor

PER_PAGE: Final = 50
GROUP_SHOWN: Final = 200  # a group's questions listed on one question's page


class View(StrEnum):
    """What the queue shows: open questions (all, taken, not taken yet, overdue), the
    operators' triage, or the settled ones (answered, refused, closed)."""

    OPEN = "open"
    UNTAKEN = "untaken"
    TAKEN = "taken"
    OVERDUE = "overdue"
    TRIAGE = "triage"
    ANSWERED = "answered"
    REFUSED = "refused"
    CLOSED = "closed"

    @property
    def settled(self) -> bool:
        return self in (View.ANSWERED, View.REFUSED, View.CLOSED)


@dataclass(frozen=True, slots=True)
class QueueQuery:
    view: View = View.OPEN
    agency_code: str | None = None
    register_no: str | None = None
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True, slots=True)
class QueuePage:
    items: list[Escalation]
    total: int  # lines (groups, for open questions) matching the filters
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


async def _filtered(uow: UnitOfWork, actor: Actor, query: QueueQuery,
                    today: date) -> Select[Any]:
    where: list[Any] = []
    if query.view == View.TRIAGE:
        actor.require_center()
        where += [EscalationRow.status == EscalationStatus.OPEN,
                  EscalationRow.agency_id.is_(None)]
    else:
        agency_id = await readable_agency(uow, actor, query.agency_code)
        if agency_id is not None:
            where.append(EscalationRow.agency_id == agency_id)
        if query.view.settled:
            where.append(EscalationRow.status == query.view.value)
        else:  # one line a group: its leader
            where += [EscalationRow.status == EscalationStatus.OPEN,
                      EscalationRow.group_id == EscalationRow.id]
    if query.view == View.TAKEN:
        where.append(EscalationRow.taken_by.is_not(None))
    elif query.view == View.UNTAKEN:
        where.append(EscalationRow.taken_by.is_(None))
    elif query.view == View.OVERDUE:
        where.append(EscalationRow.due_on < today)
    if query.register_no:
        where.append(EscalationRow.register_no == query.register_no)
    return select(EscalationRow).where(*where)


async def queue_page(
    uow: UnitOfWork, actor: Actor, query: QueueQuery, *, today: date,
    deadlines: Deadlines | None = None,
) -> QueuePage:
    """One page of the queue as the actor may see it: open questions oldest first (one
    line a group, with its size), settled ones newest first. AccessDenied when the actor
    asks for another agency's, or an agency's staff for the triage."""
    base = await _filtered(uow, actor, query, today)
    total = int(await uow.session.scalar(
        select(func.count()).select_from(base.subquery())) or 0)
    page = max(1, query.page)
    order = ((EscalationRow.resolved_at.desc(), EscalationRow.id.desc())
             if query.view.settled else (EscalationRow.routed_on, EscalationRow.id))
    rows = (await uow.session.scalars(
        base.order_by(*order).limit(query.per_page)
        .offset((page - 1) * query.per_page))).all()
    sizes: Counter[int] = Counter()
    leaders = [row.id for row in rows if row.group_id == row.id]
    if leaders and not query.view.settled:
        counted = await uow.session.execute(
            select(EscalationRow.group_id, func.count()).where(
                EscalationRow.group_id.in_(leaders),
                EscalationRow.status == EscalationStatus.OPEN,
            ).group_by(EscalationRow.group_id))
        sizes.update({group: n for group, n in counted.tuples() if group is not None})
    codes = await agency_codes(uow)
    items = []
    for row in rows:
        due_on = row.due_on
        if due_on is None and row.routed_on is not None and deadlines is not None \
                and row.status == EscalationStatus.OPEN:
            due_on = deadlines.policy.due("escalation_answer", row.routed_on,
                                          deadlines.calendar)
        item = view(row, codes.get(row.agency_id or 0), sizes.get(row.id, 1))
        items.append(item if due_on == item.due_on else replace(item, due_on=due_on))
    return QueuePage(items, total, page, query.per_page)


async def group_questions(uow: UnitOfWork, reference: str, actor: Actor) -> list[Escalation]:
    """The questions grouped with this one (itself included), oldest first: what one
    answer settles. AccessDenied as for the question itself."""
    row = await row_for(uow, reference, actor)
    if row.group_id is None:
        return [view(row)]
    rows = (await uow.session.scalars(
        select(EscalationRow).where(EscalationRow.group_id == row.group_id)
        .order_by(EscalationRow.id).limit(GROUP_SHOWN))).all()
    codes = await agency_codes(uow)
    return [view(r, codes.get(r.agency_id or 0)) for r in rows]


@dataclass(frozen=True, slots=True)
class ServiceChoice:
    register_no: str
    name_kk: str | None
    name_ru: str | None

    def name(self, lang: str) -> str:
        first, second = ((self.name_kk, self.name_ru) if lang == "kk"
                         else (self.name_ru, self.name_kk))
        return first or second or self.register_no


async def services_to_filter(uow: UnitOfWork, actor: Actor) -> list[ServiceChoice]:
    """The services whose questions the actor may read (their agency's, or all)."""
    query = select(ServiceRow.register_no, ServiceRow.name_kk, ServiceRow.name_ru) \
        .order_by(ServiceRow.position)
    if not actor.of_center:
        query = query.where(ServiceRow.agency_id == actor.agency_id)
    rows = await uow.session.execute(query)
    return [ServiceChoice(no, kk, ru) for no, kk, ru in rows.tuples()]
