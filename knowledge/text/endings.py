"""Endings that are never words of their own, in either language, in skeleton spelling.

A glued word (зейнетақыүзіндісі) is read as two known words; cut after its stem, a word
leaves only its ending (заявл + ения, құжат + тардан), and an ending that happens to be
a term of the base (-дан, -ения) must not count as the second word.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Final

from knowledge.text.fold import fold_word
from knowledge.text.kazakh_stem import KAZAKH_SUFFIXES

# Snowball's Russian endings (adjective, participle, verb, noun, reflexive) and frequent
# derivational ones, in proper spelling; folded at load.
_RUSSIAN: Final = """
ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею
ла на ете йте ли ло но ет ют ны ть ешь нно ила ыла ена ейте уйте ите или ыли ил ыл ен
ило ыло ено ят ует уют ит ыт ены ить ыть ишь ать ять ся сь
ев ов ье иями ями ами еи ии ией ием ам ах иях ях ию ью ия ья
ост ость ости ение ения ении ением ениям ание ания ании анием ство ства стве ция ции
ций ний ний ная ное ные ного ному ной ными ных ский ская ское ские ского
"""
_MIN_PIECE: Final = 2  # a one-letter Kazakh ending counts only last (лар + ы)


@cache
def _endings() -> tuple[frozenset[str], frozenset[str]]:
    """(Kazakh, Russian) endings of at least two letters: a chain keeps to one language."""
    kazakh = frozenset(s for s in KAZAKH_SUFFIXES if len(s) >= _MIN_PIECE)
    russian = frozenset(fold_word(e) for e in _RUSSIAN.split()) - {""}
    return kazakh, russian


@cache
def _last_letters() -> frozenset[str]:
    return frozenset(s for s in KAZAKH_SUFFIXES if len(s) < _MIN_PIECE)


def only_endings(piece: str) -> bool:
    """Whether a folded piece of a word is one ending or a chain of one language's
    endings (тардан, ения), so not a word: мекен is not -мек + -ен."""
    kazakh, russian = _endings()
    return _chain(piece, kazakh, _last_letters()) or _chain(piece, russian, frozenset())


@lru_cache(maxsize=50_000)
def _chain(piece: str, endings: frozenset[str], last: frozenset[str]) -> bool:
    if not piece or piece in last:
        return True
    return any(
        piece[:n] in endings and _chain(piece[n:], endings, last)
        for n in range(len(piece), 0, -1)
    )
