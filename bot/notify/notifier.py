"""The one place that knows how to tell a person something on the channel they use.

A citizen: on Telegram an HTML-escaped message, by SMS the text fitted into the operator's
segment limit (``UCC_SMS_MAX_PARTS``), ending with where to learn more; a channel the bot
cannot write to later (the terminal) is logged as unreachable and skipped. Staff: in their
Telegram chat and by e-mail, each person once. Everything is staged in the caller's unit
of work (outbox rows and the conversation log) and sent after it commits.

Built once by ``bot.app`` and handed to handlers as workflow data, to the jobs and to the
command line, so no caller threads the SMS limit or the clock through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.channels.email.letters import queue_email
from bot.channels.sms.replies import sms_message
from bot.channels.sms.texts import MORE, continued, parts_of
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import CHANNEL as TELEGRAM
from bot.channels.telegram.replies import plain_message
from bot.texts.complaints import SMS_IN_PARTS as COMPLAINT_IN_PARTS
from bot.texts.complaints import delivery_text
from bot.texts.escalations import SMS_IN_PARTS
from bot.texts.escalations import render as escalation_text
from bot.texts.i18n import gettext_for, in_both_languages
from knowledge import complaints, escalations
from knowledge.clock import Clock
from knowledge.complaints import ComplaintDelivery
from knowledge.conversation import log_message
from knowledge.db.tables import ComplaintRow, EscalationRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations import Delivery
from knowledge.escalations.reminders import agency_staff
from knowledge.model import Lang
from knowledge.onboarding.notices import Recipient
from knowledge.outbox import Outgoing, enqueue
from knowledge.sms.segments import fit, fits
from knowledge.sms.state import CHANNEL as SMS
from knowledge.sms.state import number_state, save_continuation

log = logging.getLogger(__name__)
SUBJECT_LIMIT = 150


@dataclass(frozen=True, slots=True)
class Notifier:
    clock: Clock
    sms_max_parts: int  # UCC_SMS_MAX_PARTS: no SMS to a citizen is longer

    def citizen(self, uow: UnitOfWork, *, citizen_id: int, channel: str, address: str,
                lang: str, text: str) -> bool:
        """Queue ``text`` (plain, in ``lang``) to the citizen; False when their channel
        cannot be written to."""
        message: Outgoing | None = None
        if channel == TELEGRAM and address.lstrip("-").isdigit():
            message = plain_message(int(address), quote(text))
        elif channel == SMS:
            text = fit(text, self.sms_max_parts, more=gettext_for(lang).gettext(MORE))
            message = sms_message(address, text)
        if message is None:
            log.info("no way to reach a citizen on the %s channel (citizen %d)", channel,
                     citizen_id)
            return False
        enqueue(uow, message, self.clock)
        log_message(uow, citizen_id, direction="out", channel=channel, lang=lang, text=text,
                    clock=self.clock)
        return True

    def staff(self, uow: UnitOfWork, people: Iterable[Recipient], text: str, *,
              by_email: bool = True) -> None:
        """A text for staff in their Telegram chat and (``by_email``) by e-mail, each
        person once."""
        subject = text.split("\n", 1)[0][:SUBJECT_LIMIT]
        for person in dict.fromkeys(people):
            if person.telegram_user_id is not None:
                enqueue(uow, plain_message(person.telegram_user_id, quote(text)), self.clock)
            if by_email and person.email:
                queue_email(uow, person.email, subject, text, clock=self.clock)

    async def escalation_outcomes(self, uow: UnitOfWork,
                                  deliveries: Sequence[Delivery]) -> int:
        """Each settled question to its citizen; how many could be queued. An agency's
        text too long for one SMS is not cut: it goes in parts, each on the citizen's "1"."""
        queued = 0
        for d in deliveries:
            text = escalation_text(d)
            if d.channel == SMS and not fits(text, self.sms_max_parts):
                await self._sms_in_parts(uow, d, text)
                queued += 1
            else:
                queued += self.citizen(uow, citizen_id=d.citizen_id, channel=d.channel,
                                       address=d.address, lang=d.lang, text=text)
        return queued

    async def _sms_in_parts(self, uow: UnitOfWork, d: Delivery, text: str) -> None:
        """The first part now, the rest kept for the citizen's "1"; and the agency told
        how its answer reached them (it may want to write shorter for SMS)."""
        parts = await self._sms_first_part(uow, d.citizen_id, d.address, d.lang, text)
        escalation = await uow.session.get(EscalationRow, d.escalation_id)
        if escalation is not None and escalation.agency_id is not None:
            self.staff(uow, await agency_staff(uow, escalation.agency_id), in_both_languages(
                SMS_IN_PARTS, reference=d.reference, max_parts=str(self.sms_max_parts),
                parts=str(parts)))

    async def _sms_first_part(self, uow: UnitOfWork, citizen_id: int, address: str,
                              lang: Lang, text: str) -> int:
        """Queue the first part, keep the rest for the citizen's "1"; how many parts."""
        first, rest = continued(text, lang, self.sms_max_parts)
        enqueue(uow, sms_message(address, first), self.clock)
        log_message(uow, citizen_id, direction="out", channel=SMS, lang=lang, text=first,
                    clock=self.clock)
        save_continuation(await number_state(uow, citizen_id), rest, lang, self.clock.now())
        return parts_of(text, lang, self.sms_max_parts)

    async def pending_escalation_outcomes(self, uow: UnitOfWork) -> int:
        """Pass on every settled question not yet passed on (staged with the rest)."""
        return await self.escalation_outcomes(
            uow, await escalations.take_deliveries(uow, self.clock))

    async def complaint_outcomes(self, uow: UnitOfWork,
                                 deliveries: Sequence[ComplaintDelivery]) -> int:
        """Each agency's response (or overdue status, or extension) to its complainant;
        how many could be queued. One too long for one SMS is not cut: it goes in parts,
        each on the citizen's "1", and the agency is told how its response reached them."""
        queued = 0
        for d in deliveries:
            text = delivery_text(d)
            if d.channel == SMS and not fits(text, self.sms_max_parts):
                parts = await self._sms_first_part(uow, d.citizen_id, d.address, d.lang, text)
                await self._tell_complaint_agency(uow, d, parts)
                queued += 1
            else:
                queued += self.citizen(uow, citizen_id=d.citizen_id, channel=d.channel,
                                       address=d.address, lang=d.lang, text=text)
        return queued

    async def _tell_complaint_agency(self, uow: UnitOfWork, d: ComplaintDelivery,
                                     parts: int) -> None:
        complaint = await uow.session.get(ComplaintRow, d.complaint_id)
        if d.kind == "answered" and complaint is not None and complaint.agency_id is not None:
            self.staff(uow, await agency_staff(uow, complaint.agency_id), in_both_languages(
                COMPLAINT_IN_PARTS, number=d.number, max_parts=str(self.sms_max_parts),
                parts=str(parts)))

    async def pending_complaint_outcomes(self, uow: UnitOfWork) -> int:
        """Pass on every response not yet passed on (staged with the rest)."""
        return await self.complaint_outcomes(
            uow, await complaints.take_deliveries(uow, self.clock))
