"""Asking the engine: the matcher for the base's current revision, one question matched,
and the two records of what it decided: the question log (every citizen's question and
the decision, for the monthly report; staged in bulk with the turn) and the unanswered
questions (kept for operators, verbatim but for an IIN).

A citizen's whole turn on a channel (answer, choices, escalation) is ``knowledge.dialogue``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Final

from knowledge.catalog import live_entries
from knowledge.clock import Clock
from knowledge.db.tables import QUESTION_LOG, UnansweredRow
from knowledge.db.uow import UnitOfWork
from knowledge.iin import redact
from knowledge.length import QUESTION_MAX_CHARS, kept, over_limit
from knowledge.matching.decision import Thresholds
from knowledge.matching.index import build_index
from knowledge.matching.matcher import OUT_OF_SCOPE, Matcher
from knowledge.matching.params import Params
from knowledge.model import Answer, Candidate, Decision, EntryInfo, Lang, UnansweredQuestion
from knowledge.smalltalk import Talk, small_talk
from knowledge.staff import Actor
from knowledge.text.langdetect import language_of

TOO_LONG: Final = "too_long"  # an Answer's reason: the message is over the limit


class MatcherCache:
    """Holds the matcher for the base's current revision; rebuilds when the base changes.
    ``max_chars``: the longest message the engine matches (see ``knowledge.length``)."""

    def __init__(
        self, thresholds: Thresholds | None = None, *, max_chars: int = QUESTION_MAX_CHARS,
        params: Params | None = None,
    ) -> None:
        self.thresholds = thresholds or Thresholds()
        self.max_chars = max_chars
        self.params = params
        self._matcher: Matcher | None = None

    async def get(self, uow: UnitOfWork) -> Matcher:
        revision = uow.memo.get("kb_revision")
        if revision is None:  # once a transaction: a batch of updates asks many times
            revision = uow.memo["kb_revision"] = await uow.knowledge.revision()
        if self._matcher is None or self._matcher.index.revision != revision:
            index = build_index(await live_entries(uow), revision)
            self._matcher = Matcher(index, self.thresholds, self.params)
        return self._matcher


async def ask(
    uow: UnitOfWork,
    matchers: MatcherCache,
    text: str,
    *,
    channel: str,
    fallback_lang: Lang,
    clock: Clock,
) -> Answer:
    """Match a citizen's question; an escalated one is kept for operators, verbatim. One
    over the limit is not matched (reason ``TOO_LONG``) and is kept cut and flagged."""
    answer = too_long_answer(text, matchers.max_chars, fallback_lang) \
        or small_talk_answer(text, fallback_lang)
    if answer is None:
        answer = (await matchers.get(uow)).ask(text, fallback_lang)
    if answer.decision == Decision.ESCALATE and talk_of(answer) is None:
        record_unanswered(uow, text, answer, channel, clock, max_chars=matchers.max_chars)
        await uow.commit()
    return answer


def too_long_answer(text: str, max_chars: int, fallback_lang: Lang) -> Answer | None:
    """The verdict on a message over ``max_chars``: not matched, in the language of its
    beginning (None: within the limit, to be matched)."""
    if over_limit(text, max_chars) is None:
        return None
    lang = language_of(text[:max_chars], fallback_lang)
    return Answer(Decision.ESCALATE, lang, None, 0.0, (), reason=TOO_LONG)


def small_talk_answer(text: str, fallback_lang: Lang) -> Answer | None:
    """The verdict on a message that is only a greeting, thanks or "ok": not matched, and
    nothing to pass on (its reason is the ``Talk``); None: something to match."""
    said = small_talk(text)
    if said is None:
        return None
    return Answer(Decision.ESCALATE, said.lang or fallback_lang, None, 0.0, (),
                  reason=said.talk.value)


def match(matcher: Matcher, text: str, fallback_lang: Lang) -> Answer:
    """The engine's verdict on one question, small talk told apart first (``ucc ask
    --batch`` measures the engine as citizens meet it)."""
    return small_talk_answer(text, fallback_lang) or matcher.ask(text, fallback_lang)


def talk_of(answer: Answer) -> Talk | None:
    """The small talk an answer replies to (None: a question)."""
    return Talk(answer.reason) if answer.reason in set(Talk) else None


def log_question(
    uow: UnitOfWork, channel: str, answer: Answer, entries: Mapping[str, EntryInfo],
    clock: Clock,
) -> None:
    """Stage the question's decision in the question log. The agency is the answered
    entry's, else the best candidate's (None: nothing close)."""
    key = answer.entry if answer.decision == Decision.ANSWER else (
        answer.candidates[0].entry if answer.candidates else None)
    entry = entries.get(key) if key is not None else None
    uow.stage(QUESTION_LOG, {
        "channel": channel, "lang": answer.lang, "decision": answer.decision.value,
        "entry_key": answer.entry if answer.decision == Decision.ANSWER else None,
        "agency": entry.service.agency if entry is not None else None, "at": clock.now(),
    })


def record_unanswered(
    uow: UnitOfWork, text: str, answer: Answer, channel: str, clock: Clock, *,
    max_chars: int | None = None,
) -> None:
    """Stage an unanswered question for operators, verbatim but for an IIN, which is never
    kept in clear; one over ``max_chars`` cut, with its original length. One out of the
    base's scope is kept as such (its decision ``out_of_scope``): a gap, not a miss."""
    stored, original_length = kept(redact(text), max_chars)
    uow.unanswered.add(
        UnansweredRow(
            text=stored,
            original_length=original_length,
            lang=answer.lang,
            channel=channel,
            decision=OUT_OF_SCOPE if answer.reason == OUT_OF_SCOPE else answer.decision.value,
            candidates=[asdict(c) for c in answer.candidates],
            created_at=clock.now(),
        )
    )


async def unanswered(
    uow: UnitOfWork, actor: Actor, limit: int = 50, since: datetime | None = None
) -> list[UnansweredQuestion]:
    """The latest unanswered questions, newest first: citizens' words, not yet any
    agency's, so the center's to read."""
    actor.require_center()
    return [
        UnansweredQuestion(
            id=row.id,
            text=row.text,
            lang=row.lang,
            channel=row.channel,
            created_at=row.created_at,
            candidates=tuple(Candidate(c["entry"], c["score"]) for c in row.candidates),
            original_length=row.original_length,
            gap=row.decision == OUT_OF_SCOPE,
        )
        for row in await uow.unanswered.latest(limit, since)
    ]
