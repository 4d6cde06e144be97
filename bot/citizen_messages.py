"""A text to a citizen on whatever channel they wrote from: the one place that knows how.

Telegram: an HTML-escaped message through the outbox, and a line in the conversation log,
both staged in the caller's transaction. Other channels (SMS) plug in here; until they do,
the message is logged as undeliverable and skipped.
"""

from __future__ import annotations

import logging

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import CHANNEL as TELEGRAM
from bot.channels.telegram.replies import plain_message
from knowledge.clock import Clock
from knowledge.conversation import log_message
from knowledge.db.uow import UnitOfWork
from knowledge.outbox import enqueue

log = logging.getLogger(__name__)


def send_text(
    uow: UnitOfWork, *, citizen_id: int, channel: str, address: str, lang: str, text: str,
    clock: Clock,
) -> bool:
    """Queue ``text`` (plain, in ``lang``) to the citizen; False when their channel cannot
    be written to yet."""
    if channel == TELEGRAM and address.lstrip("-").isdigit():
        enqueue(uow, plain_message(int(address), quote(text)), clock)
        log_message(uow, citizen_id, direction="out", channel=channel, lang=lang, text=text,
                    clock=clock)
        return True
    log.info("no way yet to reach a citizen on the %s channel (citizen %d)", channel,
             citizen_id)
    return False
