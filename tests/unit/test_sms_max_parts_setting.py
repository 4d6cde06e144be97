"""``UCC_SMS_MAX_PARTS`` refuses a limit at which an SMS cannot carry what it must: one
segment (70 characters in Kazakh or Russian) holds neither a numbered choice with its "0"
nor "passed to the agency" with the reference. At the lowest limit allowed, both come
whole."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.channels.sms import texts
from bot.config import Settings
from bot.texts.i18n import gettext_for
from knowledge.sms.segments import ELLIPSIS, fit, segments
from tests.factories import entry_info

REFERENCE = "Q-261201-00001"
CHOICES = [
    entry_info("a", {"kk": ["Жеке куәлікті алу үшін қандай құжаттар қажет?"],
                     "ru": ["Какие документы нужны для получения удостоверения личности?"]}),
    entry_info("b", {"kk": ["Жеке куәлікті ауыстыру қанша тұрады?"],
                     "ru": ["Сколько стоит замена удостоверения личности?"]}),
    entry_info("c", {"kk": ["Жеке куәлік қанша күнде дайын болады?"],
                     "ru": ["За сколько дней будет готово удостоверение личности?"]}),
]


def lowest_allowed() -> int:
    for parts in range(1, 11):
        try:
            Settings(_env_file=None, sms_max_parts=parts)  # type: ignore[call-arg]
        except ValidationError:
            continue
        return parts
    raise AssertionError("no limit is allowed")


def test_a_one_segment_limit_is_refused_with_a_message_that_says_why() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None, sms_max_parts=1)  # type: ignore[call-arg]
    assert "UCC_SMS_MAX_PARTS" in str(refused.value)
    assert "at least 2" in str(refused.value)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_at_the_lowest_limit_a_choice_keeps_its_numbers_and_its_zero(lang: str) -> None:
    parts = lowest_allowed()
    text = texts.clarify(CHOICES, lang, parts)
    assert segments(text) <= parts
    lines = text.splitlines()
    assert [line[:2] for line in lines[1:4]] == ["1.", "2.", "3."]
    assert lines[-1] == gettext_for(lang).gettext(texts.NONE_OF_THESE)


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("passed", [texts.ESCALATED, texts.TRIAGED])
def test_at_the_lowest_limit_an_escalation_keeps_its_reference_in_whole_sentences(
    lang: str, passed: str,
) -> None:
    whole = gettext_for(lang).gettext(passed).format(reference=REFERENCE)
    sent = fit(whole, lowest_allowed())
    assert REFERENCE in sent
    assert not sent.endswith(ELLIPSIS)
