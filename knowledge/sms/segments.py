"""How long an SMS is, and fitting a text into a few of them.

Kazakh and Russian need UCS-2: one SMS carries 70 characters, a part of a multipart SMS
67 (the rest of its 140 bytes is the concatenation header). A character outside the basic
plane (an emoji) takes two units and is never split between parts.
"""

from __future__ import annotations

import re
from typing import Final

SINGLE_UCS2: Final = 70
PART_UCS2: Final = 67
ELLIPSIS: Final = "…"

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")
_SPACE = re.compile(r"\s+")
_TRAILING = " \t\n,;:—–-("


def _width(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def units(text: str) -> int:
    """UTF-16 code units: what UCS-2 counts."""
    return sum(_width(c) for c in text)


def segments(text: str) -> int:
    """How many SMS a UCS-2 text takes (an empty text is still one SMS)."""
    if units(text) <= SINGLE_UCS2:
        return 1
    parts, used = 1, 0
    for char in text:
        width = _width(char)
        if used + width > PART_UCS2:
            parts, used = parts + 1, 0
        used += width
    return parts


def fits(text: str, max_parts: int) -> bool:
    return segments(text) <= max_parts


def join(*pieces: str) -> str:
    return "\n".join(p for p in pieces if p)


def sentence_cuts(text: str) -> list[int]:
    """Where a prefix of ``text`` ends a sentence (or a line), longest first."""
    return sorted({m.start() for m in _SENTENCE_END.finditer(text)} - {0}, reverse=True)


def word_cuts(text: str) -> list[int]:
    """Where a prefix of ``text`` ends a word, longest first."""
    return sorted({m.start() for m in _SPACE.finditer(text)} - {0}, reverse=True)


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` units, cut after a whole word with "…"."""
    text = _SPACE.sub(" ", text).strip()
    if units(text) <= limit:
        return text
    for cut in word_cuts(text):
        candidate = text[:cut].rstrip(_TRAILING) + ELLIPSIS
        if candidate != ELLIPSIS and units(candidate) <= limit:
            return candidate
    return _hard_cut(text, limit)


def _hard_cut(text: str, limit: int) -> str:
    """The last resort for one word longer than the whole message."""
    out = ""
    for char in text:
        if units(out + char + ELLIPSIS) > limit:
            break
        out += char
    return out + ELLIPSIS


def fit(body: str, max_parts: int, *, footer: str = "", more: str = "") -> str:
    """``body`` then ``footer`` in at most ``max_parts`` SMS.

    When the body does not fit it is cut at the end of a sentence (a line), or failing that
    after a whole word with "…" — never inside a word — and ``more`` (how to learn the rest)
    goes before the footer.
    """
    body = body.strip()
    whole = join(body, footer)
    if fits(whole, max_parts):
        return whole
    tail = join(more, footer)
    for cut in sentence_cuts(body):
        candidate = join(body[:cut].rstrip(), tail)
        if fits(candidate, max_parts):
            return candidate
    for cut in word_cuts(body):
        head = body[:cut].rstrip(_TRAILING)
        if not head:
            continue
        candidate = join(head + ELLIPSIS, tail)
        if fits(candidate, max_parts):
            return candidate
    if not tail:
        return shorten(body, capacity(max_parts))
    return fit(tail, max_parts)  # not even a word of the body fits beside the tail


def split(body: str, max_parts: int, *, more: str) -> tuple[str, str]:
    """``body`` as one SMS of at most ``max_parts`` segments, and what is left for the
    next: the whole body and "" when it fits; else cut at the end of a sentence (a line),
    or failing that after a whole word, with ``more`` (how to ask for the rest) after it.
    Nothing is dropped: the parts, ``more`` taken off, are the body's words in order."""
    body = body.strip()
    if fits(body, max_parts):
        return body, ""
    # the longest sentence that fits, unless it leaves most of the SMS empty: then the
    # longest run of whole words (the rest follows on "1", nothing is lost either way)
    room = capacity(max_parts) - units(more)
    best = 0
    for cuts in (sentence_cuts(body), word_cuts(body)):
        best = max(best, _longest_fitting(body, cuts, more, max_parts, room))
        if units(body[:best]) * 2 >= room:
            break
    if best:
        return join(body[:best].rstrip(), more), body[best:].strip()
    head = ""  # one word longer than the whole SMS: cut inside it, as little as fits
    for char in body:
        if not fits(join(head + char, more), max_parts):
            break
        head += char
    return join(head, more), body[len(head):].strip()


def _longest_fitting(body: str, cuts: list[int], more: str, max_parts: int,
                     room: int) -> int:
    """The longest of ``cuts`` (longest first) whose prefix fits beside ``more``; 0: none.
    A prefix longer than the room is skipped unmeasured: a long answer stays quick."""
    for cut in cuts:
        head = body[:cut].rstrip()
        if cut <= room and head and fits(join(head, more), max_parts):
            return cut
    return 0


def capacity(max_parts: int) -> int:
    """Units in at most ``max_parts`` SMS (exact for texts without emoji)."""
    return SINGLE_UCS2 if max_parts <= 1 else PART_UCS2 * max_parts
