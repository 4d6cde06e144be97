"""Staff's compact lists and cards name an agency in the reader's language: never its code,
never "triage" (a question without an agency is with the contact center's operators)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.texts.i18n import gettext_for
from handlers.complaints import card_text, listing_line
from handlers.escalations import escalation_title, queue_lines
from handlers.onboarding import case_title
from handlers.staff import case_lines
from knowledge.calendar import WorkCalendar
from knowledge.complaints import Complaint
from knowledge.escalations import Escalation
from knowledge.onboarding import Case, Deadlines
from knowledge.policy import Policy

NAMES = {"mvd": ("Ішкі істер министрлігі", "Министерство внутренних дел")}
AGENCY = {"kk": "Ішкі істер министрлігі", "ru": "Министерство внутренних дел"}
OPERATORS = {"kk": "байланыс орталығының операторлары", "ru": "операторы контакт-центра"}
LANGS = ("kk", "ru")
TODAY = date(2027, 3, 15)
DEADLINES = Deadlines(Policy(), WorkCalendar.kazakhstan())


def _escalation(agency_code: str | None) -> Escalation:
    return Escalation(
        id=1, reference="Q-1", channel="telegram", lang="ru", text="Сколько стоит справка?",
        register_no=None, candidates=(), status="open",
        created_at=datetime(2027, 3, 15, tzinfo=UTC),
        agency_id=None if agency_code is None else 7, agency_code=agency_code,
        due_on=date(2027, 3, 29))


def _complaint(agency_code: str | None) -> Complaint:
    return Complaint(
        id=1, number="C-1", request_no="R-1", channel="telegram", lang="ru",
        register_no=None, service_name=None, region="almaty", nature="other",
        category="c", content="Не выдали справку", applicant="Иванов",
        created_at=datetime(2027, 3, 15, tzinfo=UTC), registered_on=date(2027, 3, 15),
        agency_code=agency_code, due_on=date(2027, 3, 29), handled_by=None,
        repeat_of=None, status="open", reply_kk=None, reply_ru=None, erased=False)


def _case() -> Case:
    return Case(1, "701001", "Разрешение", 7, "mvd", "protocol_signed", date(2027, 3, 17),
                None, None, name_kk="Рұқсат", name_ru="Разрешение")


def _shown(lines: list[str] | str) -> str:
    return "\n".join(lines) if isinstance(lines, list) else lines


def _assert_names_the_body(text: str, lang: str, code: str | None) -> None:
    assert (AGENCY if code else OPERATORS)[lang] in text
    assert "mvd" not in text
    assert "triage" not in text.lower() and "—" not in text.splitlines()[0].split(" · ")[1]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", ["mvd", None])
def test_the_question_queue_names_the_agency_or_the_operators(lang: str,
                                                              code: str | None) -> None:
    lines = queue_lines([_escalation(code)], NAMES, lang, today=TODAY, deadlines=DEADLINES)
    _assert_names_the_body(_shown(lines), lang, code)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", ["mvd", None])
def test_a_question_card_names_the_agency_or_the_operators(lang: str,
                                                           code: str | None) -> None:
    _ = gettext_for(lang).gettext
    _assert_names_the_body(escalation_title(_, _escalation(code), NAMES, lang), lang, code)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", ["mvd", None])
def test_the_complaint_list_and_card_name_the_agency_or_the_operators(
        lang: str, code: str | None) -> None:
    _ = gettext_for(lang).gettext
    _assert_names_the_body(listing_line(_, _complaint(code), NAMES, lang), lang, code)
    _assert_names_the_body(card_text(_, _complaint(code), lang, NAMES), lang, code)


@pytest.mark.parametrize("lang", LANGS)
def test_onboarding_cases_name_their_agency(lang: str) -> None:
    _assert_names_the_body(_shown(case_lines([_case()], TODAY, DEADLINES, lang, NAMES)),
                           lang, "mvd")
    title = case_title(_case(), NAMES, lang)
    assert AGENCY[lang] in title and "mvd" not in title
