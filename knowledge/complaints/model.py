"""What a complaint is once registered, its numbers, and the appeal route it follows.

The center registers a complaint and forwards it to the agency with a request (its number
is the "measure taken" of Annex 2); it does not decide it. The agency decides within 5
working days of registration, the quality-control body within 15 of its own registration,
each extendable by up to 10 with notice to the applicant within 3 (004 art.25).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from knowledge.calendar import WorkCalendar
from knowledge.db.tables import ComplaintRow
from knowledge.errors import AlreadyDone, InvalidInput
from knowledge.policy import Policy

ERASED: Final = "—"  # what stands for an erased name or text


class ComplaintStatus(StrEnum):
    OPEN = "open"  # forwarded (or in triage), the agency's response awaited
    ANSWERED = "answered"  # the agency responded; passed on to the citizen


class ComplaintError(InvalidInput):
    """A complaint that cannot be acted on as asked (unknown, answered already…)."""


class ComplaintDone(ComplaintError, AlreadyDone):
    """The action was taken on the complaint already (a button pressed twice)."""


@dataclass(frozen=True, slots=True)
class AppealRoute:
    """The dates the citizen is told, counted on the working-day calendar, and the terms
    (working days) they come from."""

    registered_on: date
    agency_days: int  # 004 art.25(2): 5
    agency_by: date  # the agency decides by
    agency_extended_by: date  # at the latest, when it extends
    extension_days: int  # 004 art.25(4): up to 10
    notice_days: int  # an extension is told to the applicant within these (3)
    quality_body_days: int  # 15, from the quality-control body's own registration
    quality_body_by: date  # when the citizen complains to it on ``agency_by``
    quality_body_extended_by: date


def appeal_route(registered_on: date, policy: Policy, calendar: WorkCalendar) -> AppealRoute:
    agency_by = policy.due("complaint_agency", registered_on, calendar)
    quality_by = policy.due("complaint_quality_body", agency_by, calendar)
    return AppealRoute(
        registered_on, policy.rule("complaint_agency").value, agency_by,
        policy.due("complaint_extension", agency_by, calendar),
        policy.rule("complaint_extension").value,
        policy.rule("complaint_extension_notice").value,
        policy.rule("complaint_quality_body").value, quality_by,
        policy.due("complaint_extension", quality_by, calendar))


@dataclass(frozen=True, slots=True)
class Complaint:
    """A registered complaint as staff see it (the applicant only for those who may)."""

    id: int
    number: str
    request_no: str
    channel: str
    lang: str
    register_no: str | None
    service_name: str | None
    region: str
    nature: str
    category: str
    content: str
    applicant: str
    created_at: datetime
    registered_on: date
    agency_code: str | None  # None: the operators' triage
    due_on: date | None
    handled_by: str | None
    repeat_of: str | None  # the earlier complaint's number
    status: str
    reply_kk: str | None
    reply_ru: str | None
    erased: bool

    @property
    def in_triage(self) -> bool:
        return self.agency_code is None


def complaint_number(row_id: int, created_at: datetime) -> str:
    """A number a citizen can read out on the phone: C-YYMMDD-NNNNN."""
    return f"C-{created_at:%y%m%d}-{row_id:05d}"


def request_number(row_id: int, created_at: datetime) -> str:
    """The number of the center's request to the agency (Annex 2, "measure taken")."""
    return f"R-{created_at:%y%m%d}-{row_id:05d}"


def masked(name: str | None) -> str:
    """A name for logs: initials only ("Әлия Серікқызы" -> "Ә. С.")."""
    if not name:
        return ERASED
    return " ".join(f"{word[0]}." for word in name.split() if word)


def view(row: ComplaintRow, agency_code: str | None, repeat_of: str | None) -> Complaint:
    return Complaint(
        row.id, row.number or "", row.request_no or "", row.channel, row.lang,
        row.register_no, row.service_name, row.region, row.nature, row.category,
        row.content or ERASED, row.applicant or ERASED, row.created_at, row.registered_on,
        agency_code, row.due_on, row.handled_by, repeat_of, row.status, row.reply_kk,
        row.reply_ru, row.erased_at is not None)
