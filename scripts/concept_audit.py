"""Which words of a knowledge base each concept captures beyond its own list.

A concept collapses words of one meaning; one that also swallows an unrelated word (the
fee's шығын catching шығу, to leave) makes questions about that word look like questions
about the concept. For each concept this lists the base's words (per language) that
reach its tag, as the base reads them and as a citizen typing them would, and that are
not the concept's own words, so a reader can tell inflections from collisions.

    python scripts/concept_audit.py [--pack PACK ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from knowledge.text.analyse import known_reading, query_readings, split_words
from knowledge.text.concepts import CONCEPTS
from knowledge.text.fold import fold_word

SHARED = Path(__file__).resolve().parents[2] / "shared" / "packs"
DEFAULT_PACKS = (SHARED / "demo.json", SHARED / "lookalikes.json")


def _texts(value: Any, lang: str | None = None) -> list[tuple[str, str]]:
    """(language, text) of every string in a pack's service, keyed by kk/ru."""
    if isinstance(value, str):
        return [(lang, value)] if lang else []
    if isinstance(value, list):
        return [item for v in value for item in _texts(v, lang)]
    if isinstance(value, dict):
        return [item for k, v in value.items()
                for item in _texts(v, k if k in {"kk", "ru"} else lang)]
    return []


def pack_words(pack: dict[str, Any]) -> dict[str, set[str]]:
    words: dict[str, set[str]] = {"kk": set(), "ru": set()}
    for service in pack["services"]:
        for lang, text in _texts(service):
            words[lang].update(split_words(text))
    return words


def own_words(tag: str) -> set[str]:
    kazakh, russian = CONCEPTS[tag]
    return {fold_word(part.lstrip("!=")) for item in (kazakh + " " + russian).split()
            for part in item.split("_")}


def captured(words: dict[str, set[str]]) -> dict[str, set[str]]:
    """tag -> the base's words that reach it and are not the concept's own."""
    out: dict[str, set[str]] = defaultdict(set)
    for lang, vocabulary in words.items():
        for word in vocabulary:
            for tag in {known_reading(word, lang), *query_readings(word)}:
                if tag in CONCEPTS and fold_word(word) not in own_words(tag):
                    out[tag].add(word)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pack", type=Path, action="append")
    args = parser.parse_args(argv)
    words: dict[str, set[str]] = {"kk": set(), "ru": set()}
    for path in args.pack or DEFAULT_PACKS:
        for lang, found in pack_words(json.loads(path.read_text(encoding="utf-8"))).items():
            words[lang] |= found
    for tag, found in sorted(captured(words).items()):
        print(f"{tag} ({len(found)}): {' '.join(sorted(found))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
