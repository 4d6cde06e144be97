"""The IIN: its control digit (both passes of weights), the salted hash, and redaction."""

from __future__ import annotations

import pytest

from knowledge.iin import control_digit, hash_iin, is_valid_iin, matches, redact

VALID = ["951212400158", "000101500001", "750315400232", "880101300123", "880101300111"]
INVALID = [
    "880101300124",  # the control digit is 3, not 4
    "951212400159",
    "880101300121",  # the first row's 10 is not the control digit: the second row's 3 is
    "880101300100",  # both weight rows give 10: no IIN begins 88010130010
    "88010130012",  # 11 digits
    "8801013001234",  # 13 digits
    "88010130012a",
    "８８０１０１３００１２３",  # full-width digits are not ASCII digits
    "",
]


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11


def test_control_digits_by_the_two_weight_rows() -> None:
    first, second = tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
    # 9·1+5·2+1·3+2·4+1·5+2·6+4·7+0·8+0·9+1·10+5·11 = 140 = 12·11 + 8
    assert _weighted("95121240015", first) == 8
    assert control_digit("95121240015") == 8
    # The first row gives 10, so the second row decides.
    assert _weighted("88010130012", first) == 10
    assert control_digit("88010130012") == 3
    assert _weighted("88010130011", first) == 10
    assert _weighted("88010130011", second) == 1
    assert control_digit("88010130011") == 1
    # Both rows give 10: no control digit is valid.
    assert _weighted("88010130010", first) == 10
    assert _weighted("88010130010", second) == 10
    assert control_digit("88010130010") is None


@pytest.mark.parametrize("iin", VALID)
def test_a_valid_iin_passes(iin: str) -> None:
    assert is_valid_iin(iin)


@pytest.mark.parametrize("text", INVALID)
def test_an_invalid_iin_fails(text: str) -> None:
    assert not is_valid_iin(text)


def test_no_iin_begins_with_eleven_digits_whose_both_rows_give_ten() -> None:
    assert not any(is_valid_iin(f"88010130010{d}") for d in range(10))


def test_the_hash_is_salted_and_matches_only_its_iin() -> None:
    one, two = hash_iin("880101300123"), hash_iin("880101300123")
    assert one.salt != two.salt and one.digest != two.digest
    assert b"880101300123" not in one.digest + one.salt
    assert matches("880101300123", one) and matches("880101300123", two)
    assert not matches("900205450679", one)


def test_redaction_hides_every_twelve_digit_run_even_in_groups() -> None:
    text = "ИИН 880101300123, ещё 880101 300124 и заявка 12345, телефон 87011234567"
    assert redact(text) == "ИИН [IIN], ещё [IIN] и заявка 12345, телефон 87011234567"
