"""The answer engine: a question in, a decision out (answer, clarify or escalate).

Two stages. Candidate generation scores every entry at once from numpy postings: how much
of the question's weight (idf) the entry covers, a word counting by its strongest field.
Re-ranking looks closer at the best few: how much of one of its own question variants the
question covers, and rapidfuzz's token-set similarity of the spellings.
"""

from __future__ import annotations

import math
from bisect import insort
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Final

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge.matching.decision import (
    MAX_CHOICES,
    Thresholds,
    choices,
    decide,
    identifies_service,
    leads,
)
from knowledge.matching.index import (
    FRAME_SHARE,
    LANG_BITS,
    KnowledgeIndex,
    ServiceGroup,
    idf_value,
)
from knowledge.matching.params import Params, Weights
from knowledge.model import Answer, Candidate, Decision, Lang
from knowledge.text.analyse import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    Token,
    query_readings,
    query_tokens,
    split_words,
)
from knowledge.text.concepts import ASPECTS, QUESTION_WORDS, SITUATIONS
from knowledge.text.endings import only_endings
from knowledge.text.fold import fold_word
from knowledge.text.kazakh_stem import stem_kazakh, stripped_forms
from knowledge.text.langdetect import detect_language, frame_words

SERVICE_DEPTH: Final = 4  # services whose entries are looked at closely
SERVICE_FLOOR: Final = 0.3  # ... when they score at least this share of the best one
# The score is service cover ** service_power times a weighted mean of entry evidence;
# the weights are fitted by scripts/fit on packs' own variants (knowledge/matching/params.json).
CONTEXT_ASPECT: Final = 0.6  # an aspect named beside one asked by a question word
# Asked beside a situation, still asked: what it costs is the fee entry's to answer ("the
# cost of restoring a lost ID" is how the packs' fee entries are asked).
SITUATIONS_ASIDE: Final = frozenset({"#fee"})
# An entry is on a situation of the citizen's when at least this share of its own phrasings
# say one (4 of 6); a share below it is incidental ("if I lost it, how long?").
SITUATION_ENTRY: Final = 2 / 3
# An aspect asked tells a service's entries apart when some are about it and some are not
# (profiles differ by this much), and the question's other words are the service's own: it
# misses none of its words at least this telling (``missing``), else it may be a look-alike
# not in the base whose marker word is left unmatched.
ASPECT_APART: Final = 0.5
ASPECT_APART_MISSING: Final = 0.5
TELLING_IDF: Final = 0.2  # a word in every entry of a service has within-idf ~0.1
NEUTRAL: Final = 0.5  # a question that does not tell entries apart neither helps nor hurts
SEPARATION_PRIOR: Final = 0.5  # few telling words: a separation near NEUTRAL
UNKNOWN_WORD_SHARE: Final = 0.85  # an unknown word weighs this share of the rarest term
FUZZY_MIN_LEN: Final = 4
SPLIT_MIN_PART: Final = 3
FULL_UNKNOWN_WORDS: Final = 2
# A word the base uses only in passing (answers, cards) is that much an unknown word.
PASSING_UNKNOWN: Final = True
INCIDENTAL_SHARE: Final = 0.5  # ... a word of one phrasing only, half
EXTRA_UNKNOWN_SHARE: Final = 0.35
MAX_WORD_LEN: Final = 40  # longer "words" are not looked up, split or fuzzily matched
NAMING_SIMILARITY: Final = 0.85  # a misspelt service word still names the service
# A question most of whose content (by weight) no service's words cover is out of scope:
# an honest reply, not a guess nor an escalation. A word met only in answers and cards
# (weaker than a name, keyword or question) is covered in part.
OUT_OF_SCOPE: Final = "out_of_scope"  # an Answer's reason
OUT_OF_SCOPE_SHARE: Final = 0.5
# Scores are rounded to 4 places: an entry skipped for its spelling stays this much further.
SPELLING_SAFETY: Final = 0.001
COMMON_KINDS_ONLY: Final = True  # the kind of question tells only kinds many services have
STRONG_FIELD: Final = 0.6  # QUESTION_AS_SERVICE_WEIGHT: a question's word in its service


def _is_thing(term: str) -> bool:
    """A concept of ours that names a thing (no aspect) or the citizen's situation."""
    return term.startswith("#") and (term not in ASPECTS or term in SITUATIONS)


@cache
def _question_words() -> frozenset[str]:
    return frozenset(fold_word(word) for word in QUESTION_WORDS)


@dataclass(frozen=True, slots=True)
class ResolvedToken:
    """A question word tied to index terms: [(term id, similarity)] and its weight."""

    folded: str
    terms: tuple[tuple[int, float], ...]
    weight: float
    frame: bool = False  # a question word, particle or common verb: weak evidence anywhere
    asks: bool = False  # an aspect named by a question word ("қашан", "где")
    # How well the base covers the word (``Matcher._coverage``), worked out once per word.
    coverage: float = 0.0
    # The word names a thing of ours (a concept that is no aspect: a document, a benefit, a
    # kind of business) or the citizen's situation (lost, abroad, a foreigner, by proxy),
    # spelt as such (no fuzzy guess, no piece of a glued word).
    thing: bool = False


@dataclass(slots=True)  # not frozen: made for every entry looked at, three times faster
class Features:
    """What speaks for one entry: its service's cover and the evidence inside the service."""

    entry: int
    service: float
    within: float
    aspect: float
    variant: float
    spelling: float
    lang: str
    telling: bool = True  # the question says something that tells the service's entries apart
    separation: float = 0.5  # how well the question tells the service from its neighbours
    service_no: int = 0
    # How much less likely the entry's kind of question is asked than the service's
    # likeliest kind (a naive Bayes log-odds, <= 0), tempered by the weights.
    kind_odds: float = 0.0
    phrase: float = 0.0  # how fully the question says one of the service's names or keywords
    # How fully it says one of the service's names, keywords or questions, words weighed by
    # how they tell it from the other services the question may be about: what the service
    # is decided on first (``Weights.phrase_rerank``).
    said: float = 0.0
    # The share of the entry's phrasings saying a situation of the citizen's (lost,
    # abroad, ...) when most do and the question says none: an entry on a situation not
    # the citizen's.
    unsaid_situation: float = 0.0

    def kind(self, weights: Weights) -> float:
        return math.exp(self.kind_odds / weights.kind_temperature)

    def score(self, weights: Weights) -> float:
        inside = (
            weights.entry * self.within
            + weights.aspect * self.aspect
            + weights.variant * self.variant
            + weights.spelling * self.spelling
            + weights.separation * self.separation
            + weights.kind * self.kind(weights)
            + weights.phrase * self.phrase
        ) / weights.total
        if weights.kind_rerank:
            inside *= 1.0 - weights.kind_rerank * (1.0 - self.kind(weights))
        if weights.situation_rerank:
            inside *= 1.0 - weights.situation_rerank * self.unsaid_situation
        if weights.separation_rerank:
            inside *= 1.0 - weights.separation_rerank * max(0.0, 1.0 - self.separation / NEUTRAL)
        if weights.phrase_rerank:
            inside *= 1.0 - weights.phrase_rerank * (1.0 - self.said)
        return float(self.service**weights.service_power * inside)


def calibration_features(
    score: float, sibling_lead: float, service_lead: float, best: Features, *,
    named: bool, uncovered: float, missing: float, weights: Weights,
) -> dict[str, float]:
    """What the decision's calibration sees of the best candidate (CALIBRATION_FEATURES)."""
    return {
        "score": score,
        "sibling_lead": sibling_lead,
        "service_lead": service_lead,
        "named": float(named),
        "uncovered": uncovered,
        "service": best.service,
        "variant": best.variant,
        "within": best.within,
        "separation": best.separation,
        "kind": best.kind(weights),
        "spelling": best.spelling,
        "missing": missing,
        "phrase": best.phrase,
    }


def _asked_aspects(resolved: list[ResolvedToken], names: list[str]) -> dict[str, float]:
    """The aspects the question names, each weighing 1.0 when asked, else CONTEXT_ASPECT.

    An aspect is asked when its word is a question word (қашан, где) or stands beside one
    (құжаттары қандай, какие документы); otherwise it is context ("сдал документы, сколько
    ждать?"). The citizen's situation (lost, abroad, a foreigner, by proxy) is always
    asked, and makes the rest context: "I lost my ID, where do I go?" is answered by the
    entry on a lost ID, though not what it costs (``SITUATIONS_ASIDE``). With no aspect
    asked, every one named counts.
    """
    asking = _question_words()
    asked: dict[str, float] = {}
    for i, token in enumerate(resolved):
        if token.frame:
            continue
        beside = any(
            0 <= j < len(resolved) and resolved[j].folded in asking for j in (i - 1, i + 1)
        )
        for tid, _ in token.terms:
            aspect = names[tid]
            if aspect in ASPECTS:
                weight = 1.0 if token.asks or beside or aspect in SITUATIONS else CONTEXT_ASPECT
                asked[aspect] = max(asked.get(aspect, 0.0), weight)
    if "#validity" in asked and "#term" in asked:  # how long it is valid: the validity
        asked["#validity"], asked["#term"] = 1.0, min(asked["#term"], CONTEXT_ASPECT)
    if asked.keys() & SITUATIONS:  # the entry on the situation answers what is asked of it
        return {a: w if a in SITUATIONS_ASIDE else 1.0 if a in SITUATIONS
                else min(w, CONTEXT_ASPECT) for a, w in asked.items()}
    if asked and all(w < 1.0 for w in asked.values()):
        asked = dict.fromkeys(asked, 1.0)
    return asked


class Matcher:
    def __init__(
        self, index: KnowledgeIndex, thresholds: Thresholds | None = None,
        params: Params | None = None, *, all_evidence: bool = False,
    ) -> None:
        self.index = index
        self.params = params or Params()
        self.thresholds = thresholds or self.params.thresholds or Thresholds()
        # The look-alike evidence costs time: each kind is worked out only when something
        # weighs it (or, ``all_evidence``, for scripts/fit to weigh), and every entry's
        # spelling only when a calibration sees the evidence whole.
        w, p = self.params.weights, self.params
        whole = all_evidence or bool(p.calibration or p.service_calibration)
        self._separation_evidence = whole or bool(w.separation or w.separation_rerank)
        self._kind_evidence = whole or bool(w.kind or w.kind_rerank)
        self._phrase_evidence = whole or bool(w.phrase)
        self._all_spelling = whole
        self._vocabulary = sorted(index.surfaces)
        self._by_length: dict[tuple[int, float], list[str]] = {}
        self._max_idf = float(index.idf.max()) if len(index.idf) else 1.0
        self._resolve = lru_cache(maxsize=50_000)(self._resolve_covered)
        self._kinds_of: dict[int, list[int]] = {}  # a service's kinds (``_own_kinds``)
        self.entries_by_key = {entry.key: entry for entry in index.entries}
        self._entry_numbers = {entry.key: number for number, entry in enumerate(index.entries)}
        self.entries_by_id = {entry.id: entry for entry in index.entries if entry.id}

    def service_of(self, key: str) -> int:
        """The index's number of an entry's service (for the decision's two margins)."""
        return self.index.entry_service[self._entry_numbers[key]]

    # ---- question words -> index terms
    def _exact(self, readings: tuple[str, ...]) -> tuple[tuple[int, float], ...]:
        ids = self.index.term_ids
        return tuple((ids[r], 1.0) for r in readings if r in ids)

    def _fuzzy(self, folded: str) -> tuple[tuple[int, float], ...]:
        """The base's words closest to a misspelt one, each weighed by its similarity.

        fuzz.ratio finds candidates fast; the typist's edits (OSA: a transposed pair,
        серкітестік, is one) keep only the closest: a looser alternative, weighed by its
        rarity, would otherwise outweigh the word one letter off. (A ratio is never below
        the OSA similarity, so a transposition scores as one edit.)
        """
        if len(folded) < FUZZY_MIN_LEN or not self._vocabulary:
            return ()
        cutoff = 75.0 if len(folded) < 5 else 80.0  # one letter off: кцда (75), бсытро (83)
        close = process.extract(
            folded, self._long_enough(len(folded), cutoff), scorer=fuzz.ratio, limit=5,
            score_cutoff=cutoff,
        )
        if not close:
            return ()
        edits = [OSA.distance(folded, word) for word, _, _ in close]
        fewest = min(edits)
        found: dict[int, float] = {}
        for (word, score, _), edit in zip(close, edits, strict=True):
            if edit > fewest:
                continue
            for term in self.index.surfaces[word]:
                tid = self.index.term_ids[term]
                found[tid] = max(found.get(tid, 0.0), score / 100.0)
        return tuple(found.items())

    def _long_enough(self, length: int, cutoff: float) -> list[str]:
        """The base's words whose length lets their ratio to a word of ``length`` reach
        ``cutoff`` (the ratio is at most 2 min / (sum) of the lengths), in the vocabulary's
        order so that ties fall as over the whole: fewer words to compare."""
        words = self._by_length.get((length, cutoff))
        if words is None:
            words = self._by_length[(length, cutoff)] = [
                w for w in self._vocabulary
                if 200.0 * min(length, len(w)) / (length + len(w)) >= cutoff - 1e-9
            ]
        return words

    def _spelt(self, folded: str) -> tuple[tuple[int, float], ...]:
        """The terms a word the base spells this way stands for: a piece of a glued word
        is folded already, and the stemmer misreads some folded forms (другуиу, подават)."""
        ids = self.index.term_ids
        return tuple((ids[t], 1.0) for t in self.index.surfaces.get(folded, ()) if t in ids)

    def _split(
        self, folded: str, *, typed: bool = False, after: int = 0
    ) -> tuple[tuple[int, float], ...]:
        """A word glued from two known words (зейнетақыүзіндісі) stands for both; a right
        part that is only an ending (заявл + ения) is no word. ``typed``: a missing space
        (көліктіқайда, сколькоможно), both parts words the base spells, cut ``after`` a
        length and past the longest form of the word the base knows (балабақша + ға)."""
        surfaces = self.index.surfaces
        first = SPLIT_MIN_PART
        if typed:
            known = (len(f) for f in stripped_forms(folded) if f in surfaces)
            first = max(first, after, *known)
        for cut in range(len(folded) - SPLIT_MIN_PART, first - 1, -1):
            right_part = folded[cut:]
            if only_endings(right_part) or (typed and not (
                surfaces.get(right_part) and surfaces.get(folded[:cut])
            )):
                continue
            left = self._exact(query_readings(folded[:cut])) or self._spelt(folded[:cut])
            right = (self._exact(query_readings(right_part)) or self._spelt(right_part)
                     if left else ())
            if left and right:
                return left[:1] + right[:1]
        return ()

    def _resolve_covered(self, token: Token) -> tuple[ResolvedToken, ...]:
        """The word resolved, with how well the base covers it."""
        return tuple(replace(r, coverage=self._coverage(r)) if r.terms else r
                     for r in self._resolve_uncached(token))

    def _resolve_uncached(self, token: Token) -> tuple[ResolvedToken, ...]:
        folded = token.folded
        if len(folded) > MAX_WORD_LEN:  # a pasted link or a key-mash: no word of ours
            return (ResolvedToken(folded, (), UNKNOWN_WORD_SHARE * self._max_idf),)
        terms = self._exact(token.readings)
        # A word the base never spells may be two typed without a space, even when it
        # reads as one if the Kazakh stemmer took the second word for endings (көлік +
        # ті + қайда); a stem that runs past the cut is one word (загранпаспорта, and
        # a concept phrase joined from two words: как + долго).
        glued = folded not in self.index.surfaces and len(folded) >= 2 * SPLIT_MIN_PART
        stem_end = len(stem_kazakh(folded)) if glued and terms else 0
        pair = self._split(folded, typed=True, after=stem_end) if glued else ()
        # A word of ours (a concept word) is spelt right: where the base lacks it, it is not
        # a misspelling of another word (бақша is not ақша) nor two words (бала + ақшаға).
        # A question word, particle or common verb is no misspelling either (почему is not
        # почём).
        ours = any(reading.startswith("#") for reading in token.readings)
        if not pair:
            if not terms and not ours:
                terms = self._spelt(folded) if folded in frame_words() else self._fuzzy(folded)
            names = self.index.term_names
            frame_terms = self.index.frame_terms
            fuzzy = bool(terms) and terms[0][1] < 1.0
            fuzzy_frame = fuzzy and any(names[t] in frame_terms for t, _ in terms)
            is_frame = folded in frame_words() or fuzzy_frame
            if terms and all(names[tid] in ASPECTS for tid, _ in terms):
                # Aspects tell the entries of a service apart, never the service; one asked
                # by a question word (қашан, где), or a phrase holding one ("сколько
                # стоит", "неше күн"), is what the citizen asks, not context.
                asking = _question_words()
                asks = folded in asking or not asking.isdisjoint(token.parts)
                situation = all(_is_thing(names[t]) and sim >= 1.0 for t, sim in terms)
                return (ResolvedToken(folded, terms, 0.0, asks=asks, thing=situation),)
            if is_frame:
                return (ResolvedToken(folded, terms, 0.0, frame=True),)
            if not terms and not ours:
                pair = self._split(folded)
        if pair:
            return tuple(ResolvedToken(folded, (t,), float(self.index.idf[t[0]])) for t in pair)
        if not terms:
            if folded.isdigit():  # a year, an age, a sum: a detail, not a topic
                return (ResolvedToken(folded, (), 0.0, frame=True),)
            thing = any(_is_thing(r) for r in token.readings)
            return (ResolvedToken(folded, (), UNKNOWN_WORD_SHARE * self._max_idf, thing=thing),)
        weight = max(float(self.index.idf[tid]) for tid, _ in terms)
        names = self.index.term_names
        thing = all(sim >= 1.0 and _is_thing(names[tid]) for tid, sim in terms)
        return (ResolvedToken(folded, terms, weight, thing=thing),)

    def resolve(self, tokens: list[Token]) -> list[ResolvedToken]:
        out: list[ResolvedToken] = []
        seen: set[tuple[tuple[int, float], ...]] = set()
        for token in tokens:
            for resolved in self._resolve(token):
                if resolved.terms and resolved.terms in seen:
                    continue  # the same word twice adds nothing
                seen.add(resolved.terms)
                out.append(resolved)
        return out

    # ---- scoring
    def _service_cover(self, resolved: list[ResolvedToken]) -> np.ndarray:
        n = len(self.index.services)
        total = np.zeros(n, dtype=np.float32)
        for token in resolved:
            if token.weight == 0.0:
                continue
            if len(token.terms) == 1:
                tid, sim = token.terms[0]
                docs, weights = self.index.postings[tid]
                total[docs] += weights * (sim * self.index.idf[tid])
                continue
            best = np.zeros(n, dtype=np.float32)
            for tid, sim in token.terms:
                docs, weights = self.index.postings[tid]
                np.maximum.at(best, docs, weights * (sim * self.index.idf[tid]))
            total += best
        return total / self._question_weight(resolved) if resolved else total

    def _question_weight(self, resolved: list[ResolvedToken]) -> float:
        """The weight of what the question says; unknown words saturate.

        One or two words the base never uses speak against every service; in a long
        message, more of them are mostly incidental. A word the base uses only in passing
        (in an answer or a card, or in a single phrasing, never in a name or keyword) is
        that much unknown.
        """
        known = 0.0
        unknown = []
        incidental = self.index.incidental
        names = self.index.term_names
        for t in resolved:
            if not t.terms:
                unknown.append(t.weight)
                continue
            share = 1.0
            if PASSING_UNKNOWN and t.weight:
                share = t.coverage
                if share >= 1.0 and all(names[tid] in incidental for tid, _ in t.terms):
                    share = INCIDENTAL_SHARE
            known += t.weight * share
            if share < 1.0:
                unknown.append(t.weight * (1.0 - share))
        unknown.sort(reverse=True)
        extra = sum(unknown[FULL_UNKNOWN_WORDS:]) * EXTRA_UNKNOWN_SHARE
        return known + sum(unknown[:FULL_UNKNOWN_WORDS]) + extra or 1.0

    def _separation(self, s: int, resolved: list[ResolvedToken]) -> float:
        """How well the question's words tell service ``s`` from its look-alikes.

        A word weighs by its rarity within the family (the service and its nearest
        neighbours), not across the whole base: "мүгедектік" separates disability pension
        from age pension though "зейнетақы" is common to both. The words of ``s`` count
        for it, words only its neighbours use count against it; NEUTRAL when none tell.
        """
        family = (s, *self.index.neighbours[s])
        if len(family) == 1:
            return NEUTRAL
        strong = self.index.strong_terms
        names = self.index.term_names
        own = rival = 0.0
        for token in resolved:
            if token.weight == 0.0:
                continue  # frame words and aspects say nothing of the service
            mine = theirs = 0.0
            for tid, sim in token.terms:
                term = names[tid]
                df = sum(term in strong[f] for f in family)
                if df == 0:
                    continue
                value = idf_value(df, len(family)) * sim
                if term in strong[s]:
                    mine = max(mine, value)
                else:
                    theirs = max(theirs, value)
            own += mine
            rival += theirs if not mine else 0.0
        return (own + SEPARATION_PRIOR * NEUTRAL) / (own + rival + SEPARATION_PRIOR)

    def _kind_scores(self, resolved: list[ResolvedToken]) -> np.ndarray | None:
        """How likely each kind of question (naive Bayes over the base's variants of each
        kind) is to be asked so: the log-likelihood of the question's words under each,
        the same for every service, worked out once a question."""
        kinds = self.index.kinds
        if kinds is None:
            return None
        names = self.index.term_names
        score = np.zeros(len(kinds.names), dtype=np.float64)
        for token in resolved:
            best: np.ndarray | None = None
            best_sim = 0.0
            for tid, sim in token.terms:
                row = kinds.log_p.get(names[tid])
                if row is not None and sim > best_sim:
                    best, best_sim = row, sim
            if best is not None:
                score += best_sim * best.astype(np.float64)
        return score

    def _kinds(self, s: int, scores: np.ndarray | None) -> dict[int, float]:
        """Each entry of service ``s``: how likely its kind of question is asked
        (``_kind_scores``), as log-odds against the service's likeliest kind."""
        kinds = self.index.kinds
        if kinds is None or scores is None:
            return {}
        own = self._own_kinds(s)
        if len(own) < 2:
            return {}
        score = scores[own]
        by_kind = dict(zip(own, (score - score.max()).tolist(), strict=True))
        return {e: by_kind.get(kinds.entry_kind[e], 0.0) for e in self.index.services[s].entries}

    def _own_kinds(self, s: int) -> list[int]:
        """The kinds of service ``s``'s entries that the kind of question may tell apart."""
        own = self._kinds_of.get(s)
        if own is None:
            kinds = self.index.kinds
            assert kinds is not None
            own = self._kinds_of[s] = sorted({
                kinds.entry_kind[e] for e in self.index.services[s].entries
                if not COMMON_KINDS_ONLY or kinds.common[kinds.entry_kind[e]]})
        return own

    def _phrase_cover(self, s: int, matched: dict[str, float]) -> float:
        """How fully the question says one of the service's names or keywords, its words
        weighed by how they tell the service from its look-alikes: a specific service's
        marker words are required for it, and the general sibling wins when they are absent."""
        best = 0.0
        for phrase in self.index.phrases[s]:
            total = sum(w for _, w in phrase)
            if total > 0:
                best = max(best, sum(w * matched.get(t, 0.0) for t, w in phrase) / total)
        return best

    def _said(self, candidates: list[int], matched: dict[str, float]) -> dict[int, float]:
        """How fully the question says each candidate service: the best cover of one of its
        names, keywords or questions, a word weighing by how rare it is among the candidates
        (a word every candidate uses tells none of them apart). Weighed among the services
        the question may be about, not within each one's family, so that the covers compare:
        "сколько стоит справка" says the address certificate as little as the criminal
        record certificate."""
        rows = self.index.said
        said_words = matched.keys()
        asked = [s for s in candidates if not said_words.isdisjoint(rows[s].terms)]
        # A word's weight: its rarity among the candidates (how many use it).
        terms = set().union(*(rows[s].terms for s in asked))
        df: Counter[str] = Counter()
        for s in candidates:
            df.update(self.index.strong_terms[s].intersection(terms))
        by_df = [idf_value(n, len(candidates)) for n in range(len(candidates) + 1)]
        out = dict.fromkeys(candidates, 0.0)  # says nothing of it: no cover
        for s in asked:
            own, members, starts = rows[s].terms, rows[s].members, rows[s].starts
            w = np.fromiter((by_df[df[t]] for t in own), float, len(own))
            said = w * np.fromiter((matched.get(t, 0.0) for t in own), float, len(own))
            got = np.add.reduceat(said[members], starts)
            total = np.add.reduceat(w[members], starts)
            out[s] = float((got / total).max())
        return out

    def _telling(self, group: ServiceGroup, resolved: list[ResolvedToken]) -> bool:
        """Whether a word of the question (not a frame word) is rarer than the service itself."""
        within = group.idf_within
        names = self.index.term_names
        return any(
            within.get(names[tid], 0.0) > TELLING_IDF
            for token in resolved if not token.frame for tid, _ in token.terms
        )

    def _asks_apart(self, group: ServiceGroup, asked: dict[str, float]) -> bool:
        """Whether an aspect the question asks tells the service's entries apart: some of
        them are about it and some are not ("how long does the land act take" picks the
        entry on the term though every entry's answer mentions days)."""
        aspects = self.index.aspects
        for name, weight in asked.items():
            if weight < 1.0:
                continue
            held = [aspects[e].get(name, 0.0) for e in group.entries]
            if max(held) - min(held) >= ASPECT_APART:
                return True
        return False

    def _within_weights(
        self, group: ServiceGroup, resolved: list[ResolvedToken]
    ) -> list[tuple[float, tuple[tuple[str, float], ...]]]:
        """Each question word's weight among the service's entries, and its terms with
        their weighted similarity: the part of ``_entry_cover`` that is the same for every
        entry of the service."""
        within = group.idf_within
        names = self.index.term_names
        out = []
        for token in resolved:
            share = FRAME_SHARE if token.frame else 1.0  # frame words: little evidence
            weighted = tuple(
                (names[tid], within.get(names[tid], 0.0) * share * sim)
                for tid, sim in token.terms
            )
            weight = max((within.get(names[tid], 0.0) * share for tid, _ in token.terms),
                         default=0.0)
            out.append((weight, weighted))
        return out

    @staticmethod
    def _entry_cover(
        terms: dict[str, float], weights: list[tuple[float, tuple[tuple[str, float], ...]]]
    ) -> float:
        """How well the words that tell this service's entries apart point at an entry with
        these ``terms`` (``weights`` from ``_within_weights``)."""
        got = total = 0.0
        for weight, weighted in weights:
            best = 0.0
            for term, w in weighted:
                field = terms.get(term)
                if field is not None and w * field > best:
                    best = w * field
            got += best
            total += weight
        return got / total if total > 0 else NEUTRAL

    def _variant_cover(
        self, e: int, matched: dict[str, float], query_total: float
    ) -> tuple[float, str]:
        """Weighted Dice of the question and the entry's closest question variant.

        Words weigh by how rare they are among the service's entries (frame words little):
        what sets this entry apart must be in the question, and what the question says
        must be in the entry. ``query_total``: the question's terms weighed in the service.
        """
        variants = self.index.variants[e]
        postings = self.index.variant_postings[e]
        common = [0.0] * len(variants)
        for term, sim in matched.items():
            for number, weight in postings.get(term, ()):
                common[number] += weight * sim
        best, lang = 0.0, ""
        for number, variant in enumerate(variants):
            total = variant.total + query_total
            if total and 2 * common[number] / total > best:
                best, lang = 2 * common[number] / total, variant.lang
        return best, lang

    def _service_evidence(
        self, s: int, resolved: list[ResolvedToken], matched: dict[str, float],
        kind_scores: np.ndarray | None,
    ) -> tuple[float, dict[int, float], float]:
        """(separation from look-alikes, each entry's kind log-odds, phrase cover) of
        service ``s``: each worked out only when something weighs it (the kind's scores
        None: not weighed)."""
        separation = self._separation(s, resolved) if self._separation_evidence else NEUTRAL
        kinds = self._kinds(s, kind_scores)
        phrase = self._phrase_cover(s, matched) if self._phrase_evidence else 0.0
        return separation, kinds, phrase

    def features(
        self, text: str, exact: int | None = None,
    ) -> tuple[list[Features], list[ResolvedToken]]:
        """The evidence for every entry of the most likely services, before weighing; with
        ``exact``, complete only for what a decision and its ``exact`` best candidates need
        (``_read_spelling``)."""
        tokens = query_tokens(text)
        resolved = self.resolve(tokens)
        if not any(t.terms and t.weight for t in resolved) or self.index.size == 0:
            return [], resolved
        cover = self._service_cover(resolved)
        depth = min(SERVICE_DEPTH, len(cover))
        top = np.argpartition(-cover, depth - 1)[:depth]
        names = self.index.term_names
        matched: dict[str, float] = {}
        for token in resolved:
            for tid, sim in token.terms:
                matched[names[tid]] = max(matched.get(names[tid], 0.0), sim)
        asked = _asked_aspects(resolved, names)
        question_terms = {
            names[max(token.terms, key=lambda t: t[1])[0]]: 1.0
            for token in resolved if token.terms
        }
        query_text = " ".join(t.folded for t in tokens)
        rows: list[Features] = []
        floor = SERVICE_FLOOR * float(cover.max())
        candidates = [s for s in top.tolist() if cover[s] > 0 and cover[s] >= floor]
        said = self._said(candidates, matched) if self.params.weights.phrase_rerank else {}
        kind_scores = self._kind_scores(resolved) if self._kind_evidence else None
        situation_said = not asked.keys().isdisjoint(SITUATIONS)
        for s in candidates:
            group = self.index.services[s]
            query_total = sum(group.weight(t) for t in question_terms)
            weights = self._within_weights(group, resolved)
            telling = self._telling(group, resolved) or (
                self._asks_apart(group, asked)
                and self.missing(resolved, s) <= ASPECT_APART_MISSING
            )
            separation, kinds, phrase = self._service_evidence(
                s, resolved, matched, kind_scores)
            for e in group.entries:
                vcover, lang = self._variant_cover(e, matched, query_total)
                profile = self.index.aspects[e]
                aspect = NEUTRAL
                if asked:
                    aspect = 0.0
                    for name, w in asked.items():
                        aspect += profile.get(name, 0.0) * w
                    aspect = min(1.0, aspect)
                rows.append(Features(
                    e, float(cover[s]), self._entry_cover(self.index.entry_terms[e], weights),
                    aspect, vcover, 0.0, lang, telling, separation, s,
                    kinds.get(e, 0.0), phrase, said.get(s, 0.0),
                    self._unsaid_situation(e, situation_said),
                ))
        self._read_spelling(rows, query_text, exact)
        return rows, resolved

    def _unsaid_situation(self, entry: int, situation_said: bool) -> float:
        """How surely the entry is on a situation of the citizen's the question does not
        say: the share of its phrasings saying one, when most do (``SITUATION_ENTRY``).
        "Баланы қалай тіркеуге болады?" asks how to register a child, not how to register
        one born abroad; the entry on the situation keeps its words, and so would win
        where its siblings' phrasings say them otherwise."""
        share = self.index.situation_share[entry]
        return share if share >= SITUATION_ENTRY and not situation_said else 0.0

    def _read_spelling(self, rows: list[Features], query_text: str, exact: int | None) -> None:
        """Each entry's spelling similarity (rapidfuzz's token-set ratio to its closest
        variant), the costliest evidence, read best chance first. With ``exact`` set, not
        for an entry that even spelt exactly would stay further below the best than any
        margin or the clarify band reaches, nor enter the ``exact`` best: no decision,
        choice or shown candidate turns on it, so it keeps 0 (and its place among such
        entries is approximate). For every entry when a calibration or the fit weighs all
        the evidence."""
        texts = self.index.variant_texts

        def read_one(row: Features) -> None:
            closest = process.extractOne(query_text, texts[row.entry], scorer=fuzz.token_set_ratio)
            row.spelling = closest[1] / 100.0 if closest else 0.0

        if exact is None or self._all_spelling:
            for row in rows:
                read_one(row)
            return
        weights = self.params.weights
        t = self.thresholds
        reach = max(t.clarify_band, t.answer_margin, t.service_margin,
                    t.named_service_margin) + SPELLING_SAFETY
        bounds = []
        for row in rows:
            row.spelling = 1.0
            bounds.append((-row.score(weights), row.entry, row))
            row.spelling = 0.0
        bounds.sort(key=lambda bound: bound[:2])
        read: list[float] = []  # the scores of the entries read, negated: best first
        for minus_high, _, row in bounds:
            if len(read) >= exact and minus_high > max(read[0] + reach, read[exact - 1]):
                break  # every entry after it has less chance still
            read_one(row)
            insort(read, -row.score(weights))

    def rank(self, text: str) -> tuple[list[Candidate], list[ResolvedToken], str]:
        ranked, resolved, best = self._rank(text)
        return ranked, resolved, best.lang if best else ""

    def _rank(
        self, text: str, exact: int | None = None,
    ) -> tuple[list[Candidate], list[ResolvedToken], Features | None]:
        rows, resolved = self.features(text, exact)
        weights = self.params.weights
        scored = sorted(((-row.score(weights), row.entry, row) for row in rows),
                        key=lambda item: item[:2])
        entries = self.index.entries
        ranked = [Candidate(entries[e].key, round(min(-score, 1.0), 4)) for score, e, _ in scored]
        return ranked, resolved, scored[0][2] if scored else None

    def names_service(self, resolved: list[ResolvedToken], service: int) -> bool:
        """Whether a word of the question is a keyword of this service and of no other."""
        naming = self.index.naming
        return any(
            naming.get(tid) == service and sim >= NAMING_SIMILARITY
            for token in resolved if not token.frame and token.weight
            for tid, sim in token.terms
        )

    def uncovered(self, resolved: list[ResolvedToken]) -> float:
        """The share of the question's content (its words that are neither frame nor aspect,
        by weight) that no service's names, keywords, questions or answers cover."""
        total = missing = 0.0
        for token in resolved:
            if token.weight == 0.0:
                continue  # a frame word or an aspect: says nothing of the topic
            total += token.weight
            missing += token.weight * (1.0 - token.coverage)
        return missing / total if total else 0.0

    def _names_lacking(self, resolved: list[ResolvedToken], best: Features | None) -> bool:
        """Whether the question names a thing of ours or a situation that the best
        candidate's service never mentions (in no name, keyword, question, answer or card of
        it): "ИП" where no service is about sole proprietors, "налог" beside a property
        certificate's words, "abroad" beside the pension savings' words when no text of
        that service speaks of leaving. The question is about something else, maybe a
        service the base lacks."""
        postings = self.index.postings
        return any(
            t.thing and (not t.terms or best is None or all(
                best.service_no not in postings[tid][0] for tid, _ in t.terms))
            for t in resolved
        )

    def missing(self, resolved: list[ResolvedToken], service: int) -> float:
        """How telling the most telling word of the question is that service ``service``
        never uses in its names, keywords or questions, against the question's most telling
        word: a marker of a look-alike (or of a service not in the base) left unmatched."""
        strong = self.index.strong_terms[service]
        names = self.index.term_names
        top = lost = 0.0
        for token in resolved:
            if token.weight == 0.0:
                continue
            top = max(top, token.weight)
            if not any(names[tid] in strong for tid, _ in token.terms):
                lost = max(lost, token.weight)
        return lost / top if top else 0.0

    def _coverage(self, token: ResolvedToken) -> float:
        """How well the base covers a word: 1.0 in a service's name, keywords or questions,
        less when only in answers and cards, 0.0 unknown."""
        best = 0.0
        for tid, sim in token.terms:
            fields = self.index.postings[tid][1]
            if len(fields):
                best = max(best, min(1.0, float(fields.max()) / STRONG_FIELD) * sim)
        return best

    def _calibrated(
        self, decision: Decision, chosen: Candidate | None, shown: tuple[Candidate, ...],
        ranked: list[Candidate], confidence: tuple[float | None, float | None],
    ) -> tuple[Decision, Candidate | None, tuple[Candidate, ...]]:
        """An answer the thresholds allow, checked by the calibrated probabilities: when
        its entry or its service is more likely wrong than right, a choice instead."""
        entry_p, service_p = confidence
        doubtful = (entry_p is not None and entry_p < self.params.entry_p) or (
            service_p is not None and service_p < self.params.service_p
        )
        if decision == Decision.ANSWER and doubtful:
            return Decision.CLARIFY, None, choices(ranked, self.thresholds)
        return decision, chosen, shown

    def confidence(
        self, ranked: list[Candidate], best: Features | None, resolved: list[ResolvedToken],
        *, named: bool, uncovered: float,
    ) -> tuple[float | None, float | None]:
        """The calibrated probabilities that answering the best candidate is right, and
        that its service is the one asked about; None without a fitted calibration or a
        candidate worth offering (the service's also when it misses no word of the question
        as telling as ``Params.gate_missing``)."""
        params = self.params
        if params.calibration is None and params.service_calibration is None:
            return None, None  # the hand-set engine: the thresholds alone decide
        if best is None or not ranked or ranked[0].score < self.thresholds.clarify_min:
            return None, None
        sibling_lead, service_lead = leads(ranked, self.service_of)
        features = calibration_features(
            ranked[0].score, sibling_lead, service_lead, best, named=named, uncovered=uncovered,
            missing=self.missing(resolved, best.service_no), weights=params.weights,
        )
        service = params.service_calibration
        return (
            params.calibration.probability(features) if params.calibration else None,
            service.probability(features)
            if service is not None and features["missing"] >= params.gate_missing else None,
        )

    # ---- language
    def _evidence(self, word: str) -> int:
        """Which language's knowledge-base texts use this word: 1 kk, 2 ru, 3 both, 0 none.

        The spelling speaks first ("документы" is Russian even though its concept is shared).
        """
        surface = self.index.surface_langs.get(fold_word(word), 0)
        if surface in (1, 2):
            return surface
        bits = 0
        for reading in query_readings(word):
            bits |= self.index.term_langs.get(reading, 0)
        return bits

    def ask(
        self, text: str, fallback_lang: Lang = "kk", *, chosen_lang: Lang | None = None
    ) -> Answer:
        """Decide on a question. The reply language is the one the question is written in;
        when its words do not tell, the citizen's ``chosen_lang``, else the language of the
        best matching question, else ``fallback_lang``."""
        lang_if_unclear = chosen_lang or fallback_lang
        words = split_words(text[:MAX_QUERY_CHARS], limit=MAX_QUERY_WORDS)
        if not text.strip():
            return Answer(Decision.ESCALATE, lang_if_unclear, None, 0.0, (), reason="empty")
        if not words:
            return Answer(Decision.ESCALATE, lang_if_unclear, None, 0.0, (), reason="no_words")
        ranked, resolved, best = self._rank(text, MAX_CHOICES)
        if chosen_lang is None and best and best.lang in LANG_BITS:
            lang_if_unclear = best.lang  # type: ignore[assignment]
        lang = detect_language(words, self._evidence, fallback=lang_if_unclear)
        uncovered = self.uncovered(resolved)
        named = best is not None and self.names_service(
            resolved, self.index.entry_service[best.entry]
        )
        decision, chosen, shown = decide(ranked, self.thresholds, self.service_of, named=named)
        decision, chosen, shown = self._calibrated(
            decision, chosen, shown, ranked,
            self.confidence(ranked, best, resolved, named=named, uncovered=uncovered),
        )
        if decision == Decision.ANSWER and not (best and best.telling):
            # Only the service is named ("паспорт"): which of its answers is a guess.
            decision, chosen = Decision.CLARIFY, None
        lacking = self._names_lacking(resolved, best)
        if decision == Decision.ANSWER and lacking:
            # "ИП" where the base has no sole proprietorship, "налог" beside a certificate:
            # that service's answer would mislead; the choices (or out of scope) instead.
            decision, chosen, shown = Decision.CLARIFY, None, choices(ranked, self.thresholds)
        if decision != Decision.ANSWER and uncovered > OUT_OF_SCOPE_SHARE:
            return Answer(Decision.ESCALATE, lang, None, ranked[0].score if ranked else 0.0,
                          shown, reason=OUT_OF_SCOPE)
        return Answer(
            decision=decision,
            lang=lang,
            entry=chosen.entry if chosen else None,
            score=ranked[0].score if ranked else 0.0,
            candidates=shown,
            service_identified=not lacking and identifies_service(
                ranked, self.thresholds, self.service_of, named=named),
        )
