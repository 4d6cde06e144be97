"""A problem of refused input, told in the reader's language.

The domain names where a problem is (a cell such as ``faq!B2``, a JSON path, ``$`` for the
whole file) and what it is, as an English message id with named fields; a handler renders
it through gettext, so an agency's person reads it in Kazakh or Russian, with the cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def marked(message: str) -> str:
    """Mark a text for extraction (``_ = marked``): a problem's message id, or a module-level
    text of the bot; it is translated when shown, in the reader's language."""
    return message


@dataclass(frozen=True, slots=True)
class Problem:
    where: str
    message: str  # a gettext message id; the data goes in ``fields``, never in the id
    fields: tuple[tuple[str, str | int], ...] = ()

    @classmethod
    def at(cls, where: str, message: str, **fields: str | int) -> Problem:
        return cls(where, message, tuple(fields.items()))

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        """``where: message``, the message translated by ``gettext`` (English without)."""
        message = gettext(self.message) if gettext is not None else self.message
        return f"{self.where}: {message.format(**dict(self.fields))}"

    def __str__(self) -> str:
        return self.render()
