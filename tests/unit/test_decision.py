"""The decision rule: answer only when confident and clearly ahead."""

from __future__ import annotations

from dataclasses import replace

from knowledge.matching.decision import MAX_CHOICES, Thresholds, decide, identifies_service
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


def test_a_weak_best_is_offered_with_a_runner_up_nearly_as_good() -> None:
    # 0.3 is under clarify_min but over half the best's 0.45; 0.2 is under both.
    decision, _, shown = decide(ranked(0.45, 0.3, 0.2), T)
    assert decision == Decision.CLARIFY
    assert [c.entry for c in shown] == ["e0", "e1"]
    absolute = replace(T, clarify_share=1.0)  # the floor clarify_min alone
    assert [c.entry for c in decide(ranked(0.45, 0.3, 0.2), absolute)[2]] == ["e0"]


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


TWO = Thresholds(answer_min=0.3, answer_margin=0.01, service_margin=0.13, clarify_min=0.15)


def service(key: str) -> str:
    return key.split(".", maxsplit=1)[0]


def test_a_sibling_close_behind_needs_only_a_small_lead() -> None:
    close = [Candidate("passport.term", 0.42), Candidate("passport.fee", 0.40),
             Candidate("idcard.term", 0.25)]
    decision, chosen, _ = decide(close, TWO, service)
    assert decision == Decision.ANSWER and chosen is not None
    assert chosen.entry == "passport.term"


def test_another_service_close_behind_is_a_question_for_the_citizen() -> None:
    close = [Candidate("passport.term", 0.42), Candidate("idcard.term", 0.35),
             Candidate("passport.fee", 0.20)]
    decision, chosen, shown = decide(close, TWO, service)
    assert decision == Decision.CLARIFY and chosen is None
    assert [c.entry for c in shown][:2] == ["passport.term", "idcard.term"]


def test_siblings_tied_are_still_a_question() -> None:
    tied = [Candidate("passport.term", 0.42), Candidate("passport.fee", 0.42)]
    assert decide(tied, TWO, service)[0] == Decision.CLARIFY


def test_without_services_every_runner_up_counts_as_a_sibling() -> None:
    assert decide([Candidate("a", 0.42), Candidate("b", 0.40)], TWO)[0] == Decision.ANSWER


def test_a_question_naming_the_service_is_answered_on_less_evidence() -> None:
    # A long message matching little besides the service's own word ("загранпаспорт"):
    # low score, another service 0.05 behind. Named, the service is not in doubt.
    low = [Candidate("passport.documents", 0.24), Candidate("idcard.documents", 0.19)]
    assert decide(low, TWO, service)[0] == Decision.CLARIFY
    decision, chosen, _ = decide(low, TWO, service, named=True)
    assert decision == Decision.ANSWER and chosen is not None
    assert chosen.entry == "passport.documents"


def test_naming_the_service_does_not_settle_which_of_its_answers() -> None:
    tied = [Candidate("passport.term", 0.42), Candidate("passport.documents", 0.415)]
    assert decide(tied, TWO, service, named=True)[0] == Decision.CLARIFY
    weak = [Candidate("passport.term", 0.18)]
    assert decide(weak, TWO, service, named=True)[0] == Decision.CLARIFY


def test_the_service_is_identified_only_as_confidently_as_an_answer_would_need() -> None:
    """Issue 18 (2): a question goes to an agency only when its service is identified
    with the thresholds an answer needs (score and the lead over other services); which
    of the service's entries may still be in doubt."""
    siblings_tied = [Candidate("passport.term", 0.42), Candidate("passport.fee", 0.42)]
    assert identifies_service(siblings_tied, TWO, service)
    weak = [Candidate("labour.allowance", 0.128), Candidate("labour.amount", 0.06)]
    assert not identifies_service(weak, TWO, service)
    other_close = [Candidate("passport.term", 0.42), Candidate("idcard.term", 0.35)]
    assert not identifies_service(other_close, TWO, service)
    named = [Candidate("passport.documents", 0.24), Candidate("idcard.documents", 0.19)]
    assert not identifies_service(named, TWO, service)
    assert identifies_service(named, TWO, service, named=True)
    assert not identifies_service([], TWO, service)
