"""How long a message may be.

A citizen's message over the limit is not matched (no question is that long, and matching
one would hold the engine): the citizen is asked to write briefly, and what is kept of it
— conversation log, stored update, unanswered question — is its first ``max_chars``
characters with its original length, so nothing is dropped unseen. An agency's answer
must fit what the channels deliver: one Telegram message (4,096 characters) with the
reference and the question's heading around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

QUESTION_MAX_CHARS: Final = 2000  # a citizen's message (UCC_MESSAGE_MAX_CHARS)
ANSWER_MAX_CHARS: Final = 3500  # a reply to an escalation in one language (Telegram's limit)


@dataclass(frozen=True, slots=True)
class TooLong:
    """A message over the limit: its length and the limit, for the polite reply."""

    length: int
    limit: int


def over_limit(text: str, max_chars: int) -> TooLong | None:
    """``TooLong`` when ``text`` has more than ``max_chars`` characters, else None."""
    return TooLong(len(text), max_chars) if len(text) > max_chars else None


def kept(text: str, max_chars: int | None) -> tuple[str, int | None]:
    """What is stored of a message: its first ``max_chars`` characters, and its original
    length when it was cut (None: kept whole)."""
    if max_chars is None or len(text) <= max_chars:
        return text, None
    return text[:max_chars], len(text)


def cut(text: str, max_chars: int) -> str:
    """The first ``max_chars`` characters (a stored update's texts, its length flagged in
    the conversation log)."""
    return text[:max_chars]
