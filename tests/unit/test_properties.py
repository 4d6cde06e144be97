"""Arbitrary Unicode on every text path (Hypothesis): the engine never fails and always
decides, what goes to Telegram is valid HTML within its limits, button data fits its 64
bytes or is refused, an agency's answer split by language loses nothing."""

from __future__ import annotations

import json
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.telegram.render import MESSAGE_LIMIT, quote, split_message
from bot.logs import mask
from handlers.escalations import EscalationAction
from handlers.onboarding import CaseAction
from knowledge.escalations.replies import texts_by_language
from knowledge.matching.decision import Thresholds
from knowledge.matching.index import build_index
from knowledge.matching.matcher import Matcher
from knowledge.model import Decision, EntryInfo, ServiceInfo
from tests.conftest import PRODUCT_DEMO_PACK
from tests.e2e.telegram_fixtures import html_problem

CALLBACK_LIMIT = 64
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
KAZAKH_AND_RUSSIAN = st.text(
    st.sampled_from("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя АӘҚҢӨҰҮІ?!.,-0123456789"
                    "abcdefghijklmnopqrstuvwxyz"), max_size=120)
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@cache
def demo_matcher() -> Matcher:
    doc = json.loads(PRODUCT_DEMO_PACK.read_text(encoding="utf-8"))
    entries = []
    for svc in doc["services"]:
        info = ServiceInfo(register_no=svc["register_no"], agency=svc["agency"],
                           name=svc["name"], keywords=svc.get("keywords", {}),
                           card=svc.get("card", {}))
        entries += [EntryInfo(faq["id"], info, faq["questions"], faq["answer"])
                    for faq in svc["faq"]]
    return Matcher(build_index(entries), Thresholds())


@PROPERTY
@given(st.one_of(ANY_TEXT, KAZAKH_AND_RUSSIAN))
def test_the_engine_decides_on_any_text(text: str) -> None:
    answer = demo_matcher().ask(text, "kk")
    assert answer.decision in set(Decision)
    assert answer.lang in ("kk", "ru")
    assert 0.0 <= answer.score <= 1.0 + 1e-9
    assert len(answer.candidates) <= 5
    if answer.decision == Decision.ANSWER:
        assert answer.entry is not None


@PROPERTY
@given(st.text(st.characters(codec="utf-8"), max_size=12_000))
def test_any_text_is_sent_as_valid_html_within_the_message_limit(text: str) -> None:
    parts = split_message(quote(text))
    for part in parts:
        assert len(part) <= MESSAGE_LIMIT
        assert html_problem(part) is None, part[:200]
    if text.strip():
        assert "".join(parts).replace(" ", "").replace("\n", "") == quote(text).replace(
            " ", "").replace("\n", "")


@PROPERTY
@given(ANY_TEXT, st.sampled_from(["take", "show", "withhold"]))
def test_button_data_fits_telegrams_64_bytes_or_is_refused(reference: str, action: str) -> None:
    for make in (lambda: EscalationAction(action=action, reference=reference).pack(),
                 lambda: CaseAction(action=action, register_no=reference).pack()):
        try:
            data = make()
        except ValueError:
            continue  # aiogram refuses data that is too long or holds its separator
        assert len(data.encode()) <= CALLBACK_LIMIT


@PROPERTY
@given(ANY_TEXT)
def test_an_answer_split_by_language_keeps_every_word(text: str) -> None:
    parts = texts_by_language(text, "ru")
    assert set(parts) <= {"kk", "ru"}
    kept = "".join(parts.values())
    for word in text.replace(":", " ").split():
        if word.lower() not in ("kk", "ru", "қаз", "каз", "рус"):
            assert word in kept or word.lower() in kept.lower()


@PROPERTY
@given(st.integers(min_value=10**11, max_value=10**12 - 1), ANY_TEXT)
def test_an_iin_never_survives_masking(iin: int, around: str) -> None:
    text = f"{around} {iin} {around}"
    assert str(iin) not in mask(text)
