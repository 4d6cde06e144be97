"""What a citizen reads about their application: plain text in their language, the same for
Telegram (which escapes it) and SMS. The IIN is never part of any of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from bot.texts.days import written_day
from bot.texts.i18n import gettext_for, marked
from knowledge.calendar import KAZAKHSTAN
from knowledge.status import Reply, StageNotice, StatusAnswer

_ = marked  # translated in the citizen's language when used

TEXTS: Final = {
    Reply.ASK_NUMBER: _(
        "Send the number of your application, as it is on the receipt or in the "
        "notification from the service provider."
    ),
    # TRANSLATORS: «cancel» is the word the citizen may write; keep it recognisable.
    Reply.ASK_IIN: _(
        "To tell the stage of application {number}, I need the applicant's IIN. Send its 12 "
        "digits in one message: they are only checked, never stored or repeated. To stop, "
        "write «cancel»."
    ),
    Reply.INVALID_IIN: _(
        "This is not a valid IIN: it has 12 digits, and the last one must match the others. "
        "Please check it and send it again, or write «cancel»."
    ),
    Reply.STAGE: _(
        "Application {number}: {stage}.\nUpdated: {updated}.\nI will write to you here when "
        "the stage changes."
    ),
    Reply.NOT_FOUND: _(
        "I found no application with this number for this IIN. Please check both. If the "
        "application was submitted recently, the service provider may not have sent its data "
        "yet: you can ask the service provider or call 1414."
    ),
    Reply.CANCELLED: _("The status check is stopped. You can ask your question."),
    # TRANSLATORS: «status» is the word to write (Kazakh «мәртебе»); keep it recognisable.
    Reply.UNEXPECTED_IIN: _(
        "I was not waiting for an IIN, so I neither checked nor kept it. To learn the stage "
        "of an application, write «status» and its number."
    ),
}
STAGE_CHANGED: Final = _("The stage of your application {number} has changed: {stage}.")


def _local(moment: datetime, lang: str) -> str:
    """The day written out and the local time: "29 марта 2027 г., 09:30"."""
    local = moment.astimezone(KAZAKHSTAN)
    return f"{written_day(local.date(), lang)}, {local:%H:%M}"


def render_status(answer: StatusAnswer) -> str:
    catalog = gettext_for(answer.lang)
    if answer.reply == Reply.LOCKED:
        ngettext = catalog.ngettext
        return ngettext("Too many unsuccessful attempts. Please try again in {minutes} minute.",
                        "Too many unsuccessful attempts. Please try again in {minutes} minutes.",
                        answer.wait_minutes).format(minutes=answer.wait_minutes)
    text: Callable[[str], str] = catalog.gettext
    stage = answer.stage.text(answer.lang) if answer.stage is not None else ""
    updated = _local(answer.updated_at, answer.lang) if answer.updated_at is not None else ""
    return text(TEXTS[answer.reply]).format(number=answer.number or "", stage=stage,
                                             updated=updated)


def render_notice(notice: StageNotice) -> str:
    return gettext_for(notice.lang).gettext(STAGE_CHANGED).format(
        number=notice.number, stage=notice.stage.text(notice.lang))
