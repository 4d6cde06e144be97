"""The short polite replies to small talk: a greeting, thanks, "ok", goodbye. Plain text,
the same for Telegram (which escapes it), SMS and the terminal."""

from __future__ import annotations

from typing import Final

from bot.texts.i18n import gettext_for, marked
from knowledge.smalltalk import Talk

_ = marked  # translated in the citizen's language when used

REPLIES: Final = {
    Talk.GREETING: _("Hello! Write your question about public services, and I will answer."),
    Talk.THANKS: _("You are welcome! Write if you have another question."),
    Talk.OK: _("Good. If you have another question, write it."),
    Talk.GOODBYE: _("Goodbye! Write whenever you have a question."),
}


def small_talk_text(talk: Talk, lang: str) -> str:
    return gettext_for(lang).gettext(REPLIES[talk])
