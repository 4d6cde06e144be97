"""The agency request (002 p.4) opens in Word from a template a lawyer can edit: Kazakh
first, Russian after a page break, the agency, the service and the day the responsible
person is due written out as a letter writes them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from knowledge.onboarding.request import (
    REQUEST_TITLE,
    RequestData,
    request_document,
    shipped_request_template,
)

DATA = RequestData(
    number="4/00301001",
    on=date(2026, 12, 2),
    register_no="00301001",
    service_name_kk="Жеке куәлік беру",
    service_name_ru="Выдача удостоверения личности",
    agency_name_kk="Қазақстан Республикасы Ішкі істер министрлігі",
    agency_name_ru="Министерство внутренних дел Республики Казахстан",
    appoint_by=date(2026, 12, 7),
    executor="Иванов Сергей Петрович, главный специалист",
)


def opened(data: bytes) -> Any:
    return Document(BytesIO(data))


def lines(data: bytes) -> list[str]:
    return [p.text for p in opened(data).paragraphs]


def halves(data: bytes) -> tuple[str, str]:
    """The Kazakh text and the Russian text, split at the Russian title."""
    text = lines(data)
    ru = text.index(REQUEST_TITLE["ru"])
    return "\n".join(text[:ru]), "\n".join(text[ru:])


def test_kazakh_then_russian_with_a_page_break_between() -> None:
    text = lines(request_document(DATA))
    assert text[0] == REQUEST_TITLE["kk"] and REQUEST_TITLE["ru"] in text
    body = opened(request_document(DATA)).element.body
    breaks = [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1


def test_each_language_names_the_agency_the_service_and_the_due_date_in_words() -> None:
    kk, ru = halves(request_document(DATA))
    assert "Мемлекеттік орган: Қазақстан Республикасы Ішкі істер министрлігі" in kk
    assert "Государственный орган: Министерство внутренних дел Республики Казахстан" in ru
    assert "Мемлекеттік көрсетілетін қызметтің атауы: Жеке куәлік беру" in kk
    assert "Наименование государственной услуги: Выдача удостоверения личности" in ru
    assert "00301001" in kk and "00301001" in ru
    # Babel's month names, the date where no case ending is needed
    assert "Жауапты тұлғаны тағайындаудың соңғы күні – 2026 жылғы 7 желтоқсан." in kk
    assert "Ответственное лицо назначается не позднее 7 декабря 2026 г. включительно." in ru
    assert "2026 жылғы 2 желтоқсан" in kk and "2 декабря 2026 г." in ru  # the request's day
    assert "в течение трёх рабочих дней" in ru and "үш жұмыс күні ішінде" in kk
    assert "г.." not in ru and "07.12.2026" not in kk + ru
    assert "Министерство" not in kk and "министрлігі" not in ru


def test_the_executor_is_named_or_left_as_a_line_to_fill() -> None:
    kk, ru = halves(request_document(DATA))
    assert DATA.executor in kk and DATA.executor in ru
    kk, ru = halves(request_document(replace(DATA, executor="")))
    assert "(тегі, аты, әкесінің аты, лауазымы)" in kk
    assert "(фамилия, имя, отчество, должность)" in ru


def test_the_request_comes_from_the_shipped_template_and_a_lawyers_edit_is_kept() -> None:
    placeholders = "\n".join(lines(shipped_request_template()))
    for field in ("agency_name_kk", "agency_name_ru", "service_name_kk", "appoint_by_kk",
                  "appoint_by_ru", "register_no"):
        assert "{{ " + field + " }}" in placeholders, field
    document = opened(shipped_request_template())
    [place] = [p for p in document.paragraphs if p.text.startswith("г. Астана")]
    place.runs[0].text = place.runs[0].text.replace("г. Астана", "город Астана")
    edited = BytesIO()
    document.save(edited)
    text = lines(request_document(DATA, template=edited.getvalue()))
    assert "город Астана\t2 декабря 2026 г." in text
    assert not any("{{" in line or "{%" in line for line in text)


def test_markup_in_names_survives_verbatim() -> None:
    odd = 'ТОО "А&Б" <филиал>'
    kk, ru = halves(request_document(replace(DATA, agency_name_kk=odd, agency_name_ru=odd)))
    assert odd in kk and odd in ru and "&amp;" not in kk + ru
