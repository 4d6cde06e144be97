"""The complaint intake as a state machine, the same on every channel.

Given the draft so far and the citizen's reply, ``advance`` says what comes next: the
step to ask, its options (numbered from 1 in the order given, so an SMS reply "2" picks the
second; "0" or a cancel word cancels), and why a reply was not taken. The steps: the service
(described in words and picked among the engine's candidates, or "don't know"), the region,
the nature, what happened, the applicant's full name, and the consent to process personal
data. Nothing here touches storage; the channel renders each step's texts by its key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any, Final

from knowledge.complaints.categories import NATURE_BY_CODE, NATURES, REGION_BY_CODE, REGIONS
from knowledge.complaints.recognise import is_complaint_word
from knowledge.model import Lang


class Step(StrEnum):
    SERVICE = "service"  # describe the service in words, or "don't know"
    SERVICE_PICK = "service_pick"  # one of the engine's candidates
    REGION = "region"
    NATURE = "nature"
    CONTENT = "content"  # what happened, in the citizen's words
    APPLICANT = "applicant"  # full name
    CONSENT = "consent"  # to process personal data
    DONE = "done"  # every answer given and consented: ready to register


# The interface choices (their labels are interface texts, rendered by the channel).
DONT_KNOW: Final = "dk"
AGREE: Final = "agree"
CANCEL: Final = "cancel"
MIN_CONTENT: Final = 10  # characters: "плохо" tells the agency nothing
MAX_TEXT: Final = 2000
MAX_CANDIDATES: Final = 5
MIN_DESCRIPTION: Final = 8  # characters left of "жалоба на …" worth a search for the service
CANCEL_WORDS: Final = frozenset({
    "0", "/cancel", "cancel", "отмена", "отменить", "стоп", "бас тарту", "тоқтату", "токтату",
    "болдырмау",
})
AGREE_WORDS: Final = frozenset({
    "да", "согласен", "согласна", "иә", "ия", "иа", "келісемін", "келісімін", "yes",
})


class Problem(StrEnum):
    NOT_A_CHOICE = "not_a_choice"  # a number or a button that is not (or no longer) offered
    SERVICE_NOT_FOUND = "service_not_found"
    TOO_SHORT = "too_short"
    FULL_NAME = "full_name"
    CONSENT_NEEDED = "consent_needed"


@dataclass(frozen=True, slots=True)
class ServiceOption:
    register_no: str
    name: str  # in the draft's language


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str | None = None  # a data text (a region, a service); None: an interface choice


@dataclass(frozen=True, slots=True)
class Draft:
    lang: Lang
    step: Step = Step.SERVICE
    register_no: str | None = None
    service_name: str | None = None
    offered: tuple[ServiceOption, ...] = ()
    region: str | None = None
    nature: str | None = None
    content: str | None = None
    applicant: str | None = None

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["offered"] = [asdict(option) for option in self.offered]
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Draft:
        fields = dict(data)
        fields["step"] = Step(fields.get("step", Step.SERVICE))
        fields["offered"] = tuple(ServiceOption(**o) for o in fields.get("offered", ()))
        return cls(**fields)


@dataclass(frozen=True, slots=True)
class Prompt:
    step: Step
    options: tuple[Option, ...] = ()
    problem: Problem | None = None

    def numbered(self) -> list[tuple[int, Option]]:
        """The options as an SMS shows them: 1, 2, … (cancel is always "0" as well)."""
        return list(enumerate(self.options, 1))


@dataclass(frozen=True, slots=True)
class Outcome:
    draft: Draft | None  # None: cancelled
    prompt: Prompt | None = None  # None: cancelled, or done (``draft.step`` is DONE)
    cancelled: bool = field(default=False)

    @property
    def done(self) -> bool:
        return self.draft is not None and self.draft.step == Step.DONE


@dataclass(frozen=True, slots=True)
class Reply:
    """What the citizen sent: a typed text, or the value of a pressed button."""

    text: str = ""
    choice: str | None = None


Finder = Callable[[str, Lang], Sequence[ServiceOption]]


def options_for(draft: Draft) -> tuple[Option, ...]:
    cancel = Option(CANCEL)
    match draft.step:
        case Step.SERVICE:
            return (Option(DONT_KNOW), cancel)
        case Step.SERVICE_PICK:
            return (*(Option(s.register_no, s.name) for s in draft.offered), Option(DONT_KNOW),
                    cancel)
        case Step.REGION:
            return (*(Option(r.code, r.name(draft.lang)) for r in REGIONS), cancel)
        case Step.NATURE:
            return (*(Option(n.code, n.name(draft.lang)) for n in NATURES), cancel)
        case Step.CONSENT:
            return (Option(AGREE), cancel)
        case Step.DONE:
            return ()
        case _:  # free text: only cancel
            return (cancel,)


def prompt_for(draft: Draft, problem: Problem | None = None) -> Prompt:
    return Prompt(draft.step, options_for(draft), problem)


def begin(lang: Lang, find: Finder, text: str | None = None) -> Outcome:
    """A new draft. A text that already names the service ("жалоба: в ЦОНе требуют справку
    для паспорта") goes straight to the choice among its services."""
    draft = Draft(lang)
    described = " ".join(w for w in (text or "").split() if not is_complaint_word(w))
    if len(described) >= MIN_DESCRIPTION:
        offered = tuple(find(described, lang))[:MAX_CANDIDATES]
        if offered:
            draft = replace(draft, step=Step.SERVICE_PICK, offered=offered)
    return Outcome(draft, prompt_for(draft))


def _clean(text: str) -> str:
    return " ".join(text.split())[:MAX_TEXT]


def _chosen(options: tuple[Option, ...], reply: Reply) -> Option | None:
    """The option a button or a typed number or label picks (None: the reply picks none)."""
    if reply.choice is not None:
        return next((o for o in options if o.value == reply.choice), None)
    text = _clean(reply.text).casefold()
    if text.isdigit():
        n = int(text)
        return options[n - 1] if 1 <= n <= len(options) else None
    labelled = [o for o in options if o.label and o.label.casefold() == text]
    if not labelled and len(text) >= 3:  # noqa: PLR2004 - "Астана" picks "Астана қаласы"
        labelled = [o for o in options if o.label and text in o.label.casefold()]
    return labelled[0] if len(labelled) == 1 else None


def _is_cancel(reply: Reply) -> bool:
    if reply.choice is not None:
        return reply.choice == CANCEL
    return _clean(reply.text).casefold() in CANCEL_WORDS


def advance(draft: Draft, reply: Reply, find: Finder) -> Outcome:
    """The next step after the citizen's reply, or the same step with the problem."""
    if _is_cancel(reply):
        return Outcome(None, cancelled=True)
    options = options_for(draft)
    chosen = _chosen(options, reply) if len(options) > 1 else None
    if chosen is not None and chosen.value == CANCEL:
        return Outcome(None, cancelled=True)
    nxt, problem = _next(draft, reply, chosen, find)
    if nxt is None:
        return Outcome(draft, prompt_for(draft, problem))
    return Outcome(nxt, None if nxt.step == Step.DONE else prompt_for(nxt, problem))


# The draft after a reply (None: the step stays), and what was wrong with the reply.
_Next = tuple[Draft | None, Problem | None]


def _next(draft: Draft, reply: Reply, chosen: Option | None, find: Finder) -> _Next:
    text = _clean(reply.text)
    match draft.step:
        case Step.SERVICE | Step.SERVICE_PICK:
            return _next_service(draft, reply, chosen, text, find)
        case Step.REGION:
            if chosen is not None and chosen.value in REGION_BY_CODE:
                return replace(draft, step=Step.NATURE, region=chosen.value), None
            return None, Problem.NOT_A_CHOICE
        case Step.NATURE:
            if chosen is not None and chosen.value in NATURE_BY_CODE:
                return replace(draft, step=Step.CONTENT, nature=chosen.value), None
            return None, Problem.NOT_A_CHOICE
        case _:
            return _next_text(draft, chosen, text)


def _next_service(
    draft: Draft, reply: Reply, chosen: Option | None, text: str, find: Finder
) -> _Next:
    """A service picked ("don't know" too), or described in words to search for."""
    if chosen is not None and chosen.value == DONT_KNOW:
        return replace(draft, step=Step.REGION, register_no=None, service_name=None,
                       offered=()), None
    if chosen is not None:
        return replace(draft, step=Step.REGION, register_no=chosen.value,
                       service_name=chosen.label, offered=()), None
    if reply.choice is None and text and not text.isdigit():
        offered = tuple(find(text, draft.lang))[:MAX_CANDIDATES]
        if offered:
            return replace(draft, step=Step.SERVICE_PICK, offered=offered), None
        return replace(draft, step=Step.SERVICE, offered=()), Problem.SERVICE_NOT_FOUND
    return None, Problem.NOT_A_CHOICE


def _next_text(draft: Draft, chosen: Option | None, text: str) -> _Next:
    """The steps answered in words: what happened, the name, the consent."""
    match draft.step:
        case Step.CONTENT:
            if len(text) >= MIN_CONTENT:
                return replace(draft, step=Step.APPLICANT, content=text), None
            return None, Problem.TOO_SHORT
        case Step.APPLICANT:
            if _full_name(text):
                return replace(draft, step=Step.CONSENT, applicant=text), None
            return None, Problem.FULL_NAME
        case Step.CONSENT:
            if (chosen is not None and chosen.value == AGREE) or text.casefold() in AGREE_WORDS:
                return replace(draft, step=Step.DONE), None
            return None, Problem.CONSENT_NEEDED
        case _:  # done: nothing more to take
            return None, None


def _full_name(text: str) -> bool:
    """At least a surname and a name, in letters (hyphens and apostrophes allowed)."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(  # noqa: PLR2004 - surname, name, patronymic…
        re.fullmatch(r"[^\W\d_][\w'’.-]*", word) for word in words)
