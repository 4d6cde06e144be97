"""What an SMS says: the domain's turn rendered through gettext and fitted into the SMS
limit (``UCC_SMS_MAX_PARTS`` UCS-2 segments)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.i18n import gettext_for, marked
from knowledge.model import EntryInfo, Lang
from knowledge.sms.dialogue import Kind, SmsTurn
from knowledge.sms.segments import fit, fits, join, shorten
from knowledge.sms.state import MenuItem

_ = marked  # translated when rendered, in the language of the message

SECTION_NAMES: Final = {
    "documents": _("documents"),
    "fee": _("fee"),
    "term": _("term"),
    "where": _("where to apply"),
    "schedule": _("working hours"),
    "result": _("result"),
    "provider": _("who provides it"),
}
# TRANSLATORS: one numbered option of an SMS menu, e.g. "1 documents"
OPTION: Final = _("{number} {section}")
# TRANSLATORS: the end of an SMS answer; {options} is e.g. "1 documents, 2 fee, 3 term"
REPLY_FOR_MORE: Final = _("Reply {options}.")
MORE: Final = _("More: egov.kz or call 1414.")
CLARIFY: Final = _("Which question? Reply with its number:")
NONE_OF_THESE: Final = _("0 none: pass to a person")
ESCALATED: Final = _(
    "We could not find an answer. Your question has been passed to the agency, reference "
    "{reference}. The answer will come by SMS."
)
WORDS: Final = _(
    "Please write your question in words, for example: how much does a passport cost?"
)
NO_CHOICE: Final = _("There is no list to pick from now. Please write your question in words.")
STOPPED: Final = _(
    "You will get no more SMS from 1414. To resume, send START (БАСТА or СТАРТ)."
)
STARTED: Final = _("SMS from 1414 are on again. Write your question.")
HELP: Final = _(
    "1414: write your question about a public service in Kazakh or Russian. Reply with a "
    "number to pick from a list. STOP: no more SMS, START: resume. A person: call 1414."
)
QUOTA: Final = _(
    "You have sent many messages. Please write again later; for urgent questions call 1414."
)
APOLOGY: Final = _(
    "Sorry, something went wrong while processing your message. It has been passed to the "
    "contact center's staff. You can also call 1414."
)
SIMPLE: Final = {
    Kind.WORDS: WORDS, Kind.NO_CHOICE: NO_CHOICE, Kind.STOPPED: STOPPED,
    Kind.STARTED: STARTED, Kind.HELP: HELP, Kind.QUOTA: QUOTA,
}


def render(turn: SmsTurn, max_parts: int) -> str | None:
    """The reply to send, or None when nothing is to be sent."""
    tr = gettext_for(turn.lang).gettext
    if turn.kind == Kind.SILENT:
        return None
    if turn.kind in SIMPLE:
        return fit(tr(SIMPLE[turn.kind]), max_parts)
    if turn.kind == Kind.ESCALATED:
        return fit(tr(ESCALATED).format(reference=turn.reference), max_parts)
    if turn.kind == Kind.CLARIFY:
        return clarify(turn.choices, turn.lang, max_parts)
    if turn.kind == Kind.ANSWER and turn.entry is not None:
        _shown, body = turn.entry.answer_in(turn.lang)
    else:
        name = tr(SECTION_NAMES.get(turn.section or "", "")) if turn.section else ""
        body = f"{name[:1].upper()}{name[1:]}: {turn.section_text}" if name else \
            str(turn.section_text)
    footer = menu_footer(turn.menu, turn.lang)
    # the options are how to learn more; without any, the link and the phone
    return fit(body, max_parts, footer=footer, more="" if footer else tr(MORE))


def menu_footer(items: Sequence[MenuItem], lang: Lang) -> str:
    tr = gettext_for(lang).gettext
    options = [tr(OPTION).format(number=n, section=tr(SECTION_NAMES[item.ref]))
               for n, item in enumerate(items, 1)
               if item.kind == "section" and item.ref in SECTION_NAMES]
    return tr(REPLY_FOR_MORE).format(options=", ".join(options)) if options else ""


def clarify(choices: Sequence[EntryInfo], lang: Lang, max_parts: int) -> str:
    """The numbered questions, each shortened (after a whole word) as much as needed."""
    tr = gettext_for(lang).gettext
    titles = [entry.title(lang) for entry in choices]
    text = ""
    for budget in range(80, 9, -5):
        lines = [f"{n}. {shorten(t, budget)}" for n, t in enumerate(titles, 1)]
        text = join(tr(CLARIFY), *lines, tr(NONE_OF_THESE))
        if fits(text, max_parts):
            return text
    return fit(text, max_parts)


def apology(lang: Lang, max_parts: int) -> str:
    return fit(gettext_for(lang).gettext(APOLOGY), max_parts)
