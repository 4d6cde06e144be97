"""Personal data in a citizen's history as each role reads it."""

from __future__ import annotations

from knowledge.history import mask_digits, shown_address, shown_text
from knowledge.staff import Actor, Role

ADMIN = Actor("Админ", Role.ADMIN)
OPERATOR = Actor("Айгүл", Role.OPERATOR)
AGENCY = Actor("Дана", Role.AGENCY, agency_id=1)


def test_only_the_last_digits_are_kept() -> None:
    assert mask_digits("+77011234567") == "+•••••••4567"
    assert mask_digits("8 701 123 45 67") == "• ••• ••• 45 67"
    assert mask_digits("8 701 123 45 67", keep=0) == "• ••• ••• •• ••"


def test_the_address_by_role() -> None:
    assert shown_address("+77011234567", ADMIN) == "+77011234567"
    assert shown_address("+77011234567", OPERATOR) == "+•••••••4567"
    assert shown_address("+77011234567", AGENCY) is None


def test_phone_numbers_and_iins_in_a_message() -> None:
    text = "Менің нөмірім +7 701 123-45-67, ЖСН 900101300123, өтініш №12345"
    assert "900101300123" not in shown_text(text, ADMIN)
    assert "+7 701 123-45-67" in shown_text(text, ADMIN)
    assert "+• ••• •••-45-67" in shown_text(text, OPERATOR)
    agency = shown_text(text, AGENCY)
    assert "45-67" not in agency and "900101300123" not in agency
    assert "№12345" in agency  # an application number is no phone number
