"""The reply to a message over the length limit, the same on every channel."""

from __future__ import annotations

from typing import Final

from bot.texts.i18n import gettext_for, marked
from knowledge.length import TooLong

_ = marked  # translated when rendered, in the language of the message

# TRANSLATORS: {length} and {limit} are numbers of characters, e.g. 5300 and 2000.
TOO_LONG: Final = _(
    "Your message is too long: {length} characters, and I read up to {limit}. Please "
    "write your question briefly, in a few sentences."
)


def too_long_text(too_long: TooLong, lang: str) -> str:
    """Why the message was not read, and what to do, in ``lang``."""
    return gettext_for(lang).gettext(TOO_LONG).format(length=too_long.length,
                                                      limit=too_long.limit)
