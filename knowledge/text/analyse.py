"""Turn text into matching terms: clean, split, fold, drop stop-words, stem, map concepts.

The knowledge base's texts have a known language and are stemmed by that language's
stemmer. A citizen's word has no known language, so it keeps both readings (a Kazakh
and a Russian stem) unless its letters settle it; the index decides which one exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

import Stemmer
from rapidfuzz.distance import OSA

from knowledge.text.concepts import ASKING_PAIRS, CITIZEN_WORDS, CONCEPTS
from knowledge.text.fold import clean_text, collapse_doubles, fold_word, latin_to_cyrillic
from knowledge.text.kazakh_stem import KAZAKH_SUFFIXES, case_forms, stem_kazakh
from knowledge.text.stopwords import greeting_pairs_folded, stop_folded

KAZAKH_LETTERS: Final = frozenset("әғқңөұүһі")
RUSSIAN_ONLY_LETTERS: Final = frozenset("ёщъьэ")
MAX_QUERY_WORDS: Final = 64
SHORT_CONCEPT_WORD: Final = 3  # concept words this short match only as written
MAX_QUERY_CHARS: Final = 2000

_WORD: Final = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)?")
_SUFFIX_AFTER_HYPHEN: Final = frozenset(s for s in KAZAKH_SUFFIXES if len(s) >= 2)


@cache
def _russian_stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("russian")


def split_words(text: str, limit: int | None = None) -> list[str]:
    """Lowercased words; a Kazakh case ending written after a hyphen (ХҚО-дан) is dropped."""
    cleaned = clean_text(text if limit is None else text[: limit * 40])
    words: list[str] = []
    for match in _WORD.finditer(cleaned):
        word = match.group()
        start = match.start()
        if start > 0 and cleaned[start - 1] == "-" and words and fold_word(word) in (
            _SUFFIX_AFTER_HYPHEN
        ):
            continue
        words.append(word)
        if limit is not None and len(words) >= limit:
            break
    return words


@lru_cache(maxsize=200_000)
def kazakh_stem(word: str) -> str:
    folded = fold_word(word)
    stem = stem_kazakh(folded)
    whole = fold_word(word, collapse=False)
    if whole != folded:  # a doubled letter may mark a suffix boundary (күн+нен)
        stem = min(stem, collapse_doubles(stem_kazakh(whole)), key=len)
    return stem


@lru_cache(maxsize=200_000)
def russian_stem(word: str) -> str:
    cyrillic = (latin_to_cyrillic(word) if _has_latin(word) else word).replace("ё", "е")
    return fold_word(_russian_stemmer().stemWord(cyrillic))


_KAZAKH_PLAIN: Final = str.maketrans("әғқңөұүһіё", "агкноуухие")


def _plain(word: str) -> str:
    """A Cyrillic word with Kazakh letters as their plain look-alikes, the rest as typed
    (ы, й and doubled letters kept): how a word typed without Kazakh letters is spelt."""
    return word.lower().translate(_KAZAKH_PLAIN)


def _has_latin(word: str) -> bool:
    return any("a" <= ch <= "z" for ch in word)


@dataclass(frozen=True, slots=True)
class ConceptTable:
    words: dict[str, str]  # a folded word as written -> tag
    # Words marked ``=``, folded -> their spellings with ы, й and doubled letters kept
    # (``_plain``): not met through an inflected form, nor by another word that folds
    # alike (временный folds as времени does).
    written: dict[str, set[str]]
    # language -> a stem of that language's concept words -> tag: a Kazakh stem meets only
    # Kazakh concept words (деңгейінде strips to ден, the stem of the Russian день).
    stems: dict[str, dict[str, str]]
    phrases: dict[tuple[str, str], str]  # two folded words -> tag
    # Kazakh words whose folded spelling is taken by another concept: proper stem -> tag.
    proper: dict[str, str]

    def word_tag(self, word: str, folded: str) -> str | None:
        """The tag of a word as written; a word marked ``=`` typed in Cyrillic must be
        spelt as it is (Kazakh letters aside), not only fold alike."""
        tag = self.words.get(folded)
        spellings = self.written.get(folded)
        if spellings and not _has_latin(word) and _plain(word) not in spellings:
            return None
        return tag

    def proper_tag(self, word: str, stem: str) -> str | None:
        """The tag of a word typed with Kazakh letters, read through its proper spelling."""
        return self.proper.get(word) or self.proper.get(word[: len(stem)])


@cache
def concept_table() -> ConceptTable:
    table = ConceptTable(
        words={}, written={}, stems={"kk": {}, "ru": {}}, phrases={}, proper={}
    )
    for tag, (kazakh, russian) in CONCEPTS.items():
        for lang, text in (("kk", kazakh), ("ru", russian)):
            for item in text.split():
                _add_concept_item(table, tag, item, lang)
    for lang, text in zip(("kk", "ru"), CITIZEN_WORDS, strict=True):
        for word in text.split():  # a citizen of a country abroad is a foreigner
            for reading in {fold_word(word), *_word_readings(word, lang)}:
                table.phrases.setdefault(("#abroad", reading), "#foreigner")
                table.phrases.setdefault((reading, "#abroad"), "#foreigner")
    for stems in table.stems.values():  # долго is cut to долг, which is debt as written
        for stem, tag in stems.items():
            stems[stem] = table.words.get(stem, tag)
    return table


def _add_concept_item(table: ConceptTable, tag: str, item: str, lang: str) -> None:
    """One word or phrase of a concept's list (marked ``!`` or ``=``, or plain)."""
    if item.startswith("!"):
        word = item[1:]
        table.proper[word] = tag
        table.proper[word[: len(kazakh_stem(word))]] = tag
        return
    if item.startswith("="):
        table.words.setdefault(fold_word(item[1:]), tag)
        table.written.setdefault(fold_word(item[1:]), set()).add(_plain(item[1:]))
        return
    parts = item.split("_")
    if len(parts) == 2:
        table.phrases[(fold_word(parts[0]), fold_word(parts[1]))] = tag
        for a in _word_readings(parts[0], lang):
            for b in _word_readings(parts[1], lang):
                table.phrases.setdefault((a, b), tag)
        return
    table.words.setdefault(fold_word(item), tag)
    if lang == "ru" and len(item) <= SHORT_CONCEPT_WORD:
        return  # "как" must not catch "какие" through its Russian stem
    for reading in _word_readings(item, lang):
        table.stems[lang].setdefault(reading, tag)


def _word_readings(word: str, lang: str) -> tuple[str, ...]:
    return (kazakh_stem(word),) if lang == "kk" else (russian_stem(word),)


def _inflected_concept(folded: str) -> str | None:
    """The concept of a word in a Kazakh case whose bare form is a concept word
    (пропискаға, справкаға): the stemmer would strip the loanword past it. A word marked
    ``=`` is not met this way: тегінің is тегі (surname) + нің, not тегін (free)."""
    table = concept_table()
    for form in case_forms(folded)[1:]:
        if len(form) <= SHORT_CONCEPT_WORD or form in table.written:
            continue
        tag = table.words.get(form)
        if tag is not None:
            return tag
    return None


@lru_cache(maxsize=200_000)
def query_readings(word: str) -> tuple[str, ...]:
    """Every term a citizen's word may stand for: a concept tag, or its stems."""
    table = concept_table()
    folded = fold_word(word)
    letters = set(word)
    if letters & KAZAKH_LETTERS:
        stem = kazakh_stem(word)
        tag = (table.proper_tag(word, stem) or table.word_tag(word, folded)
               or _inflected_concept(folded) or table.stems["kk"].get(stem))
        return (tag,) if tag else (stem,)
    if (tag := table.word_tag(word, folded)) is not None:
        return (tag,)
    inflected = _inflected_concept(folded)
    if inflected is not None:
        return (inflected,)
    if letters & RUSSIAN_ONLY_LETTERS:
        readings: tuple[str, ...] = (russian_stem(word),)
    else:
        readings = tuple(dict.fromkeys((kazakh_stem(word), russian_stem(word))))
    # A word of no telling letters may meet either language's concept stems: Snowball cuts
    # корея to коре but корее to кор, which the Kazakh stem коре meets.
    for reading in readings:
        for stems in table.stems.values():
            if reading in stems:
                return (stems[reading],)
    return readings


@lru_cache(maxsize=200_000)
def known_reading(word: str, lang: str) -> str:
    """The one term a knowledge-base word of a known language stands for."""
    table = concept_table()
    folded = fold_word(word)
    if lang == "kk":
        stem = kazakh_stem(word)
        tag = table.proper_tag(word, stem) if set(word) & KAZAKH_LETTERS else None
        if tag is not None:
            return tag
    else:
        stem = russian_stem(word)
    if (tag := table.word_tag(word, folded)) is not None:
        return tag
    if lang == "kk":
        inflected = _inflected_concept(folded)
        if inflected is not None:
            return inflected
    return table.stems[lang].get(stem, stem)


@dataclass(frozen=True, slots=True)
class Token:
    """One meaningful word of a question: its folded spelling and the terms it may mean."""

    folded: str
    readings: tuple[str, ...]
    # The folded words of a concept phrase joined into this token ("сколько" + "стоит"):
    # one of them may be a question word, which makes the phrase ask.
    parts: tuple[str, ...] = ()


def _meaningful(words: list[str]) -> Iterator[tuple[int, str, str]]:
    """(position, word, folded) with stop-words and two-word greetings removed; a stop-word
    that begins a concept phrase (за границей, за другого) stays, at position -1, until
    ``_join_phrases`` sees whether the next word completes it."""
    stops = stop_folded()
    greetings = greeting_pairs_folded()
    firsts = _phrase_firsts()
    folded = [fold_word(w) for w in words]
    skip = -1
    for i, (word, fw) in enumerate(zip(words, folded, strict=True)):
        if i == skip:
            continue
        if i + 1 < len(words) and (fw, folded[i + 1]) in greetings:
            skip = i + 1
            continue
        if fw and fw not in stops:
            yield i, word, fw
        elif fw and fw in firsts:
            yield -1, word, fw


_MISTYPED_LEN: Final = 5  # a phrase's word this long is read with one typo (either word)


@cache
def _folded_firsts() -> dict[int, list[str]]:
    """The folded first words of concept phrases, by length."""
    out: dict[int, list[str]] = {}
    for first, _ in concept_table().phrases:
        if len(first) >= _MISTYPED_LEN - 1:
            out.setdefault(len(first), []).append(first)
    return out


@cache
def _phrase_seconds() -> frozenset[str]:
    """The folded second words of concept phrases: a pair ending otherwise is none."""
    return frozenset(second for _, second in concept_table().phrases)


@cache
def _seconds_of() -> dict[str, list[str]]:
    """The folded second words of concept phrases, by their first word."""
    out: dict[str, list[str]] = {}
    for first, second in concept_table().phrases:
        if len(second) >= _MISTYPED_LEN - 1:
            out.setdefault(first, []).append(second)
    return out


@lru_cache(maxsize=50_000)
def _mistyped_second(f1: str, f2: str) -> str | None:
    """The concept of a phrase whose second word is typed one edit off (как бсытро)."""
    for second in _seconds_of().get(f1, ()):
        if abs(len(second) - len(f2)) <= 1 and OSA.distance(f2, second) <= 1:
            return concept_table().phrases[(f1, second)]
    return None


@lru_cache(maxsize=50_000)
def _mistyped_phrase(f1: str, f2: str) -> str | None:
    """The concept of a phrase whose first word is typed one edit off (детсикй сад)."""
    phrases = concept_table().phrases
    by_length = _folded_firsts()
    for length in (len(f1) - 1, len(f1), len(f1) + 1):
        for first in by_length.get(length, []):
            tag = phrases.get((first, f2))
            if tag is not None and OSA.distance(f1, first) <= 1:
                return tag
    return None


@cache
def _phrase_firsts() -> frozenset[str]:
    return frozenset(first for first, _ in [*concept_table().phrases, *ASKING_PAIRS])


def _join_phrases(
    items: list[tuple[int, str, str]], *, asking: bool = False,
) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """Merge two adjacent words that form a concept phrase; (word, folded, tag or None,
    the phrase's folded words). ``asking``: a citizen's question, where a question word
    before a concept's word may ask another concept (``ASKING_PAIRS``) and a phrase's
    second word may be typed one edit off; a knowledge-base text is spelt right and keeps
    each word's own concept, so that its entries' profiles do not move."""
    out: list[tuple[str, str, str | None, tuple[str, ...]]] = []
    i = 0
    while i < len(items):
        if i + 1 < len(items):
            (_, w1, f1), (_, w2, f2) = items[i], items[i + 1]
            tag = _pair_tag(w1, f1, w2, f2, asking=asking)
            if tag is not None:
                out.append((w1 + " " + w2, f1 + f2, tag, (f1, f2)))
                i += 2
                continue
        if items[i][0] >= 0:  # a stop-word kept for a phrase it does not begin here: dropped
            out.append((items[i][1], items[i][2], None, ()))
        i += 1
    return out


def _pair_tag(w1: str, f1: str, w2: str, f2: str, *, asking: bool) -> str | None:
    """The concept two adjacent words form together (``_join_phrases``), if any."""
    phrases = concept_table().phrases
    firsts = _phrase_firsts()
    tag = phrases.get((f1, f2))
    if tag is None:
        for a in query_readings(w1):
            if a not in firsts:
                continue  # begins no phrase (most words): the second is not read
            for b in query_readings(w2):
                tag = tag or phrases.get((a, b)) or (
                    ASKING_PAIRS.get((a, b)) if asking else None)
    if (tag is None and len(f1) >= _MISTYPED_LEN and f1 not in firsts
            and f2 in _phrase_seconds()):
        tag = _mistyped_phrase(f1, f2)
    if (tag is None and asking and f1 in firsts and len(f2) >= _MISTYPED_LEN
            and f2 not in _phrase_seconds()
            and not any(r.startswith("#") for r in query_readings(w2))):
        tag = _mistyped_second(f1, f2)
    return tag


def query_tokens(text: str) -> list[Token]:
    """The meaningful words of a citizen's question (at most ``MAX_QUERY_WORDS``)."""
    words = split_words(text[:MAX_QUERY_CHARS], limit=MAX_QUERY_WORDS)
    return [
        Token(folded, (tag,) if tag else query_readings(word), parts)
        for word, folded, tag, parts in _join_phrases(list(_meaningful(words)), asking=True)
    ]


def known_terms(text: str, lang: str) -> list[tuple[str, str]]:
    """(folded word, term) for a knowledge-base text in ``lang``."""
    words = split_words(text)
    out: list[tuple[str, str]] = []
    for word, folded, tag, _ in _join_phrases(list(_meaningful(words))):
        out.append((folded, tag or known_reading(word, lang)))
    return out
