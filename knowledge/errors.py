"""The domain's exception family: callers catch these, never bare ``Exception``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from knowledge.problems import Problem, marked

_ = marked


class Term(str):
    """A field of an error that is itself a message id (a status, say): ``told`` translates
    it too, so no English word is left in the reader's sentence."""

    __slots__ = ()


# the states an escalation, complaint, refusal, notice, curation item or proposal can be in
STATES: dict[str, str] = {
    "open": _("open"), "answered": _("answered"), "refused": _("refused"),
    "closed": _("closed"), "pending": _("pending"), "confirmed": _("confirmed"),
    "rejected": _("rejected"), "sent": _("sent"), "proposed": _("proposed"),
    "approved": _("approved"), "done": _("done"), "dismissed": _("dismissed"),
}


def state(status: str) -> str:
    """``status`` as a field ``told`` translates (a state it does not know stays as it is)."""
    return Term(STATES[status]) if status in STATES else status


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

    def saying(self, message: str, **fields: object) -> Self:
        """This error, its English kept, told to people as ``message`` (a marked id) with
        ``fields``: for an English text put together from parts."""
        self.message = message
        self.fields = dict(fields)
        return self

    def told(self, gettext: Callable[[str], str]) -> str | None:
        """The message in the language of ``gettext``; None when the error has no id."""
        if self.message is None:
            return None
        fields = {name: gettext(value) if isinstance(value, Term) else value
                  for name, value in self.fields.items()}
        return gettext(self.message).format(**fields)


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
