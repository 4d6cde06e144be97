"""One SMS in, one reply out: the same engine as every channel, with the SMS's own steering
(stop, start, help, a number picking an option), its limits (quotas) and its longer
conversations (an application's status, a complaint: ``knowledge.sms.flows``).

Nothing is rendered here: the result says what to tell, the channel renders it (gettext)
and fits it into the SMS limit. Nothing is committed: the caller commits the turn with the
inbox mark and the reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from knowledge.asking import MatcherCache, talk_of
from knowledge.catalog import live_service
from knowledge.citizens import Citizen, citizen_for, set_language
from knowledge.clock import Clock
from knowledge.complaints import IntakeTurn, discard_draft
from knowledge.conversation import log_message, messages_since
from knowledge.db.tables import SmsNumberRow
from knowledge.db.uow import UnitOfWork
from knowledge.dialogue import escalate, refuse_too_long, respond
from knowledge.escalations import with_agency
from knowledge.length import TooLong
from knowledge.matching.matcher import OUT_OF_SCOPE
from knowledge.model import Decision, EntryInfo, Lang
from knowledge.smalltalk import Talk
from knowledge.sms.flows import FlowTurn, SmsFlows, flow_turn
from knowledge.sms.keywords import Command, Keyword, bare_number, command
from knowledge.sms.state import (
    CHANNEL,
    Menu,
    MenuItem,
    current_menu,
    noticed_since,
    number_state,
    save_menu,
)
from knowledge.status import StatusAnswer, end_inquiry
from knowledge.text.langdetect import language_of

# Card sections offered after an answer, most asked first, at most MAX_SECTIONS of them.
SECTIONS: Final = ("documents", "fee", "term", "where", "schedule", "result", "provider")
MAX_SECTIONS: Final = 3
MAX_CHOICES: Final = 3
HOUR: Final = timedelta(hours=1)
DAY: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SmsRules:
    per_hour: int = 10  # messages a number may send in a rolling hour …
    per_day: int = 30  # … and day, then one notice and silence
    choice_window: timedelta = timedelta(minutes=30)  # a bare number picks within this


class Kind(StrEnum):
    ANSWER = "answer"  # an entry's answer, then the card sections to ask for
    SECTION = "section"  # a section of the service card
    CLARIFY = "clarify"  # numbered questions to pick from
    ESCALATED = "escalated"  # passed to a person: the reference number
    WORDS = "words"  # nothing to match: please write in words
    NO_CHOICE = "no_choice"  # a number, but no list open to pick from
    STOPPED = "stopped"  # opted out: the one confirmation
    STARTED = "started"  # opted in again
    HELP = "help"
    QUOTA = "quota"  # over the quota: the one notice
    SILENT = "silent"  # nothing to send (opted out; over the quota, noticed)
    STATUS = "status"  # a turn of an application's status inquiry
    COMPLAINT = "complaint"  # a turn of a complaint's intake
    TOO_LONG = "too_long"  # over the length limit: not read, please write briefly
    MORE = "more"  # the next part of a text too long for one SMS ("1 — continued")
    SMALL_TALK = "small_talk"  # a greeting, thanks, "ok": a short polite reply
    OUT_OF_SCOPE = "out_of_scope"  # no service covers it: what we answer, and the 1414 line


@dataclass(frozen=True, slots=True)
class SmsTurn:
    kind: Kind
    lang: Lang
    citizen: Citizen
    entry: EntryInfo | None = None
    section: str | None = None
    section_text: str | None = None  # the card section, in ``lang`` when it has it
    service_name: str | None = None
    choices: tuple[EntryInfo, ...] = ()
    reference: str | None = None
    to_agency: bool = False  # the escalation is in an agency's queue, not the triage
    menu: tuple[MenuItem, ...] = field(default=())  # the numbered options offered
    status: StatusAnswer | None = None
    intake: IntakeTurn | None = None
    intake_started: bool = False  # the complaint's first step: the channel introduces it
    too_long: TooLong | None = None
    more_text: str | None = None  # the rest of a text sent in part: the channel splits it
    talk: Talk | None = None  # the small talk replied to


async def handle_sms(
    uow: UnitOfWork,
    matchers: MatcherCache,
    number: str,
    text: str,
    *,
    rules: SmsRules,
    flows: SmsFlows,
    default_lang: Lang,
    clock: Clock,
) -> SmsTurn:
    """Decide the reply to one SMS from ``number`` (E.164); staged, not committed."""
    now = clock.now()
    citizen = await citizen_for(uow, CHANNEL, number, clock)
    state = await number_state(uow, citizen.id)
    said = command(text)
    lang = _reply_lang(text[:matchers.max_chars], said, state, citizen.lang or default_lang)
    recent_hour = await messages_since(uow, citizen.id, now - HOUR)
    recent_day = await messages_since(uow, citizen.id, now - DAY)
    # an IIN sent for a status check is never kept: the log has "[IIN]" in its place; a
    # message over the limit is kept cut, with its length
    log_message(uow, citizen.id, direction="in", channel=CHANNEL, lang=lang, text=text,
                clock=clock, max_chars=matchers.max_chars)

    kind = await _steer(uow, said, state, citizen.id, lang=lang, now=now)
    if kind is None:
        kind = _quota(state, rules, now, used=(recent_hour, recent_day))
    if kind is not None:
        return SmsTurn(kind, lang, citizen)

    await set_language(uow, citizen.id, lang)
    refused = refuse_too_long(uow, matchers, citizen, text, fallback_lang=lang, clock=clock)
    if refused is not None:  # read by no conversation: an open one waits for a brief text
        return SmsTurn(Kind.TOO_LONG, refused.lang, citizen, too_long=refused.too_long)
    if said is not None and said.keyword == Keyword.HELP:  # an open conversation stays open
        return SmsTurn(Kind.HELP, lang, citizen)
    flow = await flow_turn(uow, matchers, citizen, text, lang=lang, flows=flows, clock=clock)
    if flow is not None:
        return await _flow_reply(uow, state, citizen, flow, lang=lang, now=now)
    return await _menu_or_question(uow, matchers, citizen, state, text, lang=lang,
                                   rules=rules, clock=clock, now=now)


def _reply_lang(text: str, said: Command | None, state: SmsNumberRow, fallback: Lang) -> Lang:
    """A keyword's language, else the text's; a bare number picks in the menu's language."""
    lang: Lang = (said.lang if said and said.lang else None) or language_of(text, fallback)
    if said is None and bare_number(text) is not None and state.menu_lang in ("kk", "ru"):
        lang = "kk" if state.menu_lang == "kk" else "ru"
    return lang


async def _steer(
    uow: UnitOfWork, said: Command | None, state: SmsNumberRow, citizen_id: int, *,
    lang: Lang, now: datetime,
) -> Kind | None:
    """Stop and start; a number that opted out gets nothing more (None: go on)."""
    if said is not None and said.keyword == Keyword.STOP:
        if state.opted_out:
            return Kind.SILENT
        state.opted_out, state.opted_out_at = True, now
        save_menu(state, None, lang, now)
        await end_inquiry(uow, citizen_id)  # nothing more may be sent: nothing is open
        await discard_draft(uow, citizen_id)
        return Kind.STOPPED
    if said is not None and said.keyword == Keyword.START:
        state.opted_out, state.opted_out_at = False, None
        return Kind.STARTED
    if state.opted_out:
        return Kind.SILENT
    return None


def _quota(
    state: SmsNumberRow, rules: SmsRules, now: datetime, *, used: tuple[int, int]
) -> Kind | None:
    """Over the hour's or the day's quota: one notice, then silence (None: within it)."""
    recent_hour, recent_day = used
    for window, count, limit in ((HOUR, recent_hour, rules.per_hour),
                                 (DAY, recent_day, rules.per_day)):
        if count >= limit:
            if noticed_since(state, now - window, now):
                return Kind.SILENT
            state.quota_notice_at = now
            return Kind.QUOTA
    return None


async def _flow_reply(
    uow: UnitOfWork, state: SmsNumberRow, citizen: Citizen, flow: FlowTurn, *, lang: Lang,
    now: datetime,
) -> SmsTurn:
    save_menu(state, None, flow.lang, now)  # a bare number is the flow's, not a menu's
    if flow.lang != lang:
        await set_language(uow, citizen.id, flow.lang)
    if flow.status is not None:
        return SmsTurn(Kind.STATUS, flow.lang, citizen, status=flow.status)
    return SmsTurn(Kind.COMPLAINT, flow.lang, citizen, intake=flow.intake,
                   intake_started=flow.started)


async def _menu_or_question(
    uow: UnitOfWork, matchers: MatcherCache, citizen: Citizen, state: SmsNumberRow,
    text: str, *, lang: Lang, rules: SmsRules, clock: Clock, now: datetime,
) -> SmsTurn:
    """A bare number picks from the last reply's options; anything else is a question.
    The reply's options are kept for the next message."""
    picked = bare_number(text)
    if picked is not None:
        menu = current_menu(state, now, rules.choice_window)
        turn = await _pick(uow, matchers, citizen, menu, picked, lang=lang, clock=clock)
    else:
        turn = await _ask(uow, matchers, citizen, text, lang=lang, clock=clock)
    if turn.kind != Kind.SECTION:  # a section keeps the answer's options open
        save_menu(state, _menu_of(turn, text), turn.lang, now)
    elif state.menu is not None:
        state.menu_at = now
    return turn


async def _ask(
    uow: UnitOfWork, matchers: MatcherCache, citizen: Citizen, text: str, *, lang: Lang,
    clock: Clock,
) -> SmsTurn:
    turn = await respond(uow, matchers, citizen, text, fallback_lang=lang, clock=clock)
    talk = talk_of(turn.answer)
    if talk is not None:
        return SmsTurn(Kind.SMALL_TALK, turn.lang, citizen, talk=talk)
    if turn.answer.reason == OUT_OF_SCOPE:
        return SmsTurn(Kind.OUT_OF_SCOPE, turn.lang, citizen)
    if turn.entry is not None:
        return _answer(citizen, turn.entry, turn.lang)
    if turn.answer.decision == Decision.CLARIFY and turn.choices:
        choices = turn.choices[:MAX_CHOICES]
        return SmsTurn(Kind.CLARIFY, turn.lang, citizen, choices=choices,
                       menu=tuple(MenuItem("entry", e.key) for e in choices))
    if turn.reference is not None:
        return SmsTurn(Kind.ESCALATED, turn.lang, citizen, reference=turn.reference,
                       to_agency=turn.to_agency)
    return SmsTurn(Kind.WORDS, turn.lang, citizen)


def _answer(citizen: Citizen, entry: EntryInfo, lang: Lang) -> SmsTurn:
    card = entry.service.card
    sections = [s for s in SECTIONS if any((card.get(s) or {}).values())][:MAX_SECTIONS]
    return SmsTurn(Kind.ANSWER, lang, citizen, entry=entry,
                   menu=tuple(MenuItem("section", s) for s in sections))


async def _pick(
    uow: UnitOfWork, matchers: MatcherCache, citizen: Citizen, menu: Menu | None, picked: int,
    *, lang: Lang, clock: Clock,
) -> SmsTurn:
    if menu is None:
        return SmsTurn(Kind.NO_CHOICE, lang, citizen)
    if picked == 0 and menu.question is not None:
        reference = await escalate(uow, matchers, citizen, menu.question, lang=lang,
                                   clock=clock)
        return SmsTurn(Kind.ESCALATED, lang, citizen, reference=reference,
                       to_agency=await with_agency(uow, reference))
    if not 1 <= picked <= len(menu.items):
        return SmsTurn(Kind.NO_CHOICE, lang, citizen)
    item = menu.items[picked - 1]
    if item.kind == "more":
        return SmsTurn(Kind.MORE, lang, citizen, more_text=item.ref)
    if item.kind == "entry":
        entry = (await matchers.get(uow)).entries_by_key.get(item.ref)
        return _answer(citizen, entry, lang) if entry else SmsTurn(Kind.NO_CHOICE, lang, citizen)
    service = await live_service(uow, menu.service_id) if menu.service_id else None
    texts = (service.card.get(item.ref) or {}) if service else {}
    text = texts.get(lang) or next(iter(texts.values()), None)
    if service is None or text is None:
        return SmsTurn(Kind.NO_CHOICE, lang, citizen)
    name = service.name.get(lang) or next(iter(service.name.values()), "")
    return SmsTurn(Kind.SECTION, lang, citizen, section=item.ref, section_text=text,
                   service_name=name, menu=menu.items)


def _menu_of(turn: SmsTurn, question: str) -> Menu | None:
    if turn.kind == Kind.ANSWER and turn.entry is not None:
        return Menu(turn.menu, service_id=turn.entry.service.id)
    if turn.kind == Kind.CLARIFY:
        return Menu(turn.menu, question=question)
    return None
