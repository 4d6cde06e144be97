"""Plain domain objects: what the knowledge base holds and what the engine decides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final, Literal

Lang = Literal["kk", "ru"]
LANGS: Final[tuple[Lang, Lang]] = ("kk", "ru")

# Sections of a service standard, in the order a card is shown (001 p.10).
CARD_SECTIONS: Final = (
    "provider", "term", "form", "result", "fee", "schedule", "documents",
    "refusal_grounds", "appeal", "where", "contacts", "other",
)


def bilingual(kk: str | None, ru: str | None) -> dict[str, str]:
    """A ``{kk, ru}`` text from two columns, keeping only the languages present (kk first)."""
    return {lang: text for lang, text in (("kk", kk), ("ru", ru)) if text is not None}


def other_lang(lang: Lang) -> Lang:
    return "ru" if lang == "kk" else "kk"


class ServiceState(StrEnum):
    """Only live services answer citizens; onboarding moves a service to live."""

    DRAFT = "draft"
    LIVE = "live"


class Decision(StrEnum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    ESCALATE = "escalate"


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    register_no: str
    agency: str
    name: Mapping[str, str]
    keywords: Mapping[str, Sequence[str]] = field(default_factory=dict)
    card: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    id: int = 0  # the database id, for buttons (0 when not stored)


@dataclass(frozen=True, slots=True)
class EntryInfo:
    key: str
    service: ServiceInfo
    questions: Mapping[str, Sequence[str]]
    answer: Mapping[str, str]
    id: int = 0  # the database id, for buttons (0 when not stored)

    def answer_in(self, lang: Lang) -> tuple[Lang, str]:
        """The answer in ``lang``, or in the other language when this one is missing."""
        if self.answer.get(lang):
            return lang, self.answer[lang]
        other = other_lang(lang)
        return other, self.answer[other]

    def title(self, lang: Lang) -> str:
        """The entry's first question in ``lang`` (or the other language): its name in a
        list to pick from."""
        for code in (lang, other_lang(lang)):
            questions = self.questions.get(code)
            if questions:
                return questions[0]
        return self.key


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: str
    score: float


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    """A question the engine could not answer, kept verbatim for operators."""

    id: int
    text: str
    lang: str
    channel: str
    created_at: datetime
    candidates: tuple[Candidate, ...]
    original_length: int | None = None  # over the length limit: ``text`` is its beginning
    gap: bool = False  # out of the base's scope: no service covers what it asks


@dataclass(frozen=True, slots=True)
class Answer:
    """The engine's verdict on one question: never text, the channels render it."""

    decision: Decision
    lang: Lang
    entry: str | None
    score: float
    candidates: tuple[Candidate, ...]
    # Why nothing could be matched at all ("empty", "no_words"), for a polite reply.
    reason: str | None = None
    # The best candidate's service is known as surely as an answer needs (whichever of its
    # entries): only then may a question nobody answered go to that service's agency.
    service_identified: bool = False
