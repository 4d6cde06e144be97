"""The domain's exception family: callers catch these, never bare ``Exception``."""

from __future__ import annotations

from knowledge.problems import Problem


class KnowledgeError(Exception):
    """Base of every error the domain raises on purpose."""


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
