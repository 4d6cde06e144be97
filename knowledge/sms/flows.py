"""The SMS conversations that span several messages: an application's status ("СТАТУС
12345", then the IIN) and a complaint ("ШАҒЫМ" / "ЖАЛОБА", then its numbered steps).

The same domain as Telegram (``knowledge.status``, ``knowledge.complaints``); this only
decides which conversation an SMS belongs to. While a complaint draft or a status inquiry
is open, the number's messages go to it first; a keyword starts its conversation afresh
and ends the other one. Nothing is rendered and nothing committed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from knowledge import complaints
from knowledge.asking import MatcherCache
from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.complaints import IntakeTurn, Reply, Step
from knowledge.complaints.categories import REGIONS
from knowledge.db.uow import UnitOfWork
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.sms.keywords import Keyword, command
from knowledge.status import StatusAnswer, StatusDesk, end_inquiry, recognise, status_turn

# Typed without Kazakh letters (a phone without a Kazakh keyboard), or with them.
_FOLD: Final = str.maketrans("әғқңөұүһіё", "агкноууhие")
_WORD: Final = re.compile(r"\w+")
MIN_PREFIX: Final = 4  # letters a typed region name must share with the region's name
# What people write for a region beyond its names in the two languages.
REGION_ALIASES: Final = {
    "wko": ("БҚО", "ЗКО"), "nko": ("СҚО", "СКО"), "eko": ("ШҚО", "ВКО"),
    "almaty": ("Алматы",), "astana": ("Астана",), "shymkent": ("Шымкент",),
}


@dataclass(frozen=True, slots=True)
class SmsFlows:
    """What the longer conversations need: the status desk and the complaints' dates."""

    status: StatusDesk
    deadlines: Deadlines


@dataclass(frozen=True, slots=True)
class FlowTurn:
    lang: Lang
    status: StatusAnswer | None = None
    intake: IntakeTurn | None = None
    started: bool = False  # a complaint's first step (the channel introduces it)


def _fold(text: str) -> str:
    return text.casefold().translate(_FOLD)


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def _common(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def region_named(text: str) -> str | None:
    """The region a typed name means ("Астана", "караганда", "ЗКО", "Алматы обл."), or None
    when it names none, or several equally well."""
    typed = _words(text)
    if not typed:
        return None
    spelled = {region.code: [_words(name) for name in
                             (region.kk, region.ru, *REGION_ALIASES.get(region.code, ()))]
               for region in REGIONS}
    exact = [code for code, names in spelled.items() if typed in names]
    if len(exact) == 1:
        return exact[0]
    scores: dict[str, int] = {}
    for code, names in spelled.items():
        words = {word for name in names for word in name}
        per_word = [max(_common(t, w) for w in words) for t in typed]
        if max(per_word) >= MIN_PREFIX:
            scores[code] = sum(per_word)
    if not scores:
        return None
    top = max(scores.values())
    winners = [code for code, score in scores.items() if score == top]
    return winners[0] if len(winners) == 1 else None


def complaint_keyword(text: str) -> tuple[Lang | None, str | None] | None:
    """(the keyword's language, the rest of the message) when the SMS begins with a complaint
    keyword ("ЖАЛОБА", "шағым: в ЦОНе требуют справку"); None otherwise."""
    head, _sep, rest = text.strip().partition(" ")
    said = command(head)
    if said is None or said.keyword != Keyword.COMPLAINT:
        return None
    return said.lang, rest.strip() or None


async def flow_turn(
    uow: UnitOfWork, matchers: MatcherCache, citizen: Citizen, text: str, *, lang: Lang,
    flows: SmsFlows, clock: Clock,
) -> FlowTurn | None:
    """The SMS's turn in a status inquiry or a complaint; None when it belongs to neither
    (the question engine answers it)."""
    keyword = complaint_keyword(text)
    if keyword is not None:
        said_lang, rest = keyword
        lang = said_lang or lang
        await end_inquiry(uow, citizen.id)
        await complaints.discard_draft(uow, citizen.id)
        started = await complaints.start_intake(uow, matchers, citizen, lang=lang,
                                                clock=clock, text=rest)
        return FlowTurn(lang, intake=started, started=True)
    if recognise(text) is None:
        draft = await complaints.active_draft(uow, citizen.id, clock)
        if draft is not None:
            reply = Reply(text=text)
            region = region_named(text) if draft.step == Step.REGION else None
            if region is not None and not text.strip().isdigit():
                reply = Reply(choice=region)
            turn = await complaints.continue_intake(uow, matchers, citizen, draft, reply,
                                                    clock=clock,
                                                    deadlines=flows.deadlines)
            return FlowTurn(turn.lang, intake=turn)
    else:
        await complaints.discard_draft(uow, citizen.id)
    answer = await status_turn(uow, flows.status, citizen, text, lang=lang, clock=clock)
    return None if answer is None else FlowTurn(answer.lang, status=answer)
