"""What tells the choices of a clarify apart: when they span services, each choice names
its service in short.

Look-alike services share most of their names ("Назначение государственного социального
пособия по инвалидности" / "… по случаю потери кормильца"), so the short name is what is
left once the words all the offered names begin and end with are dropped (a preposition or
postposition next to the rest stays: "по инвалидности"), cut after a whole word.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from knowledge.model import EntryInfo, Lang, other_lang

SHORT_NAME_MAX: Final = 40
# Kept at the edge of a short name: without them it reads as a bare noun in another case.
LINKING_WORDS: Final = frozenset({
    "по", "на", "в", "во", "о", "об", "для", "с", "со", "из", "за", "от", "до", "при",
    "бойынша", "үшін", "туралы", "арқылы", "кезінде",
})


def service_labels(choices: Sequence[EntryInfo], lang: Lang) -> tuple[str | None, ...]:
    """Each choice's service in short, in ``lang``, aligned with ``choices``; all None when
    they are of one service (the question already says which)."""
    names: dict[int | str, list[str]] = {}
    for entry in choices:
        service = entry.service
        text = service.name.get(lang) or service.name.get(other_lang(lang)) or entry.key
        names.setdefault(service.id or service.register_no, text.split())
    if len(names) < 2:  # noqa: PLR2004 - one service needs no label
        return tuple(None for _ in choices)
    short = _distinct(list(names.values()))
    labels = {key: shorten_words(" ".join(words)) for key, words in zip(names, short,
                                                                          strict=True)}
    return tuple(labels[entry.service.id or entry.service.register_no] for entry in choices)


def _distinct(names: list[list[str]]) -> list[list[str]]:
    """The names without the words all of them begin and end with (never all a name's)."""
    head = _common(names)
    if head and names[0][head - 1].casefold() in LINKING_WORDS:
        head -= 1
    rest = [words[head:] for words in names]
    tail = _common([list(reversed(words)) for words in rest])
    if tail and rest[0][len(rest[0]) - tail].casefold() in LINKING_WORDS:
        tail -= 1
    return [words[:len(words) - tail] for words in rest]


def _common(names: list[list[str]]) -> int:
    """How many leading words all names share, leaving every name at least one."""
    count = 0
    shortest = min(len(words) for words in names)
    while count < shortest - 1 and len({words[count].casefold() for words in names}) == 1:
        count += 1
    return count


def shorten_words(text: str, limit: int = SHORT_NAME_MAX) -> str:
    """``text`` cut after its last whole word that fits, with "…"; whole when it fits."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-(") + "…"
