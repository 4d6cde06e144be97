"""Status requests as people write them (issue 17): trailing punctuation, the number and the
IIN in one message, the IIN with its name in front."""

from __future__ import annotations

import pytest

from knowledge.status.inquiry import Request, recognise, typed_iin

IIN = "951212400158"


@pytest.mark.parametrize(("text", "expected"), [
    ("Статус 12345.", Request("12345", "ru")),
    ("статус заявки KZ-1001!", Request("KZ-1001", "ru")),
    ("мәртебе 12345.", Request("12345", "kk")),
    ("статус 12.345.", Request("12.345", "ru")),  # a dot inside a number stays
])
def test_a_number_followed_by_punctuation_is_the_number(text: str, expected: Request) -> None:
    assert recognise(text) == expected


@pytest.mark.parametrize("text", [
    f"статус 12345 {IIN}",
    f"Статус заявки 12345, ИИН {IIN}.",
    f"статус 12345 мой иин: {IIN}",
    f"мәртебе 12345 ЖСН {IIN}",
    "статус 12345 9512 1240 0158",
])
def test_the_number_and_the_iin_in_one_message_are_both_read(text: str) -> None:
    request = recognise(text)

    assert request is not None and request.number == "12345"
    assert request.iin == IIN


@pytest.mark.parametrize(("text", "expected"), [
    (IIN, IIN),
    (f"ИИН {IIN}", IIN),
    (f"мой ИИН: {IIN}.", IIN),
    (f"менің ЖСН-ым {IIN}", IIN),
    (f"iin {IIN}", IIN),
    ("9512 1240 0158", IIN),
    ("ИИН 12345", "12345"),  # named an IIN: checked, and found invalid
    ("12345", None),  # digits alone, too few for an IIN: not one
    ("сколько стоит паспорт", None),
])
def test_an_iin_typed_alone_or_named_is_read(text: str, expected: str | None) -> None:
    assert typed_iin(text) == expected
