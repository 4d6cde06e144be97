"""Which SMS starts a complaint, and which region a typed name means."""

from __future__ import annotations

import pytest

from knowledge.sms.flows import complaint_keyword, region_named


@pytest.mark.parametrize(("text", "expected"), [
    ("ЖАЛОБА", ("ru", None)), ("жалоба", ("ru", None)), ("ZHALOBA", ("ru", None)),
    ("ШАҒЫМ", ("kk", None)), ("shagym!", ("kk", None)), ("Complaint", (None, None)),
    ("ЖАЛОБА в ЦОНе требуют справку", ("ru", "в ЦОНе требуют справку")),
    ("куда подать жалобу", None), ("СТАТУС 12345", None),
])
def test_a_complaint_keyword_begins_the_message(
    text: str, expected: tuple[str | None, str | None] | None,
) -> None:
    assert complaint_keyword(text) == expected


@pytest.mark.parametrize(("text", "code"), [
    ("Астана", "astana"), ("алматы", "almaty"), ("Алматы обл.", "almaty-r"),
    ("Алматинская область", "almaty-r"), ("караганда", "karaganda"),
    ("Қарағанды облысы", "karaganda"), ("ЗКО", "wko"), ("БҚО", "wko"),
    ("Маңғыстау", "mangystau"), ("Мангистау", "mangystau"), ("Түркістан облысы", "turkistan"),
])
def test_a_region_is_found_by_its_name_in_either_language_and_spelling(
    text: str, code: str,
) -> None:
    assert region_named(text) == code


@pytest.mark.parametrize("text", ["область", "Тараз", "", "5"])
def test_no_region_for_a_name_that_fits_none_or_many(text: str) -> None:
    assert region_named(text) is None
