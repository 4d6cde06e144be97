"""Escalation outcomes back to the citizen: the domain's deliveries as outbox rows.

The citizen is answered on the channel and in the language they asked in, with their
reference number; a refusal is explained politely; an overdue question gets a status
message. Rows go to the outbox in the transaction that settled the question.
"""

from __future__ import annotations

import logging
from typing import Final

from bot.channels.sms.replies import sms_message
from bot.channels.sms.texts import MORE
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import CHANNEL as TELEGRAM
from bot.channels.telegram.replies import plain_message
from bot.i18n import gettext_for, marked
from knowledge.clock import Clock
from knowledge.conversation import log_message
from knowledge.db.uow import UnitOfWork
from knowledge.escalations import Delivery, take_deliveries
from knowledge.outbox import Outgoing, enqueue
from knowledge.sms.segments import fit
from knowledge.sms.state import CHANNEL as SMS

log = logging.getLogger(__name__)

_ = marked  # translated in the citizen's language when sent
SMS_MAX_PARTS: Final = 3  # UCC_SMS_MAX_PARTS, when the caller does not say

TEXTS: Final = {
    "answered": _("The answer to your question {reference}:\n\n{text}"),
    "closed": _("On your question {reference}:\n\n{text}"),
    "refused": _(
        "On your question {reference}: the agency did not provide the information. "
        "Its reply: {text}\nThe contact center has recorded the refusal. You may also "
        "contact the agency directly or call 1414."
    ),
    "withheld": _(
        "On your question {reference}: the agency cannot disclose this information because "
        "it is protected by law ({ground}). We are sorry we cannot help with this question."
    ),
    "overdue_status": _(
        "Your question {reference} is still with the agency: the answer is taking longer "
        "than planned. We will send it to this chat as soon as it comes."
    ),
}
GROUNDS: Final = {
    "state_secret": _("state secrets"),
    "commercial_secret": _("a commercial secret"),
    "other_secret": _("another secret protected by law"),
}
OTHER_LANGUAGE: Final = _("(The agency answered only in the other language.)")


def render(delivery: Delivery) -> str:
    """The message in the citizen's language, plain text (the channel escapes it)."""
    tr = gettext_for(delivery.lang).gettext
    text = delivery.text or ""
    if delivery.text_lang is not None and delivery.text_lang != delivery.lang:
        text = f"{text}\n\n{tr(OTHER_LANGUAGE)}"
    if delivery.kind == "refused" and delivery.ground in GROUNDS:
        return tr(TEXTS["withheld"]).format(reference=delivery.reference,
                                            ground=tr(GROUNDS[delivery.ground]))
    return tr(TEXTS[delivery.kind]).format(reference=delivery.reference, text=text)


def enqueue_deliveries(uow: UnitOfWork, deliveries: list[Delivery], clock: Clock, *,
                       sms_max_parts: int = SMS_MAX_PARTS) -> int:
    """Queue each delivery on its channel and log it; how many were queued (a channel
    the bot cannot write to, such as the terminal, is skipped). An SMS is fitted into
    ``sms_max_parts`` segments like any SMS answer."""
    queued = 0
    for delivery in deliveries:
        text = render(delivery)
        message = _message(delivery, text, sms_max_parts)
        if message is None:
            log.info("escalation %s: no way to reach a %s citizen", delivery.reference,
                     delivery.channel)
            continue
        if delivery.channel == SMS:
            text = message.payload["text"]
        enqueue(uow, message, clock)
        log_message(uow, delivery.citizen_id, direction="out", channel=delivery.channel,
                    lang=delivery.lang, text=text, clock=clock)
        queued += 1
    return queued


def _message(delivery: Delivery, text: str, sms_max_parts: int) -> Outgoing | None:
    if delivery.channel == TELEGRAM and delivery.address.lstrip("-").isdigit():
        return plain_message(int(delivery.address), quote(text))
    if delivery.channel == SMS:
        more = gettext_for(delivery.lang).gettext(MORE)
        return sms_message(delivery.address, fit(text, sms_max_parts, more=more))
    return None


async def deliver_pending(uow: UnitOfWork, clock: Clock, *,
                          sms_max_parts: int = SMS_MAX_PARTS) -> int:
    """Pass on every settled question not yet passed on (staged; commit with the rest)."""
    return enqueue_deliveries(uow, await take_deliveries(uow, clock), clock,
                              sms_max_parts=sms_max_parts)
