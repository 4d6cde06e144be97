"""The decision rule: answer only when confident and clearly ahead, else clarify or escalate.

Like Rasa's ambiguity threshold and QnA Maker's confidence score: a best candidate that
is good but not clearly better than the next is a question for the citizen, not a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from knowledge.model import Candidate, Decision

MAX_CHOICES: Final = 5
EPSILON: Final = 1e-9  # scores are rounded floats; a tie with a threshold counts


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Calibrated on the dev set by ``scripts/eval``; overridable in settings."""

    answer_min: float = 0.3  # the best must score at least this to be answered
    answer_margin: float = 0.06  # and lead the second by at least this
    clarify_min: float = 0.15  # candidates below this are never offered
    clarify_band: float = 0.3  # candidates offered are within this of the best


def decide(
    ranked: Sequence[Candidate], thresholds: Thresholds
) -> tuple[Decision, Candidate | None, tuple[Candidate, ...]]:
    """(decision, answered candidate or None, candidates to show) for scores best first."""
    if not ranked or ranked[0].score < thresholds.clarify_min:
        return Decision.ESCALATE, None, tuple(ranked[:MAX_CHOICES])
    best = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    lead = best.score - second
    if best.score >= thresholds.answer_min and lead >= thresholds.answer_margin - EPSILON:
        return Decision.ANSWER, best, tuple(ranked[:MAX_CHOICES])
    close = tuple(
        c for c in ranked[:MAX_CHOICES]
        if c.score >= thresholds.clarify_min
        and best.score - c.score <= thresholds.clarify_band + EPSILON
    )
    return Decision.CLARIFY, None, close
