"""A script-neutral spelling that every way of typing Kazakh and Russian folds into.

Citizens type Kazakh without its special letters (қ→к, ә→а, і→и), in the 2021 Latin
alphabet, in chat Latin (``balaga jardemaqy``), and Russian in translit
(``skolko stoit pasport``). All of these fold into one reduced Cyrillic alphabet,
the *skeleton*, in which the knowledge base's own spelling and the citizen's meet:

    а б в г д е ж з и к л м н о п р с т у ф х ц ч ш

Kazakh letters go to their nearest plain letter, ы/і/й go to и, ё/э go to е, щ to ш,
я/ю go to иа/иу (as ya/ia and yu/iu are typed in Latin, after a consonant or a
vowel alike: kopia and kopiya are копия), the soft and hard signs vanish and a doubled
letter is written once. The skeleton
loses distinctions on purpose: matching compares skeletons, never shows them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Final

SKELETON_LETTERS: Final = frozenset("абвгдежзиклмнопрстуфхцчш")

_CYRILLIC_FOLD: Final[dict[str, str]] = {
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
    "і": "и", "ы": "и", "й": "и", "ё": "е", "э": "е", "щ": "ш", "ъ": "", "ь": "",
    "я": "иа", "ю": "иу",
    # Latin look-alikes typed inside Cyrillic words (кутiмi, ақша with Latin a).
}

# Latin digraphs first (longest match), then single letters. Covers Russian translit,
# Kazakh chat Latin and the Kazakh Latin alphabets of 2017-2021 (ä ö ü ū ğ ñ ş ı).
_LATIN_DIGRAPHS: Final[tuple[tuple[str, str], ...]] = (
    ("shch", "ш"), ("sch", "ш"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"),
    ("ts", "ц"), ("ya", "я"), ("yu", "ю"), ("yo", "ё"), ("ye", "е"), ("ia", "я"),
    ("iu", "ю"), ("ng", "н"),
)
_LATIN_SINGLE: Final[dict[str, str]] = {
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "у", "x": "х",
    "y": "и", "z": "з", "ä": "а", "ö": "о", "ü": "у", "ū": "у", "ğ": "г", "ñ": "н",
    "ş": "ш", "ç": "ч", "ı": "и", "é": "е", "á": "а", "ó": "о", "ú": "у", "í": "и",
    "'": "", "`": "", "ʼ": "", "’": "",
}
_LATIN_RE: Final = re.compile(
    "|".join(sorted((d for d, _ in _LATIN_DIGRAPHS), key=len, reverse=True)) + "|."
)
_DIGRAPH_MAP: Final = dict(_LATIN_DIGRAPHS)
_DOUBLED: Final = re.compile(r"(.)\1+")


def latin_to_cyrillic(word: str) -> str:
    """Latin letters read as Cyrillic ones (ya as я), for a stemmer of proper spelling."""
    return "".join(
        _DIGRAPH_MAP.get(m, _LATIN_SINGLE.get(m, m)) for m in _LATIN_RE.findall(word)
    )


def has_latin(word: str) -> bool:
    return any("a" <= ch <= "z" or ch in _LATIN_SINGLE for ch in word if ch.isalpha())


@lru_cache(maxsize=300_000)
def fold_word(word: str, *, collapse: bool = True) -> str:
    """Fold one lowercased word (Cyrillic, Latin or a mix) into the skeleton alphabet.

    ``collapse=False`` keeps doubled letters, for a stemmer that needs to see the
    boundary in күн+нен or құжат+тар; its result is then collapsed by ``collapse_doubles``.
    """
    if has_latin(word):
        word = latin_to_cyrillic(word)
    out = "".join(_CYRILLIC_FOLD.get(ch, ch) for ch in word)
    return _DOUBLED.sub(r"\1", out) if collapse else out


def collapse_doubles(word: str) -> str:
    return _DOUBLED.sub(r"\1", word)


@cache
def _cleaning_table() -> dict[int, str | None]:
    """Control characters become spaces; format characters (zero-width…) vanish."""
    table: dict[int, str | None] = {}
    for code in (*range(0x10000), *range(0xE0000, 0xE0080)):
        category = unicodedata.category(chr(code))
        if category in {"Cc", "Zs", "Zl", "Zp"}:
            table[code] = " "
        elif category in {"Cf", "Co", "Cs"}:
            table[code] = None
    return table


def clean_text(text: str) -> str:
    """NFKC, lowercase, control characters to spaces, zero-width ones dropped.

    Only for matching: the citizen's text is stored verbatim elsewhere.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_cleaning_table())
