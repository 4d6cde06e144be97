"""Letters to agencies: the request with the form of Annex 1 and its documents (002 p.4),
the operators' questions on a draft (p.8), the protocol of acceptance to sign (p.8-9).

The letter goes in both languages (an agency's language is not known to the system), and
carries the request (.docx), the request form and the fill-in template of the service's
information.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from bot.channels.email.letters import Attachment, queue_email
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import document_message, plain_message
from bot.texts.days import written_day
from bot.texts.i18n import gettext_for, in_both_languages, marked
from knowledge import onboarding
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding import Case, Deadlines, acceptance
from knowledge.onboarding.acceptance import QuestionList
from knowledge.onboarding.documents import RequestRow, information_template, request_form
from knowledge.onboarding.protocol import ProtocolData, protocol_document
from knowledge.onboarding.request import RequestData, request_document
from knowledge.outbox import enqueue
from knowledge.staff import Actor, Role, Signatory, signatory_of

XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


_ = marked  # translated when the letter is written


REQUEST_SUBJECT: Final = _("Request for information on public service {register_no}")
REQUEST_BODY: Final = _(
    "Dear colleagues,\n\nthe public service {register_no} «{name}» has been included in the "
    "Register of public services, and the center sends you this request under para 4 of "
    "the Rules of interaction of the Unified Contact Center. Under para 5 of the Rules, "
    "please appoint within 3 working days of receiving it a responsible person, who "
    "provides the information on the service within 5 working days of the appointment and "
    "then trains the center's staff (para 8).\n\nAttached: the "
    "request, the request form (Annex 1) and the template for the service's information; "
    "please fill "
    "in the template in Kazakh and Russian and send it back.\n\nUnified Contact Center, 1414"
)


def request_documents(
    case: Case, *, executor: Signatory | None, on: date, deadlines: Deadlines
) -> tuple[Attachment, ...]:
    """The request itself (.docx, from the Word template), the request form of Annex 1 and
    the information template (.xlsx); refused while the case has no service name (column
    3 would be empty). The responsible person is due ``responsible_appointed``'s working
    days after ``on``: an electronic request arrives the day it is sent."""
    onboarding.require_named(case.register_no, case.name_kk, case.name_ru)
    name_kk, name_ru = case.name_kk or "", case.name_ru or ""
    policy = deadlines.policy
    letter = request_document(RequestData(
        number=f"{case.id}/{case.register_no}", on=on, register_no=case.register_no,
        service_name_kk=name_kk, service_name_ru=name_ru,
        agency_name_kk=case.agency_name_kk or case.agency_name_ru or "",
        agency_name_ru=case.agency_name_ru or case.agency_name_kk or "",
        appoint_by=policy.due("responsible_appointed", on, deadlines.calendar),
        executor=str(executor) if executor else "",
        appoint_days=policy.rule("responsible_appointed").value,
        inform_days=policy.rule("information_provided").value))
    form = request_form([RequestRow(case.register_no, name_kk, name_ru)],
                        executor=str(executor) if executor else None, on=on)
    template = information_template(case.register_no, case.agency_code, name_kk, name_ru)
    return (Attachment(f"request-{case.register_no}.docx", DOCX, letter),
            Attachment(f"request-{case.register_no}.xlsx", XLSX, form),
            Attachment(f"information-{case.register_no}.xlsx", XLSX, template))


def queue_request_letter(
    uow: UnitOfWork, case: Case, *, executor: Signatory | None, on: date, clock: Clock,
    deadlines: Deadlines,
) -> str | None:
    """Stage the request letter to the agency's official address; the address, or None
    when the registry has none (the operator sends the documents another way)."""
    documents = request_documents(case, executor=executor, on=on, deadlines=deadlines)
    if not case.agency_email:
        return None
    subject = in_both_languages(REQUEST_SUBJECT, separator=" / ",
                                register_no=case.register_no)
    body = "\n\n\n".join(gettext_for(lang).gettext(REQUEST_BODY).format(
        register_no=case.register_no,
        name=case.name_kk if lang == "kk" else case.name_ru,
    ) for lang in ("kk", "ru"))
    queue_email(uow, case.agency_email, subject, body, clock=clock, attachments=documents)
    return case.agency_email


QUESTIONS_SUBJECT: Final = _("Questions on the information about service {register_no}")
QUESTIONS_BODY: Final = _(
    "The contact center's operators read the information you sent on service "
    "{register_no} and ask you to answer these questions at the training:\n\n{questions}"
)
PROTOCOL_SUBJECT: Final = _("Protocol of acceptance of information on service {register_no}")
PROTOCOL_BODY: Final = _(
    "The protocol of acceptance of the information on service {register_no} is attached. "
    "Please sign it: send /sign {register_no} to the bot, or send the signed scan to the bot "
    "with the caption «protocol {register_no}». The service goes live 5 working days after "
    "both sides have signed."
)
SIGNED_BODY: Final = _(
    "The protocol of acceptance of the information on service {register_no}, signed by both "
    "sides on {signed}, is attached with its date. The contact center informs citizens about "
    "the service from {live} (para 9 of the Rules: five working days after the signature)."
)


def queue_question_list(uow: UnitOfWork, questions: QuestionList, *, clock: Clock) -> list[str]:
    """Stage the operators' questions to the responsible person by Telegram and e-mail;
    the ways it went ("telegram", "e-mail")."""
    register_no = questions.case.register_no
    listed = "\n".join(f"{n}. {q}" for n, q in enumerate(questions.questions, 1))
    text = in_both_languages(QUESTIONS_BODY, register_no=register_no, questions=listed)
    ways = []
    if questions.responsible_telegram is not None:
        enqueue(uow, plain_message(questions.responsible_telegram, quote(text)), clock)
        ways.append("telegram")
    if questions.responsible_email:
        subject = in_both_languages(QUESTIONS_SUBJECT, separator=" / ",
                                    register_no=register_no)
        queue_email(uow, questions.responsible_email, subject, text, clock=clock)
        ways.append("e-mail")
    return ways


def protocol_attachment(data: ProtocolData) -> Attachment:
    return Attachment(f"protocol-{data.register_no}.docx", DOCX, protocol_document(data))


def _protocol_text(case: Case, data: ProtocolData) -> str:
    """How to sign it, or, once signed, the day it was and the day the service goes live."""
    if data.signed_on is None or data.activation_on is None:
        return in_both_languages(PROTOCOL_BODY, register_no=case.register_no)
    return in_both_languages(SIGNED_BODY, register_no=case.register_no, per_language={
        "signed": {lang: written_day(data.signed_on, lang) for lang in ("kk", "ru")},
        "live": {lang: written_day(data.activation_on, lang) for lang in ("kk", "ru")}})


def queue_protocol(
    uow: UnitOfWork, case: Case, data: ProtocolData, *, clock: Clock,
    telegram_ids: tuple[int, ...] = (), emails: tuple[str, ...] = (),
) -> None:
    """Stage the protocol to the people who sign it: the document with how to sign, or,
    signed, with its date and the day the service goes live."""
    attachment = protocol_attachment(data)
    text = _protocol_text(case, data)
    for chat_id in telegram_ids:
        enqueue(uow, document_message(chat_id, attachment.filename, attachment.content_type,
                                      attachment.data, quote(text)), clock)
    subject = in_both_languages(PROTOCOL_SUBJECT, separator=" / ", register_no=case.register_no)
    for address in dict.fromkeys((*emails, *((case.agency_email,) if case.agency_email else ()))):
        queue_email(uow, address, subject, text, clock=clock, attachments=(attachment,))


async def record_center_step(
    uow: UnitOfWork, register_no: str, key: str, *, on: date, actor: Actor, clock: Clock,
    deadlines: Deadlines, note: str | None = None,
) -> tuple[Case, str | None]:
    """Record a step the center did and stage what goes with it: the request and its
    documents to the agency (request sent), the protocol to both sides (training held).

    The command line and the bot both record steps here, so both send the same letters.
    Returns the case and the address the request went to (None when no request was
    e-mailed: another step, or no official e-mail in the registry).
    """
    case = await onboarding.record_step(uow, register_no, key, on=on, actor=actor, clock=clock,
                                        deadlines=deadlines, note=note)
    mailed = None
    if key == "request_sent":
        mailed = queue_request_letter(uow, await onboarding.case_of(uow, register_no, actor),
                                      executor=await signatory_of(uow, actor), on=on,
                                      clock=clock, deadlines=deadlines)
    elif key == "training_held":
        await send_protocol_for_signature(uow, register_no, on=on, actor=actor,
                                          deadlines=deadlines, clock=clock)
    elif key == "protocol_signed":
        await send_signed_protocol(uow, register_no, on=on, actor=actor,
                                   deadlines=deadlines, clock=clock)
    return case, mailed


async def sign_protocol(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, clock: Clock,
    deadlines: Deadlines, scan: str | None = None,
) -> tuple[Case, bool]:
    """One side signs in the bot; when that makes both, the dated protocol goes to both
    sides as the undated one did (staged). (case, signed now)."""
    case, signed = await acceptance.confirm_protocol(
        uow, register_no, on=on, actor=actor, clock=clock, deadlines=deadlines, scan=scan)
    if signed:
        await send_signed_protocol(uow, register_no, on=on, actor=actor,
                                   deadlines=deadlines, clock=clock)
    return case, signed


async def send_protocol_for_signature(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, deadlines: Deadlines,
    clock: Clock,
) -> ProtocolData:
    """After the training: the protocol to both sides, to be signed in the bot (staged)."""
    return await _queue_protocol_to_both(
        uow, register_no, on=on, actor=actor, drawn_up_by=actor,
        signatory=await signatory_of(uow, actor), deadlines=deadlines, clock=clock)


async def send_signed_protocol(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, deadlines: Deadlines,
    clock: Clock,
) -> ProtocolData:
    """Both sides signed: the protocol again, now with its date and the day the service goes
    live (002 p.9), to the same people as the undated one (staged). The center's
    representative is the one who signed for it, whoever signed last."""
    signer = actor if actor.of_center else await acceptance.center_signer(
        uow, register_no, actor)
    signatory = await signatory_of(uow, signer) if signer is not None else None
    return await _queue_protocol_to_both(
        uow, register_no, on=on, actor=actor,
        drawn_up_by=signer or Actor("scheduler", Role.ADMIN), signatory=signatory,
        deadlines=deadlines, clock=clock)


async def _queue_protocol_to_both(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, drawn_up_by: Actor,
    signatory: Signatory | None, deadlines: Deadlines, clock: Clock,
) -> ProtocolData:
    """The protocol as ``drawn_up_by`` draws it up, to both sides' chats and addresses."""
    data = await acceptance.protocol_data(uow, register_no, on=on, actor=drawn_up_by,
                                          deadlines=deadlines,
                                          representative=str(signatory or ""))
    case = await onboarding.case_of(uow, register_no, actor)
    chats, emails = await acceptance.signatories(uow, register_no, actor)
    queue_protocol(uow, case, data, clock=clock, telegram_ids=chats, emails=emails)
    return data
