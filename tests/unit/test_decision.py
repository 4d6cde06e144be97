"""The decision rule: answer only when confident and clearly ahead."""

from __future__ import annotations

from knowledge.matching.decision import MAX_CHOICES, Thresholds, decide
from knowledge.model import Candidate, Decision

T = Thresholds(answer_min=0.6, answer_margin=0.1, clarify_min=0.4, clarify_band=0.2)


def ranked(*scores: float) -> list[Candidate]:
    return [Candidate(f"e{i}", s) for i, s in enumerate(scores)]


def test_answers_when_best_is_confident_and_clearly_ahead() -> None:
    decision, chosen, _ = decide(ranked(0.9, 0.5), T)
    assert decision == Decision.ANSWER
    assert chosen is not None and chosen.entry == "e0"


def test_clarifies_when_two_confident_candidates_are_close() -> None:
    decision, chosen, shown = decide(ranked(0.9, 0.85, 0.3), T)
    assert decision == Decision.CLARIFY
    assert chosen is None
    assert [c.entry for c in shown] == ["e0", "e1"]


def test_clarifies_when_the_best_is_only_moderately_good() -> None:
    decision, _, shown = decide(ranked(0.5), T)
    assert decision == Decision.CLARIFY
    assert [c.entry for c in shown] == ["e0"]


def test_escalates_when_nothing_scores_above_threshold() -> None:
    decision, chosen, _ = decide(ranked(0.39, 0.2), T)
    assert decision == Decision.ESCALATE
    assert chosen is None


def test_escalates_when_there_is_no_candidate() -> None:
    assert decide([], T)[0] == Decision.ESCALATE


def test_offers_at_most_five_choices() -> None:
    decision, _, shown = decide(ranked(0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8), T)
    assert decision == Decision.CLARIFY
    assert len(shown) == MAX_CHOICES


def test_a_margin_exactly_at_threshold_answers() -> None:
    assert decide(ranked(0.75, 0.65), T)[0] == Decision.ANSWER
