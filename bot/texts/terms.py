"""How much time is left, in working days, as staff read it in their language: the plural
forms each language needs, and the wording for a date no law sets."""

from __future__ import annotations

from datetime import date

from bot.texts.i18n import gettext_for
from knowledge import onboarding
from knowledge.onboarding import Case, Deadlines
from knowledge.onboarding.steps import own_target


def working_days_text(lang: str, left: int) -> str:
    """"2 working days left" or "overdue by 1 working day": plural as ``lang`` forms it."""
    ngettext = gettext_for(lang).ngettext
    if left < 0:
        return ngettext("overdue by {n} working day", "overdue by {n} working days",
                        -left).format(n=-left)
    return ngettext("{n} working day left", "{n} working days left", left).format(n=left)


def own_target_text(lang: str, left: int) -> str:
    """Working days to (or past) a date no law sets, in the plural ``lang`` forms."""
    ngettext = gettext_for(lang).ngettext
    if left < 0:
        return ngettext("{n} working day past the center's own target (no legal term)",
                        "{n} working days past the center's own target (no legal term)",
                        -left).format(n=-left)
    return ngettext("{n} working day to the center's own target (no legal term)",
                    "{n} working days to the center's own target (no legal term)",
                    left).format(n=left)


def case_time_left(case: Case, today: date, deadlines: Deadlines, lang: str) -> str:
    """What is left of a case's step: working days to its due date (or past it), to the
    center's own target, or until the service goes live; empty when the step has no date."""
    if case.due_on is None:
        return ""
    left = onboarding.working_days_left(case.due_on, today, deadlines.calendar)
    ngettext = gettext_for(lang).ngettext
    if case.step == "live":
        if left <= 0:
            return gettext_for(lang).gettext("goes live today")
        return ngettext("goes live in {n} working day", "goes live in {n} working days",
                        left).format(n=left)
    if own_target(case.step, deadlines.policy):
        return own_target_text(lang, left)
    return working_days_text(lang, left)
