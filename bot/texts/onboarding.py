"""What staff read of the onboarding protocol: reminders of a step's deadline, a service
gone live, and each step's title (also shown by the staff's commands)."""

from __future__ import annotations

from typing import Final

from bot.texts.i18n import marked

_ = marked  # translated when sent

# {due} is said with its weekday (bot.texts.days): the working day before a Monday is a
# Friday, so "tomorrow" would be wrong.
REMINDER_TEXTS: Final = {
    "day_before": _("Reminder: service {register_no} ({agency}), step «{step}» is due on "
                    "{due}."),
    "due_day": _("Reminder: service {register_no} ({agency}), step «{step}» is due today, "
                 "{due}."),
    "overdue": _("Overdue: service {register_no} ({agency}), step «{step}» was due {due}."),
}
# A step the Rules give no term (the protocol, 002 p.8): its date is the center's own
# target, and missing it is no breach of the Rules.
TARGET_TEXTS: Final = {
    "day_before": _("Reminder: service {register_no} ({agency}), step «{step}»: the "
                    "center's own target is {due} (the Rules set this step no term)."),
    "due_day": _("Reminder: service {register_no} ({agency}), step «{step}»: the center's "
                 "own target is today, {due} (the Rules set this step no term)."),
    "overdue": _("Past the center's own target: service {register_no} ({agency}), step "
                 "«{step}» was aimed at {due}. The Rules set this step no term: it is not "
                 "overdue."),
}
LIVE_TEXT: Final = _("Service {register_no} ({agency}) is now live: citizens get its answers.")
STEP_TITLES: Final = {
    "request_sent": _("request sent to the agency"),
    "responsible_appointed": _("responsible person appointed"),
    "information_provided": _("information submitted"),
    "training_held": _("training held"),
    "protocol_signed": _("protocol signed"),
    "live": _("service live"),
    "update_provided": _("updated information submitted"),
    "update_accepted": _("update accepted"),
    "update_started": _("update opened: the act changed"),
    "update_returned": _("update returned for correction"),
    "responsible_replaced": _("responsible person replaced"),
    "responsible_left": _("responsible person left, nobody named yet"),
    "question": _("operator's question on the draft"),
    "questions_sent": _("questions sent to the agency"),
    "protocol_confirmed": _("protocol signed by one side"),
    "started": _("case opened"),
    "closed": _("case closed"),
}
# The columns of `ucc onboarding status` and `history`, in the reader's language.
STATUS_COLUMNS: Final = (_("Service"), _("Due"), _("Step awaited"), _("Time left"),
                         _("Agency"))
HISTORY_COLUMNS: Final = (_("Done on"), _("Step"), _("Due"), _("Timeliness"),
                          _("Recorded by"))
ON_TIME: Final = _("on time")
NEW_PERSON_DUE: Final = _("the new person is due: {due}")
# Who recorded a step, by role ("admin:Айгүл" is recorded; people read the role's name).
ROLE_TITLES: Final = {"admin": _("administrator"), "operator": _("operator"),
                      "agency": _("agency staff")}
BY_ITSELF: Final = _("the bot, by itself")  # a step the scheduler recorded
MACHINE_ACTORS: Final = ("scheduler", "system", "router")
