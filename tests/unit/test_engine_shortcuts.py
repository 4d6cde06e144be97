"""Shortcuts that make the engine faster and change nothing it says.

- The spelling similarity, the costliest evidence, is read only where a decision, a choice
  or a shown candidate can turn on it: the answers are those of reading it for every entry.
- A misspelt word is compared only with the base's words long enough to be one: the same
  words are found as over the whole vocabulary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from knowledge.matching.index import build_index
from knowledge.matching.matcher import Matcher
from tests.conftest import PRODUCT_DEMO_PACK

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from synthetic_pack import entries_from_pack  # noqa: E402

QUESTIONS = [
    "паспорт алу үшін қандай құжаттар керек",
    "сколько стоит справка о несудимости",
    "pensiya qashan tagaiyndalady",
    "как встать в очередь в детский сад",
    "жер учаскесін тіркеу мерзімі қанша",
    "где получить справку",
    "загранпаспорт почём",
    "сәлеметсіз бе, баланың туу туралы куәлігін қалай аламын, жоғалтып алдық",
]


class _EveryEntry(Matcher):
    """The engine reading every entry's spelling, as before the shortcut."""

    def _read_spelling(self, rows, query_text, exact):  # type: ignore[no-untyped-def]
        super()._read_spelling(rows, query_text, None)


@pytest.fixture(scope="module")
def index():  # type: ignore[no-untyped-def]
    return build_index(entries_from_pack(json.loads(PRODUCT_DEMO_PACK.read_text("utf-8"))))


def test_the_answers_are_those_of_reading_every_spelling(index) -> None:  # type: ignore[no-untyped-def]
    lazy, every = Matcher(index), _EveryEntry(index)
    for question in QUESTIONS:
        got, want = lazy.ask(question), every.ask(question)
        assert (got.decision, got.entry, got.lang) == (want.decision, want.entry, want.lang)
        assert got.candidates == want.candidates, question


def test_far_behind_entries_are_not_spelt(index, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = []
    real = process.extractOne

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(process, "extractOne", counting)
    matcher = Matcher(index)
    looked_at = read = 0
    for question in QUESTIONS:
        rows, _ = matcher.features(question)  # every entry looked at closely
        looked_at += len(rows)
        calls.clear()
        matcher.ask(question)
        read += len(calls)
    assert read < looked_at * 0.6  # 69 of 126 when written; all of them without the shortcut


def test_the_full_ranking_spells_every_entry(index) -> None:  # type: ignore[no-untyped-def]
    lazy, every = Matcher(index), _EveryEntry(index)
    for question in QUESTIONS:
        assert lazy.rank(question)[0] == every.rank(question)[0]


def test_a_misspelt_word_is_compared_only_with_words_of_a_fitting_length(index) -> None:  # type: ignore[no-untyped-def]
    matcher = Matcher(index)
    fitting = matcher._long_enough(8, 80.0)
    assert fitting and all(6 <= len(w) <= 12 for w in fitting)
    assert len(fitting) < len(matcher._vocabulary)
    for word in ("кужаттар", "куаликти", "тиркелу", "справкаа", "пенсиия", "паспортт"):
        cutoff = 75.0 if len(word) < 5 else 80.0
        whole = process.extract(word, matcher._vocabulary, scorer=fuzz.ratio, limit=5,
                                score_cutoff=cutoff)
        short = process.extract(word, matcher._long_enough(len(word), cutoff),
                                scorer=fuzz.ratio, limit=5, score_cutoff=cutoff)
        assert [(w, s) for w, s, _ in short] == [(w, s) for w, s, _ in whole], word
