"""The search index over live entries, in two levels: services, then entries within a service.

A citizen's question must name the service *and* the aspect asked about. Words that every
service shares ("сколько стоит", "қандай құжаттар") say nothing about which service is
meant, and words every entry of a service shares say nothing about which entry: so terms
are weighed by idf across services for the first level and by idf among the service's
own entries for the second. Service postings are numpy arrays so scoring is vectorised.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, KeysView, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

from knowledge.model import EntryInfo, ServiceInfo
from knowledge.text.analyse import concept_table, known_reading, known_terms
from knowledge.text.concepts import ASPECTS, CONCEPTS, SITUATIONS
from knowledge.text.fold import fold_word
from knowledge.text.langdetect import KAZAKH_FRAME, RUSSIAN_FRAME

# How strongly a field of the service document speaks for the service.
NAME_WEIGHT: Final = 1.0
QUESTION_WEIGHT: Final = 1.0
QUESTION_AS_SERVICE_WEIGHT: Final = 0.6  # a question's word speaks less for its service
ANSWER_WEIGHT: Final = 0.35
CARD_WEIGHT: Final = 0.35
LANG_BITS: Final = {"kk": 1, "ru": 2}

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]


KIND_MIN_SERVICES: Final = 3  # a word asked with in fewer services is about the topic
KIND_MIN_SHARE: Final = 0.1  # ... or in a smaller share of them
KIND_SMOOTHING: Final = 0.5
NEIGHBOURS: Final = 3  # look-alike services a service is told apart from
NEIGHBOUR_MAX_DF: Final = 50  # terms this common say nothing of which services look alike
FRAME_SHARE: Final = 0.25  # how much a frame word's rarity among siblings is believed
VARIANT_FLOOR: Final = 0.1  # a word every sibling shares still counts a little
# A word of the service's own names and keywords is said to name the service as much as to
# pick one of its entries: among the entries it weighs this share of its rarity.
NAME_WORD_SHARE: Final = 0.5
# How much an entry's kind (the same last id part in other services) counts beside its own
# variants in its aspect profile: as much as they do.
KIND_PRIOR: Final = 1.0


@dataclass(frozen=True, slots=True)
class Variant:
    """One way of asking an entry: its terms and folded text, for re-ranking."""

    lang: str
    terms: frozenset[str]
    text: str
    # Each term with its weight among the service's entries, and their sum (set at build).
    weights: tuple[tuple[str, float], ...] = ()
    total: float = 0.0


@dataclass(slots=True)
class ServiceGroup:
    """A service's entries and how rare each term is among them."""

    entries: list[int]
    idf_within: dict[str, float]
    frame: frozenset[str] = frozenset()

    def weight(self, term: str) -> float:
        """A term's weight for telling this service's entries apart."""
        share = FRAME_SHARE if term in self.frame else 1.0
        return self.idf_within.get(term, 0.0) * share + VARIANT_FLOOR


@dataclass(frozen=True, slots=True)
class AspectKinds:
    """A naive Bayes model of the kind of question asked, trained on the base's variants."""

    entry_kind: tuple[int, ...]  # entry -> kind number
    names: tuple[str, ...]
    log_p: dict[str, FloatArray]  # term -> log P(term | kind) for every kind
    unseen: FloatArray  # log P(a vocabulary term never seen in a kind's questions)
    # Whether a kind is asked in as many services as an asking word must be: how such a
    # kind is asked is learned from many phrasings; a one-off kind's (an LLP's tax audit)
    # from its own few, which say its topic more than how it is asked.
    common: tuple[bool, ...] = ()


@dataclass(frozen=True, slots=True)
class SaidBy:
    """A service's phrases that say it (names, keywords, questions' topics) as arrays: its
    distinct terms, each phrase's terms as positions among them, where each phrase starts."""

    terms: tuple[str, ...]
    members: IntArray
    starts: IntArray


@dataclass(slots=True)
class KnowledgeIndex:
    entries: list[EntryInfo]
    variants: list[list[Variant]]
    entry_terms: list[dict[str, float]]  # entry -> {term: field weight}
    aspects: list[dict[str, float]]  # entry -> {aspect: share of its variants asking it}
    services: list[ServiceGroup]
    entry_service: list[int]
    term_ids: dict[str, int]
    postings: list[tuple[IntArray, FloatArray]]  # term -> (services, field weights)
    idf: FloatArray  # across services
    term_langs: dict[str, int]  # which languages' questions and names use the term
    surface_langs: dict[str, int]  # ... and which use the word spelled this way
    surfaces: dict[str, tuple[str, ...]]  # folded word -> terms it stands for
    revision: int = 0
    term_names: list[str] = field(default_factory=list)
    frame_terms: frozenset[str] = frozenset()
    # term id -> the one service whose keywords use it, when no other service names it or
    # asks with it: a question using it names that service. Keywords, not official names:
    # "жительства" in "Регистрация по месту жительства" is no name a citizen uses.
    naming: dict[int, int] = field(default_factory=dict)
    variant_texts: list[list[str]] = field(default_factory=list)
    # entry -> term -> ((variant number, weight), ...): the variants a term occurs in
    variant_postings: list[dict[str, tuple[tuple[int, float], ...]]] = field(
        default_factory=list
    )
    # service -> the terms of its names, keywords and questions; and its nearest
    # neighbours (the services sharing most of its rarer strong terms), to weigh a term by
    # how well it tells the service from its look-alikes rather than by a flat idf.
    strong_terms: list[frozenset[str]] = field(default_factory=list)
    neighbours: list[tuple[int, ...]] = field(default_factory=list)
    # The kind of question an entry answers (its id's last part: "fee", "documents"), and
    # how people ask each kind, learned from every service's variants of it: a term's
    # log-probability in each kind's questions (terms many services ask with only).
    kinds: AspectKinds | None = None
    # service -> its names and keywords as phrases: each term with its weight in the family
    # (the service and its neighbours), so that "пособие на ребёнка-инвалида" asks for the
    # child a question on "пособие по инвалидности" does not name.
    phrases: list[tuple[tuple[tuple[str, float], ...], ...]] = field(default_factory=list)
    # service -> what says it: its names, keywords and questions, each as its terms (weighed
    # at question time among the services the question may be about), as arrays
    said: list[SaidBy] = field(default_factory=list)
    # The terms met in one question variant of the whole base and in no name or keyword: a
    # phrasing's incidental word ("неделю назад"), not what a service is asked by.
    incidental: frozenset[str] = frozenset()
    # entry -> the share of its own phrasings that say a citizen's situation (lost, abroad,
    # a foreigner, by proxy; the likeliest one's): an entry on that situation, when most do.
    situation_share: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.term_names = list(self.term_ids)

    @property
    def size(self) -> int:
        return len(self.entries)


def idf_value(df: int, n: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def _texts(texts: Mapping[str, str] | None) -> Iterable[tuple[str, str]]:
    return ((lang, text) for lang, text in (texts or {}).items() if text)


def _variant_postings(variants: Sequence[Variant]) -> dict[str, tuple[tuple[int, float], ...]]:
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, variant in enumerate(variants):
        for term, weight in variant.weights:
            postings[term].append((number, weight))
    return {term: tuple(items) for term, items in postings.items()}


def _aspect_profile(variants: Sequence[Variant]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for variant in variants:
        for aspect in variant.terms & ASPECTS:
            counts[aspect] += 1
    return {aspect: n / len(variants) for aspect, n in counts.items()} if variants else {}


def _situation_share(profile: Mapping[str, float]) -> float:
    """The share of an entry's own phrasings saying its likeliest situation."""
    return max((profile.get(situation, 0.0) for situation in SITUATIONS), default=0.0)


def _entry_kind(entry: EntryInfo) -> str | None:
    """The kind of question an entry answers: its id's last part ("fee"), if it has parts."""
    _, dot, kind = entry.key.rpartition(".")
    return kind if dot else None


def _kind_smoothed_profiles(
    entries: Sequence[EntryInfo], own: Sequence[dict[str, float]],
) -> list[dict[str, float]]:
    """Each entry's aspect profile: its own variants' shares (``own``) blended with its
    kind's.

    An entry has a handful of phrasings; the entries of the same kind in other services
    show how that kind is asked, so an entry on documents none of whose own variants says
    "документы" still answers "какие документы нужны".
    """
    kinds = [_entry_kind(entry) for entry in entries]
    members: dict[str, int] = defaultdict(int)
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for e, kind in enumerate(kinds):
        if kind is not None:
            members[kind] += 1
            for aspect, share in own[e].items():
                totals[kind][aspect] += share
    out = []
    for e, kind in enumerate(kinds):
        if kind is None or members[kind] < 2 or not KIND_PRIOR:
            out.append(own[e])
            continue
        n, mean = members[kind], totals[kind]
        out.append({
            a: (own[e].get(a, 0.0) + KIND_PRIOR * mean.get(a, 0.0) / n) / (1.0 + KIND_PRIOR)
            for a in own[e].keys() | mean.keys()
        })
    return out


class _Builder:
    def __init__(self) -> None:
        self.term_langs: dict[str, int] = defaultdict(int)
        self.surface_langs: dict[str, int] = defaultdict(int)
        self.surfaces: dict[str, set[str]] = defaultdict(set)

    def add(self, target: dict[str, float], text: str, lang: str, weight: float) -> list[str]:
        folded_words = []
        for folded, term in known_terms(text, lang):
            if target.get(term, 0.0) < weight:
                target[term] = weight
            if weight >= QUESTION_WEIGHT:
                self.term_langs[term] |= LANG_BITS[lang]
                self.surface_langs[folded] |= LANG_BITS[lang]
                self.surfaces[folded].add(term)
            folded_words.append(folded)
        return folded_words


@cache
def frame_terms() -> frozenset[str]:
    """The terms that frame words become in knowledge-base texts of either language."""
    words = [*KAZAKH_FRAME, *RUSSIAN_FRAME]
    return frozenset(known_reading(w, lang) for w in words for lang in ("kk", "ru")) - ASPECTS


@dataclass(slots=True)
class _Read:
    """The entries read in order: a document per service (names, keywords, card, and its
    entries' words, weaker) and each entry's terms and ways of asking."""

    service_docs: list[dict[str, float]] = field(default_factory=list)
    phrases: list[list[tuple[str, ...]]] = field(default_factory=list)  # per service
    keyword_terms: list[set[str]] = field(default_factory=list)  # per service
    groups: list[list[int]] = field(default_factory=list)  # per service: its entries
    entry_service: list[int] = field(default_factory=list)
    entry_terms: list[dict[str, float]] = field(default_factory=list)
    variants: list[list[Variant]] = field(default_factory=list)


def build_index(entries: Sequence[EntryInfo], revision: int = 0) -> KnowledgeIndex:
    b = _Builder()
    read = _read_entries(b, entries)
    _spell_concepts(b)
    n_services = len(read.service_docs)
    strong_df, any_df = _document_frequencies(read.service_docs)
    term_ids = {term: i for i, term in enumerate(any_df)}
    idf = np.array(
        [idf_value(strong_df[t] or any_df[t], n_services) for t in term_ids], dtype=np.float32
    )
    naming = {
        term_ids[term]: s
        for s, terms in enumerate(read.keyword_terms)
        for term in terms
        if strong_df[term] == 1
    }
    frame = frame_terms()
    services = _weigh_within_services(read, frame)
    variants = read.variants
    own_profiles = [_aspect_profile(v) for v in variants]
    strong = [
        frozenset(t for t, w in doc.items() if w >= QUESTION_AS_SERVICE_WEIGHT)
        for doc in read.service_docs
    ]
    neighbours = _neighbours(strong, strong_df, idf, term_ids)
    return KnowledgeIndex(
        entries=list(entries),
        variants=variants,
        entry_terms=read.entry_terms,
        aspects=_kind_smoothed_profiles(entries, own_profiles),
        situation_share=[_situation_share(profile) for profile in own_profiles],
        services=services,
        entry_service=read.entry_service,
        term_ids=term_ids,
        postings=_service_postings(read.service_docs, term_ids),
        idf=idf,
        term_langs=dict(b.term_langs),
        surface_langs=dict(b.surface_langs),
        surfaces=_known_surfaces(b.surfaces, term_ids.keys()),
        revision=revision,
        frame_terms=frame,
        naming=naming,
        variant_texts=[[v.text for v in vs] for vs in variants],
        variant_postings=[_variant_postings(vs) for vs in variants],
        strong_terms=strong,
        neighbours=neighbours,
        phrases=_weigh_phrases(read.phrases, strong, neighbours),
        said=_said_by(read, frame),
        kinds=_aspect_kinds(entries, variants, read.entry_service, n_services),
        incidental=_incidental(read),
    )


def _incidental(read: _Read) -> frozenset[str]:
    """The terms of exactly one question variant, not of any name or keyword."""
    phrasings: Counter[str] = Counter()
    for variants in read.variants:
        for v in variants:
            phrasings.update(v.terms)
    named = {term for phrases in read.phrases for phrase in phrases for term in phrase}
    return frozenset(t for t, n in phrasings.items() if n == 1 and t not in named)


def _aspect_kinds(
    entries: Sequence[EntryInfo], variants: Sequence[Sequence[Variant]],
    entry_service: Sequence[int], n_services: int,
) -> AspectKinds | None:
    """How each kind of question is asked, from all services' variants of that kind.

    A kind is an id's last part, when ids have parts. The vocabulary is the words many
    services ask with (the topic's words are in few), so "қанша тұрады", "какие
    документы", "через сколько" are learned from dozens of phrasings, not two.
    """
    names: dict[str, int] = {}
    entry_kind = []
    for entry in entries:
        entry_kind.append(names.setdefault(_entry_kind(entry) or "", len(names)))
    if len(names) < 2 or n_services < 2:
        return None
    vocabulary = _asking_words(variants, entry_service, n_services)
    if not vocabulary:
        return None
    column = {t: i for i, t in enumerate(vocabulary)}
    counts = np.zeros((len(vocabulary), len(names)), dtype=np.float64)
    for e, vs in enumerate(variants):
        for v in vs:
            for term in v.terms:
                if term in column:
                    counts[column[term], entry_kind[e]] += 1.0
    denominator = counts.sum(axis=0) + KIND_SMOOTHING * len(vocabulary)
    log_p = np.log((counts + KIND_SMOOTHING) / denominator).astype(np.float32)
    services_of: dict[int, set[int]] = defaultdict(set)
    for e, kind in enumerate(entry_kind):
        services_of[kind].add(entry_service[e])
    least = max(KIND_MIN_SERVICES, KIND_MIN_SHARE * n_services)
    return AspectKinds(
        tuple(entry_kind), tuple(names),
        {t: log_p[i] for t, i in column.items()},
        np.log(KIND_SMOOTHING / denominator).astype(np.float32),
        tuple(len(services_of[k]) >= least and name != "" for name, k in names.items()),
    )


# Aspects asked of any service (not the citizen's situation): how people ask, always.
ASKED: Final = ASPECTS - SITUATIONS


def _asking_words(
    variants: Sequence[Sequence[Variant]], entry_service: Sequence[int], n_services: int,
) -> list[str]:
    """The words many services' questions use: how people ask, not what about."""
    services_of: dict[str, set[int]] = defaultdict(set)
    for e, vs in enumerate(variants):
        for v in vs:
            for term in v.terms:
                services_of[term].add(entry_service[e])
    least = max(KIND_MIN_SERVICES, KIND_MIN_SHARE * n_services)
    return sorted(t for t, ss in services_of.items() if len(ss) >= least or t in ASKED)


def _neighbours(
    strong: Sequence[frozenset[str]], strong_df: Mapping[str, int], idf: FloatArray,
    term_ids: Mapping[str, int],
) -> list[tuple[int, ...]]:
    """Each service's nearest look-alikes: most shared strong terms, weighed by idf (terms
    in many services are skipped, which also keeps this linear in the base's size)."""
    services_of: dict[str, list[int]] = defaultdict(list)
    for s, terms in enumerate(strong):
        for term in terms:
            if 1 < strong_df[term] <= NEIGHBOUR_MAX_DF:
                services_of[term].append(s)
    out = []
    for s, terms in enumerate(strong):
        shared: dict[int, float] = defaultdict(float)
        for term in terms:
            for other in services_of.get(term, ()):
                if other != s:
                    shared[other] += float(idf[term_ids[term]])
        best = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:NEIGHBOURS]
        out.append(tuple(other for other, _ in best))
    return out


def _read_entries(b: _Builder, entries: Sequence[EntryInfo]) -> _Read:
    read = _Read()
    service_of: dict[str, int] = {}
    for e, entry in enumerate(entries):
        service = entry.service
        s = service_of.get(service.register_no)
        if s is None:
            s = service_of[service.register_no] = len(read.service_docs)
            doc, keyword_terms = _service_doc(b, service)
            read.phrases.append(_phrases(service))
            read.keyword_terms.append(keyword_terms)
            read.service_docs.append(doc)
            read.groups.append([])
        read.groups[s].append(e)
        read.entry_service.append(s)
        own, entry_variants = _entry_terms(b, entry)
        for term, weight in own.items():
            capped = min(weight, QUESTION_AS_SERVICE_WEIGHT)
            if read.service_docs[s].get(term, 0.0) < capped:
                read.service_docs[s][term] = capped
        read.entry_terms.append(own)
        read.variants.append(entry_variants)
    return read


def _phrases(service: ServiceInfo) -> list[tuple[str, ...]]:
    """A service's names and keywords, each as its terms."""
    texts = [(lang, name) for lang, name in _texts(service.name)]
    texts += [(lang, word) for lang, words in (service.keywords or {}).items() for word in words]
    out = []
    for lang, text in texts:
        terms = tuple(dict.fromkeys(term for _, term in known_terms(text, lang)))
        if terms:
            out.append(terms)
    return out


def _said_by(read: _Read, frame: frozenset[str]) -> list[SaidBy]:
    """What says a service, each as its terms: its names and keywords, and its questions
    (a question the base holds as written says its service whole) without their frame
    words, which say nothing of the service (and fewer distinct phrases are read faster)."""
    out = [dict.fromkeys(p for p in phrases if p) for phrases in read.phrases]
    for e, variants in enumerate(read.variants):
        for v in variants:
            topic = tuple(sorted(t for t in v.terms if t not in frame))
            if topic:
                out[read.entry_service[e]][topic] = None
    return [_said_arrays(list(said)) for said in out]


def _said_arrays(phrases: list[tuple[str, ...]]) -> SaidBy:
    position: dict[str, int] = {}
    members = [position.setdefault(t, len(position)) for p in phrases for t in p]
    starts = np.cumsum([0, *(len(p) for p in phrases[:-1])], dtype=np.int32)
    return SaidBy(tuple(position), np.asarray(members, dtype=np.int32),
                  starts[:len(phrases)])


def _weigh_phrases(
    phrases: Sequence[Sequence[tuple[str, ...]]], strong: Sequence[frozenset[str]],
    neighbours: Sequence[tuple[int, ...]],
) -> list[tuple[tuple[tuple[str, float], ...], ...]]:
    """Each phrase's terms weighed by their rarity among the service and its neighbours."""
    out = []
    for s, own in enumerate(phrases):
        family = (s, *neighbours[s])
        weighed = []
        for phrase in own:
            weighed.append(tuple(
                (term, idf_value(sum(term in strong[f] for f in family), len(family)))
                for term in phrase
            ))
        out.append(tuple(weighed))
    return out


def _service_doc(b: _Builder, service: ServiceInfo) -> tuple[dict[str, float], set[str]]:
    """A service's document from its names, keywords and card, and its keywords' terms."""
    doc: dict[str, float] = {}
    for lang, name in _texts(service.name):
        b.add(doc, name, lang, NAME_WEIGHT)
    said: dict[str, float] = {}
    for lang, words in (service.keywords or {}).items():
        for word in words:
            b.add(said, word, lang, NAME_WEIGHT)
    for term, weight in said.items():
        doc[term] = max(doc.get(term, 0.0), weight)
    keyword_terms = set(said)
    for section in (service.card or {}).values():
        for lang, text in _texts(section):
            b.add(doc, text, lang, CARD_WEIGHT)
    return doc, keyword_terms


def _entry_terms(b: _Builder, entry: EntryInfo) -> tuple[dict[str, float], list[Variant]]:
    """An entry's terms (its questions' and answer's) and a variant per question."""
    own: dict[str, float] = {}
    entry_variants = []
    for lang, questions in entry.questions.items():
        for question in questions:
            terms: dict[str, float] = {}
            folded = b.add(terms, question, lang, QUESTION_WEIGHT)
            own.update(terms)
            entry_variants.append(Variant(lang, frozenset(terms), " ".join(folded)))
    for lang, text in _texts(entry.answer):
        b.add(own, text, lang, ANSWER_WEIGHT)
    return own, entry_variants


def _known_surfaces(
    surfaces: Mapping[str, set[str]], known: KeysView[str],
) -> dict[str, tuple[str, ...]]:
    """Each spelling with the terms of the index it stands for (none: left out)."""
    out = {}
    for spelling, terms in surfaces.items():
        kept = terms & known
        if kept:
            out[spelling] = tuple(sorted(kept))
    return out


def _spell_concepts(b: _Builder) -> None:
    """Concept words the base never spelled still lead to the concept (for typos of them)."""
    table = concept_table()
    for word in {w.lstrip("!=") for pair in CONCEPTS.values() for text in pair
                 for w in text.split()}:
        tag = table.words.get(fold_word(word))
        if tag is not None and "_" not in word:
            b.surfaces[fold_word(word)].add(tag)


def _document_frequencies(
    service_docs: Sequence[dict[str, float]],
) -> tuple[dict[str, int], dict[str, int]]:
    """In how many services each term is strong (a name, keyword or question), and is at all.

    A mention in another service's answer or card ("sign it with your ЭЦП") must not make
    a word common: document frequency counts names, keywords and questions only.
    """
    strong_df: dict[str, int] = defaultdict(int)
    any_df: dict[str, int] = defaultdict(int)
    for doc in service_docs:
        for term, weight in doc.items():
            any_df[term] += 1
            strong_df[term] += weight >= QUESTION_AS_SERVICE_WEIGHT
    return strong_df, any_df


def _service_postings(
    service_docs: Sequence[dict[str, float]], term_ids: dict[str, int]
) -> list[tuple[IntArray, FloatArray]]:
    docs: list[list[int]] = [[] for _ in term_ids]
    vals: list[list[float]] = [[] for _ in term_ids]
    for s, doc in enumerate(service_docs):
        for term, weight in doc.items():
            docs[term_ids[term]].append(s)
            vals[term_ids[term]].append(weight)
    return [
        (np.array(d, dtype=np.int32), np.array(v, dtype=np.float32))
        for d, v in zip(docs, vals, strict=True)
    ]


def _weigh_within_services(read: _Read, frame: frozenset[str]) -> list[ServiceGroup]:
    """Each service's group of entries, and its entries' variants weighed within it."""
    services = []
    variants = read.variants
    for s, members in enumerate(read.groups):
        within: dict[str, int] = defaultdict(int)
        for e in members:
            for term in read.entry_terms[e]:
                within[term] += 1  # answers count too: "консульство" may be only there
        named = {term for phrase in read.phrases[s] for term in phrase}
        group = ServiceGroup(members, {
            t: idf_value(n, len(members)) * (NAME_WORD_SHARE if t in named else 1.0)
            for t, n in within.items()
        }, frame)
        services.append(group)
        for e in members:
            weighted = []
            for v in variants[e]:
                pairs = tuple((t, group.weight(t)) for t in sorted(v.terms))
                weighted.append(Variant(v.lang, v.terms, v.text, pairs, sum(w for _, w in pairs)))
            variants[e] = weighted
    return services
