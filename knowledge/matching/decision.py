"""The decision rule: answer only when confident and clearly ahead, else clarify or escalate.

Like Rasa's ambiguity threshold and QnA Maker's confidence score: a best candidate that
is good but not clearly better than the next is a question for the citizen, not a guess.
"Clearly" depends on what the runner-up is. Another service close behind means the
service itself is in doubt, and a wrong service's answer misleads: the lead must be large.
A sibling entry of the same service close behind means only the aspect is in doubt (fee
or term); the aspect words decide it, and a small lead is enough.

A question that names the service by a word only that service's keywords use
("загранпаспорт", "ЕНПФ") leaves the service in little doubt even when the rest of a long
message matches nothing: then a lower score and a smaller lead over other services do.

The same two service conditions say whether a question nobody answered may go to an
agency (``identifies_service``): a best guess that would not be answered is no ground to
burden an agency, whose "not our competence" would then count against nobody's benefit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from knowledge.model import Candidate, Decision

MAX_CHOICES: Final = 5
EPSILON: Final = 1e-9  # scores are rounded floats; a tie with a threshold counts


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The decision's thresholds, overridable in settings. With fitted parameters
    (``knowledge.matching.params``) an answer they allow must also be more likely right
    than wrong by the calibrated probabilities."""

    answer_min: float = 0.3  # the best must score at least this to be answered
    answer_margin: float = 0.02  # and lead every other entry of its service by this
    service_margin: float = 0.13  # and every entry of another service by this
    clarify_min: float = 0.13  # a best below this is escalated, not offered
    clarify_band: float = 0.3  # candidates offered are within this of the best
    # ... and reach clarify_min or this share of the best's score: when the best is weak
    # itself, a runner-up nearly as good is as likely what was asked (a one-item list
    # would hide it).
    clarify_share: float = 0.5
    named_answer_min: float = 0.2  # answer_min when the question names the best's service
    named_service_margin: float = 0.03  # service_margin ... likewise


def decide(
    ranked: Sequence[Candidate],
    thresholds: Thresholds,
    service_of: Callable[[str], object] | None = None,
    *,
    named: bool = False,
) -> tuple[Decision, Candidate | None, tuple[Candidate, ...]]:
    """(decision, answered candidate or None, candidates to show) for scores best first.

    ``service_of`` tells an entry's service; without it every runner-up counts as a
    sibling (only ``answer_margin`` applies). ``named``: the question names the best
    candidate's service."""
    if not ranked or ranked[0].score < thresholds.clarify_min:
        return Decision.ESCALATE, None, tuple(ranked[:MAX_CHOICES])
    best = ranked[0]
    sibling, _ = _runners_up(ranked, service_of)
    if (_service_ahead(ranked, thresholds, service_of, named=named)
            and best.score - sibling >= thresholds.answer_margin - EPSILON):
        return Decision.ANSWER, best, tuple(ranked[:MAX_CHOICES])
    return Decision.CLARIFY, None, choices(ranked, thresholds)


def choices(ranked: Sequence[Candidate], thresholds: Thresholds) -> tuple[Candidate, ...]:
    """The candidates offered to pick from: close to the best, and not too weak (reaching
    ``clarify_min``, or nearly as good as a weak best)."""
    if not ranked:
        return ()
    best = ranked[0]
    floor = min(thresholds.clarify_min, thresholds.clarify_share * best.score)
    return tuple(
        c for c in ranked[:MAX_CHOICES]
        if c.score >= floor - EPSILON
        and best.score - c.score <= thresholds.clarify_band + EPSILON
    )


def leads(
    ranked: Sequence[Candidate], service_of: Callable[[str], object] | None,
) -> tuple[float, float]:
    """How far the best candidate leads the other entries of its service, and every entry
    of another service (its whole score when there is none)."""
    sibling, other = _runners_up(ranked, service_of)
    return ranked[0].score - sibling, ranked[0].score - other


def identifies_service(
    ranked: Sequence[Candidate],
    thresholds: Thresholds,
    service_of: Callable[[str], object] | None = None,
    *,
    named: bool = False,
) -> bool:
    """Whether the best candidate's service is known as surely as an answer needs: its
    score reaches ``answer_min`` and it leads every other service by ``service_margin``
    (their ``named_`` forms when the question names it). Which of the service's entries
    may still be in doubt."""
    return bool(ranked) and _service_ahead(ranked, thresholds, service_of, named=named)


def _service_ahead(
    ranked: Sequence[Candidate], thresholds: Thresholds,
    service_of: Callable[[str], object] | None, *, named: bool,
) -> bool:
    best = ranked[0]
    _, other = _runners_up(ranked, service_of)
    answer_min = thresholds.named_answer_min if named else thresholds.answer_min
    service_margin = thresholds.named_service_margin if named else thresholds.service_margin
    return best.score >= answer_min and best.score - other >= service_margin - EPSILON


def _runners_up(
    ranked: Sequence[Candidate], service_of: Callable[[str], object] | None,
) -> tuple[float, float]:
    """The best score of another entry of the best's service, and of another service."""
    service = service_of(ranked[0].entry) if service_of else None
    sibling = other = 0.0
    for c in ranked[1:]:
        if service_of is None or service_of(c.entry) == service:
            sibling = max(sibling, c.score)
        else:
            other = max(other, c.score)
    return sibling, other
