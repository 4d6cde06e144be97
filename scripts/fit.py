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
}
ROUNDS: Final = 6


class _Ranker:
    """Every in-pack case's rows as arrays, to count the entries ranked first fast."""

    def __init__(self, cases: Sequence[Case]) -> None:
        inpack = [c for c in cases if c.truth is not None and c.rows]
        rows = [r for c in inpack for r in c.rows]
        self.f = {
            name: np.array([getattr(r, name) for r in rows], dtype=np.float64)
            for name in ("service", "within", "aspect", "variant", "spelling", "separation",
                         "kind_odds", "phrase")
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
        key = f["service"] ** w.service_power * inside - self.tie
        top = np.maximum.reduceat(key, self.starts)
        return int(np.sum(self.right & (key >= top[self.case_of])))


def fit_weights(cases: Sequence[Case], start: Weights | None = None) -> Weights:
    """The weights that rank the most in-pack questions' entries first: coordinate ascent
    from ``start``, each weight in turn over SEARCH's values, until nothing improves
    (deterministic: the order is fixed, a change must strictly gain)."""
    ranker = _Ranker(cases)
    best = start or Weights()
    best_hits = ranker.hits(best)
    for _ in range(ROUNDS):
        improved = False
        for name, values in SEARCH.items():
            for value in values:
                trial = replace(best, **{name: value})
                hits = ranker.hits(trial)
                if hits > best_hits:
                    best, best_hits, improved = trial, hits, True
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


def decide(case: Case, params: Params) -> tuple[str, str | None, list[str]]:
    """The engine's decision on a case as ``Matcher.ask`` takes it with ``params``."""
    o = outcome(case, params.weights)
    if o.features is None:
        return "escalate", None, []
    scored = sorted(zip(case.rows, case.keys, strict=True),
                    key=lambda rk: (-rk[0].score(params.weights), rk[0].entry))
    ranked = [Candidate(k, round(min(r.score(params.weights), 1.0), 4)) for r, k in scored]
    service_of = {k: r.service_no for r, k in scored}
    named = case.named.get(scored[0][0].service_no, False)
    answer = rule_decide(ranked, Thresholds(), service_of.__getitem__, named=named)[0] == (
        Decision.ANSWER
    )
    for calibration, floor in ((params.calibration, params.entry_p),
                               (params.service_calibration, params.service_p)):
        if calibration is not None and calibration.probability(o.features) < floor:
            answer = False
    if answer and o.telling:
        return "answer", scored[0][1], []
    if o.uncovered > OUT_OF_SCOPE_SHARE:
        return "escalate", None, []
    return "clarify", None, [c.entry for c in choices(ranked, Thresholds())[:3]]


def figures(cases: Iterable[Case], params: Params) -> Figures:
    f = Figures()
    for case in cases:
        decision, entry, shown = decide(case, params)
        if case.truth is None:
            f.services += 1
            f.false += decision == "answer"
            continue
        f.inpack += 1
        if decision == "answer":
            f.right += entry == case.truth
            f.wrong += entry != case.truth
        f.clarify_hit += decision == "clarify" and case.truth in shown
    return f


def fit(cases: Sequence[Case]) -> Params:
    weights = fit_weights(cases)
    ruled = Params(weights)
    answered = [c for c in cases if decide(c, ruled)[0] == "answer"]
    return Params(
        weights,
        fit_calibration(answered, weights),
        fit_calibration(answered, weights, service=True),
    )


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
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    cases: list[Case] = []
    for path in args.pack or DEFAULT_PACKS:
        pack = json.loads(path.read_text(encoding="utf-8"))
        cases += collect(path.stem, pack, rng)
    print(f"{len(cases)} training cases from {', '.join(sorted({c.pack for c in cases}))}")
    report("before (Params(): hand-set weights, the thresholds alone):", cases, Params())
    params = fit(cases)
    print(json.dumps(params.to_json(), indent=1))
    report("fitted on these cases, measured on them:", cases, params)
    if args.cross:
        for pack in sorted({c.pack for c in cases}):
            alone = fit([c for c in cases if c.pack == pack])
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
