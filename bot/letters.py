"""Letters to agencies: the request of Annex 1 with its documents (002 p.4), by e-mail.

The letter goes in both languages (an agency's language is not known to the system), and
carries the request form and the fill-in template of the service's information.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from bot.channels.email.sender import Attachment, queue_email
from bot.i18n import gettext_for, in_both_languages, marked
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding import Case
from knowledge.onboarding.documents import RequestRow, information_template, request_form

XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_ = marked  # translated when the letter is written


REQUEST_SUBJECT: Final = _("Request for information on public service {register_no}")
REQUEST_BODY: Final = _(
    "Dear colleagues,\n\nthe public service {register_no} «{name}» has been included in the "
    "Register of public services. Under the Rules of interaction of the Unified Contact "
    "Center (para 4), please appoint within 3 working days a responsible person who will "
    "provide the information on the service and train the center's staff.\n\nAttached: the "
    "request form (Annex 1) and the template for the service's information; please fill "
    "in the template in Kazakh and Russian and send it back.\n\nUnified Contact Center, 1414"
)


def request_documents(case: Case, *, executor: str, on: date) -> tuple[Attachment, ...]:
    """The request form of Annex 1 and the information template, as .xlsx files."""
    name_kk, name_ru = case.name_kk or "", case.name_ru or ""
    form = request_form([RequestRow(case.register_no, name_kk, name_ru)],
                        executor=executor, on=on)
    template = information_template(case.register_no, case.agency_code, name_kk, name_ru)
    return (Attachment(f"request-{case.register_no}.xlsx", XLSX, form),
            Attachment(f"information-{case.register_no}.xlsx", XLSX, template))


def queue_request_letter(
    uow: UnitOfWork, case: Case, *, executor: str, on: date, clock: Clock
) -> str | None:
    """Stage the request letter to the agency's official address; the address, or None
    when the registry has none (the operator sends the documents another way)."""
    if not case.agency_email:
        return None
    subject = in_both_languages(REQUEST_SUBJECT, separator=" / ",
                                register_no=case.register_no)
    body = "\n\n\n".join(gettext_for(lang).gettext(REQUEST_BODY).format(
        register_no=case.register_no,
        name=(case.name_kk if lang == "kk" else case.name_ru) or case.register_no,
    ) for lang in ("kk", "ru"))
    queue_email(uow, case.agency_email, subject, body, clock=clock,
                attachments=request_documents(case, executor=executor, on=on))
    return case.agency_email
