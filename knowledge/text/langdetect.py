"""Language of a short question (kk or ru), from the evidence a few words can give.

Mixed messages are common ("бала күтімі жәрдемақысы для оформления какие документы"):
the nouns may come from either language, so the *frame* (question words, particles,
prepositions, verbs) weighs most; Kazakh letters, typical endings and which language's
knowledge-base texts use a word are further evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from knowledge.model import Lang
from knowledge.text.analyse import split_words
from knowledge.text.fold import fold_word
from knowledge.text.stopwords import KAZAKH, RUSSIAN

KAZAKH_LETTERS: Final = frozenset("әғқңөұүһі")
RUSSIAN_LETTERS: Final = frozenset("ёщъьэ")

KAZAKH_FRAME: Final = """
қалай қайда қайдан қандай қанша қашан неше кім неге керек керекпін қажет бола
болады болама болмайды бар жоқ ма ме ба бе па пе үшін туралы бойынша арқылы алу алуға
аламын алады алса береді беру беріледі жасау жасату жасалады ала алам мүмкін ме ғой екен
қайтып істеу істеймін барамын бару келу тұрады бере керекпе қалайша немен дейін кейін
""".split()

RUSSIAN_FRAME: Final = """
что как где куда какие какой какая какое каком каких сколько когда почему зачем можно
нужно надо ли для на в с по и это получить оформить сделать есть будет через мне я мы
нам нужен нужна нужны чтобы если или можно ли делать подать обратиться взять узнать
сделать выдают выдаётся выдается делают будет нельзя долго платить стоит тоже уже
""".split()

_KK_ENDINGS: Final = tuple(fold_word(s) for s in (
    "лар лер дар дер тар тер ның нің дың дің тың тің ға ге қа ке дан ден тан тен нан нен "
    "мын мін сыз сіз ымыз іміз ңыз ңіз уға уге ады еді йды"
).split())
_RU_ENDINGS: Final = tuple(fold_word(s) for s in (
    "ость ости ение ения ание ания ться ого его ому ыми ими ые ый ая ой ую ются ится ется"
).split())


@dataclass(frozen=True, slots=True)
class _Lexicon:
    kk_frame: frozenset[str]
    ru_frame: frozenset[str]
    kk_stop: frozenset[str]
    ru_stop: frozenset[str]


@cache
def _lexicon() -> _Lexicon:
    kk_frame = {fold_word(w) for w in KAZAKH_FRAME}
    ru_frame = {fold_word(w) for w in RUSSIAN_FRAME}
    ambiguous = kk_frame & ru_frame
    kk_stop = {fold_word(w) for w in KAZAKH} - ambiguous
    ru_stop = {fold_word(w) for w in RUSSIAN} - ambiguous
    return _Lexicon(
        frozenset(kk_frame - ambiguous), frozenset(ru_frame - ambiguous),
        frozenset(kk_stop - ru_stop), frozenset(ru_stop - kk_stop),
    )


@cache
def frame_words() -> frozenset[str]:
    """Folded question words, particles and common verbs of both languages.

    They tell the language and the aspect asked about, never which service is meant.
    """
    return frozenset(fold_word(w) for w in (*KAZAKH_FRAME, *RUSSIAN_FRAME))


def language_scores(
    words: Sequence[str], evidence: Callable[[str], int] | None = None
) -> tuple[float, float]:
    """(kk, ru) scores for lowercased words; ``evidence(word)`` returns 1 kk, 2 ru, 3 both."""
    lex = _lexicon()
    kk = ru = 0.0
    for word in words:
        word_kk, word_ru = _word_scores(word, lex, evidence)
        kk += word_kk
        ru += word_ru
    return kk, ru


def _word_scores(
    word: str, lex: _Lexicon, evidence: Callable[[str], int] | None
) -> tuple[float, float]:
    """One word's (kk, ru) score: its vocabulary, letters, ending and the index's evidence
    (every part a multiple of 0.5, so the sums are exact in any order)."""
    folded = fold_word(word)
    letters = set(word)
    kk, ru = _vocabulary_scores(folded, lex)
    if letters & KAZAKH_LETTERS:
        kk += 1.5
    if letters & RUSSIAN_LETTERS:
        ru += 1.0
    if len(folded) > 4:
        if folded.endswith(_KK_ENDINGS):
            kk += 0.5
        elif folded.endswith(_RU_ENDINGS):
            ru += 0.5
    if evidence is not None:
        bits = evidence(word)
        if bits == 1:
            kk += 1.0
        elif bits == 2:
            ru += 1.0
    return kk, ru


def _vocabulary_scores(folded: str, lex: _Lexicon) -> tuple[float, float]:
    """A frame word (a question word, particle, common verb) speaks louder than a stop-word."""
    if folded in lex.kk_frame:
        return 3.0, 0.0
    if folded in lex.ru_frame:
        return 0.0, 3.0
    if folded in lex.kk_stop:
        return 1.0, 0.0
    if folded in lex.ru_stop:
        return 0.0, 1.0
    return 0.0, 0.0


def detect_language(
    words: Sequence[str],
    evidence: Callable[[str], int] | None = None,
    fallback: Lang = "kk",
) -> Lang:
    kk, ru = language_scores(words, evidence)
    if kk == ru:
        return fallback
    return "kk" if kk > ru else "ru"


def language_of(text: str, fallback: Lang) -> Lang:
    """The language of a staff member's text (an agency's answer), ``fallback`` if unclear."""
    return detect_language(split_words(text), fallback=fallback)
