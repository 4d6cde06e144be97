"""Letters to the quality-control body and the agencies: the refusal notice (002 p.12)
with its documents, and the monthly report (p.14), each recipient its own slice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from sqlalchemy import func, select

from bot.channels.email.letters import CHANNEL, Attachment, queue_email
from bot.texts.agencies import agency_in_each_language
from bot.texts.i18n import gettext_for, in_both_languages, marked
from knowledge.calendar import local_today
from knowledge.clock import Clock
from knowledge.db.tables import AgencyRow, OutboxRow, RefusalNoticeRow
from knowledge.db.uow import UnitOfWork
from knowledge.outbox import OutboxStatus
from knowledge.refusal_notice import NoticeFile, letter, notice_files
from knowledge.refusals import Notice, NoticeStatus, RefusalDone, mark_sent
from knowledge.reports import MonthlyReport
from knowledge.reports.files import month_name
from knowledge.staff import SYSTEM, Signatory

_ = marked

NOTICE_SUBJECT: Final = _("Notice of refusals to provide information: {agency}")
REPORT_SUBJECT: Final = _("Monthly analytical report of the Unified Contact Center, {month}")
REPORT_BODY: Final = _(
    "The analytical report of the Unified Contact Center for {month} (Rules of interaction, "
    "para 14) is attached: the register of complaints and appeals (Annex 2) and the "
    "figures of questions, answers, escalations and refusals."
)
# TRANSLATORS: to the center's operators and administrators; UCC_QC_EMAIL is a setting
REPORT_HELD: Final = _(
    "The monthly report for {month} was NOT sent to the quality-control body: no address "
    "is configured (UCC_QC_EMAIL). The letter waits in the outbox and goes as soon as the "
    "address is set."
)
# TRANSLATORS: to the center's operators and administrators; UCC_QC_EMAIL is a setting
NOTICE_HELD: Final = _(
    "The refusal notice No. {id} on {agency} was NOT sent to the quality-control body: no "
    "address is configured (UCC_QC_EMAIL). The letter waits in the outbox and goes as soon "
    "as the address is set; or send the files by hand and mark the notice sent."
)
QC_WAITING: Final = "quality-control"  # the address of a letter held for UCC_QC_EMAIL
NOTICE_TAG: Final = "refusal_notice:"  # a notice's letter: marked sent when it goes


@dataclass(slots=True)
class ReportLetters:
    sent_to: list[str] = field(default_factory=list)  # the addresses it was queued for
    held: bool = False  # the quality-control body's letter waits: UCC_QC_EMAIL is not set


def notice_letter(
    notice: Notice, lang: str, today: date, *, signatory: Signatory | None
) -> str:
    """The para 12 letter's text in one language, from the catalogs."""
    return letter(notice, lang, today, signatory=signatory, catalog=gettext_for(lang))


def notice_documents(
    notice: Notice, today: date, *, signatory: Signatory | None
) -> tuple[NoticeFile, ...]:
    """The letter (.docx, both languages) and the supporting documents."""
    return notice_files(notice, today, signatory=signatory, catalogs=gettext_for)


def queue_notice_email(
    uow: UnitOfWork, notice: Notice, to: str | None, *, today: date, clock: Clock,
    signatory: Signatory | None,
) -> None:
    """Stage the notice: the letter in both languages as the body, the documents attached.
    Without the body's address (``to`` None) it is held in the outbox, as the report's
    letter is, and the notice is marked sent when the letter is released."""
    subject = in_both_languages(NOTICE_SUBJECT, separator=" / ",
                                per_language={"agency": notice_agency(notice)})
    body = "\n\n\n".join(notice_letter(notice, lang, today, signatory=signatory)
                          for lang in ("kk", "ru"))
    files = tuple(Attachment(f.filename, f.content_type, f.data)
                  for f in notice_documents(notice, today, signatory=signatory))
    queue_email(uow, to or QC_WAITING, subject, body, clock=clock, attachments=files,
                held=to is None, tag=f"{NOTICE_TAG}{notice.id}")


async def _held_for_qc(uow: UnitOfWork) -> list[OutboxRow]:
    return list((await uow.session.scalars(select(OutboxRow).where(
        OutboxRow.channel == CHANNEL, OutboxRow.status == OutboxStatus.HELD,
        OutboxRow.address == QC_WAITING).order_by(OutboxRow.id))).all())


def _notice_of(row: OutboxRow) -> int | None:
    """The notice a letter carries, if it carries one."""
    tag = str(row.payload.get("tag") or "")
    return int(tag.removeprefix(NOTICE_TAG)) if tag.startswith(NOTICE_TAG) else None


async def notice_letter_held(uow: UnitOfWork, notice_id: int) -> bool:
    """Whether this notice's letter already waits for the body's address."""
    return any(_notice_of(row) == notice_id for row in await _held_for_qc(uow))


def notice_held_text(notice: Notice) -> str:
    """What operators and administrators are told of a notice held for want of an address."""
    return in_both_languages(NOTICE_HELD, id=str(notice.id),
                             per_language={"agency": notice_agency(notice)})


def notice_agency(notice: Notice) -> dict[str, str]:
    """The notice's agency by its name in each language."""
    return agency_in_each_language(notice.agency_code, {
        notice.agency_code: (notice.agency_name_kk, notice.agency_name_ru)})


async def queue_report_emails(
    uow: UnitOfWork, report: MonthlyReport, qc_email: str | None, *, clock: Clock
) -> ReportLetters:
    """Stage the report: all of it to the quality-control body, each agency its slice (to
    its official address). Without the body's address its letter is held in the outbox,
    not dropped: the body must not silently get nothing (an agency without an address
    gets no letter; its slice is in the body's)."""
    month = written_months(report.month)
    subject = in_both_languages(REPORT_SUBJECT, separator=" / ", per_language=month)
    body = in_both_languages(REPORT_BODY, per_language=month)
    emails = {row.code: row.email for row in await uow.session.scalars(select(AgencyRow))}
    letters = ReportLetters()
    for recipient in dict.fromkeys(f.recipient for f in report.files):
        address = qc_email if recipient == "all" else emails.get(recipient)
        held = recipient == "all" and not address
        if not address and not held:
            continue
        files = tuple(Attachment(f.filename, f.content_type, f.data)
                      for f in report.files if f.recipient == recipient)
        queue_email(uow, address or QC_WAITING, subject, body, clock=clock, attachments=files,
                    held=held)
        if held:
            letters.held = True
        else:
            letters.sent_to.append(str(address))
    return letters


def report_held_text(report: MonthlyReport) -> str:
    """What operators and administrators are told of a report held for want of an address."""
    return in_both_languages(REPORT_HELD, per_language=written_months(report.month))


def written_months(month: date) -> dict[str, dict[str, str]]:
    """The report's month as each language writes it: "2026 жылғы қазан" ("… айындағы"
    reads right), "октябрь 2026 г." ("за …")."""
    return {"month": {lang: month_name(month, lang) for lang in ("kk", "ru")}}


async def release_held_letters(uow: UnitOfWork, qc_email: str, *, clock: Clock) -> int:
    """The address is set now: the letters held for it are due (staged); how many. A
    notice's letter marks the notice sent today (the day it goes), unless an operator
    sent it by hand meanwhile: then it is not sent twice (failed, with why)."""
    released = 0
    for row in await _held_for_qc(uow):
        notice_id = _notice_of(row)
        if notice_id is not None and not await _mark_notice_sent(uow, notice_id, clock):
            row.status, row.last_error = OutboxStatus.FAILED, (
                f"not sent: notice #{notice_id} was sent by hand before UCC_QC_EMAIL was set")
            continue
        row.address, row.payload = qc_email, {**row.payload, "to": qc_email}
        row.status, row.not_before = OutboxStatus.PENDING, clock.now()
        released += 1
    return released


async def _mark_notice_sent(uow: UnitOfWork, notice_id: int, clock: Clock) -> bool:
    """The notice goes by e-mail today; False when it was sent already."""
    try:
        await mark_sent(uow, notice_id, via="email", on=local_today(clock.now()),
                        actor=SYSTEM, clock=clock)
    except RefusalDone:
        return False
    return True


async def waiting_for_qc_address(uow: UnitOfWork) -> dict[str, int]:
    """What waits while the quality-control body has no address: report letters held, and
    para 12 notices not sent (they cannot be e-mailed; an operator sends them by hand)."""
    held = sum(1 for row in await _held_for_qc(uow) if _notice_of(row) is None)
    notices = await uow.session.scalar(select(func.count()).select_from(RefusalNoticeRow)
                                       .where(RefusalNoticeRow.status == NoticeStatus.OPEN))
    return {"report_letters": int(held or 0), "notices": int(notices or 0)}
