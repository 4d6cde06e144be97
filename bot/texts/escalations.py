"""What a citizen reads when their escalated question is settled: the answer with its
reference number, a refusal explained politely, a status message while it is overdue; and
what staff read of the queue (new questions, reminders, late refusal notices)."""

from __future__ import annotations

from typing import Final

from bot.texts.i18n import gettext_for, marked
from knowledge.escalations import Delivery

_ = marked  # translated in the citizen's language when sent

# TRANSLATORS: the language a question was asked in, as it stands in "Asked {day} in
# {lang}" (Russian "на казахском языке": "казахском"; Kazakh "қазақ тілінде": "қазақ").
LANGUAGE_NAMES: Final = {"kk": _("Kazakh"), "ru": _("Russian")}

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


# For staff, in Kazakh then Russian (in_both_languages), {due} said with its weekday. No
# law sets how fast an agency answers the center: the term is the center's own.
ESCALATION_TEXTS: Final = {
    "new": _("New question {reference} in the queue of {agency}, due {due} (the center's "
             "own term): /esc {reference}"),
    "day_before": _("Reminder: question {reference} ({agency}) is due on {due} (the "
                    "center's own term)."),
    "due_day": _("Reminder: question {reference} ({agency}) is due today, {due} (the "
                 "center's own term)."),
    "overdue": _("Past the center's own term: question {reference} ({agency}) was due "
                 "{due}."),
}
SMS_IN_PARTS: Final = _(
    "Your answer to question {reference} was too long for one SMS ({max_parts} SMS "
    "segments at most): the citizen, who asked by SMS, got its first part and gets each "
    "next one by replying 1 ({parts} messages in all). For SMS, a short answer reaches "
    "them at once.")
NOTICE_TEXTS: Final = {
    "day_before": _("Reminder: the refusal notice on {agency} to the quality-control body is "
                    "due on {due}."),
    "due_day": _("Reminder: the refusal notice on {agency} to the quality-control body is "
                 "due today, {due}."),
    "overdue": _("Late: the refusal notice on {agency} to the quality-control body was due "
                 "{due} and is not sent."),
}
