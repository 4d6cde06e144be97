"""The protocol of acceptance of a public service's information, as a Word document.

After the training both sides sign a protocol (002 p.8), and the center starts informing
citizens five working days after it is signed (002 p.9). Signatories print it, sign it by
hand and scan it back, so it is a .docx; the text is the document's own, in Kazakh first
and then in Russian, not translations picked by a reader's language.

The document is rendered from a Word template shipped in the package
(``templates/protocol.docx``, docxtpl's Jinja tags) so a lawyer can change the wording in
Word; ``scripts/docx-templates`` built it once from the texts below, and builds it again
only when they, not the template, are meant to be the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from io import BytesIO
from typing import Final

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate

from knowledge.model import LANGS
from knowledge.onboarding.word import (
    DAY_BLANKS,
    LANG_TAGS,
    clean,
    document_day,
    kazakh_then_russian,
    paragraph,
    run,
    saved,
    service_values,
    title_block,
    without_control,
)


@dataclass(frozen=True, slots=True)
class ProtocolData:
    """What one protocol says; the dates are given, not computed here.

    Before both sides sign, the protocol has no date and no start date: it states the rule
    (p.9), and the date it goes live is printed once it is known.
    """

    number: str
    signed_on: date | None
    register_no: str
    service_name_kk: str
    service_name_ru: str
    agency_name_kk: str
    agency_name_ru: str
    responsible_name: str  # the agency's responsible person: handed over and trained
    responsible_position: str
    training_on: date
    entries: int  # question-and-answer entries accepted into the knowledge base
    activation_on: date | None  # signed_on + activation_days working days (002 p.9)
    center_representative: str  # full name and position; empty: a line to fill by hand
    activation_days: int = 5  # the policy's "activation" rule


PROTOCOL_TITLE: Final = {
    "kk": "Мемлекеттік көрсетілетін қызмет туралы ақпаратты қабылдау хаттамасы",
    "ru": "Протокол приёма информации о государственной услуге",
}
PLACE: Final = {"kk": "Астана қ.", "ru": "г. Астана"}
PREAMBLE: Final = {
    "kk": "Мемлекеттік қызметтер көрсету мәселелері жөніндегі бірыңғай байланыс орталығы "
          "(бұдан әрі – Бірыңғай байланыс орталығы) және төменде көрсетілген мемлекеттік "
          "орган Бірыңғай байланыс орталығының орталық мемлекеттік органдармен және "
          "жергілікті атқарушы органдармен өзара іс-қимыл қағидаларының 8-тармағына сәйкес "
          "осы хаттаманы жасады.",
    "ru": "Единый контакт-центр по вопросам оказания государственных услуг (далее – Единый "
          "контакт-центр) и указанный ниже государственный орган составили настоящий "
          "протокол в соответствии с пунктом 8 Правил взаимодействия Единого контакт-центра "
          "с центральными государственными органами и местными исполнительными органами.",
}
# Label, and the value's template over the fields of ProtocolData (dates already formatted).
ITEMS: Final[Mapping[str, tuple[tuple[str, str], ...]]] = {
    "kk": (
        ("Мемлекеттік көрсетілетін қызметтің тізілімдегі нөмірі", "{register_no}"),
        ("Мемлекеттік көрсетілетін қызметтің атауы", "{service_name_kk}"),
        ("Мемлекеттік органның атауы", "{agency_name_kk}"),
        ("Ақпаратты ұсынған және оқытуды жүргізген жауапты тұлға",
         "{responsible_name}, {responsible_position}"),
        ("Оқыту жүргізілген күн", "{training_on_kk}"),
        ("Қабылданған «сұрақ – жауап» жазбаларының саны", "{entries}"),
    ),
    "ru": (
        ("Номер государственной услуги в реестре", "{register_no}"),
        ("Наименование государственной услуги", "{service_name_ru}"),
        ("Наименование государственного органа", "{agency_name_ru}"),
        ("Ответственное лицо, предоставившее информацию и проведшее обучение",
         "{responsible_name}, {responsible_position}"),
        ("Дата проведения обучения", "{training_on_ru}"),
        ("Количество принятых записей «вопрос – ответ»", "{entries}"),
    ),
}
# The rule of 002 p.9, in its own words: the start counts from the signature.
ACTIVATION_RULE: Final = {
    "kk": "Бірыңғай байланыс орталығы мемлекеттік көрсетілетін қызмет туралы ақпаратты "
          "консультация беру үшін қабылдайды және азаматтарды осы қызмет туралы хаттамаға "
          "қол қойылған күннен бастап {days} жұмыс күні өткен соң хабардар ете бастайды "
          "(Қағидалардың 9-тармағы).",
    "ru": "Единый контакт-центр принимает информацию о государственной услуге для "
          "консультирования и начинает информировать граждан об этой услуге по истечении "
          "{days} рабочих дней со дня подписания протокола (пункт 9 Правил).",
}
# The Kazakh dates stand after a dash, where no case ending is needed (written out, a date
# would need the locative, "…желтоқсанда", inside the sentence); the Russian ones inside
# the sentence, so that their "г." does not meet the full stop.
ACTIVATION_DATE: Final = {
    "kk": "Хаттамаға қол қойылған күн – {signed_on_kk}. Бірыңғай байланыс орталығы "
          "азаматтарды осы қызмет туралы хабардар ете бастайтын күн – {activation_on_kk}.",
    "ru": "Протокол подписан {signed_on_ru}; с {activation_on_ru} Единый контакт-центр "
          "информирует граждан об этой услуге.",
}
# How the rule's number of days reads in words; other numbers are written in figures.
DAYS_IN_WORDS: Final[Mapping[str, Mapping[int, str]]] = {
    "kk": {2: "екі", 3: "үш", 4: "төрт", 5: "бес", 6: "алты", 7: "жеті", 8: "сегіз",
           9: "тоғыз", 10: "он"},
    "ru": {2: "двух", 3: "трёх", 4: "четырёх", 5: "пяти", 6: "шести", 7: "семи",
           8: "восьми", 9: "девяти", 10: "десяти"},
}
UNSIGNED_DATE: Final = DAY_BLANKS  # the date of a protocol not yet signed: by hand
SIGNATORIES: Final = {
    "kk": ("Мемлекеттік органның жауапты тұлғасы", "Бірыңғай байланыс орталығының өкілі"),
    "ru": ("Ответственное лицо государственного органа", "Представитель Единого контакт-центра"),
}
REPRESENTATIVE_BLANK: Final = {
    "kk": "______________________________ (тегі, аты, әкесінің аты, лауазымы)",
    "ru": "______________________________ (фамилия, имя, отчество, должность)",
}
SIGNATURE_BLANKS: Final = {
    "kk": f"Қолы: ________________________    Күні: {DAY_BLANKS['kk']}",
    "ru": f"Подпись: ________________________    Дата: {DAY_BLANKS['ru']}",
}


TEMPLATE: Final = "templates/protocol.docx"
# The template's tags, in place of the values (``_write`` lays out both).
_TAGS: Final = {
    name: "{{ " + name + " }}"
    for name in ("number", "register_no", "service_name_kk", "service_name_ru",
                 "agency_name_kk", "agency_name_ru", "responsible_name",
                 "responsible_position", "entries", "center_representative",
                 *(f"{day}_{lang}" for day in ("signed_on", "training_on", "activation_on",
                                               "days") for lang in LANGS))
}
_IF_DATED: Final = ("{%p if dated %}", "{%p endif %}")


def shipped_protocol_template() -> bytes:
    return resources.files("knowledge.onboarding").joinpath(TEMPLATE).read_bytes()


def protocol_document(data: ProtocolData, *, template: bytes | None = None) -> bytes:
    """The protocol as .docx bytes (the Kazakh text, a page break, the Russian text),
    rendered from the shipped template or the one given."""
    document = DocxTemplate(BytesIO(template or shipped_protocol_template()))
    dated = data.signed_on is not None and data.activation_on is not None
    document.render({**_values(data), "dated": dated}, autoescape=True)
    _properties(document.docx, data)
    return saved(document)


def protocol_template() -> bytes:
    """The Word template, laid out from the texts above (``scripts/docx-templates``)."""
    return kazakh_then_russian(lambda document, lang: _write(document, lang, _TAGS))


def _values(data: ProtocolData) -> dict[str, str]:
    values = {
        **service_values(data),
        "responsible_name": clean(data.responsible_name),
        "responsible_position": clean(data.responsible_position),
        "entries": str(data.entries),
        "center_representative": clean(data.center_representative),
    }
    for lang in LANGS:  # dates written out in each language's words (Babel)
        values[f"signed_on_{lang}"] = (document_day(data.signed_on, lang) if data.signed_on
                                       else UNSIGNED_DATE[lang])
        values[f"training_on_{lang}"] = document_day(data.training_on, lang)
        values[f"activation_on_{lang}"] = (document_day(data.activation_on, lang)
                                           if data.activation_on else "")
        values[f"days_{lang}"] = DAYS_IN_WORDS[lang].get(data.activation_days,
                                                         str(data.activation_days))
    return values


def _write(document: DocumentObject, lang: str, values: Mapping[str, str]) -> None:
    tag = LANG_TAGS[lang]
    title_block(document, tag, title=PROTOCOL_TITLE[lang], number=values["number"],
                place=PLACE[lang],
                day=values[f"signed_on_{lang}"])
    paragraph(document, tag, PREAMBLE[lang]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for position, (label, value) in enumerate(ITEMS[lang], start=1):
        item = paragraph(document, tag, f"{position}. {label}: ", bold=True)
        run(item, tag, value.format_map(values))
    rule = ACTIVATION_RULE[lang].format(days=values[f"days_{lang}"])
    activation = paragraph(document, tag, rule)
    activation.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    activation.paragraph_format.space_before = Pt(6)
    paragraph(document, tag, _IF_DATED[0])
    dated = paragraph(document, tag, ACTIVATION_DATE[lang].format_map(values))
    dated.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph(document, tag, _IF_DATED[1])
    agency_side, center_side = SIGNATORIES[lang]
    agency_person = f"{values['responsible_position']}, {values['responsible_name']}"
    representative = ("{% if center_representative %}{{ center_representative }}{% else %}"
                      + REPRESENTATIVE_BLANK[lang] + "{% endif %}")
    for side, person in ((agency_side, agency_person), (center_side, representative)):
        heading = paragraph(document, tag, f"{side}:", bold=True)
        heading.paragraph_format.space_before = Pt(18)
        paragraph(document, tag, person)
        paragraph(document, tag, SIGNATURE_BLANKS[lang]).paragraph_format.space_before = Pt(12)


def _properties(document: DocumentObject, data: ProtocolData) -> None:
    """Set on every rendering: the template's own (who saved it last) are not the protocol's."""
    properties = document.core_properties
    properties.title = " / ".join(PROTOCOL_TITLE[lang] for lang in LANGS)
    properties.subject = without_control(data.register_no)
    properties.author = properties.last_modified_by = ""
    properties.comments = ""
    properties.keywords = ""
