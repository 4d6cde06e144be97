"""Issue 18 (item 7) for complaints: the response's due day is the center's own term (the
policy's "complaint_response"), and every text that shows it to staff says so, in both
languages; the law's term (art. 25) is the agency's own and is not relabelled."""

from __future__ import annotations

from datetime import date

import pytest

from bot.texts.complaints import staff_text
from knowledge.complaints.followup import ComplaintReminder
from knowledge.policy import Policy

LABEL = {"kk": "орталықтың өз мерзімі", "ru": "собственный срок центра"}


def test_the_complaints_response_term_is_the_centers_own_and_the_agencys_is_the_laws() -> None:
    policy = Policy()
    assert policy.rule("complaint_response").own_policy
    assert not policy.rule("complaint_agency").own_policy


@pytest.mark.parametrize("kind", ["new", "day_before", "due_day", "overdue"])
def test_every_reminder_of_a_complaints_term_says_it_is_the_centers_own(kind: str) -> None:
    reminder = ComplaintReminder(number="C-261215-00001", request_no="R-261215-00001",
                                 agency_code="mvd", kind=kind, due_on=date(2026, 12, 21),
                                 repeat_of=None, staff=())
    kk, ru = staff_text(reminder, {"mvd": ("ІІМ", "МВД")}).split("\n\n")
    assert LABEL["kk"] in kk.lower() and LABEL["ru"] in ru.lower()
    assert "21.12.2026" in kk and "21.12.2026" in ru
