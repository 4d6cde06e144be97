"""Escalation outcomes back to the citizen: the domain's deliveries as outbox rows.

The citizen is answered on the channel and in the language they asked in, with their
reference number; a refusal is explained politely; an overdue question gets a status
message. Rows go to the outbox in the transaction that settled the question.
"""

from __future__ import annotations

from typing import Final

from bot.notify.citizens import send_text
from bot.texts.i18n import gettext_for, marked
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.escalations import Delivery, take_deliveries

_ = marked  # translated in the citizen's language when sent

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
                       sms_max_parts: int) -> int:
    """Queue each delivery on its channel and log it; how many were queued (a channel
    the bot cannot write to yet, such as the terminal, is skipped)."""
    return sum(send_text(uow, citizen_id=delivery.citizen_id, channel=delivery.channel,
                         address=delivery.address, lang=delivery.lang,
                         text=render(delivery), clock=clock, sms_max_parts=sms_max_parts)
               for delivery in deliveries)



async def deliver_pending(uow: UnitOfWork, clock: Clock, *,
                          sms_max_parts: int) -> int:
    """Pass on every settled question not yet passed on (staged; commit with the rest)."""
    return enqueue_deliveries(uow, await take_deliveries(uow, clock), clock,
                              sms_max_parts=sms_max_parts)
