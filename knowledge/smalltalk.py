"""Small talk: a message that is nothing but a greeting, thanks, "ok" or goodbye.

It gets a short polite reply and is never matched, logged as a question or passed to a
person. Only a whole message counts: "здравствуйте, сколько стоит паспорт?" is a question.
Rule-based on purpose: a short list of phrases in Kazakh (with or without its letters, in
Latin), Russian and chat English, compared after folding case, Kazakh letters and repeated
letters ("спасибооо"), so that it cannot swallow a question that merely shares a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from knowledge.model import Lang


class Talk(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    OK = "ok"  # ok, understood, good
    GOODBYE = "goodbye"


@dataclass(frozen=True, slots=True)
class SmallTalk:
    talk: Talk
    lang: Lang | None  # None: "ok", "👍" tell no language


_KK_FOLD: Final = str.maketrans("әғқңөұүһіё", "агкноууһие")
_WORD: Final = re.compile(r"[^\W_]+")
_REPEATED: Final = re.compile(r"(.)\1+")
MAX_WORDS: Final = 6  # longer than this is not small talk, whatever its words

# (phrase, what it is, its language); spelled as people type them, folded when compared.
PHRASES: Final[tuple[tuple[str, Talk, Lang | None], ...]] = (
    # Kazakh
    ("сәлем", Talk.GREETING, "kk"), ("сәлеметсіз бе", Talk.GREETING, "kk"),
    ("сәлеметсіз", Talk.GREETING, "kk"), ("сәлеметсіздер ме", Talk.GREETING, "kk"),
    ("армысыз", Talk.GREETING, "kk"), ("армысыздар", Talk.GREETING, "kk"),
    ("қайырлы күн", Talk.GREETING, "kk"), ("қайырлы таң", Talk.GREETING, "kk"),
    ("қайырлы кеш", Talk.GREETING, "kk"), ("ассалаумағалейкум", Talk.GREETING, "kk"),
    ("ассаламағалейкум", Talk.GREETING, "kk"), ("салам", Talk.GREETING, "kk"),
    ("рахмет", Talk.THANKS, "kk"), ("рақмет", Talk.THANKS, "kk"),
    ("көп рахмет", Talk.THANKS, "kk"), ("рахмет сізге", Talk.THANKS, "kk"),
    ("үлкен рахмет", Talk.THANKS, "kk"), ("алғыс", Talk.THANKS, "kk"),
    ("жақсы", Talk.OK, "kk"), ("жарайды", Talk.OK, "kk"), ("түсінікті", Talk.OK, "kk"),
    ("түсіндім", Talk.OK, "kk"), ("иә", Talk.OK, "kk"), ("ия", Talk.OK, "kk"),
    ("келістік", Talk.OK, "kk"), ("болды", Talk.OK, "kk"),
    ("сау болыңыз", Talk.GOODBYE, "kk"), ("сау бол", Talk.GOODBYE, "kk"),
    ("көріскенше", Talk.GOODBYE, "kk"),
    # Kazakh in Latin letters (the 2021 alphabet, or chat Latin)
    ("salem", Talk.GREETING, "kk"), ("salemetsiz be", Talk.GREETING, "kk"),
    ("salemetsız be", Talk.GREETING, "kk"), ("sälem", Talk.GREETING, "kk"),
    ("sälemetsiz be", Talk.GREETING, "kk"), ("rahmet", Talk.THANKS, "kk"),
    ("rakhmet", Talk.THANKS, "kk"), ("raqmet", Talk.THANKS, "kk"),
    ("raxmet", Talk.THANKS, "kk"), ("kop rahmet", Talk.THANKS, "kk"),
    ("köp rahmet", Talk.THANKS, "kk"), ("jaqsy", Talk.OK, "kk"), ("jaksy", Talk.OK, "kk"),
    ("zhaksy", Talk.OK, "kk"), ("zhaqsy", Talk.OK, "kk"), ("tusinikti", Talk.OK, "kk"),
    ("tüsınıktı", Talk.OK, "kk"), ("tüsinikti", Talk.OK, "kk"),
    ("sau boliniz", Talk.GOODBYE, "kk"), ("sau bolynyz", Talk.GOODBYE, "kk"),
    # Russian
    ("привет", Talk.GREETING, "ru"), ("здравствуйте", Talk.GREETING, "ru"),
    ("здраствуйте", Talk.GREETING, "ru"), ("здрасте", Talk.GREETING, "ru"),
    ("добрый день", Talk.GREETING, "ru"), ("добрый вечер", Talk.GREETING, "ru"),
    ("доброе утро", Talk.GREETING, "ru"), ("доброго дня", Talk.GREETING, "ru"),
    ("спасибо", Talk.THANKS, "ru"), ("большое спасибо", Talk.THANKS, "ru"),
    ("спасибо большое", Talk.THANKS, "ru"), ("спс", Talk.THANKS, "ru"),
    ("благодарю", Talk.THANKS, "ru"), ("спасибо вам", Talk.THANKS, "ru"),
    ("хорошо", Talk.OK, "ru"), ("понятно", Talk.OK, "ru"), ("ясно", Talk.OK, "ru"),
    ("понял", Talk.OK, "ru"), ("поняла", Talk.OK, "ru"), ("ладно", Talk.OK, "ru"),
    ("окей", Talk.OK, None), ("ок", Talk.OK, None), ("да", Talk.OK, "ru"),
    ("ага", Talk.OK, "ru"), ("отлично", Talk.OK, "ru"), ("всё понятно", Talk.OK, "ru"),
    ("до свидания", Talk.GOODBYE, "ru"), ("пока", Talk.GOODBYE, "ru"),
    ("всего доброго", Talk.GOODBYE, "ru"),
    # Russian in Latin letters, and what everyone types
    ("privet", Talk.GREETING, "ru"), ("zdravstvuyte", Talk.GREETING, "ru"),
    ("spasibo", Talk.THANKS, "ru"), ("ponyatno", Talk.OK, "ru"), ("poniatno", Talk.OK, "ru"),
    ("horosho", Talk.OK, "ru"), ("ok", Talk.OK, None), ("okay", Talk.OK, None),
    ("okey", Talk.OK, None), ("hi", Talk.GREETING, None), ("hello", Talk.GREETING, None),
    ("thanks", Talk.THANKS, None), ("thank you", Talk.THANKS, None),
)
# Several phrases in one message: thanks outweighs a greeting, a greeting "ok".
_WEIGHT: Final = {Talk.THANKS: 3, Talk.GOODBYE: 2, Talk.GREETING: 1, Talk.OK: 0}


def _fold(text: str) -> list[str]:
    """Words folded: lower case, Kazakh letters as their Russian look-alikes, one letter
    for a run of the same ("рахмееет")."""
    folded = text.casefold().translate(_KK_FOLD).replace("ä", "a").replace("ö", "o") \
        .replace("ü", "u").replace("ı", "i")
    return [_REPEATED.sub(r"\1", word) for word in _WORD.findall(folded)]


_TABLE: Final = {tuple(_fold(phrase)): (talk, lang) for phrase, talk, lang in PHRASES}
_LONGEST: Final = max(len(words) for words in _TABLE)


def small_talk(text: str) -> SmallTalk | None:
    """What the message is when it is nothing but small talk ("Сәлеметсіз бе!",
    "спасибо, понятно", "ok 👍"); None for anything else, a question after a greeting too."""
    words = _fold(text)
    if not words or len(words) > MAX_WORDS:  # emoji alone: no words (see the matcher)
        return None
    found: list[tuple[Talk, Lang | None]] = []
    at = 0
    while at < len(words):
        for size in range(min(_LONGEST, len(words) - at), 0, -1):
            phrase = _TABLE.get(tuple(words[at:at + size]))
            if phrase is not None:
                found.append(phrase)
                at += size
                break
        else:
            return None  # a word that is not small talk: a question, or something to match
    talk = max((talk for talk, _lang in found), key=_WEIGHT.__getitem__)
    langs = {lang for _talk, lang in found if lang is not None}
    return SmallTalk(talk, langs.pop() if len(langs) == 1 else None)

