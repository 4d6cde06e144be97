"""What a complaint's citizen and staff read, in plain text, the same on every channel.

The intake's steps, choices and problems by their keys; the registration with the appeal
route and its dates; the agency's response passed on; the staff's announcements. Telegram
escapes and adds buttons, an SMS numbers the options (``numbered_prompt``).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from bot.texts.agencies import agency_name
from bot.texts.days import spoken_day, written_day
from bot.texts.i18n import gettext_for, marked, working_days
from knowledge.agencies import AgencyNames
from knowledge.complaints import ComplaintReminder, Draft, Prompt, Registered
from knowledge.complaints.categories import NATURE_BY_CODE, REGION_BY_CODE
from knowledge.complaints.followup import ComplaintDelivery
from knowledge.complaints.intake import AGREE, CANCEL, DONT_KNOW, Option, Problem, Step
from knowledge.model import Lang

_ = marked  # translated in the reader's language when used

STEPS: Final = {
    Step.SERVICE: _(
        "Which public service is your complaint about? Describe it in a few words (for "
        "example: «passport», «birth certificate»), or choose «I don't know»."),
    Step.SERVICE_PICK: _("Which of these services is it?"),
    Step.REGION: _("In which region did it happen?"),
    Step.NATURE: _("What is the complaint about?"),
    Step.CONTENT: _(
        "Describe what happened in one message: where and when, what was demanded or done."),
    Step.APPLICANT: _("Your surname, name and patronymic (if any), for the complaint."),
    Step.CONSENT: _(
        "To register the complaint and forward it, the contact center will process your "
        "personal data (full name, contact, the text of the complaint) and pass it to the "
        "agency concerned. Do you agree?"),
}
CHOICES: Final = {
    DONT_KNOW: _("I don't know"),
    AGREE: _("I agree: register the complaint"),
    CANCEL: _("Cancel"),
}
PROBLEMS: Final = {
    Problem.NOT_A_CHOICE: _("Please choose one of the options."),
    Problem.SERVICE_NOT_FOUND: _(
        "I could not find such a service. Describe it in other words, or choose «I don't "
        "know»."),
    Problem.TOO_SHORT: _("Please describe what happened in more detail, in a sentence or two."),
    Problem.FULL_NAME: _(
        "Please write your surname and name (and patronymic, if any) in letters."),
    Problem.CONSENT_NEEDED: _(
        "Without your consent the complaint cannot be registered. Agree, or cancel."),
}
SUMMARY: Final = _(
    "Your complaint:\nService: {service}\nRegion: {region}\nNature: {nature}\n"
    "What happened: {content}\nApplicant: {applicant}")
UNKNOWN_SERVICE: Final = _("not known")
START: Final = _(
    "A complaint about a public service. The contact center registers it and forwards it "
    "to the agency that provides the service; the agency decides. You can cancel at any "
    "step.")
CANCELLED: Final = _("The complaint is cancelled; nothing was sent.")
REGISTERED: Final = _("Your complaint is registered under No. {number}.")
# TRANSLATORS: {agency} is a name of any length and grammar: keep it after the colon, so
# that no case ending is needed ("Жолданған орган: …", "Направлена в государственный
# орган: …").
FORWARDED: Final = _("Forwarded to the agency: {agency}. Request No. {request}.")
TRIAGE: Final = _(
    "The contact center will find the agency responsible and forward it with request "
    "No. {request}.")
NOT_DECIDED: Final = _(
    "The contact center registers and forwards complaints; it does not decide them.")
# TRANSLATORS: {days}, {extension}, {notice} are terms said in full ("5 рабочих дней",
# "5 жұмыс күні"), {date} and {latest} dates written out ("29 марта 2027 г.",
# "2027 ж. 29 наурыз"): stand them where their case does not change.
AGENCY_TERM: Final = _(
    "The agency's term for the complaint: {days} from its registration, the last day "
    "{date}. It may extend the term by at most {extension} (the last day then {latest}) "
    "and must tell you of the extension; the term to tell you: {notice}.")
# TRANSLATORS: {days}, {extension} are terms said in full, {start} and {date} dates
# written out: stand them where their case does not change.
QUALITY_TERM: Final = _(
    "If you disagree with its decision, you may complain to the authorized body for the "
    "quality of public services. Its term: {days} from registering your complaint (lodged "
    "on {start}: the last day {date}); the longest extension: {extension}.")
ANSWER_COMES: Final = _("The agency's response will come here.")
REPEAT: Final = _(
    "You complained about this service recently (No. {number}): an operator will look at "
    "both complaints.")
DELIVERIES: Final = {
    "answered": _("The agency's response to your complaint {number}:\n\n{text}"),
    "overdue_status": _(
        "Your complaint {number} is still with the agency: its response is taking longer "
        "than planned. We will send it here as soon as it comes."),
    # TRANSLATORS: {days} is the extension said in full ("3 рабочих дня"), {date} the
    # new last day written out ("29 марта 2027 г.")
    "extended": _(
        "The agency has extended the term of your complaint {number}: the extension "
        "{days}, the new last day {date}. The reason given: {text}"),
}
OTHER_LANGUAGE: Final = _("(The agency answered only in the other language.)")
# For staff. The response's due day is the center's own term (policy "complaint_response":
# when it expects the agency's response to pass on); the law's term is the agency's own.
STAFF_TEXTS: Final = {
    "new": _("New complaint {number} for {agency}: request No. {request}, the response is "
             "due {due} (the center's own term). /complaint {number}"),
    "new_triage": _("New complaint {number} without an agency: forward it with /cassign "
                    "{number} AGENCY."),
    "day_before": _("Reminder: the response to complaint {number} ({agency}) is due on "
                    "{due} (the center's own term)."),
    "due_day": _("Reminder: the response to complaint {number} ({agency}) is due today, "
                 "{due} (the center's own term)."),
    "overdue": _("Past the center's own term: the response to complaint {number} "
                 "({agency}) was due {due}."),
}
STAFF_REPEAT: Final = _("A repeat appeal: the citizen complained about this service "
                        "recently ({number}).")


def day(value: date, lang: Lang) -> str:
    """A date in a citizen's text, written out by Babel ("29 марта 2027 г.")."""
    return written_day(value, lang)


def option_label(option: Option, lang: Lang) -> str:
    return option.label or gettext_for(lang).gettext(CHOICES[option.value])


def prompt_text(prompt: Prompt, draft: Draft) -> str:
    """The step's question, after the problem with the last reply (if any)."""
    tr = gettext_for(draft.lang).gettext
    parts = [tr(PROBLEMS[prompt.problem])] if prompt.problem is not None else []
    if prompt.step == Step.CONSENT:
        region = REGION_BY_CODE[draft.region or ""].name(draft.lang)
        nature = NATURE_BY_CODE[draft.nature or ""].name(draft.lang)
        parts.append(tr(SUMMARY).format(
            service=draft.service_name or tr(UNKNOWN_SERVICE), region=region, nature=nature,
            content=draft.content or "", applicant=draft.applicant or ""))
    parts.append(tr(STEPS[prompt.step]))
    return "\n\n".join(parts)


def numbered_prompt(prompt: Prompt, draft: Draft) -> str:
    """The step as an SMS shows it: the options numbered, a reply "2" picks the second."""
    lines = [prompt_text(prompt, draft)]
    lines += [f"{n}. {option_label(option, draft.lang)}" for n, option in prompt.numbered()]
    return "\n".join(lines)


def registered_text(registered: Registered, lang: Lang) -> str:
    tr = gettext_for(lang).gettext
    route = registered.route
    lines = [tr(REGISTERED).format(number=registered.number)]
    if registered.agency_code is not None:
        lines.append(tr(FORWARDED).format(
            agency=registered.agency_name.get(lang) or registered.agency_code,
            request=registered.request_no))
    else:
        lines.append(tr(TRIAGE).format(request=registered.request_no))
    lines.append(tr(NOT_DECIDED))
    lines.append(tr(AGENCY_TERM).format(
        days=working_days(route.agency_days, lang), date=day(route.agency_by, lang),
        extension=working_days(route.extension_days, lang),
        latest=day(route.agency_extended_by, lang),
        notice=working_days(route.notice_days, lang)))
    lines.append(tr(QUALITY_TERM).format(
        days=working_days(route.quality_body_days, lang), start=day(route.agency_by, lang),
        date=day(route.quality_body_by, lang),
        extension=working_days(route.extension_days, lang)))
    if registered.repeat_of is not None:
        lines.append(tr(REPEAT).format(number=registered.repeat_of))
    lines.append(tr(ANSWER_COMES))
    return "\n\n".join(lines)


# TRANSLATORS: to the agency's staff; "1" is what the citizen replies for the next part
SMS_IN_PARTS: Final = _(
    "Your response to complaint {number} was too long for one SMS ({max_parts} SMS "
    "segments at most): the applicant, who complained by SMS, got its first part and gets "
    "each next one by replying 1 ({parts} messages in all). For SMS, a short response "
    "reaches them at once.")


def delivery_text(delivery: ComplaintDelivery) -> str:
    tr = gettext_for(delivery.lang).gettext
    text = delivery.text or ""
    if delivery.text_lang is not None and delivery.text_lang != delivery.lang:
        text = f"{text}\n\n{tr(OTHER_LANGUAGE)}"
    return tr(DELIVERIES[delivery.kind]).format(
        number=delivery.number, text=text,
        days=working_days(delivery.days, delivery.lang) if delivery.days else "",
        date=day(delivery.due_on, delivery.lang) if delivery.due_on else "")


def staff_text(reminder: ComplaintReminder, names: AgencyNames) -> str:
    """The announcement or reminder in Kazakh, then Russian (staff's language is unknown),
    the agency by its name in each."""
    key = "new_triage" if reminder.kind == "new" and reminder.agency_code is None \
        else reminder.kind
    parts = []
    for lang in ("kk", "ru"):
        tr = gettext_for(lang).gettext
        text = tr(STAFF_TEXTS[key]).format(
            number=reminder.number, agency=agency_name(reminder.agency_code, names, lang),
            request=reminder.request_no,
            due=spoken_day(reminder.due_on, lang) if reminder.due_on else "—")
        if reminder.repeat_of is not None and reminder.kind == "new":
            text += "\n" + tr(STAFF_REPEAT).format(number=reminder.repeat_of)
        parts.append(text)
    return "\n\n".join(parts)
