"""Fit the engine's free parameters from knowledge packs' own questions; write params.json.

Training cases come from the packs alone, never from an evaluation query set:

- leave one variant out ("variant"): the k-th phrasing of every entry (per language) is
  taken out of the pack and asked of an index without it; the truth is its entry;
- leave one service out ("service"): a whole service is taken out and its questions
  asked; the truth is "nothing to answer";
- noisy copies of each held-out question made by rules: without Kazakh letters, in Latin
  letters, with one or two typos, with a chatty opening;
- noisy copies of every question asked of the whole pack ("known"): a phrasing the base
  holds, written as people write.

Then, deterministically (a fixed seed, a fixed search order): (1) the weights of the entry
evidence (``knowledge.matching.params.Weights``) by coordinate ascent for the most in-pack
questions ranked first; the service cover's power stays 1 so that the thresholds
(``Thresholds``) keep their scale; (2) on the cases the thresholds would answer, two
logistic calibrations of the best candidate's features (Newton's method, L2): P(the entry
is right) and P(its service is right). The engine keeps such an answer when both are at
least 0.5 (more likely right than wrong; not a tuned value). Prints the figures on the
training cases, and those of a fit on one pack measured on the other (a base it never saw).

    python scripts/fit.py [--pack PACK ...] [--out knowledge/matching/params.json] [--check]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_pack import entries_from_pack  # noqa: E402

from knowledge.matching.decision import Thresholds, choices  # noqa: E402
from knowledge.matching.decision import decide as rule_decide  # noqa: E402
from knowledge.matching.index import build_index  # noqa: E402
from knowledge.matching.matcher import (  # noqa: E402
    NEUTRAL,
    OUT_OF_SCOPE_SHARE,
    Features,
    Matcher,
    calibration_features,
)
from knowledge.matching.params import (  # noqa: E402
    CALIBRATION_FEATURES,
    PARAMS_FILE,
    Calibration,
    Params,
    Weights,
)
from knowledge.model import (
    Candidate,  # noqa: E402
    Decision,  # noqa: E402
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "packs"
DEFAULT_PACKS: Final = (SHARED / "demo.json", SHARED / "lookalikes.json")
SEED: Final = 17
RIDGE: Final = 1.0  # the calibration's L2 penalty (features are standardised)
NOISY_PER_QUESTION: Final = 2  # noisy copies of each held-out question

# ---- noisy copies by rules
_NO_KAZAKH = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}
_OPENINGS: Final = {
    "ru": ("здравствуйте подскажите пожалуйста", "добрый день, скажите", "подскажите",
           "у меня вопрос:", "здравствуйте, хотел узнать"),
    "kk": ("саламатсыз ба айтыңызшы", "сәлеметсіз бе, білгім келеді", "айтыңызшы",
           "сұрағым бар:", "қайырлы күн, көмектесіңізші"),
}


def no_kazakh(text: str) -> str:
    return text.translate(_NO_KAZAKH).lower()


def latin(text: str, rng: random.Random) -> str:
    out = []
    for ch in text.lower():
        if ch == "қ" and rng.random() < 0.5:
            out.append("k")
        else:
            out.append(_LATIN.get(ch, ch))
    return "".join(out)


def typos(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    for i in rng.sample(long, min(len(long), rng.choice((1, 2)))):
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            w = w[:j] + w[j + 1:]  # a letter dropped
        elif kind == 1:
            w = w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]  # two letters swapped
        else:
            w = w[:j] + w[j] + w[j:]  # a letter doubled
        words[i] = w
    return " ".join(words)


def chatty(text: str, lang: str, rng: random.Random) -> str:
    body = text[:1].lower() + text[1:]
    return f"{rng.choice(_OPENINGS[lang])} {body}"


def noisy_copies(text: str, lang: str, rng: random.Random) -> list[tuple[str, str]]:
    """``NOISY_PER_QUESTION`` rule-made copies of a question, with their style."""
    makers = {
        "nokk": lambda: no_kazakh(text),
        "latin": lambda: latin(text, rng),
        "typo": lambda: typos(text, rng),
        "colloquial": lambda: chatty(text, lang, rng),
    }
    styles = rng.sample(sorted(makers), NOISY_PER_QUESTION)
    return [(style, makers[style]()) for style in styles]


# ---- cases
@dataclass(slots=True)
class Case:
    """One question asked of an index, its candidates' evidence, and the truth."""

    pack: str
    kind: str  # "variant", "known" (truth: an entry) or "service" (truth: nothing)
    style: str
    truth: str | None
    keys: list[str]
    rows: list[Features]
    named: dict[int, bool]  # service number -> the question names it
    missing: dict[int, float]  # service number -> Matcher.missing
    uncovered: float
    clarify_min: float
    text: str = ""


def _ask(  # noqa: PLR0917
    matcher: Matcher, text: str, pack: str, kind: str, style: str, truth: str | None,
) -> Case:
    rows, resolved = matcher.features(text)
    services = {row.service_no for row in rows}
    return Case(
        pack, kind, style, truth,
        [matcher.index.entries[row.entry].key for row in rows], rows,
        {s: matcher.names_service(resolved, s) for s in services},
        {s: matcher.missing(resolved, s) for s in services},
        matcher.uncovered(resolved), matcher.thresholds.clarify_min, text,
    )


def _with_noise(text: str, lang: str, rng: random.Random) -> list[tuple[str, str]]:
    return [("clean", text), *noisy_copies(text, lang, rng)]


def collect(name: str, pack: dict[str, Any], rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    most = max(len(qs) for s in pack["services"] for f in s["faq"]
               for qs in f["questions"].values())
    for k in range(most):
        reduced = copy.deepcopy(pack)
        held: list[tuple[str, str, str]] = []
        for service in reduced["services"]:
            for faq in service["faq"]:
                for lang, questions in faq["questions"].items():
                    if len(questions) > 1 and k < len(questions):
                        held.append((questions.pop(k), lang, faq["id"]))
        matcher = Matcher(build_index(entries_from_pack(reduced)), Thresholds(), Params(),
                          all_evidence=True)
        for text, lang, truth in held:
            for style, asked in _with_noise(text, lang, rng):
                cases.append(_ask(matcher, asked, name, "variant", style, truth))
    matcher = Matcher(build_index(entries_from_pack(pack)), Thresholds(), Params(),
                      all_evidence=True)
    for service in pack["services"]:
        for faq in service["faq"]:
            for lang, questions in faq["questions"].items():
                for text in questions:
                    for style, asked in noisy_copies(text, lang, rng):
                        cases.append(_ask(matcher, asked, name, "known", style, faq["id"]))
    for number in range(len(pack["services"])):
        reduced = copy.deepcopy(pack)
        service = reduced["services"].pop(number)
        matcher = Matcher(build_index(entries_from_pack(reduced)), Thresholds(), Params(),
                          all_evidence=True)
        for faq in service["faq"]:
            for lang, questions in faq["questions"].items():
                for text in questions:
                    for style, asked in _with_noise(text, lang, rng):
                        cases.append(_ask(matcher, asked, name, "service", style, None))
    return cases


# ---- simulating the engine's decision on a case
@dataclass(slots=True)
class Outcome:
    top_right: bool
    service_right: bool
    features: dict[str, float] | None  # None: nothing offered (escalated)
    telling: bool
    uncovered: float


def outcome(case: Case, weights: Weights) -> Outcome:
    if not case.rows:
        return Outcome(False, False, None, False, case.uncovered)
    scored = sorted(
        zip(case.rows, case.keys, strict=True),
        key=lambda rk: (-rk[0].score(weights), rk[0].entry),
    )
    best, key = scored[0]
    same = case.truth is not None and key.rpartition(".")[0] == case.truth.rpartition(".")[0]
    scores = [round(min(r.score(weights), 1.0), 4) for r, _ in scored]
    sibling = max((s for (r, _), s in zip(scored[1:], scores[1:], strict=True)
                   if r.service_no == best.service_no), default=0.0)
    other = max((s for (r, _), s in zip(scored[1:], scores[1:], strict=True)
                 if r.service_no != best.service_no), default=0.0)
    if scores[0] < case.clarify_min:
        return Outcome(key == case.truth, same, None, best.telling, case.uncovered)
    feats = calibration_features(
        scores[0], scores[0] - sibling, scores[0] - other, best,
        named=case.named.get(best.service_no, False), uncovered=case.uncovered,
        missing=case.missing.get(best.service_no, 0.0), weights=weights,
    )
    return Outcome(key == case.truth, same, feats, best.telling, case.uncovered)


def top1(cases: Sequence[Case], weights: Weights) -> float:
    inpack = [c for c in cases if c.truth is not None]
    return sum(outcome(c, weights).top_right for c in inpack) / max(1, len(inpack))


# ---- (1) weights: coordinate ascent over a few values of each
WEIGHT_VALUES: Final = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0)
SEARCH: Final = {
    "entry": WEIGHT_VALUES, "aspect": WEIGHT_VALUES, "variant": WEIGHT_VALUES[1:],
    "spelling": WEIGHT_VALUES, "separation": WEIGHT_VALUES, "kind": WEIGHT_VALUES,
    "phrase": WEIGHT_VALUES,
    "kind_temperature": (1.0, 3.0, 10.0, 30.0),
    "kind_rerank": (0.0, 0.1, 0.2, 0.3, 0.5, 0.8),
    "situation_rerank": (0.0, 0.1, 0.2, 0.3, 0.5, 0.8),
    "separation_rerank": (0.0, 0.1, 0.2, 0.3, 0.5, 0.8),
    "phrase_rerank": (0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0),
}
ROUNDS: Final = 6
CELLS: list[bool] = [False]  # --cells: the weights' guard holds for every pack x kind x style


class _Ranker:
    """Every in-pack case's rows as arrays, to count the entries ranked first fast."""

    def __init__(self, cases: Sequence[Case]) -> None:
        inpack = [c for c in cases if c.truth is not None and c.rows]
        rows = [r for c in inpack for r in c.rows]
        self.f = {
            name: np.array([getattr(r, name) for r in rows], dtype=np.float64)
            for name in ("service", "within", "aspect", "variant", "spelling", "separation",
                         "kind_odds", "phrase", "said", "unsaid_situation")
        }
        self.right = np.array([k == c.truth for c in inpack for k in c.keys])
        # Ties go to the lower entry number, as in the engine.
        self.tie = np.array([r.entry for r in rows], dtype=np.float64) * 1e-9
        self.starts = np.cumsum([0] + [len(c.rows) for c in inpack])[:-1]
        self.case_of = np.repeat(np.arange(len(inpack)), [len(c.rows) for c in inpack])

    def hits(self, w: Weights) -> int:
        f = self.f
        inside = (w.entry * f["within"] + w.aspect * f["aspect"] + w.variant * f["variant"]
                  + w.spelling * f["spelling"] + w.separation * f["separation"]
                  + w.kind * np.exp(f["kind_odds"] / w.kind_temperature)
                  + w.phrase * f["phrase"]) / w.total
        if w.kind_rerank:
            inside = inside * (1.0 - w.kind_rerank
                               * (1.0 - np.exp(f["kind_odds"] / w.kind_temperature)))
        if w.situation_rerank:
            inside = inside * (1.0 - w.situation_rerank * f["unsaid_situation"])
        if w.separation_rerank:
            inside = inside * (1.0 - w.separation_rerank
                               * np.maximum(0.0, 1.0 - f["separation"] / NEUTRAL))
        if w.phrase_rerank:
            inside = inside * (1.0 - w.phrase_rerank * (1.0 - f["said"]))
        key = f["service"] ** w.service_power * inside - self.tie
        top = np.maximum.reduceat(key, self.starts)
        return int(np.sum(self.right & (key >= top[self.case_of])))


NEW_EVIDENCE: Final = ("separation", "kind", "phrase", "kind_temperature", "kind_rerank",
                       "situation_rerank", "separation_rerank", "phrase_rerank")
# Re-ranking only: evidence that reorders a service's entries and adds none for the service.
RERANK_ONLY: Final = ("kind_rerank", "kind_temperature", "situation_rerank",
                      "separation_rerank", "phrase_rerank")


def fit_weights(
    cases: Sequence[Case], start: Weights | None = None, *, only: Sequence[str] | None = None,
) -> Weights:
    """The weights that rank the most in-pack questions' entries first, every pack's share
    counting alike and no pack ranking fewer first than with ``start``: coordinate ascent
    from ``start``, each weight in turn over SEARCH's values, until nothing improves
    (deterministic: the order is fixed, a change must strictly gain)."""
    packs = sorted({c.pack for c in cases})
    rankers = [_Ranker([c for c in cases if c.pack == pack]) for pack in packs]
    sizes = [max(1, len(r.starts)) for r in rankers]
    # No pack may rank fewer right than at the start; ``CELLS``: nor any kind of case
    # (held-out, known) in any style of writing of any pack.
    cells = sorted({(c.pack, c.kind, c.style) for c in cases if c.truth is not None})
    guards = rankers if not CELLS[0] else [
        _Ranker([c for c in cases if (c.pack, c.kind, c.style) == cell]) for cell in cells
    ]
    best = start or Weights()
    floor = [g.hits(best) for g in guards]

    def value(w: Weights) -> float:
        if any(g.hits(w) < f for g, f in zip(guards, floor, strict=True)):
            return -1.0
        hits = [r.hits(w) for r in rankers]
        return sum(h / n for h, n in zip(hits, sizes, strict=True)) / len(rankers)

    best_value = value(best)
    for _ in range(ROUNDS):
        improved = False
        for name, values in SEARCH.items():
            if only is not None and name not in only:
                continue
            for v in values:
                trial = replace(best, **{name: v})
                score = value(trial)
                if score > best_value + 1e-12:
                    best, best_value, improved = trial, score, True
        if not improved:
            break
    return best


# ---- (2) calibration: L2-regularised logistic regression by Newton's method
def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = RIDGE) -> tuple[float, np.ndarray]:
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    beta = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * ridge
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (p - y) + penalty @ beta
        hess = (z.T * (p * (1 - p))) @ z + penalty
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    coef = beta[1:] / std
    return float(beta[0] - np.sum(coef * mean)), coef


def calibration_data(
    cases: Sequence[Case], weights: Weights, *, service: bool = False,
) -> tuple[np.ndarray, np.ndarray, list[Case]]:
    """The best candidate's features and whether it is right (``service``: whether its
    service is), for the cases where something is offered."""
    xs, ys, used = [], [], []
    for case in cases:
        o = outcome(case, weights)
        if o.features is None:
            continue
        xs.append([o.features[n] for n in CALIBRATION_FEATURES])
        ys.append(float(case.truth is not None and (o.service_right if service else o.top_right)))
        used.append(case)
    return np.array(xs), np.array(ys), used


def fit_calibration(
    cases: Sequence[Case], weights: Weights, *, service: bool = False,
) -> Calibration:
    x, y, _ = calibration_data(cases, weights, service=service)
    intercept, coef = fit_logistic(x, y)
    return Calibration(round(intercept, 6), {
        n: round(float(c), 6) for n, c in zip(CALIBRATION_FEATURES, coef, strict=True)
    })


# ---- (3) the figures
@dataclass(slots=True)
class Figures:
    inpack: int = 0
    right: int = 0
    wrong: int = 0
    clarify_hit: int = 0
    services: int = 0
    false: int = 0

    def line(self) -> str:
        n, m = max(1, self.inpack), max(1, self.services)
        return (f"accuracy {100 * self.right / n:5.1f}%  resolved "
                f"{100 * (self.right + self.clarify_hit) / n:5.1f}%  wrong "
                f"{100 * self.wrong / n:4.1f}%  | left-out services: false answers "
                f"{100 * self.false / m:4.1f}%  ({self.inpack} + {self.services} questions)")


@dataclass(slots=True)
class Prepared:
    """A case ranked by fixed weights: what the decision needs, whatever its thresholds."""

    case: Case
    offered: bool  # the best candidate reaches clarify_min
    ranked: list[Candidate]
    service_of: dict[str, int]
    named: bool
    telling: bool
    uncovered: float
    entry_p: float | None  # the calibrated probabilities (None: no calibration)
    service_p: float | None
    missing: float = 0.0  # Matcher.missing of the best's service


def prepare(case: Case, params: Params) -> Prepared:
    o = outcome(case, params.weights)
    if o.features is None:
        return Prepared(case, False, [], {}, False, False, o.uncovered, None, None)
    scored = sorted(zip(case.rows, case.keys, strict=True),
                    key=lambda rk: (-rk[0].score(params.weights), rk[0].entry))
    ranked = [Candidate(k, round(min(r.score(params.weights), 1.0), 4)) for r, k in scored]
    return Prepared(
        case, True, ranked, {k: r.service_no for r, k in scored},
        case.named.get(scored[0][0].service_no, False), o.telling, o.uncovered,
        params.calibration.probability(o.features) if params.calibration else None,
        params.service_calibration.probability(o.features)
        if params.service_calibration else None,
        o.features["missing"],
    )


def decide_prepared(
    prep: Prepared, thresholds: Thresholds, entry_p: float, service_p: float,
    gate_missing: float = 0.0,
) -> tuple[str, str | None, list[str]]:
    if not prep.offered:
        return "escalate", None, []
    answer = rule_decide(prep.ranked, thresholds, prep.service_of.__getitem__,
                         named=prep.named)[0] == Decision.ANSWER
    if (prep.entry_p is not None and prep.entry_p < entry_p) or (
            prep.service_p is not None and prep.missing >= gate_missing
            and prep.service_p < service_p):
        answer = False
    if answer and prep.telling:
        return "answer", prep.ranked[0].entry, []
    if prep.uncovered > OUT_OF_SCOPE_SHARE:
        return "escalate", None, []
    return "clarify", None, [c.entry for c in choices(prep.ranked, thresholds)[:3]]


def decide(case: Case, params: Params) -> tuple[str, str | None, list[str]]:
    """The engine's decision on a case as ``Matcher.ask`` takes it with ``params``."""
    return decide_prepared(prepare(case, params), params.thresholds or Thresholds(),
                           params.entry_p, params.service_p, params.gate_missing)


def _tally(f: Figures, truth: str | None, decided: tuple[str, str | None, list[str]]) -> None:
    decision, entry, shown = decided
    if truth is None:
        f.services += 1
        f.false += decision == "answer"
        return
    f.inpack += 1
    if decision == "answer":
        f.right += entry == truth
        f.wrong += entry != truth
    f.clarify_hit += decision == "clarify" and truth in shown


def figures(cases: Iterable[Case], params: Params) -> Figures:
    f = Figures()
    for case in cases:
        _tally(f, case.truth, decide(case, params))
    return f


# ---- (4) the decision's thresholds for the fitted weights' scale
THRESHOLD_SEARCH: Final = {
    "answer_min": (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5),
    "service_margin": (0.03, 0.05, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25),
    "answer_margin": (0.0, 0.01, 0.02, 0.03, 0.05, 0.08),
    "named_answer_min": (0.1, 0.15, 0.2, 0.25, 0.3, 0.35),
    "named_service_margin": (0.0, 0.01, 0.03, 0.05, 0.08, 0.13),
}
FLOOR_SEARCH: Final = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
SHORTFALL_COST: Final = 10.0
GATE_MISSING_SEARCH: Final = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True, slots=True)
class DecisionParams:
    """The decision's free parameters: thresholds, calibrated floors, the gate's reach."""

    thresholds: Thresholds
    entry_p: float
    service_p: float
    gate_missing: float


def _per_pack(preps: dict[str, list[Prepared]], d: DecisionParams) -> dict[str, Figures]:
    out = {}
    for pack, mine in preps.items():
        f = Figures()
        for prep in mine:
            _tally(f, prep.case.truth, decide_prepared(
                prep, d.thresholds, d.entry_p, d.service_p, d.gate_missing))
        out[pack] = f
    return out


def _rates(f: Figures) -> tuple[float, float, float]:
    """(right, wrong, false) as shares."""
    return (f.right / max(1, f.inpack), f.wrong / max(1, f.inpack),
            f.false / max(1, f.services))


def fit_decision(cases: Sequence[Case], params: Params, *, floors_only: bool = False) -> Params:
    """The thresholds and calibrated floors that answer the most questions right, every
    pack's share counting alike, while no pack answers fewer right, or more wrongly or
    falsely, than the hand-set engine (``Params()``) does on the same cases: a fit must
    dominate the engine it replaces, pack by pack (each point short of it costs
    SHORTFALL_COST points of accuracy). Coordinate ascent, a fixed order, strict gains.
    ``floors_only``: the hand-set thresholds kept."""
    packs = sorted({c.pack for c in cases})
    bars = {pack: _rates(figures((c for c in cases if c.pack == pack), Params()))
            for pack in packs}
    preps = {pack: [prepare(c, params) for c in cases if c.pack == pack] for pack in packs}
    calibrated = params.calibration is not None or params.service_calibration is not None

    shortfall = [0.0]

    def value(d: DecisionParams) -> float:
        total = short = 0.0
        for pack, f in _per_pack(preps, d).items():
            right, wrong, false = _rates(f)
            bar_right, bar_wrong, bar_false = bars[pack]
            short += (max(0.0, bar_right - right) + max(0.0, wrong - bar_wrong)
                      + max(0.0, false - bar_false))
            total += right
        shortfall[0] = short
        return total / len(packs) - SHORTFALL_COST * short

    best = DecisionParams(params.thresholds or Thresholds(),
                     params.entry_p if calibrated else 0.0,
                     params.service_p if calibrated else 0.0, params.gate_missing)
    trials: list[tuple[str, tuple[float, ...]]] = []
    if not floors_only:
        trials += list(THRESHOLD_SEARCH.items())
    if calibrated:
        trials += [("entry_p", FLOOR_SEARCH), ("service_p", FLOOR_SEARCH),
                   ("gate_missing", GATE_MISSING_SEARCH)]
    best_value = value(best)
    for _ in range(ROUNDS):
        improved = False
        for name, values in trials:
            for v in values:
                if name in THRESHOLD_SEARCH:
                    trial = replace(best, thresholds=replace(best.thresholds, **{name: v}))
                else:
                    trial = replace(best, **{name: v})
                score = value(trial)
                if score > best_value + 1e-12:
                    best, best_value, improved = trial, score, True
        if not improved:
            break
    value(best)
    print(f"decision fit: {'dominates' if shortfall[0] == 0 else 'does NOT dominate'} the "
          f"hand-set engine on every pack's training cases (shortfall {shortfall[0]:.4f})")
    return replace(params, thresholds=best.thresholds, entry_p=best.entry_p,
                   service_p=best.service_p, gate_missing=best.gate_missing)


# Which weights the fit may change (``fit``'s ``evidence``):
EVIDENCE: Final = {
    # the kind of question and the look-alikes' separation as re-ranking only: they may
    # lower an entry's score, never raise it, so the decision's scale stays (the default)
    "rerank": RERANK_ONLY,
    # the look-alike evidence added to the hand-set weights, which stay
    "added": NEW_EVIDENCE,
    # every weight (round 1's fit)
    "all": None,
}


def fit(
    cases: Sequence[Case], *, evidence: str = "rerank", gate: bool = True,
    thresholds: bool = False,
) -> Params:
    """Weights (those ``EVIDENCE[evidence]`` names), then with ``gate`` the two calibrations
    on the cases the thresholds answer, then the decision (``fit_decision``): the calibrated
    floors and the reach of the service's, and with ``thresholds`` the thresholds too."""
    weights = fit_weights(cases, only=EVIDENCE[evidence])
    ruled = Params(weights)
    floors_only = not thresholds
    if not gate:
        return fit_decision(cases, ruled, floors_only=floors_only)
    answered = [c for c in cases if decide(c, ruled)[0] == "answer"]
    return fit_decision(cases, Params(
        weights,
        fit_calibration(answered, weights),
        fit_calibration(answered, weights, service=True),
    ), floors_only=floors_only)


def report(title: str, cases: Sequence[Case], params: Params) -> None:
    print(title)
    for pack in sorted({c.pack for c in cases}):
        mine = [c for c in cases if c.pack == pack]
        print(f"  {pack:12} ranked first {100 * top1(mine, params.weights):5.1f}%  "
              f"{figures(mine, params).line()}")
        for kind in ("variant", "known", "service"):
            print(f"    {kind:10} {figures((c for c in mine if c.kind == kind), params).line()}")
        for style in ("clean", "nokk", "latin", "typo", "colloquial"):
            styled = (c for c in mine if c.style == style)
            print(f"    {style:10} {figures(styled, params).line()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pack", type=Path, action="append",
                        help="a knowledge pack to fit on (repeatable; default: demo, lookalikes)")
    parser.add_argument("--out", type=Path, default=PARAMS_FILE)
    parser.add_argument("--check", action="store_true",
                        help="fit, print, and only compare with --out (exit 1 if it differs)")
    parser.add_argument("--cross", action="store_true",
                        help="also fit on each pack alone and measure on the others")
    parser.add_argument("--evidence", choices=sorted(EVIDENCE), default="rerank",
                        help="which weights to fit (default: rerank, see EVIDENCE)")
    parser.add_argument("--no-gate", action="store_true",
                        help="no calibrated floors: the thresholds alone decide")
    parser.add_argument("--thresholds", action="store_true",
                        help="fit the decision's thresholds too (default: the hand-set ones)")
    parser.add_argument("--cells", action="store_true",
                        help="guard the weights: no pack x kind x style ranks fewer first")
    args = parser.parse_args(argv)
    CELLS[0] = args.cells
    options = {"evidence": args.evidence, "gate": not args.no_gate,
               "thresholds": args.thresholds}
    rng = random.Random(SEED)
    cases: list[Case] = []
    for path in args.pack or DEFAULT_PACKS:
        pack = json.loads(path.read_text(encoding="utf-8"))
        cases += collect(path.stem, pack, rng)
    print(f"{len(cases)} training cases from {', '.join(sorted({c.pack for c in cases}))}")
    report("before (Params(): hand-set weights, the thresholds alone):", cases, Params())
    params = fit(cases, **options)
    print(json.dumps(params.to_json(), indent=1))
    report("fitted on these cases, measured on them:", cases, params)
    if args.cross:
        for pack in sorted({c.pack for c in cases}):
            alone = fit([c for c in cases if c.pack == pack], **options)
            others = [c for c in cases if c.pack != pack]
            report(f"fitted on {pack} alone, measured on the others (unseen):", others, alone)
    text = json.dumps(params.to_json(), indent=1, sort_keys=True) + "\n"
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("params file is up to date" if same else f"{args.out} differs from the fit")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
