"""The onboarding cases as a board: one column a step awaited, in the protocol's order, the
most pressing case first in each. What a viewer sees is what ``cases`` lets them see (an
agency's staff: their own agency's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from knowledge.calendar import WorkCalendar
from knowledge.db.tables import AgencyRow, OnboardingCaseRow, ServiceRow, StaffRow
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding.cases import Case, working_days_left
from knowledge.onboarding.steps import CLOSED, STEPS, UPDATE_STEPS
from knowledge.staff import Actor

# the onboarding steps, then an update's: a column is shown for each, empty or not, except
# the update's, shown only when a case is in them
ORDER: tuple[str, ...] = tuple(s.key for s in STEPS) + tuple(s.key for s in UPDATE_STEPS)
ALWAYS: frozenset[str] = frozenset(s.key for s in STEPS)


@dataclass(frozen=True, slots=True)
class BoardCard:
    case: Case
    days_left: int | None  # working days to the step's due date; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True, slots=True)
class Column:
    step: str
    cards: tuple[BoardCard, ...]
    more: int  # cases of this step beyond those shown


def arrange(open_cases: list[Case], today: date, calendar: WorkCalendar, *,
            per_column: int = 50) -> list[Column]:
    """The cases in their columns, each column's most pressing (earliest due) first, at most
    ``per_column`` shown."""
    by_step: dict[str, list[BoardCard]] = {key: [] for key in ORDER}
    for case in open_cases:
        left = (working_days_left(case.due_on, today, calendar)
                if case.due_on is not None else None)
        by_step.setdefault(case.step, []).append(BoardCard(case, left))
    columns = []
    for step, cards in by_step.items():
        if not cards and step not in ALWAYS:
            continue
        cards.sort(key=lambda c: (c.case.due_on or date.max, c.case.register_no))
        columns.append(Column(step, tuple(cards[:per_column]),
                              max(0, len(cards) - per_column)))
    return columns


async def board_cases(uow: UnitOfWork, actor: Actor, *, closed: bool = False) -> list[Case]:
    """What ``cases`` returns, in one query: the board is fetched every few seconds by
    every open page, and a case a query (``case_view``) is too slow for hundreds."""
    query = (select(OnboardingCaseRow, AgencyRow.code, AgencyRow.email, ServiceRow.name_kk,
                    ServiceRow.name_ru, StaffRow.name, AgencyRow.name_kk, AgencyRow.name_ru)
             .join(AgencyRow, AgencyRow.id == OnboardingCaseRow.agency_id, isouter=True)
             .join(ServiceRow, ServiceRow.register_no == OnboardingCaseRow.register_no,
                   isouter=True)
             .join(StaffRow, StaffRow.id == OnboardingCaseRow.responsible_id, isouter=True)
             .order_by(OnboardingCaseRow.due_on, OnboardingCaseRow.id))
    if not closed:
        query = query.where(OnboardingCaseRow.step != CLOSED)
    if not actor.of_center:
        query = query.where(OnboardingCaseRow.agency_id == actor.agency_id)
    found = []
    for (row, code, email, service_kk, service_ru, responsible, agency_kk,
         agency_ru) in await uow.session.execute(query):
        name_kk, name_ru = service_kk or row.name_kk, service_ru or row.name_ru
        found.append(Case(row.id, row.register_no, name_ru or name_kk, row.agency_id,
                          code or "?", row.step, row.due_on, row.activation_on, responsible,
                          name_kk, name_ru, email, row.kind, agency_kk, agency_ru))
    return found


async def board(uow: UnitOfWork, actor: Actor, today: date, calendar: WorkCalendar, *,
                per_column: int = 50, closed: bool = False) -> list[Column]:
    """The open cases the actor may see (``closed``: and a column of the closed ones, the
    services gone live), as a board."""
    return arrange(await board_cases(uow, actor, closed=closed), today, calendar,
                   per_column=per_column)
