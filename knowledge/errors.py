"""The domain's exception family: callers catch these, never bare ``Exception``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from knowledge.problems import Problem


class KnowledgeError(Exception):
    """Base of every error the domain raises on purpose.

    ``str(exc)`` is English (the CLI prints it, the logs keep it). An error people can meet
    on a page is made with ``said``: it also keeps its message id (marked for extraction)
    and the fields, so a page shows it in the reader's language (``told``)."""

    message: str | None = None
    fields: dict[str, object] = {}  # noqa: RUF012 - read only; ``said`` sets its own

    @classmethod
    def said(cls, message: str, **fields: object) -> Self:
        """The error of ``message`` (an English message id, marked by the caller) with
        ``fields`` put in."""
        exc = cls(message.format(**fields))
        exc.message = message
        exc.fields = dict(fields)
        return exc

    def told(self, gettext: Callable[[str], str]) -> str | None:
        """The message in the language of ``gettext``; None when the error has no id."""
        if self.message is None:
            return None
        return gettext(self.message).format(**self.fields)


class InvalidPack(KnowledgeError):
    """A knowledge pack (or a filled template) that must be refused whole; ``problems`` name
    each JSON path or cell, to be rendered in the reader's language."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the knowledge pack")


class InvalidInput(KnowledgeError):
    """A request that cannot be processed as given (e.g. a malformed batch line)."""


class AlreadyDone(InvalidInput):
    """The action was done already (a button pressed twice): nothing was done again."""


class InvalidFeed(KnowledgeError):
    """Stage updates refused whole; ``problems`` name each row and column (or JSON path).
    ``forbidden``: some touch another provider's applications."""

    def __init__(self, problems: list[str], *, forbidden: bool = False) -> None:
        self.problems = problems
        self.forbidden = forbidden
        super().__init__("\n".join([*problems, f"refused: {len(problems)} problem(s); "
                                    "nothing was changed"]))
