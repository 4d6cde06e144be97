"""The protocol of acceptance opens in Word with everything both sides sign for, in Kazakh
first and in Russian after a page break, and names come through as written."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from io import BytesIO
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from knowledge.onboarding.protocol import (
    PROTOCOL_TITLE,
    SIGNATORIES,
    SIGNATURE_BLANKS,
    ProtocolData,
    protocol_document,
    shipped_protocol_template,
)

DATA = ProtocolData(
    number="7/00301001",
    signed_on=date(2026, 3, 18),
    register_no="00301001",
    service_name_kk="Жеке куәлік беру",
    service_name_ru="Выдача удостоверения личности",
    agency_name_kk="Қазақстан Республикасы Ішкі істер министрлігі",
    agency_name_ru="Министерство внутренних дел Республики Казахстан",
    responsible_name="Әбілқасымова Гүлнұр Серікқызы",
    responsible_position="Көші-қон қызметі департаментінің бас сарапшысы",
    training_on=date(2026, 3, 4),
    entries=27,
    activation_on=date(2026, 3, 30),
    center_representative="Иванов Сергей Петрович",
)


def opened(data: bytes) -> Any:
    return Document(BytesIO(data))


def texts(data: bytes) -> list[str]:
    return [p.text for p in opened(data).paragraphs]


def whole(data: bytes) -> str:
    return "\n".join(texts(data))


def test_both_languages_in_order_with_a_page_break_between() -> None:
    lines = texts(protocol_document(DATA))
    kk, ru = lines.index(PROTOCOL_TITLE["kk"]), lines.index(PROTOCOL_TITLE["ru"])
    assert kk == 0 < ru
    body = opened(protocol_document(DATA)).element.body
    breaks = [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1
    assert "хаттамасы" in lines[0] and "Протокол" in lines[ru]


def test_everything_the_protocol_states_is_there() -> None:
    text = whole(protocol_document(DATA))
    for expected in (
        "00301001", "7/00301001", "Астана қ.", "г. Астана", "2026 жылғы 18 наурыз",
        "18 марта 2026 г.",
        DATA.service_name_kk, DATA.service_name_ru, DATA.agency_name_kk, DATA.agency_name_ru,
        DATA.responsible_name, DATA.responsible_position, DATA.center_representative,
    ):
        assert expected in text, expected
    # the training, once per language, written out in its words (Babel)
    assert "Оқыту жүргізілген күн: 2026 жылғы 4 наурыз" in text
    assert "Дата проведения обучения: 4 марта 2026 г." in text
    assert "«сұрақ – жауап» жазбаларының саны: 27" in text
    assert "записей «вопрос – ответ»: 27" in text
    assert ("хабардар ете бастайтын күн – 2026 жылғы 30 наурыз." in text)
    assert "с 30 марта 2026 г. Единый контакт-центр информирует граждан" in text
    assert not re.search(r"\d{2}\.\d{2}\.\d{4}", text)  # no date left as dd.mm.yyyy
    assert "г.." not in text and " ж." not in text  # no "ж." after a date written out


def test_signature_lines_for_both_sides_in_both_languages() -> None:
    lines = texts(protocol_document(DATA))
    for lang in ("kk", "ru"):
        agency, center = SIGNATORIES[lang]
        assert f"{agency}:" in lines and f"{center}:" in lines
        assert lines.count(SIGNATURE_BLANKS[lang]) == 2
        assert lines[lines.index(f"{center}:") + 1] == DATA.center_representative
    assert "Мемлекеттік органның жауапты тұлғасы:" in lines
    assert "Бірыңғай байланыс орталығының өкілі:" in lines
    assert "Ответственное лицо государственного органа:" in lines
    assert "Представитель Единого контакт-центра:" in lines


def test_markup_characters_survive_verbatim() -> None:
    odd = 'ТОО "А&Б" <филиал> ұлы'
    data = replace(DATA, responsible_name=odd, agency_name_kk=odd, agency_name_ru=odd,
                   center_representative=odd, service_name_ru="Услуга <&> \"кавычки\"")
    text = whole(protocol_document(data))
    assert text.count(odd) >= 8
    assert 'Услуга <&> "кавычки"' in text
    assert "&amp;" not in text and "&lt;" not in text


def test_characters_xml_cannot_hold_are_dropped_not_fatal() -> None:
    data = replace(DATA, responsible_name="Асқар\x00 Бек\x0bұлы\nАлиев")
    assert "Асқар Бекұлы Алиев" in whole(protocol_document(data))


RULE_RU = "по истечении пяти рабочих дней со дня подписания протокола"
RULE_KK = "хаттамаға қол қойылған күннен бастап бес жұмыс күні өткен соң"


def test_a_protocol_not_yet_signed_states_the_rule_and_promises_no_date() -> None:
    # made at the training on 11.03.2027: counting from that day would say 19.03.2027,
    # but the service goes live five working days after the protocol is signed (002 p.9)
    unsigned = replace(DATA, signed_on=None, activation_on=None, training_on=date(2027, 3, 11))
    text = whole(protocol_document(unsigned))
    assert RULE_RU in text and RULE_KK in text
    assert set(re.findall(r"\d{4} жылғы \d+ \w+|\d+ \w+ \d{4} г\.", text)) == {
        "2027 жылғы 11 наурыз", "11 марта 2027 г."}  # the training only
    assert "20____ жылғы «____» ______________" in text  # the protocol's date: by hand
    assert "«____» ______________ 20____ г." in text


def test_a_signed_protocol_states_the_rule_and_the_day_it_goes_live() -> None:
    signed = replace(DATA, signed_on=date(2027, 3, 19), activation_on=date(2027, 3, 31))
    text = whole(protocol_document(signed))
    assert RULE_RU in text and RULE_KK in text
    assert "с 31 марта 2027 г." in text and "күн – 2027 жылғы 31 наурыз" in text
    assert "Протокол подписан 19 марта 2027 г." in text
    assert "Хаттамаға қол қойылған күн – 2027 жылғы 19 наурыз" in text


def test_the_protocol_comes_from_the_word_template_shipped_in_the_package() -> None:
    template = shipped_protocol_template()
    placeholders = whole(template)
    for field in ("number", "signed_on_kk", "signed_on_ru", "register_no", "service_name_kk",
                  "service_name_ru", "training_on_kk", "training_on_ru", "responsible_name",
                  "center_representative"):
        assert "{{ " + field + " }}" in placeholders, field
    text = whole(protocol_document(DATA))
    for expected in (DATA.service_name_kk, DATA.service_name_ru, DATA.register_no,
                     "18 марта 2026 г.", "2026 жылғы 4 наурыз", "30 марта 2026 г.",
                     DATA.responsible_name,
                     DATA.center_representative):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_what_a_lawyer_changes_in_the_template_is_what_the_protocol_says() -> None:
    document = opened(shipped_protocol_template())
    [place] = [p for p in document.paragraphs if p.text.startswith("г. Астана")]
    place.runs[0].text = place.runs[0].text.replace("г. Астана", "город Астана")
    edited = BytesIO()
    document.save(edited)
    text = whole(protocol_document(DATA, template=edited.getvalue()))
    assert "город Астана\t18 марта 2026 г." in text
