"""The engine's fitted parameters: how the evidence for an entry is weighed, and how sure an
answer must be.

``scripts/fit`` learns them from knowledge packs' own question variants (leave one variant
out, leave one service out, rule-made noisy copies) and writes ``params.json`` beside this
module. Nothing in it is tuned on an evaluation query set. ``Params()`` is the default engine
(hand-set weights, the kind of question re-ranking a service's entries, the thresholds
alone deciding); the fitted file is used when the settings ask for it
(``UCC_MATCHER__FITTED``), see ``Matcher``.

The decision's two calibrations are logistic models of the best candidate's features (its
score, its lead over its siblings and over other services, how fully the question says a
name of its service, ...): the probability that answering it is right, and that its
service is the one asked about. An answer the thresholds allow stands only when both reach
their floor (``entry_p``, ``service_p``: 0.5, more likely right than wrong).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

from knowledge.matching.decision import Thresholds

PARAMS_FILE: Final = Path(__file__).with_name("params.json")

# The calibration's features, in the order of its coefficients (see ``Matcher.confidence``).
CALIBRATION_FEATURES: Final = (
    "score", "sibling_lead", "service_lead", "named", "uncovered",
    "service", "variant", "within", "separation", "kind", "spelling", "missing",
    "phrase",
)


@dataclass(frozen=True, slots=True)
class Weights:
    """How the evidence for one entry makes its score: service cover ** ``service_power``
    times a weighted mean of the evidence inside the service."""

    entry: float = 0.2
    aspect: float = 0.3
    variant: float = 0.5
    spelling: float = 0.1
    separation: float = 0.0  # how well the question tells the service from its siblings
    kind: float = 0.0  # the kind of question asked, learned from every service's variants
    phrase: float = 0.0  # how fully the question says a name or keyword of the service
    service_power: float = 1.0
    kind_temperature: float = 1.0  # how much the kind's naive Bayes log-odds are believed
    # The kind of question as a re-ranking inside the service: an entry of a less likely
    # kind loses up to this share of its score, the likeliest kind's keeps it all (no
    # evidence that the service is asked, so the decision's scale stays). 0.5: on the fit's
    # own cases (scripts/fit: held-out variants, noisy copies, left-out services) its
    # decisions answer more right and resolve more than 0.8, which the fit's rule picks for
    # ranking a few more first (its stronger cut drops right entries from the choices).
    kind_rerank: float = 0.5
    # An entry on a citizen's situation (lost, abroad, a foreigner, by proxy) that the
    # question does not say loses up to this share of its score (``Features.
    # unsaid_situation``). 0.3: held-out variants of both packs are answered right more
    # and wrongly less (scripts/holdout); a stronger cut (0.5) also lowers the entry of a
    # question that says its situation in words the lexicon lacks ("за него").
    situation_rerank: float = 0.3
    # The look-alikes likewise: a service the question's words tell from its neighbours
    # worse than neutrally (words only a neighbour uses) loses up to this share. 0.2: on
    # the fit's own cases (scripts/fit) its decisions answer the most right of 0, 0.2, 0.3
    # and 0.5, and fewer questions about a left-out service than with 0.
    separation_rerank: float = 0.2
    # The service is decided first: one the question says only in part (the fullest cover
    # of one of its names, keywords or questions, words weighed by how they tell it from its
    # look-alikes) loses this share of its score times the part unsaid (all of it said:
    # none lost). The value scripts/fit's rule picks: most held-out variants ranked first.
    phrase_rerank: float = 1.0

    @property
    def total(self) -> float:
        return (self.entry + self.aspect + self.variant + self.spelling + self.separation
                + self.kind + self.phrase) or 1.0


@dataclass(frozen=True, slots=True)
class Calibration:
    """A logistic model: a probability from the best candidate's features."""

    intercept: float = 0.0
    coefficients: Mapping[str, float] = field(default_factory=dict)

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.intercept + sum(c * features.get(n, 0.0) for n, c in self.coefficients.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class Params:
    weights: Weights = Weights()
    calibration: Calibration | None = None  # P(the best candidate is the entry asked about)
    service_calibration: Calibration | None = None  # P(its service is the one asked about)
    entry_p: float = 0.5
    service_p: float = 0.5
    # The decision's thresholds fitted for these weights (their scores' scale); None: the
    # hand-set ``Thresholds()``. Settings that name a threshold still override it.
    thresholds: Thresholds | None = None
    # The service floor holds only when the best service misses a word of the question at
    # least this telling (``Matcher.missing``, 0..1): the gate for questions about a
    # service not in the base, not for every answer. 0.0: always.
    gate_missing: float = 0.0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Params:
        def calibration(name: str) -> Calibration | None:
            cal = data.get(name)
            return Calibration(float(cal["intercept"]), dict(cal["coefficients"])) if cal else None

        thresholds = data.get("thresholds")
        return cls(
            Weights(**data.get("weights", {})), calibration("calibration"),
            calibration("service_calibration"), float(data.get("entry_p", 0.5)),
            float(data.get("service_p", 0.5)),
            Thresholds(**thresholds) if thresholds else None,
            float(data.get("gate_missing", 0.0)),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "weights": {name: getattr(self.weights, name) for name in Weights.__slots__},
            "entry_p": self.entry_p,
            "service_p": self.service_p,
            "gate_missing": self.gate_missing,
        }
        for name in ("calibration", "service_calibration"):
            cal = getattr(self, name)
            if cal is not None:
                out[name] = {"intercept": cal.intercept, "coefficients": dict(cal.coefficients)}
        if self.thresholds is not None:
            out["thresholds"] = {name: getattr(self.thresholds, name)
                                 for name in Thresholds.__dataclass_fields__}
        return out


def load_params(path: Path) -> Params:
    return Params.from_json(json.loads(path.read_text(encoding="utf-8")))


@cache
def fitted_params() -> Params:
    """The parameters ``scripts/fit`` wrote into the package."""
    return load_params(PARAMS_FILE)
