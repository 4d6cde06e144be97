"""Whether a citizen's free text asks to lodge a complaint.

Words are compared in the folded skeleton (``knowledge.text.fold``), so Kazakh typed
without its letters ("шагым") or in chat Latin ("shagymdangym"), and Russian in translit
("pozhalovatsya"), read as written properly. A complaint word taken in another sense does
not count: the topic of a document ("справка о жалобе", "шағым туралы анықтама"), a
patient's symptoms ("жалобы на боль в спине", "басының ауыруына шағымданады"), "добро
пожаловать", "пожалуйста", "жалованье", a lawsuit ("талап арыз"), or a plain "арыз" (also
an application for a service) without the "against whom" ("әкімдіктің үстінен арыз").
"""

from __future__ import annotations

import re
from typing import Final

from knowledge.text.analyse import split_words
from knowledge.text.fold import fold_word

# Each over one folded word (ы/і/й → и, ғ → г, ь dropped; Latin ya → иа, ts → ц).
_TERM: Final = re.compile(
    r"жалоб\w*"  # жалоба, жалобу, жалобщик, zhaloba
    r"|(?:по|на)?жал(?:ов|у)\w*(?:с|ся|сиа|ц|циа)"  # (по)жаловаться, жалуюсь; not пожалуйста
    r"|обжал\w*"  # обжаловать (a decision)
    r"|претенз\w*"  # претензия
    r"|шагх?им\w*"  # шағым, шағымдану, шағымданғым, шагым, shagym, shaghym
    r"|ариздан\w*"  # арыздану (to complain), арызданамын
    r"|цомплаин\w*"  # complain, complaint (folded Latin)
)
_PLAIN_ARYZ: Final = re.compile(r"ариз(?:им|и|га|ди|ин|да)?")  # арыз, арызым, арызға …
_AGAINST: Final = frozenset({"устинен", "устинан"})  # үстінен: "against" in Kazakh
_LAWSUIT: Final = "талап"  # талап арыз: a statement of claim to a court
_ABOUT_BEFORE: Final = frozenset({"о", "об", "обо", "про"})  # справка о жалобе
_ABOUT_AFTER: Final = frozenset({"турали", "жаили"})  # шағым туралы анықтама
_RUSSIAN_NOUN: Final = re.compile(r"жалоб\w*|претенз\w*")
_SYMPTOM_WORDS: Final = frozenset({"бол", "боли", "болеи", "болам", "болит", "болиат", "болят"})
_SYMPTOM_STEMS: Final = ("болезн", "здоров", "самочувств", "температур", "кашл", "кашел",
                         "тошнот", "головокруж", "головн", "недомоган", "слабост")
_KAZAKH_SYMPTOM_STEMS: Final = ("ауир", "денсаулиг", "денсаулик")
_SYMPTOM_REACH: Final = 3  # words after "на" that may name the symptom ("на сильную боль")


def _symptom(word: str) -> bool:
    return word in _SYMPTOM_WORDS or word.startswith(_SYMPTOM_STEMS)


def _is_symptom_complaint(words: list[str], i: int) -> bool:
    """A patient's complaint of a symptom, not about a service or its staff."""
    after = words[i + 1:i + 2 + _SYMPTOM_REACH]
    if after[:1] == ["на"] and any(_symptom(w) for w in after[1:]):
        return True
    return i > 0 and words[i - 1].startswith(_KAZAKH_SYMPTOM_STEMS)


def _in_another_sense(words: list[str], i: int) -> bool:
    word = words[i]
    if _RUSSIAN_NOUN.fullmatch(word) and i > 0 and words[i - 1] in _ABOUT_BEFORE:
        return True
    if i + 1 < len(words) and words[i + 1] in _ABOUT_AFTER:
        return True
    return _is_symptom_complaint(words, i)


def is_complaint_word(word: str) -> bool:
    """Whether one word is a complaint term ("жалоба:", "шағымданғым"), whatever its sense:
    what is left of a complaint request once these are dropped may name the service."""
    return any(_TERM.fullmatch(fold_word(w)) for w in split_words(word))


def is_complaint_request(text: str) -> bool:
    """Whether a free text asks to complain ("хочу жаловаться", "шағымданғым келеді")."""
    words = [fold_word(w) for w in split_words(text)]
    for i, word in enumerate(words):
        if _TERM.fullmatch(word) and not _in_another_sense(words, i):
            return True
        if (_PLAIN_ARYZ.fullmatch(word) and (i == 0 or words[i - 1] != _LAWSUIT)
                and _AGAINST.intersection(words) and not _in_another_sense(words, i)):
            return True
    return False
