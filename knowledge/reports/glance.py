"""The month at a glance: per agency, questions, answered by the bot, escalated, answered by
the agency, refused and overdue, and the same totals month over month.

A month with a stored report (``monthly``) shows the report's figures as generated (they
are never rewritten); a month without one — the current month — is counted in the
database with one grouped query a figure, the same rules as ``figures`` (a test holds them
equal), so the page stays fast on a real month. An agency's staff see their own line only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import func, or_, select

from knowledge.db.tables import (
    AgencyRow,
    EscalationRow,
    MonthlyReportFileRow,
    MonthlyReportRow,
    QuestionLogRow,
    RefusalRow,
)
from knowledge.db.uow import UnitOfWork
from knowledge.refusals import RefusalStatus, add_months
from knowledge.reports.figures import TRIAGE, AgencyFigures, month_instants
from knowledge.staff import Actor

FIGURES: Final = ("questions", "answered_by_bot", "escalated", "answered_by_agency",
                  "refused", "overdue")


@dataclass(frozen=True, slots=True)
class Line:
    """One agency's figures of a month (``agency`` the code; ``-``: no agency found)."""

    agency: str
    questions: int = 0
    answered_by_bot: int = 0
    escalated: int = 0
    answered_by_agency: int = 0
    refused: int = 0
    overdue: int = 0

    def value(self, figure: str) -> int:
        return int(getattr(self, figure))

    @classmethod
    def of(cls, figures: AgencyFigures) -> Line:
        return cls(figures.agency, figures.questions, figures.answered_by_bot,
                   figures.escalated, figures.answered_by_agency, figures.refused_total,
                   figures.overdue)


@dataclass(frozen=True, slots=True)
class MonthTotals:
    month: date
    totals: Line
    reported: bool  # from the month's stored report (else counted now)


@dataclass(frozen=True, slots=True)
class Glance:
    month: date
    lines: tuple[Line, ...]
    totals: Line
    history: tuple[MonthTotals, ...]  # oldest first, ending with ``month``
    reported: bool  # the month has its stored report
    files: tuple[str, ...]  # its files the viewer may download


def _sum(lines: list[Line] | tuple[Line, ...]) -> Line:
    return Line("", *(sum(line.value(figure) for line in lines) for figure in FIGURES))


async def _stored(uow: UnitOfWork, month: date) -> list[Line] | None:
    figures: dict[str, Any] | None = await uow.session.scalar(
        select(MonthlyReportRow.figures).where(MonthlyReportRow.month == month))
    if figures is None:
        return None
    return [Line.of(AgencyFigures.stored(a)) for a in figures["agencies"]]


async def count_month(uow: UnitOfWork, month: date) -> list[Line]:
    """The month's figures per agency counted now (the agencies in their order, then the
    row of questions no agency was found for), as ``figures.compute_figures`` counts them."""
    month = month.replace(day=1)
    start, end = month_instants(month)
    after = add_months(month, 1)
    await uow.flush_staged()
    codes = {row.id: row.code for row in await uow.session.scalars(
        select(AgencyRow).order_by(AgencyRow.position))}
    rows: dict[str, dict[str, int]] = {code: {} for code in codes.values()}

    def add(code: str | None, figure: str, n: int) -> None:
        line = rows.setdefault(code or TRIAGE, {})
        line[figure] = line.get(figure, 0) + int(n)

    for code, decision, n in await uow.session.execute(
            select(QuestionLogRow.agency, QuestionLogRow.decision, func.count())
            .where(QuestionLogRow.at >= start, QuestionLogRow.at < end)
            .group_by(QuestionLogRow.agency, QuestionLogRow.decision)):
        add(code, "questions", n)
        if decision == "answer":
            add(code, "answered_by_bot", n)
    for agency_id, n in await uow.session.execute(
            select(EscalationRow.agency_id, func.count())
            .where(EscalationRow.created_at >= start, EscalationRow.created_at < end)
            .group_by(EscalationRow.agency_id)):
        add(codes.get(agency_id or 0), "escalated", n)
    for agency_id, n in await uow.session.execute(
            select(EscalationRow.agency_id, func.count())
            .where(EscalationRow.status == "answered", EscalationRow.agency_id.is_not(None),
                   EscalationRow.entry_key.is_(None), EscalationRow.resolved_on >= month,
                   EscalationRow.resolved_on < after)
            .group_by(EscalationRow.agency_id)):
        add(codes.get(agency_id or 0), "answered_by_agency", n)
    for agency_id, n in await uow.session.execute(
            select(RefusalRow.agency_id, func.count())
            .where(RefusalRow.refused_on >= month, RefusalRow.refused_on < after,
                   RefusalRow.status != RefusalStatus.REJECTED)
            .group_by(RefusalRow.agency_id)):
        add(codes.get(agency_id or 0), "refused", n)
    for agency_id, n in await uow.session.execute(
            select(EscalationRow.agency_id, func.count())
            .where(EscalationRow.agency_id.is_not(None), EscalationRow.due_on >= month,
                   EscalationRow.due_on < after,
                   or_(EscalationRow.resolved_on.is_(None),
                       EscalationRow.resolved_on > EscalationRow.due_on))
            .group_by(EscalationRow.agency_id)):
        add(codes.get(agency_id or 0), "overdue", n)
    ordered = [code for code in rows if code != TRIAGE] + (
        [TRIAGE] if TRIAGE in rows else [])
    return [Line(code, **rows[code]) for code in ordered]


async def month_glance(
    uow: UnitOfWork, month: date, actor: Actor, *, months: int = 6,
) -> Glance:
    """The month's figures (its report's, or counted now) and ``months`` months of totals
    ending with it; an agency's staff get their own agency's line only."""
    month = month.replace(day=1)
    own: str | None = None
    if not actor.of_center:
        agency = await uow.session.get(AgencyRow, actor.agency_id or 0)
        own = agency.code if agency is not None else "?"

    def visible(lines: list[Line]) -> list[Line]:
        return [line for line in lines if own is None or line.agency == own]

    stored = await _stored(uow, month)
    lines = visible(stored if stored is not None else await count_month(uow, month))
    history = []
    for back in range(months - 1, 0, -1):
        earlier = add_months(month, -back)
        kept = await _stored(uow, earlier)
        if kept is not None:
            history.append(MonthTotals(earlier, _sum(visible(kept)), reported=True))
    history.append(MonthTotals(month, _sum(lines), reported=stored is not None))
    files: list[str] = []
    if stored is not None:
        query = select(MonthlyReportFileRow.filename).join(
            MonthlyReportRow, MonthlyReportRow.id == MonthlyReportFileRow.report_id).where(
            MonthlyReportRow.month == month).order_by(MonthlyReportFileRow.id)
        if own is not None:
            query = query.where(MonthlyReportFileRow.recipient == own)
        files = list(await uow.session.scalars(query))
    return Glance(month, tuple(lines), _sum(lines), tuple(history), stored is not None,
                  tuple(files))
