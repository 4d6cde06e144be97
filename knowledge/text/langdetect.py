"""Language of a short question (kk or ru), from the evidence a few words can give.

Mixed messages are common ("бала күтімі жәрдемақысы для оформления какие документы"):
the nouns may come from either language, so the *frame* decides: question words,
particles and predicates first, then prepositions and other function words. Kazakh
letters, typical endings and which language's knowledge-base texts use a word only
break a tie, however many nouns carry them ("мектепке құжат тапсыру бесплатно?" is
Russian; "... тегін бе?" Kazakh).
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

# Kazakh question words and particles frame a question wherever they stand.
KAZAKH_ASKING: Final = """
қалай қайда қайдан қандай қанша қашан неше кім неге қалайша немен ма ме ба бе па пе ғой
екен керекпе болама
""".split()
# A finite Kazakh verb is a predicate wherever it stands ("..., керек болады, мамам ...").
KAZAKH_VERBS: Final = """
керекпін болады болмайды аламын алады береді беріледі жасалады алам істеймін барамын тұрады
""".split()
# A nominal predicate or verbal noun is one only where it closes the question (Kazakh puts
# the predicate last); inside a noun phrase it is an attribute ("мүгедектігі бар бала").
KAZAKH_PREDICATES: Final = """
керек қажет бола бар жоқ алу алуға алса беру жасау жасату ала мүмкін істеу бару келу бере
""".split()
KAZAKH_POSTPOSITIONS: Final = "үшін туралы бойынша арқылы дейін кейін".split()
KAZAKH_FRAME: Final = [*KAZAKH_ASKING, *KAZAKH_VERBS, *KAZAKH_PREDICATES, *KAZAKH_POSTPOSITIONS]

# Russian word order is free: its question words and predicates frame it anywhere.
RUSSIAN_ASKING: Final = """
что как где куда какие какой какая какое каком каких сколько когда почему зачем можно
кто кому кого чей чья чьё чьи почём откуда скольки
нужно надо ли получить оформить сделать есть будет нужен нужна нужны делать подать
обратиться взять узнать выдают выдаётся выдается делают нельзя долго платить стоит
""".split()
RUSSIAN_FUNCTION: Final = """
для на в с по и это через мне я мы нам чтобы если или тоже уже
""".split()
RUSSIAN_FRAME: Final = [*RUSSIAN_ASKING, *RUSSIAN_FUNCTION]
# Prepositions are stop-words to the matcher, so they are not among its frame words.
RUSSIAN_PREPOSITIONS: Final = "во со о об до за к ко у при над под про без".split()
# A question particle asks about the predicate before it ("ақылы ма?"): it stands for both.
QUESTION_PARTICLES: Final = "ма ме ба бе па пе ли".split()

# Russian predicates told by their form: infinitives, reflexive and plural verb forms,
# predicative adverbs in -но ("бесплатно", "положено"). Native Kazakh has none of them.
_RU_PREDICATE_ENDINGS: Final = ("ть", "тся", "ешь", "ишь", "ят", "ют", "но")
_RU_PREDICATE_MIN_LEN: Final = 5
# Finite Kazakh verbs: present-future third person, first person.
_KK_VERB_ENDINGS: Final = ("ады", "еді", "йды", "йді", "мын", "мін", "мыз", "міз")
_KK_VERB_MIN_LEN: Final = 5

FRAME_WEIGHT: Final = 3.0  # a question word or predicate; a question particle twice
FUNCTION_WEIGHT: Final = 1.0  # a preposition, postposition, conjunction, pronoun

_KK_ENDINGS: Final = tuple(fold_word(s) for s in (
    "лар лер дар дер тар тер ның нің дың дің тың тің ға ге қа ке дан ден тан тен нан нен "
    "мын мін сыз сіз ымыз іміз ңыз ңіз уға уге ады еді йды"
).split())
_RU_ENDINGS: Final = tuple(fold_word(s) for s in (
    "ость ости ение ения ание ания ться ого его ому ыми ими ые ый ая ой ую ются ится ется"
).split())


@dataclass(frozen=True, slots=True)
class _Lexicon:
    kk_asking: frozenset[str]
    kk_verbs: frozenset[str]
    kk_predicates: frozenset[str]
    kk_function: frozenset[str]
    ru_asking: frozenset[str]
    ru_function: frozenset[str]
    particles: frozenset[str]
    kk_stop: frozenset[str]
    ru_stop: frozenset[str]


@cache
def _lexicon() -> _Lexicon:
    def folded(words: Sequence[str]) -> set[str]:
        return {fold_word(w) for w in words}

    ambiguous = folded(KAZAKH_FRAME) & folded(RUSSIAN_FRAME)
    kk_stop = folded(KAZAKH) - ambiguous
    ru_stop = folded(RUSSIAN) - ambiguous

    def only(*words: Sequence[str]) -> frozenset[str]:
        return frozenset(set().union(*(folded(w) for w in words)) - ambiguous)

    return _Lexicon(
        only(KAZAKH_ASKING), only(KAZAKH_VERBS), only(KAZAKH_PREDICATES),
        only(KAZAKH_POSTPOSITIONS), only(RUSSIAN_ASKING),
        only(RUSSIAN_FUNCTION, RUSSIAN_PREPOSITIONS), only(QUESTION_PARTICLES),
        frozenset(kk_stop - ru_stop), frozenset(ru_stop - kk_stop),
    )


@cache
def frame_words() -> frozenset[str]:
    """Folded question words, particles and common verbs of both languages.

    They tell the language and the aspect asked about, never which service is meant.
    """
    return frozenset(fold_word(w) for w in (*KAZAKH_FRAME, *RUSSIAN_FRAME))


Score = tuple[float, float]  # (frame, other evidence): compared in this order


def language_scores(
    words: Sequence[str], evidence: Callable[[str], int] | None = None
) -> tuple[Score, Score]:
    """(kk, ru) scores for lowercased words; ``evidence(word)`` returns 1 kk, 2 ru, 3 both.

    Each score is (frame, other evidence): the frame decides, the rest breaks a tie.
    """
    lex = _lexicon()
    kk_frame = ru_frame = kk = ru = 0.0
    for word, (frame_kk, frame_ru) in zip(words, _frame_scores(words, lex), strict=True):
        kk_frame += frame_kk
        ru_frame += frame_ru
        word_kk, word_ru = _word_scores(word, lex, evidence)
        kk += word_kk
        ru += word_ru
    return (kk_frame, kk), (ru_frame, ru)


def _frame_scores(words: Sequence[str], lex: _Lexicon) -> list[tuple[float, float]]:
    """Each word's (kk, ru) weight in the frame. A Kazakh nominal predicate counts only in
    the closing run of the question (followed by nothing but particles and predicates)."""
    scores: list[tuple[float, float]] = []
    closing_run = True
    for word in reversed(words):
        folded = fold_word(word)
        predicate = folded in lex.kk_predicates or folded in lex.particles
        scores.append(_frame_score(word, folded, lex, closing_run))
        closing_run = closing_run and predicate
    return scores[::-1]


def _frame_score(word: str, folded: str, lex: _Lexicon, closing: bool) -> tuple[float, float]:
    if folded in lex.particles:  # ма, ме, ли… (Kazakh but for ли)
        weight = 2 * FRAME_WEIGHT
        return (0.0, weight) if folded == fold_word("ли") else (weight, 0.0)
    if folded in lex.kk_asking or folded in lex.kk_verbs or _is_kazakh_verb(word):
        return FRAME_WEIGHT, 0.0
    if folded in lex.kk_predicates:
        return (FRAME_WEIGHT, 0.0) if closing else (0.0, 0.0)
    if folded in lex.ru_asking or _is_russian_predicate(word, folded, lex):
        return 0.0, FRAME_WEIGHT
    if folded in lex.kk_function:
        return FUNCTION_WEIGHT, 0.0
    if folded in lex.ru_function:
        return 0.0, FUNCTION_WEIGHT
    return 0.0, 0.0


def _is_kazakh_verb(word: str) -> bool:
    """A finite Kazakh verb by its ending ("толады", "аламыз")."""
    return (
        len(word) >= _KK_VERB_MIN_LEN
        and word.endswith(_KK_VERB_ENDINGS)
        and not set(word) & RUSSIAN_LETTERS
    )


def _is_russian_predicate(word: str, folded: str, lex: _Lexicon) -> bool:
    """An infinitive, a reflexive or plural verb form, a predicative adverb in -но
    ("платят", "оформляется", "положено"); the nouns in -ость/-сть are left out."""
    return (
        len(word) >= _RU_PREDICATE_MIN_LEN
        and word.endswith(_RU_PREDICATE_ENDINGS)
        and not word.endswith("сть")
        and not set(word) & KAZAKH_LETTERS
        and folded not in lex.kk_stop and folded not in lex.kk_predicates
    )


def _word_scores(
    word: str, lex: _Lexicon, evidence: Callable[[str], int] | None
) -> tuple[float, float]:
    """One word's (kk, ru) evidence beside the frame: a stop-word, its letters, ending and
    the index's evidence (every part a multiple of 0.5, so the sums are exact in any order)."""
    folded = fold_word(word)
    letters = set(word)
    kk = 1.0 if folded in lex.kk_stop else 0.0
    ru = 1.0 if folded in lex.ru_stop else 0.0
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
