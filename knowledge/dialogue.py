"""One turn of a citizen's conversation, the same on every channel; channels only render it.

Nothing here commits: the caller (a channel's update processor) commits the turn together
with the update's inbox mark and the replies it writes to the outbox.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from knowledge import observe
from knowledge.asking import (
    MatcherCache,
    log_question,
    record_unanswered,
    small_talk_answer,
    talk_of,
    too_long_answer,
)
from knowledge.catalog import live_service
from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.conversation import last_question
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.escalations import open_escalation, passed_on, with_agency
from knowledge.iin import redact
from knowledge.length import TooLong, over_limit
from knowledge.matching.matcher import OUT_OF_SCOPE
from knowledge.model import Answer, Decision, EntryInfo, Lang
from knowledge.problems import marked

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)


class ServiceNotLive(InvalidInput):
    """The citizen chose a service that is not live (withdrawn since, or a forged button)."""


@dataclass(frozen=True, slots=True)
class Turn:
    """What to tell the citizen: rendered by the channel in ``lang``."""

    answer: Answer
    lang: Lang  # the language to reply in
    entry: EntryInfo | None = None  # the answered entry
    choices: tuple[EntryInfo, ...] = ()  # entries to pick from (clarify)
    reference: str | None = None  # escalation reference number
    to_agency: bool = False  # the escalation is in an agency's queue, not the triage
    too_long: TooLong | None = None  # over the limit: not matched, asked to write briefly


def refuse_too_long(
    uow: UnitOfWork, matchers: MatcherCache, citizen: Citizen, text: str, *,
    fallback_lang: Lang, clock: Clock,
) -> Turn | None:
    """A message over the limit is not matched: it is kept for operators, cut and flagged,
    and the reply (in the message's language) asks for a brief question (staged). None:
    the message is within the limit."""
    answer = too_long_answer(text, matchers.max_chars, fallback_lang)
    if answer is None:
        return None
    record_unanswered(uow, text, answer, citizen.channel, clock, max_chars=matchers.max_chars)
    return Turn(answer, answer.lang, too_long=over_limit(text, matchers.max_chars))


@dataclass(frozen=True, slots=True)
class Passed:
    """The citizen's question with a person: its reference; ``before`` when an earlier
    press had passed it on already (nothing was done again)."""

    reference: str
    before: bool = False
    to_agency: bool = False  # in an agency's queue, not the operators' triage


async def respond(
    uow: UnitOfWork,
    matchers: MatcherCache,
    citizen: Citizen,
    text: str,
    *,
    fallback_lang: Lang,
    clock: Clock,
    chosen_lang: Lang | None = None,
) -> Turn:
    """Answer, offer choices, or escalate a citizen's question (staged, not committed).

    The reply is in the language the citizen chose (``chosen_lang``: "/lang ru" sticks
    whatever they write next); without a choice, in the language they wrote in when it is
    clear, else in ``fallback_lang``. One over the limit is not matched
    (``refuse_too_long``); nor is small talk (``Answer.reason`` a ``Talk``): it gets a
    polite reply, never a reference. A question out of the base's scope (reason
    ``OUT_OF_SCOPE``) is not passed on either: it is kept for operators as a gap.
    """
    refused = refuse_too_long(uow, matchers, citizen, text, fallback_lang=fallback_lang,
                              clock=clock)
    if refused is not None:
        return _in_chosen(refused, chosen_lang)
    talk = small_talk_answer(text, fallback_lang)
    if talk is not None:
        return _in_chosen(Turn(talk, talk.lang), chosen_lang)
    matcher = await matchers.get(uow)
    started = time.perf_counter()
    answer = matcher.ask(text, fallback_lang, chosen_lang=fallback_lang)
    if chosen_lang is not None:
        answer = replace(answer, lang=chosen_lang)
    observe.answered(answer.decision, time.perf_counter() - started)
    entries = matcher.entries_by_key
    if answer.reason in (None, OUT_OF_SCOPE):
        log_question(uow, citizen.channel, answer, entries, clock)
    if answer.reason == OUT_OF_SCOPE:
        record_unanswered(uow, text, answer, citizen.channel, clock)
        return Turn(answer, answer.lang)
    if answer.decision == Decision.ANSWER and answer.entry in entries:
        return Turn(answer, answer.lang, entry=entries[answer.entry])
    if answer.decision == Decision.CLARIFY:
        choices = tuple(entries[c.entry] for c in answer.candidates if c.entry in entries)
        return Turn(answer, answer.lang, choices=choices)
    if answer.reason is not None:  # nothing to escalate: an empty or wordless message
        return Turn(answer, fallback_lang)
    question = await last_question(uow, citizen.id)  # this message, as the channel logged it
    question_id = question.id if question is not None and question.text == redact(text) else None
    reference = await escalate(uow, matchers, citizen, text, lang=answer.lang, clock=clock,
                               question_id=question_id)
    return Turn(answer, answer.lang, reference=reference,
                to_agency=await with_agency(uow, reference))


def _in_chosen(turn: Turn, chosen_lang: Lang | None) -> Turn:
    return turn if chosen_lang is None else replace(turn, lang=chosen_lang)


async def escalate(
    uow: UnitOfWork,
    matchers: MatcherCache,
    citizen: Citizen,
    text: str,
    *,
    lang: Lang,
    clock: Clock,
    service_id: int | None = None,
    question_id: int | None = None,
) -> str:
    """Pass a question to a person on the citizen's request ("none of these"); staged.

    It goes to the agency of the service the citizen chose (``service_id``, which must be
    live), else of the best candidate's service when the engine identifies it as surely as
    an answer needs (``Answer.service_identified``), else to the operators' triage: a weak
    guess would send a weather question to a ministry.
    ``question_id``: the citizen's message, as logged (see ``open_escalation``).
    """
    chosen = await live_service(uow, service_id) if service_id is not None else None
    if service_id is not None and chosen is None:
        raise ServiceNotLive.said(_("service #{id} is not live"), id=service_id)
    matcher = await matchers.get(uow)
    answer = matcher.ask(text, lang, chosen_lang=lang)
    record_unanswered(uow, text, answer, citizen.channel, clock)
    best = (matcher.entries_by_key.get(answer.candidates[0].entry)
            if answer.candidates and answer.service_identified else None)
    if chosen is not None:
        register_no: str | None = chosen.register_no
    else:
        register_no = best.service.register_no if best else None
    return await open_escalation(
        uow, citizen, text, lang=lang, candidates=answer.candidates,
        register_no=register_no, clock=clock, question_id=question_id,
    )


async def ask_once(
    uow: UnitOfWork,
    matchers: MatcherCache,
    citizen: Citizen,
    text: str,
    *,
    fallback_lang: Lang,
    clock: Clock,
) -> tuple[Answer, str | None]:
    """A question where no reply can follow later (the terminal chat, ``ucc ask``): matched
    as ``asking.ask`` does, and one nobody can answer passed to a person as on every other
    channel (see ``escalate``): the verdict and the escalation's reference (staged). A
    message over the limit or without words is only kept for operators; small talk is
    neither kept nor passed on."""
    answer = too_long_answer(text, matchers.max_chars, fallback_lang) \
        or small_talk_answer(text, fallback_lang)
    if answer is None:
        answer = (await matchers.get(uow)).ask(text, fallback_lang)
    if answer.decision != Decision.ESCALATE or talk_of(answer) is not None:
        return answer, None
    if answer.reason is not None:
        record_unanswered(uow, text, answer, citizen.channel, clock,
                          max_chars=matchers.max_chars)
        return answer, None
    return answer, await escalate(uow, matchers, citizen, text, lang=answer.lang, clock=clock)


async def escalate_last_question(
    uow: UnitOfWork,
    matchers: MatcherCache,
    citizen: Citizen,
    *,
    lang: Lang,
    clock: Clock,
    service_id: int | None = None,
) -> Passed | None:
    """The citizen's last message to a person ("none of these", see ``escalate``); staged.
    None when they have written nothing to pass on. A message is passed on once, however
    often the buttons are pressed: again, the first escalation's reference comes back."""
    question = await last_question(uow, citizen.id)
    if question is None:
        return None
    reference = await passed_on(uow, question.id)
    if reference is None:
        reference = await escalate(uow, matchers, citizen, question.text, lang=lang,
                                   clock=clock, service_id=service_id, question_id=question.id)
        return Passed(reference, to_agency=await with_agency(uow, reference))
    return Passed(reference, before=True, to_agency=await with_agency(uow, reference))
