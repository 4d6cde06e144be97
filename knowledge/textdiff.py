"""Two versions of a text, word by word: what stayed, what went, what came (a proposal's
diff, rendered by the console as ``<del>``/``<ins>``)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Final, Literal

Op = Literal["same", "del", "ins"]
_TOKENS: Final = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Piece:
    op: Op
    text: str


def word_diff(old: str | None, new: str | None) -> list[Piece]:
    """The pieces that turn ``old`` into ``new``, whitespace kept (so the text reads as
    written); an absent text is empty."""
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(pieces, "same", "".join(before[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _add(pieces, "del", "".join(before[i1:i2]))
        if tag in ("insert", "replace"):
            _add(pieces, "ins", "".join(after[j1:j2]))
    return pieces


def _add(pieces: list[Piece], op: Op, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].op == op:
        pieces[-1] = Piece(op, pieces[-1].text + text)
    else:
        pieces.append(Piece(op, text))


def changed(pieces: list[Piece]) -> bool:
    return any(piece.op != "same" for piece in pieces)
