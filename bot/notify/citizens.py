"""A text to a citizen on whatever channel they wrote from: the one place that knows how.

Telegram: an HTML-escaped message; SMS: the text fitted into the allowed segments, ending
with where to learn more. Either goes through the outbox, with a line in the conversation
log, both staged in the caller's transaction. Another channel (the terminal) cannot be
written to later: the message is logged as undeliverable and skipped.
"""

from __future__ import annotations

import logging

from bot.channels.sms.replies import sms_message
from bot.channels.sms.texts import MORE
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import CHANNEL as TELEGRAM
from bot.channels.telegram.replies import plain_message
from bot.texts.i18n import gettext_for
from knowledge.clock import Clock
from knowledge.conversation import log_message
from knowledge.db.uow import UnitOfWork
from knowledge.outbox import Outgoing, enqueue
from knowledge.sms.segments import fit
from knowledge.sms.state import CHANNEL as SMS

log = logging.getLogger(__name__)


def send_text(
    uow: UnitOfWork, *, citizen_id: int, channel: str, address: str, lang: str, text: str,
    clock: Clock, sms_max_parts: int,
) -> bool:
    """Queue ``text`` (plain, in ``lang``) to the citizen; False when their channel cannot
    be written to. ``sms_max_parts`` (``UCC_SMS_MAX_PARTS``) has no default, so that no
    path to the citizen can forget the operator's limit."""
    message: Outgoing | None = None
    if channel == TELEGRAM and address.lstrip("-").isdigit():
        message = plain_message(int(address), quote(text))
    elif channel == SMS:
        text = fit(text, sms_max_parts, more=gettext_for(lang).gettext(MORE))
        message = sms_message(address, text)
    if message is None:
        log.info("no way to reach a citizen on the %s channel (citizen %d)", channel,
                 citizen_id)
        return False
    enqueue(uow, message, clock)
    log_message(uow, citizen_id, direction="out", channel=channel, lang=lang, text=text,
                clock=clock)
    return True
