"""Telegram rendering rules: 4,096-character messages, HTML escaping of every outside text."""

from __future__ import annotations

import re
from html import escape
from typing import Final

MESSAGE_LIMIT: Final = 4096
_SENTENCE_END: Final = re.compile(r"(?<=[.!?…])\s+")


def quote(text: str) -> str:
    """Escape a knowledge-base or citizen text for parse_mode=HTML."""
    return escape(text, quote=False)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut a long text into messages at paragraph, then sentence, then word boundaries."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        candidate = piece if not current else current + piece
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current.rstrip())
            current = piece.lstrip()
    if current.strip():
        parts.append(current.rstrip())
    return [p for p in parts if p]


def _pieces(text: str, limit: int) -> list[str]:
    """Paragraphs (with their breaks); a paragraph too long is cut into sentences, then words."""
    out: list[str] = []
    for paragraph in re.split(r"(?<=\n\n)", text):
        if len(paragraph) <= limit:
            out.append(paragraph)
            continue
        for sentence in re.split(r"(?<=[.!?…] )", paragraph):
            if len(sentence) <= limit:
                out.append(sentence)
                continue
            for word in re.split(r"(?<= )", sentence):
                # a single "word" longer than a message is cut where it must be
                out.extend(word[i : i + limit] for i in range(0, len(word), limit))
    return out
