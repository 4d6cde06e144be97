"""The reply to a question out of the base's scope: what the bot can help with, and where
other questions go. Plain text, the same for Telegram (which escapes it), SMS and the
terminal; short enough for one SMS reply of three parts."""

from __future__ import annotations

from typing import Final

from bot.texts.i18n import gettext_for, marked

_ = marked  # translated in the citizen's language when used

OUT_OF_SCOPE_REPLY: Final = _(
    "I answer questions about public services only (cost, terms, documents, where to "
    "apply), and found nothing on this. The 1414 line takes other questions.")


def out_of_scope_text(lang: str) -> str:
    return gettext_for(lang).gettext(OUT_OF_SCOPE_REPLY)
