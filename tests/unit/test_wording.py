"""The words people read: no hedged plurals, names and dates that fit any sentence.

A count is said through ngettext, never "раз(а)" or "day(s)"; a name is inserted where
its case does not matter ("Жолданған орган: {agency}"); a date is written by Babel.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.channels.sms.texts import registered_sms
from bot.texts.complaints import registered_text
from knowledge.complaints.lodging import Registered
from knowledge.complaints.model import AppealRoute

LOCALES = Path(__file__).resolve().parents[2] / "locales"
LANGS = ("kk", "ru")
# Hedges that stand in for a plural or a gender: "раз(а)", "Согласен(на)", "day(s)", and
# the clipped "рабоч. дн." / "раб. дней" that avoid choosing the form.
HEDGES = re.compile(r"\w\((а|на|ы|и|ов|ей|ах|ом|s|es)\)|\bрабоч\. дн|\bраб\. дн")
AGENCIES = {
    "kk": "Қазақстан Республикасының Ішкі істер министрлігі",
    "ru": "Генеральная прокуратура",
}
ROUTE = AppealRoute(
    registered_on=date(2027, 3, 22), agency_days=5, agency_by=date(2027, 3, 29),
    agency_extended_by=date(2027, 4, 12), extension_days=10, notice_days=3,
    quality_body_days=15, quality_body_by=date(2027, 4, 19),
    quality_body_extended_by=date(2027, 5, 3))


def _catalog(lang: str) -> Catalog:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def _texts(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _registered(lang: str) -> Registered:
    return Registered(number="C-270322-00001", request_no="R-270322-00001",
                      agency_code="mvd", agency_name={lang: AGENCIES[lang]}, route=ROUTE,
                      repeat_of=None)


@pytest.mark.parametrize("lang", LANGS)
def test_no_translation_hedges_a_plural_or_a_gender(lang: str) -> None:
    hedged = [text for message in _catalog(lang) if message.id
              for text in _texts(message.string) if HEDGES.search(text)]
    assert hedged == []


def test_no_source_text_hedges_a_plural() -> None:
    hedged = [text for message in _catalog("ru") if message.id
              for text in _texts(message.id) if HEDGES.search(text)]
    assert hedged == []


@pytest.mark.parametrize(("lang", "line"), [
    ("kk", "Жолданған орган: Қазақстан Республикасының Ішкі істер министрлігі."),
    ("ru", "Направлена в государственный орган: Генеральная прокуратура."),
])
def test_a_forwarded_complaint_names_its_agency_whatever_the_name(lang: str,
                                                                  line: str) -> None:
    text = registered_text(_registered(lang), lang)  # type: ignore[arg-type]

    assert line in text
    assert "министрлігі органына" not in text
    assert "в Генеральная" not in text


@pytest.mark.parametrize(("lang", "line"), [
    ("kk", "Жолданған орган: Қазақстан Республикасының Ішкі істер министрлігі."),
    ("ru", "Направлена в государственный орган: Генеральная прокуратура."),
])
def test_a_complaint_by_sms_names_its_agency_whatever_the_name(lang: str, line: str) -> None:
    first, _route = registered_sms(_registered(lang), lang, 6)  # type: ignore[arg-type]

    assert line in first


@pytest.mark.parametrize("lang", LANGS)
def test_a_complaints_dates_are_written_as_babel_writes_them(lang: str) -> None:
    telegram = registered_text(_registered(lang), lang)  # type: ignore[arg-type]
    _first, sms = registered_sms(_registered(lang), lang, 6)  # type: ignore[arg-type]

    for day in (ROUTE.agency_by, ROUTE.agency_extended_by):
        assert _written(day, lang) in telegram
        assert _written(day, lang) in sms
    assert "29.03.2027" not in telegram + sms


# Said wrongly once; a native reader signed off the replacements.
WRONG = {
    "kk": ("Жұмысқа алу",  # "to hire", for "take it"
           "(caption)", "Мемлекеттік құпия\n", "аты-жөні"),
    "ru": ("не раскрываются кнопками",  # says the opposite of what is meant
           "не вам разрешено", "Какая это из этих", "зарегистрирована {day}",
           "Государственная тайна", "Выберите ведомство", "◀ Ведомства",
           "на языке {lang}"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_no_translation_says_what_was_found_wrong(lang: str) -> None:
    said = [text for message in _catalog(lang) if message.id
            for text in _texts(message.string) for wrong in WRONG[lang]
            if wrong in text + "\n"]
    assert said == []


def test_the_complaint_about_demanded_documents_calls_them_superfluous() -> None:
    from knowledge.complaints.categories import NATURE_BY_CODE  # noqa: PLC0415

    assert NATURE_BY_CODE["extra_documents"].kk == "Артық құжаттар талап етілді"


def test_a_question_card_names_its_language_in_the_readers_language() -> None:
    from bot.texts.escalations import LANGUAGE_NAMES  # noqa: PLC0415
    from bot.texts.i18n import gettext_for  # noqa: PLC0415

    ru = gettext_for("ru").gettext
    assert ru("Asked {day} in {lang}: {text}").format(
        day="2027-03-29", lang=ru(LANGUAGE_NAMES["kk"]), text="…") \
        == "Задан 2027-03-29 на казахском языке: …"


# An agency's name stands after a colon, in parentheses or between dots: never where
# Kazakh or Russian would decline it ("для {agency}", "{agency} органына", "по {agency}");
# in a letter, in quotes beside its kind.
BARE_AGENCY = re.compile(r"(?<!: )(?<!\()(?<!· )(?<!«)\{agency\}")
NAMES = {"mvd": ("Ішкі істер министрлігі", "Министерство внутренних дел")}


@pytest.mark.parametrize("lang", LANGS)
def test_every_agency_name_stands_where_its_case_does_not_matter(lang: str) -> None:
    bare = [text for message in _catalog(lang) if message.id
            for text in _texts(message.string) if BARE_AGENCY.search(text)]
    assert bare == []


def test_staff_read_an_agencys_name_in_their_language_never_its_code() -> None:
    from bot.texts.agencies import agency_name  # noqa: PLC0415

    assert agency_name("mvd", NAMES, "kk") == "Ішкі істер министрлігі"
    assert agency_name("mvd", NAMES, "ru") == "Министерство внутренних дел"
    assert agency_name("mvd", {"mvd": (None, "МВД")}, "kk") == "МВД"
    assert agency_name("new", NAMES, "ru") == "new"  # the registry has no name for it


def test_a_question_without_an_agency_is_with_the_operators_not_triage() -> None:
    from bot.texts.agencies import agency_name  # noqa: PLC0415

    assert agency_name(None, NAMES, "kk") == "байланыс орталығының операторлары"
    assert agency_name(None, NAMES, "ru") == "операторы контакт-центра"


def test_a_complaints_staff_reminder_names_the_agency_in_each_language() -> None:
    from bot.texts.complaints import staff_text  # noqa: PLC0415
    from knowledge.complaints import ComplaintReminder  # noqa: PLC0415

    reminder = ComplaintReminder(number="C-1", request_no="R-1", agency_code="mvd",
                                 kind="new", due_on=date(2027, 3, 29), repeat_of=None,
                                 staff=())
    kk, ru = staff_text(reminder, NAMES).split("\n\n")

    assert "Мемлекеттік орган: Ішкі істер министрлігі." in kk
    assert "Государственный орган: Министерство внутренних дел." in ru
    assert "mvd" not in kk + ru


@pytest.mark.parametrize(("lang", "word"), [("kk", "ведомство"), ("ru", "ведомств")])
def test_staff_texts_call_an_agency_a_state_body(lang: str, word: str) -> None:
    said = [text for message in _catalog(lang) if message.id
            for text in _texts(message.string) if word in text.lower()]
    assert said == []


@pytest.mark.parametrize(("lang", "line"), [
    ("kk", "«Ішкі істер министрлігі» мемлекеттік органы Бірыңғай байланыс орталығына "
           "мемлекеттік көрсетілетін қызметтер жөніндегі қажетті ақпаратты беруден бас "
           "тартты (бас тартулар саны: 2)."),
    ("ru", "государственный орган «Министерство внутренних дел» отказал Единому "
           "контакт-центру в предоставлении необходимой информации по государственным "
           "услугам (число отказов: 2)."),
])
def test_the_para_12_letter_names_the_body_and_counts_its_refusals(lang: str,
                                                                   line: str) -> None:
    from bot.texts.i18n import gettext_for  # noqa: PLC0415
    from knowledge.refusal_notice import letter  # noqa: PLC0415
    from knowledge.refusals import Notice, Refusal  # noqa: PLC0415

    refusals = tuple(Refusal(id=n, reference=f"Q-{n}", agency_id=1, agency_code="mvd",
                             ground="plain", request_text="…", reply_text=None,
                             requested_on=None, refused_on=date(2027, 3, n),
                             refused_by="op", status="confirmed", notice_id=1)
                     for n in (1, 2))
    notice = Notice(id=1, agency_id=1, agency_code="mvd", agency_name_kk=NAMES["mvd"][0],
                    agency_name_ru=NAMES["mvd"][1], window_start=date(2027, 3, 1),
                    window_end=date(2027, 3, 31), reached_on=date(2027, 3, 2),
                    due_on=date(2027, 3, 5), status="open", sent_on=None, sent_via=None,
                    refusals=refusals)

    text = letter(notice, lang, date(2027, 3, 3), signatory=None,
                  catalog=gettext_for(lang))

    assert line in text.replace("\n", " ")


# A date people read is written by Babel, where no case ending is needed; never ISO.
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SIGNED, LIVE = date(2027, 3, 22), date(2027, 3, 29)


def _written(day: date, lang: str) -> str:
    """Babel's long date (Russian without its closing "г.", which doubles a full stop)."""
    locale = {"kk": "kk_KZ", "ru": "ru_RU"}[lang]
    return format_date(day, "d MMMM y" if lang == "ru" else "long", locale=locale)


def test_the_signed_protocols_letter_writes_its_dates_out() -> None:
    from types import SimpleNamespace  # noqa: PLC0415

    from bot.notify.letters import _protocol_text  # noqa: PLC0415

    data = SimpleNamespace(signed_on=SIGNED, activation_on=LIVE)
    kk, ru = _protocol_text(SimpleNamespace(register_no="701001"),  # type: ignore[arg-type]
                            data).split("\n\n")  # type: ignore[arg-type]

    for lang, text in (("kk", kk), ("ru", ru)):
        assert _written(SIGNED, lang) in text
        assert _written(LIVE, lang) in text
    assert "22.03.2027" not in kk + ru
    assert " ж. ж." not in kk and "ж. бастап" not in kk


@pytest.mark.parametrize("lang", LANGS)
def test_a_refusal_notice_line_writes_its_dates_out(lang: str) -> None:
    from handlers.refusals import notice_line  # noqa: PLC0415
    from knowledge.refusals import Notice  # noqa: PLC0415

    notice = Notice(id=1, agency_id=1, agency_code="mvd", agency_name_kk=NAMES["mvd"][0],
                    agency_name_ru=NAMES["mvd"][1], window_start=date(2027, 3, 1),
                    window_end=date(2027, 3, 31), reached_on=date(2027, 3, 2),
                    due_on=date(2027, 3, 5), status="open", sent_on=None, sent_via=None,
                    refusals=())

    line = notice_line(lang, notice)

    assert not ISO_DAY.search(line)
    for day in (notice.window_start, notice.window_end, notice.due_on):
        assert _written(day, lang) in line


@pytest.mark.parametrize("lang", LANGS)
def test_an_applications_stage_says_when_it_was_updated_in_words(lang: str) -> None:
    from datetime import UTC, datetime  # noqa: PLC0415

    from bot.texts.status import render_status  # noqa: PLC0415
    from knowledge.status import Reply, StatusAnswer  # noqa: PLC0415
    from knowledge.status.stages import Stage  # noqa: PLC0415

    answer = StatusAnswer(reply=Reply.STAGE, lang=lang,  # type: ignore[arg-type]
                          number="A-1", stage=Stage("done", "Дайын", "Готово"),
                          updated_at=datetime(2027, 3, 29, 4, 30, tzinfo=UTC))

    text = render_status(answer)

    assert f"{_written(LIVE, lang)}, 09:30" in text
    assert "29.03.2027" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_staff_cards_write_a_due_day_out(lang: str) -> None:
    from types import SimpleNamespace  # noqa: PLC0415

    from handlers.escalations import due_text  # noqa: PLC0415
    from handlers.staff import case_lines  # noqa: PLC0415
    from knowledge.calendar import WorkCalendar  # noqa: PLC0415
    from knowledge.onboarding import Case, Deadlines  # noqa: PLC0415
    from knowledge.policy import Policy  # noqa: PLC0415

    deadlines = Deadlines(Policy(), WorkCalendar.kazakhstan())
    case = Case(1, "701001", "Разрешение", 1, "mep", "protocol_signed", LIVE, None, None)
    [line] = case_lines([case], SIGNED, deadlines, lang, {})
    due = due_text(lang, SimpleNamespace(due_on=LIVE), SIGNED,  # type: ignore[arg-type]
                   deadlines)

    for text in (line, due):
        assert not ISO_DAY.search(text)
        assert _written(LIVE, lang) in text
