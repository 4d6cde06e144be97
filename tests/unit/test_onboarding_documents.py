"""The request form and the information template open in a spreadsheet, and a filled
template comes back as a knowledge pack or is refused whole, every problem named by cell."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from knowledge.errors import InvalidPack
from knowledge.onboarding.documents import (
    RequestRow,
    information_template,
    read_information,
    request_form,
)
from knowledge.pack.validate import parse_pack

KAZAKH_LETTERS = "ӘәІіҢңҒғҮүҰұҚқӨөҺһ"
SCHEMA = Path(__file__).parents[2] / "knowledge" / "pack" / "schema.json"
AGENCY_NAME = {"kk": "ҚР Ішкі істер министрлігі", "ru": "МВД РК"}
# The information template's sheets as people read them, by the key the code knows them by
TITLES = {"README": "Нұсқаулық — Инструкция", "service": "Қызмет — Услуга",
          "card": "Сипаттама — Описание", "faq": "Сұрақ-жауап — Вопросы и ответы"}
SERVICE, CARD, FAQ = (f"'{TITLES[key]}'" for key in ("service", "card", "faq"))


def open_book(data: bytes) -> Any:
    return load_workbook(BytesIO(data))


def saved(book: Any) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template() -> bytes:
    return information_template("00301001", "mvd", "Жеке куәлік беру",
                                "Выдача удостоверения личности")


def filled(cells: dict[str, dict[str, Any]], data: bytes | None = None) -> bytes:
    """The template with the given cells written, as a person would in Excel."""
    book = open_book(data if data is not None else template())
    for sheet, values in cells.items():
        for cell, value in values.items():
            book[TITLES[sheet]][cell] = value
    return saved(book)


def card_row(book: Any, key: str) -> int:
    card = book[TITLES["card"]]
    return next(row for row in range(2, card.max_row + 1) if card.cell(row, 1).value == key)


def read(data: bytes) -> dict[str, Any]:
    return read_information(data, register_no="00301001", agency_code="mvd",
                            agency_name=AGENCY_NAME)


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(InvalidPack) as caught:
        read(data)
    return [str(problem) for problem in caught.value.problems]


ROWS = [
    RequestRow("00301001", "Жеке куәлік беру", "Выдача удостоверения личности",
               standard="ІІМ бұйрығы № 123, 30.03.2020", web_page="https://egov.kz/id",
               responsible="Сәрсенова Әйгерім, бас маман", phone_email="+7 7172 00 00 00"),
    RequestRow("00301002", "Төлқұжат беру", "Выдача паспорта"),
]


def test_request_form_has_annex_1_headers_in_each_language_and_a_row_per_service() -> None:
    book = open_book(request_form(ROWS, executor="Ахметов Ерлан", on=date(2025, 3, 5)))

    kk, ru = book["Қазақша"], book["Русский"]

    assert kk["A1"].value == ("Мемлекеттік көрсетілетін қызметтер туралы ақпарат беру "
                              "туралы сұрау салу")
    assert ru["A1"].value == "Запрос о предоставлении информации о государственных услугах"
    kk_headers = [cell.value for cell in kk[3]]
    ru_headers = [cell.value for cell in ru[3]]
    assert len(kk_headers) == len(ru_headers) == 9
    assert kk_headers[1] == "Мемлекеттік көрсетілетін қызметтің тізілімдегі №"
    assert "Жауапты тұлғаның тегі, аты, әкесінің аты, лауазымы" in kk_headers
    assert ru_headers[:3] == ["№ п/п", "№ государственной услуги в реестре",
                              "Наименование государственной услуги"]
    assert any("Стандарт" in header and "реквизит" in header for header in ru_headers)
    assert any("Регламент" in header for header in ru_headers)
    assert any("электронной почты" in header for header in ru_headers)
    assert [cell.value for cell in kk[4]] == [
        1, "00301001", "Жеке куәлік беру", "ІІМ бұйрығы № 123, 30.03.2020", None, None,
        "https://egov.kz/id", "Сәрсенова Әйгерім, бас маман", "+7 7172 00 00 00"]
    assert [cell.value for cell in ru[5]][:3] == [2, "00301002", "Выдача паспорта"]
    assert ru.cell(6, 1).value is None  # nothing but the two services in the table


def test_request_form_footer_names_the_executor_and_the_date() -> None:
    book = open_book(request_form(ROWS, executor="Ахметов Ерлан", on=date(2025, 3, 5)))

    for sheet, (executor_label, date_label) in (("Қазақша", ("Орындаушы", "Күні")),
                                                ("Русский", ("Исполнитель", "Дата"))):
        footer = {row[1]: row[2] for row in book[sheet].iter_rows(min_row=5, values_only=True)
                  if row[1]}
        assert footer[executor_label] == "Ахметов Ерлан"
        assert isinstance(footer[date_label], datetime)  # a real date cell, shown DD.MM.YYYY
        assert footer[date_label].date() == date(2025, 3, 5)
        assert book[sheet].cell(book[sheet].max_row, 3).number_format == "DD.MM.YYYY"


def test_request_form_is_printable_landscape_with_bold_wrapped_headers() -> None:
    sheet = open_book(request_form(ROWS, executor="Ахметов Ерлан", on=date(2025, 3, 5)))[
        "Русский"]

    assert sheet.page_setup.orientation == "landscape"
    assert all(cell.font.bold and cell.alignment.wrap_text for cell in sheet[3])
    assert all(sheet.column_dimensions[column].width >= 14 for column in "BCDEFGHI")


def test_kazakh_letters_survive_a_round_trip() -> None:
    name = f"Қызмет {KAZAKH_LETTERS}"
    form = open_book(request_form([RequestRow("1", name, "Услуга")], executor=KAZAKH_LETTERS,
                                  on=date(2025, 1, 6)))
    assert form["Қазақша"]["C4"].value == name
    assert form["Қазақша"]["C6"].value == KAZAKH_LETTERS

    answer = f"Жауап: {KAZAKH_LETTERS}\nекінші жол"
    doc = read(filled({"faq": {"B2": f"Сұрақ {KAZAKH_LETTERS}?", "D2": answer}}))

    entry = doc["services"][0]["faq"][0]
    assert entry["questions"] == {"kk": [f"Сұрақ {KAZAKH_LETTERS}?"]}
    assert entry["answer"] == {"kk": answer}


def test_a_workbook_with_the_old_english_sheet_names_still_reads() -> None:
    book = open_book(filled({"faq": {"B2": "Қанша тұрады?", "D2": "Тегін."}}))
    for key, title in TITLES.items():
        book[title].title = key  # a template sent out before the sheets had their names

    [entry] = read(saved(book))["services"][0]["faq"]
    assert entry["questions"] == {"kk": ["Қанша тұрады?"]}

    book["faq"]["A3"], book["faq"]["B3"], book["faq"]["D3"] = "MVD Fee", "Қашан?", "Ертең."
    [problem] = problems_of(saved(book))
    assert problem.startswith("faq!A3: ")  # named as the sheet is titled in that workbook


def test_the_readme_names_the_sheets_as_they_are_titled() -> None:
    readme = open_book(template())[TITLES["README"]]
    text = " ".join(row[0] for row in readme.iter_rows(values_only=True) if row[0])
    assert all(f"«{TITLES[key]}»" in text for key in ("service", "card", "faq"))
    assert not any(f"«{key}»" in text for key in ("service", "card", "faq"))


LATIN_WORD = re.compile(r"\b[A-Za-z_]{2,}\b")


def test_people_read_names_in_their_language_the_codes_are_hidden() -> None:
    book = open_book(template())
    for key in ("service", "card", "faq"):
        sheet = book[TITLES[key]]
        assert sheet.column_dimensions["A"].hidden, key  # the importer's codes
        shown = [cell.value for row in sheet.iter_rows() for cell in row[1:]
                 if isinstance(cell.value, str)
                 and not sheet.row_dimensions[cell.row].hidden]
        assert not [text for text in shown if LATIN_WORD.search(text)], key
    service = book[TITLES["service"]]
    [agency_row] = [row for row in range(2, service.max_row + 1)
                    if service.cell(row, 1).value == "agency"]
    assert service.row_dimensions[agency_row].hidden  # "mvd" is for the importer only
    readme = " ".join(row[0] for row in book[TITLES["README"]].iter_rows(values_only=True)
                      if row[0])
    assert set(LATIN_WORD.findall(readme)) <= {"Alt", "Enter"}


def test_a_template_sent_with_the_codes_shown_and_english_headings_still_reads() -> None:
    book = open_book(filled({"service": {"B6": "жеке куәлік"},
                             "faq": {"B2": "Қанша тұрады?", "D2": "Тегін."}}))
    for key, heading in (("service", "key"), ("card", "key"), ("faq", "id")):
        sheet = book[TITLES[key]]
        sheet["A1"] = heading  # as templates were sent before the codes were hidden
        sheet.column_dimensions["A"].hidden = False
    [service] = read(saved(book))["services"]
    assert service["keywords"] == {"kk": ["жеке куәлік"]}
    assert service["faq"][0]["answer"] == {"kk": "Тегін."}


def test_template_has_a_card_row_per_section_of_the_pack_schema() -> None:
    sections = list(json.loads(SCHEMA.read_text())["$defs"]["card"]["properties"])

    card = open_book(template())[TITLES["card"]]

    rows = list(card.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == sections
    assert all(row[1] and row[2] and row[1] != row[2] for row in rows)
    assert any(set(KAZAKH_LETTERS) & set(row[1]) for row in rows)
    assert [cell.value for cell in card[1]][:3] == ["Код", "Бөлім", "Раздел"]


def test_template_prefills_the_service_locked_and_explains_itself_in_both_languages() -> None:
    book = open_book(template())

    assert book.sheetnames == list(TITLES.values())
    sheet = book[TITLES["service"]]
    service = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert service == {"register_no": "00301001", "agency": "mvd",
                       "name_kk": "Жеке куәлік беру", "name_ru": "Выдача удостоверения личности",
                       "keywords_kk": None, "keywords_ru": None}
    assert book[TITLES["service"]].protection.sheet
    assert book[TITLES["service"]]["B2"].protection.locked
    assert not book[TITLES["service"]]["B6"].protection.locked
    assert [cell.value for cell in book[TITLES["faq"]][1]][0] == "Код"
    readme = [row[0] for row in book[TITLES["README"]].iter_rows(values_only=True) if row[0]]
    assert any("толтырыңыз" in text for text in readme)
    assert any("Заполните" in text for text in readme)


def test_filled_template_reads_back_into_a_pack_that_passes_pack_validation() -> None:
    book = open_book(template())
    fee, term = card_row(book, "fee"), card_row(book, "term")
    data = filled({
        "service": {"B6": "жеке куәлік, удо", "B7": "удостоверение,  удо ,ЖСК"},
        "card": {f"D{fee}": "Тегін.", f"E{fee}": "Бесплатно.", f"E{term}": "15 рабочих дней."},
        "faq": {
            "A2": "mvd.id-card.fee",
            "B2": "Жеке куәлік қанша тұрады?\n\nКуәлік ақылы ма?",
            "C2": "Сколько стоит удостоверение?",
            "D2": "Тегін.", "E2": "Бесплатно.",
            # row 3 left blank: skipped
            "C4": "Где получить удостоверение?", "E4": "В ЦОНе по месту жительства.",
        },
    })

    doc = read(data)

    assert parse_pack(json.dumps(doc, ensure_ascii=False)) == doc
    assert doc["agencies"] == [{"code": "mvd", "name": AGENCY_NAME}]
    [service] = doc["services"]
    assert service["register_no"] == "00301001" and service["agency"] == "mvd"
    assert service["name"] == {"kk": "Жеке куәлік беру", "ru": "Выдача удостоверения личности"}
    assert service["keywords"] == {"kk": ["жеке куәлік", "удо"],
                                   "ru": ["удостоверение", "удо", "ЖСК"]}
    assert service["card"] == {"term": {"ru": "15 рабочих дней."},
                               "fee": {"kk": "Тегін.", "ru": "Бесплатно."}}
    assert service["faq"] == [
        {"id": "mvd.id-card.fee",
         "questions": {"kk": ["Жеке куәлік қанша тұрады?", "Куәлік ақылы ма?"],
                       "ru": ["Сколько стоит удостоверение?"]},
         "answer": {"kk": "Тегін.", "ru": "Бесплатно."}},
        {"id": "mvd.00301001.4",  # no id given: agency, register number and row
         "questions": {"ru": ["Где получить удостоверение?"]},
         "answer": {"ru": "В ЦОНе по месту жительства."}},
    ]


def test_an_invalid_template_is_refused_whole_with_every_problem_named_by_cell() -> None:
    data = filled({
        "service": {"B2": "00301009"},
        "faq": {
            "A2": "mvd.fee", "B2": "Қанша тұрады?", "D2": "Тегін.",
            "A3": "mvd.fee", "C3": "Сколько стоит?", "E3": "Бесплатно.",
            "A4": "mvd.where", "D4": "Жауабы бар, сұрағы жоқ.",
            "A5": "mvd.when", "B5": "Қашан?",
        },
    })

    assert problems_of(data) == [
        f'{SERVICE}!B2: the register number must stay "00301001", found "00301009"',
        f'{FAQ}!A3: the id "mvd.fee" is already used in row 2',
        f"{FAQ}!B4: the entry has no question: write one in Kazakh (B) or Russian (C)",
        f"{FAQ}!D5: the entry has no answer: write it in Kazakh (D) or Russian (E)",
    ]


def test_a_changed_agency_a_number_for_the_register_no_and_a_missing_sheet_are_named() -> None:
    book = open_book(template())
    book[TITLES["service"]]["B2"] = 301001  # retyped as a number: the leading zeros are gone
    book[TITLES["service"]]["B3"] = "mju"
    del book[TITLES["card"]]

    assert problems_of(saved(book)) == [
        f'$: the sheet "{TITLES["card"]}" is missing',
        f'{SERVICE}!B2: the register number must stay "00301001", found "301001"',
        f'{SERVICE}!B3: the agency must stay "mvd", found "mju"',
    ]


def test_the_pack_rules_are_reported_at_the_cell_they_concern() -> None:
    book = open_book(template())
    data = filled({
        "card": {f"D{card_row(book, 'fee')}": "   "},  # blank is empty: the section is left out
        "faq": {"A2": "MVD Fee", "B2": "Қанша?", "D2": "Тегін."},
    })

    [problem] = problems_of(data)

    assert problem.startswith(f"{FAQ}!A2: 'MVD Fee' does not match")


def test_a_generated_id_that_collides_with_a_given_one_is_named() -> None:
    data = filled({"faq": {"A2": "mvd.00301001.3", "B2": "Бір?", "D2": "Иә.",
                           "B3": "Екі?", "D3": "Жоқ."}})

    assert problems_of(data) == [
        f'{FAQ}!A3: the id "mvd.00301001.3" made for this row is already used in row 2']


def test_an_unknown_or_repeated_card_section_is_named() -> None:
    book = open_book(template())
    last = book[TITLES["card"]].max_row
    data = filled({"card": {f"A{last + 1}": "price", f"D{last + 1}": "9 АЕК",
                            f"A{last + 2}": "fee", f"E{last + 2}": "9 МРП",
                            f"D{last + 3}": "мәтін"},
                   "faq": {"B2": "Қанша?", "D2": "9 АЕК."}})

    problems = problems_of(data)

    assert [problem.split(":")[0] for problem in problems] == [
        f"{CARD}!A{last + 1}", f"{CARD}!A{last + 2}", f"{CARD}!A{last + 3}"]
    assert 'unknown section "price"' in problems[0]
    assert f'the section "fee" is there twice (first in row {card_row(book, "fee")})' in (
        problems[1])


@pytest.mark.parametrize("data", [
    b"not a workbook",
    b"",
    b"PK\x03\x04 broken zip",
], ids=["text", "empty", "broken-zip"])
def test_what_is_not_an_xlsx_workbook_is_refused(data: bytes) -> None:
    assert problems_of(data) == ["$: not an .xlsx workbook"]


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pack.json", "{}")

    assert problems_of(buffer.getvalue()) == ["$: not an .xlsx workbook"]
