"""What an SMS says: the domain's turn rendered through gettext and fitted into the SMS
limit (``UCC_SMS_MAX_PARTS`` UCS-2 segments). A status inquiry and a complaint's steps use
the same texts as Telegram (``bot.texts.status``, ``bot.texts.complaints``), shortened where
an SMS cannot carry them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.texts.complaints import (
    CANCELLED,
    PROBLEMS,
    REPEAT,
    STEPS,
    day,
    option_label,
    prompt_text,
)
from bot.texts.i18n import gettext_for, marked, working_days
from bot.texts.length import too_long_text
from bot.texts.scope import out_of_scope_text
from bot.texts.small_talk import small_talk_text
from bot.texts.status import render_status
from knowledge.choices import service_labels, shorten_words
from knowledge.complaints import Draft, IntakeTurn, Prompt, Registered, Step
from knowledge.complaints.intake import CANCEL
from knowledge.complaints.lodging import NAME_IN_LOG
from knowledge.model import EntryInfo, Lang
from knowledge.sms.dialogue import Kind, SmsTurn
from knowledge.sms.segments import fit, fits, join, shorten, split
from knowledge.sms.state import MenuItem
from knowledge.status import Reply, StatusAnswer

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
# TRANSLATORS: the last line of an SMS whose text goes on: the citizen replies 1 for the
# next part (Russian "1 — продолжение", Kazakh "1 — жалғасы")
CONTINUED: Final = _("1 — continued")
CLARIFY: Final = _("Which question? Reply with its number:")
NONE_OF_THESE: Final = _("0 none: pass to a person")
# TRANSLATORS: a choice among questions of several services, e.g. "Сколько стоит?
# (адресной справки)"; {service} is the service's name in short
CHOICE: Final = _("{question} (service: {service})")
SERVICE_MIN: Final = 12  # characters of a service's short name an SMS option keeps at least
ESCALATED: Final = _(
    "We could not find an answer. Your question has been passed to the agency, reference "
    "{reference}. The answer will come by SMS."
)
# TRANSLATORS: the question waits in the operators' triage: no agency has it yet. The
# reference comes first: the first sentence must fit one SMS segment (70 characters).
TRIAGED: Final = _(
    "Question {reference} has been passed to the contact center's staff. The answer will "
    "come by SMS."
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
# TRANSLATORS: «cancel» is the word the citizen may write; keep it as in the longer text
# "To tell the stage of application {number}, I need the applicant's IIN…".
SMS_ASK_IIN: Final = _(
    "Application {number}: send the applicant's IIN (12 digits). It is only checked, never "
    "stored. To stop, write «cancel»."
)
# TRANSLATORS: before the first step of a complaint by SMS.
COMPLAINT_INTRO: Final = _("A complaint: answer each step; 0 cancels at any step.")
SMS_REGION: Final = _(
    "In which region did it happen? Write its name, for example: Astana, Karaganda region."
)
# The consent when the summary does not fit: what must be said (whose data, what is done
# with it, to whom it goes) and the question, whole, never cut with "…".
# TRANSLATORS: with the reply line ("1 yes, 0 cancel") it must fit two SMS: at most 134
# characters in all, the line break included.
SMS_CONSENT: Final = _(
    "To register the complaint, the contact center will process your full name, phone and "
    "complaint and pass them to the agency. Do you agree?"
)
# TRANSLATORS: the consent in one SMS: with the reply line at most 70 characters in all.
SMS_CONSENT_SHORT: Final = _("Pass your full name, phone and complaint to the agency?")
# TRANSLATORS: the replies to the consent: "1" agrees, "0" cancels the complaint.
SMS_CONSENT_REPLY: Final = _("1 yes, 0 cancel")
# TRANSLATORS: the cancel option of a complaint step by SMS (the reply "0").
SMS_CANCEL: Final = _("0 cancel")
# TRANSLATORS: {agency} is a name of any length and grammar: keep it after the colon
# ("Жолданған орган: …", "Направлена в государственный орган: …").
SMS_REGISTERED: Final = _(
    "Your complaint is registered under No. {number}. Forwarded to the agency: {agency}. "
    "Request No. {request}. The contact center forwards complaints; the agency decides."
)
SMS_TRIAGE: Final = _(
    "Your complaint is registered under No. {number}, request No. {request}. The contact "
    "center will find the agency responsible and forward it; the agency decides."
)
# TRANSLATORS: {days}, {quality_days} are terms said in full ("5 рабочих дней"), {date}
# and {latest} dates written out: stand them where their case does not change.
SMS_ROUTE: Final = _(
    "Complaint {number}: the agency's term is {days}, the last day {date} (if extended, "
    "{latest}). If you disagree, appeal to the body for the quality of public services: "
    "its term is {quality_days}."
)
SMS_ANSWER_COMES: Final = _("The response will come by SMS.")
SIMPLE: Final = {
    Kind.WORDS: WORDS, Kind.NO_CHOICE: NO_CHOICE, Kind.STOPPED: STOPPED,
    Kind.STARTED: STARTED, Kind.HELP: HELP, Kind.QUOTA: QUOTA,
}


def replies(turn: SmsTurn, max_parts: int) -> list[str]:
    """The SMS to send, in order: one, none (silence), or two (a registered complaint: its
    number, then its appeal route)."""
    if turn.kind == Kind.COMPLAINT and turn.intake is not None \
            and turn.intake.registered is not None:
        return registered_sms(turn.intake.registered, turn.lang, max_parts)
    text = render(turn, max_parts)
    return [] if text is None else [text]


def continued(text: str, lang: Lang, max_parts: int) -> tuple[str, str]:
    """A text too long for one SMS: its first part, ending "1 — continued", and the rest
    (empty when it fits whole)."""
    return split(text, max_parts, more=gettext_for(lang).gettext(CONTINUED))


def parts_of(text: str, lang: Lang, max_parts: int) -> int:
    """How many SMS replies ``text`` takes when sent in parts."""
    count, rest = 0, text
    while rest:
        _first, rest = continued(rest, lang, max_parts)
        count += 1
    return max(count, 1)


def render(turn: SmsTurn, max_parts: int) -> str | None:
    """The reply to send, or None when nothing is to be sent."""
    tr = gettext_for(turn.lang).gettext
    if turn.kind == Kind.SILENT:
        return None
    if turn.kind == Kind.MORE and turn.more_text is not None:
        return continued(turn.more_text, turn.lang, max_parts)[0]
    if turn.kind == Kind.STATUS and turn.status is not None:
        return status_text(turn.status, max_parts)
    if turn.kind == Kind.COMPLAINT and turn.intake is not None:
        return intake_text(turn.intake, max_parts, started=turn.intake_started)
    if turn.kind == Kind.TOO_LONG and turn.too_long is not None:
        return fit(too_long_text(turn.too_long, turn.lang), max_parts)
    if turn.kind == Kind.SMALL_TALK and turn.talk is not None:
        return fit(small_talk_text(turn.talk, turn.lang), max_parts)
    if turn.kind == Kind.OUT_OF_SCOPE:
        return fit(out_of_scope_text(turn.lang), max_parts)
    if turn.kind in SIMPLE:
        return fit(tr(SIMPLE[turn.kind]), max_parts)
    if turn.kind == Kind.ESCALATED:
        passed = ESCALATED if turn.to_agency else TRIAGED
        return fit(tr(passed).format(reference=turn.reference), max_parts)
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
    labels = service_labels(choices, lang)
    text = ""
    for budget in range(80, 9, -5):
        lines = [f"{n}. {_option(shorten(t, budget), label, budget, lang)}"
                 for n, (t, label) in enumerate(zip(titles, labels, strict=True), 1)]
        text = join(tr(CLARIFY), *lines, tr(NONE_OF_THESE))
        if fits(text, max_parts):
            return text
    return fit(text, max_parts)


def _option(title: str, label: str | None, budget: int, lang: Lang) -> str:
    """A numbered question, with its service in short when the options span services."""
    if label is None:
        return title
    service = shorten_words(label, max(SERVICE_MIN, budget // 2))
    return gettext_for(lang).gettext(CHOICE).format(question=title, service=service)


def apology(lang: Lang, max_parts: int) -> str:
    return fit(gettext_for(lang).gettext(APOLOGY), max_parts)


def status_text(answer: StatusAnswer, max_parts: int) -> str:
    """The status reply; the request for the IIN in short when the whole does not fit (its
    way to stop would be cut)."""
    text = render_status(answer)
    if answer.reply == Reply.ASK_IIN and not fits(text, max_parts):
        text = gettext_for(answer.lang).gettext(SMS_ASK_IIN).format(number=answer.number)
    return fit(text, max_parts)


def loggable(turn: SmsTurn, text: str) -> str:
    """What the conversation log keeps of a reply: the applicant's name (repeated in the
    summary before the consent) as a placeholder."""
    draft = turn.intake.draft if turn.intake is not None else None
    if draft is not None and draft.applicant:
        return text.replace(draft.applicant, NAME_IN_LOG)
    return text


def intake_text(turn: IntakeTurn, max_parts: int, *, started: bool = False) -> str:
    """A complaint's step (or its cancellation) as one SMS."""
    tr = gettext_for(turn.lang).gettext
    if turn.cancelled or turn.prompt is None or turn.draft is None:
        return fit(tr(CANCELLED), max_parts)
    text = complaint_prompt(turn.prompt, turn.draft, max_parts)
    with_intro = join(tr(COMPLAINT_INTRO), text)
    return with_intro if started and fits(with_intro, max_parts) else text


def complaint_prompt(prompt: Prompt, draft: Draft, max_parts: int) -> str:
    """The step with its options numbered as ``numbered_prompt`` numbers them, cancel as
    "0", when that fits; else the question alone with the options in one line ("1 — …,
    2 — …, 0 — cancel"), their labels shortened as much as needed, and the region asked
    by its name."""
    tr = gettext_for(draft.lang).gettext
    options = [(n, option_label(option, draft.lang)) for n, option in prompt.numbered()
               if option.value != CANCEL]
    full = join(prompt_text(prompt, draft), *(f"{n}. {label}" for n, label in options),
                tr(SMS_CANCEL))
    if fits(full, max_parts):
        return full
    problem = tr(PROBLEMS[prompt.problem]) if prompt.problem is not None else ""
    if prompt.step == Step.CONSENT:
        return consent_prompt(problem, draft.lang, max_parts)
    question = SMS_REGION if prompt.step == Step.REGION else STEPS.get(prompt.step, "")
    body = join(problem, tr(question))
    if prompt.step == Step.REGION:
        options = []
    footer = ""
    for budget in range(60, 9, -5):
        footer = ", ".join([*(tr(OPTION).format(number=n, section=shorten(label, budget))
                              for n, label in options), tr(SMS_CANCEL)])
        if fits(join(body, footer), max_parts):
            break
    return fit(body, max_parts, footer=footer)


def consent_prompt(problem: str, lang: Lang, max_parts: int) -> str:
    """The consent without the summary, whole: the longest wording that fits with its
    reply line, after the problem with the last reply when there is room for it (the
    problem alone asks to agree or cancel)."""
    tr = gettext_for(lang).gettext
    reply, long, short = tr(SMS_CONSENT_REPLY), tr(SMS_CONSENT), tr(SMS_CONSENT_SHORT)
    for text in (join(problem, long), join(problem, short), problem, long, short):
        if text and fits(join(text, reply), max_parts):
            return join(text, reply)
    return fit(short, max_parts, footer=reply)


def registered_sms(registered: Registered, lang: Lang, max_parts: int) -> list[str]:
    """The complaint's number and where it went, then its appeal route with the dates."""
    tr = gettext_for(lang).gettext
    route = registered.route
    if registered.agency_code is not None:
        first = tr(SMS_REGISTERED).format(
            number=registered.number, request=registered.request_no,
            agency=registered.agency_name.get(lang) or registered.agency_code)
    else:
        first = tr(SMS_TRIAGE).format(number=registered.number, request=registered.request_no)
    if registered.repeat_of is not None:
        first = join(first, tr(REPEAT).format(number=registered.repeat_of))
    second = tr(SMS_ROUTE).format(
        number=registered.number, days=working_days(route.agency_days, lang),
        date=day(route.agency_by, lang), latest=day(route.agency_extended_by, lang),
        quality_days=working_days(route.quality_body_days, lang))
    comes = tr(SMS_ANSWER_COMES)  # after the route, or else the number, where it fits
    if fits(join(second, comes), max_parts):
        second = join(second, comes)
    elif fits(join(first, comes), max_parts):
        first = join(first, comes)
    return [fit(first, max_parts), fit(second, max_parts)]
