"""Every family of domain refusal people meet (not found, already done, out of order,
permission, rules of complaints, refusals, curation, onboarding, reports) is told in the
reader's language on a page and in a Telegram reply: no run of four English words of the
exception reaches them, while ``str(exc)`` stays the command line's English."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from bot.app import App
from bot.console.errors import why_not
from bot.console.i18n import use_language
from bot.texts.i18n import gettext_for
from handlers.staff import problem_text
from knowledge import curation, history, refusals
from knowledge.complaints import handling
from knowledge.db.tables import EscalationRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput, KnowledgeError
from knowledge.escalations import access
from knowledge.escalations.model import EscalationStatus
from knowledge.onboarding import maintenance
from knowledge.onboarding.cases import OnboardingError, StepOutOfOrder
from knowledge.reports.monthly import month_of
from knowledge.staff import SYSTEM, Actor, Role
from tests.console.boards_data import MVD_CASE, start_cases
from tests.escalation_helpers import OPERATOR, clock_at

WORD = re.compile(r"[A-Za-z']+")
SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z']{2,}){3,}")  # four English words in a row
AGENCY = Actor("Дана", Role.AGENCY, agency_id=1)
Act = Callable[[UnitOfWork], Awaitable[object]]


def leaked(english: str, shown: str) -> list[str]:
    """Runs of four words of ``english`` found in ``shown`` (and any English sentence)."""
    words = WORD.findall(english)
    said = " ".join(WORD.findall(shown))
    runs = [" ".join(words[i:i + 4]) for i in range(len(words) - 3)]
    return [run for run in runs if run in said] + SENTENCE.findall(shown)


async def _caught(app: App, act: Act) -> InvalidInput:
    async with app.uow() as uow:
        with pytest.raises(KnowledgeError) as caught:
            await act(uow)
    assert isinstance(caught.value, InvalidInput)
    return caught.value


# (family, what the command line prints, the refusal) — the English is asserted byte for byte
CASES: list[tuple[str, str, Act]] = [
    ("not found", "no escalation 'Q-404'",
     lambda uow: access.row_for(uow, "Q-404", OPERATOR)),
    ("not found", "no complaint 'C-404'",
     lambda uow: handling.complaint(uow, "C-404", OPERATOR)),
    ("not found", "no refusal #404",
     lambda uow: refusals.reject(uow, 404, actor=OPERATOR, clock=clock_at(2026, 12, 2))),
    ("not found", "no proposal #404",
     lambda uow: curation.approve(uow, 404, actor=OPERATOR, clock=clock_at(2026, 12, 2))),
    ("not found", "no citizen #404",
     lambda uow: history.find_citizen(uow, OPERATOR, "#404")),
    ("not found", "no open onboarding case for service 00999999",
     lambda uow: maintenance.accept_update(uow, "00999999", on=date(2026, 12, 2),
                                           actor=OPERATOR, clock=clock_at(2026, 12, 2))),
    ("permission", "Дана: only the contact center's staff may do this",
     lambda uow: maintenance.accept_update(uow, MVD_CASE, on=date(2026, 12, 2),
                                           actor=AGENCY, clock=clock_at(2026, 12, 2))),
    ("no update waiting", f"service {MVD_CASE} has no update waiting for review",
     lambda uow: maintenance.accept_update(uow, MVD_CASE, on=date(2026, 12, 2),
                                           actor=SYSTEM, clock=clock_at(2026, 12, 2))),
    ("escalation rule", "Q-7 is answered already",
     lambda uow: _raise_open(EscalationRow(reference="Q-7",
                                           status=EscalationStatus.ANSWERED))),
    ("reports", "'13th month' is not a month (YYYY-MM)",
     lambda uow: _month("13th month")),
]


async def _raise_open(row: EscalationRow) -> None:
    access.require_open(row)


async def _month(text: str) -> None:
    month_of(text)


@pytest.fixture
async def cases(people: App) -> App:
    await start_cases(people)
    return people


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(("family", "english", "act"), CASES,
                         ids=[f"{c[0]}: {c[1]}" for c in CASES])
async def test_a_refusal_is_told_without_its_english(
        cases: App, lang: str, family: str, english: str, act: Act) -> None:
    exc = await _caught(cases, act)
    assert str(exc) == english, family  # the command line's words, unchanged
    assert exc.message is not None, f"{family}: no message id, a page says no reason"
    use_language(lang)
    page = why_not(exc)
    reply = problem_text(gettext_for(lang).gettext, exc)
    for shown in (page, reply):
        assert leaked(english, shown) == [], shown
    # the values inserted read in the reader's sentence
    for value in re.findall(r"Q-\d+|C-\d+|#?\d{3,}|13th month", english):
        assert value.lstrip("#") in page, page


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_a_state_inside_the_reason_is_in_the_readers_language(lang: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        access.require_open(EscalationRow(reference="Q-7", status=EscalationStatus.REFUSED))
    told = caught.value.told(gettext_for(lang).gettext)
    assert told is not None and "Q-7" in told
    assert "refused" not in told
    assert gettext_for(lang).gettext("refused") in told


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_telegram_names_the_awaited_step_not_its_key(lang: str) -> None:
    exc = StepOutOfOrder(f"service {MVD_CASE} waits for 'request_sent', not 'training_held'",
                         register_no=MVD_CASE, waits="request_sent")
    reply = problem_text(gettext_for(lang).gettext, exc)
    assert MVD_CASE in reply and "request_sent" not in reply
    assert leaked(str(exc), reply) == []
    assert gettext_for(lang).gettext("request sent to the agency") in reply


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_telegram_shows_no_english_of_an_error_without_a_message_id(lang: str) -> None:
    exc = OnboardingError("internal: the pack row 7 is odd in a way nobody told")
    reply = problem_text(gettext_for(lang).gettext, exc)
    assert "internal" not in reply and "odd" not in reply and leaked(str(exc), reply) == []
    assert reply == gettext_for(lang).gettext("That cannot be done now.")
