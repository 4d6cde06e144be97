"""Letters to the quality-control body and the agencies: the refusal notice (002 p.12)
with its documents, and the monthly report (p.14), each recipient its own slice."""

from __future__ import annotations

from datetime import date
from typing import Final

from sqlalchemy import select

from bot.channels.email.letters import Attachment, queue_email
from bot.texts.i18n import gettext_for, in_both_languages, marked
from knowledge.clock import Clock
from knowledge.db.tables import AgencyRow
from knowledge.db.uow import UnitOfWork
from knowledge.refusal_notice import NoticeFile, letter, notice_files
from knowledge.refusals import Notice
from knowledge.reports import MonthlyReport
from knowledge.staff import Signatory

_ = marked

NOTICE_SUBJECT: Final = _("Notice of refusals to provide information: {agency}")
REPORT_SUBJECT: Final = _("Monthly analytical report of the Unified Contact Center, {month}")
REPORT_BODY: Final = _(
    "The analytical report of the Unified Contact Center for {month} (Rules of interaction, "
    "para 14) is attached: the register of complaints and appeals (Annex 2) and the "
    "figures of questions, answers, escalations and refusals."
)


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
    uow: UnitOfWork, notice: Notice, to: str, *, today: date, clock: Clock,
    signatory: Signatory | None,
) -> None:
    """Stage the notice: the letter in both languages as the body, the documents attached."""
    subject = in_both_languages(NOTICE_SUBJECT, separator=" / ", agency=notice.agency_code)
    body = "\n\n\n".join(notice_letter(notice, lang, today, signatory=signatory)
                          for lang in ("kk", "ru"))
    files = tuple(Attachment(f.filename, f.content_type, f.data)
                  for f in notice_documents(notice, today, signatory=signatory))
    queue_email(uow, to, subject, body, clock=clock, attachments=files)


async def queue_report_emails(
    uow: UnitOfWork, report: MonthlyReport, qc_email: str | None, *, clock: Clock
) -> list[str]:
    """Stage the report: all of it to the quality-control body, each agency its slice (to
    its official address); the addresses it went to."""
    month = f"{report.month:%m.%Y}"
    subject = in_both_languages(REPORT_SUBJECT, separator=" / ", month=month)
    body = in_both_languages(REPORT_BODY, month=month)
    emails = {row.code: row.email for row in await uow.session.scalars(select(AgencyRow))}
    sent = []
    for recipient in dict.fromkeys(f.recipient for f in report.files):
        address = qc_email if recipient == "all" else emails.get(recipient)
        if not address:
            continue
        files = tuple(Attachment(f.filename, f.content_type, f.data)
                      for f in report.files if f.recipient == recipient)
        queue_email(uow, address, subject, body, clock=clock, attachments=files)
        sent.append(address)
    return sent
