"""scripts/fit: training cases from a pack's own questions, rule-made noise, a deterministic
fit, and the setting that puts the fitted parameters in the engine."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from bot.config import MatcherSettings
from knowledge.matching.params import Params, fitted_params
from tests.factories import entry, pack, service

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import fit  # noqa: E402
from synthetic_pack import entries_from_pack  # noqa: E402

from knowledge.matching.index import build_index  # noqa: E402
from knowledge.matching.matcher import Matcher  # noqa: E402

KAZAKH = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def test_noise_rules_write_as_people_do() -> None:
    rng = random.Random(1)
    text = "Төлқұжат қанша тұрады?"
    assert not set(fit.no_kazakh(text)) & KAZAKH
    latin = fit.latin(text, rng)
    assert latin.isascii() and "tolquzhat qansha" in latin.replace("k", "q")
    typo = fit.typos("Сколько стоит загранпаспорт", random.Random(2))
    assert typo != "Сколько стоит загранпаспорт" and len(typo.split()) == 3
    chatty = fit.chatty("Сколько стоит паспорт?", "ru", random.Random(3))
    assert chatty.endswith("сколько стоит паспорт?") and chatty != "сколько стоит паспорт?"
    copies = fit.noisy_copies(text, "kk", random.Random(4))
    assert len(copies) == fit.NOISY_PER_QUESTION
    assert len({style for style, _ in copies}) == fit.NOISY_PER_QUESTION


def two_services() -> dict[str, Any]:
    def faq(key: str, *ru: str) -> dict[str, Any]:
        item = entry(key, None, ru[0])
        item["questions"]["ru"].extend(ru[1:])
        return item

    passport = service(faq=[
        faq("mvd.passport.fee", "Сколько стоит паспорт?", "Цена паспорта?"),
        faq("mvd.passport.term", "Сколько ждать паспорт?", "Когда готов паспорт?"),
    ])
    marriage = service("00201002", "mju", name={"kk": "Некені тіркеу", "ru": "Регистрация брака"},
                       keywords={"ru": ["ЗАГС"]}, faq=[
        faq("mju.marriage.fee", "Сколько стоит регистрация брака?", "Платно ли расписаться?"),
        faq("mju.marriage.term", "Когда регистрируют брак?", "Сколько ждать регистрации брака?"),
    ])
    return pack(passport, marriage)


def test_cases_hold_out_variants_and_services_and_add_noisy_copies() -> None:
    cases = fit.collect("tiny", two_services(), random.Random(fit.SEED))
    by_kind: dict[str, list[fit.Case]] = {}
    for case in cases:
        by_kind.setdefault(case.kind, []).append(case)
    per_question = 1 + fit.NOISY_PER_QUESTION
    assert len(by_kind["variant"]) == 8 * per_question  # each phrasing held out once
    assert len(by_kind["known"]) == 8 * fit.NOISY_PER_QUESTION
    assert len(by_kind["service"]) == 8 * per_question
    assert all(c.truth is None for c in by_kind["service"])
    # A held-out phrasing is asked of an index without it: "Цена паспорта?" is still found.
    held = next(c for c in by_kind["variant"] if c.text == "Цена паспорта?")
    assert held.truth == "mvd.passport.fee" and "mvd.passport.fee" in held.keys
    # A left-out service's question is asked of an index without that service.
    asked = next(c for c in by_kind["service"] if c.text == "Сколько стоит регистрация брака?")
    assert not any(key.startswith("mju.") for key in asked.keys)


def test_the_fit_is_deterministic_and_its_decision_is_the_engines() -> None:
    doc = two_services()
    first = fit.fit(fit.collect("tiny", doc, random.Random(fit.SEED)))
    again = fit.fit(fit.collect("tiny", doc, random.Random(fit.SEED)))
    assert first == again
    assert first.weights.service_power == 1.0
    # The script's simulation of the decision is the engine's, case by case.
    cases = fit.collect("tiny", doc, random.Random(fit.SEED))
    matcher = Matcher(build_index(entries_from_pack(doc)), params=first)
    for case in (c for c in cases if c.kind == "known"):
        answer = matcher.ask(case.text)
        decision, chosen, _ = fit.decide(case, first)
        assert (answer.decision.value, answer.entry) == (decision, chosen)


def test_the_fitted_parameters_are_used_only_when_the_settings_say_so() -> None:
    assert MatcherSettings().params() is None
    assert MatcherSettings(fitted=True).params() == fitted_params()
    assert isinstance(fitted_params(), Params)
