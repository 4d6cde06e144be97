"""The agency request (002 p.4) as a Word document: the covering letter the center sends an
agency when a service enters the Register, asking it to appoint a responsible person, to
provide the service's information and to train the center's staff.

Like the protocol, it is rendered from a Word template shipped in the package
(``templates/request.docx``, docxtpl's Jinja tags) so a lawyer can change the wording in
Word; Kazakh first, then Russian after a page break. The request form of Annex 1 and the
information template go with it as .xlsx (``documents``).
"""

from __future__ import annotations

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
from knowledge.onboarding.protocol import DAYS_IN_WORDS, PLACE, REPRESENTATIVE_BLANK
from knowledge.onboarding.word import (
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
class RequestData:
    """What one request says; the due date is given, counted by the caller in working days."""

    number: str
    on: date  # the day it is sent (an electronic request arrives the same day)
    register_no: str
    service_name_kk: str
    service_name_ru: str
    agency_name_kk: str
    agency_name_ru: str
    appoint_by: date  # the responsible person is due by this day (002 p.5)
    executor: str  # the center's person: full name and position; empty: a line to fill
    appoint_days: int = 3  # the policy's "responsible_appointed" rule
    inform_days: int = 5  # the policy's "information_provided" rule


TEMPLATE: Final = "templates/request.docx"
REQUEST_TITLE: Final = {
    "kk": "Мемлекеттік көрсетілетін қызмет туралы ақпарат беру туралы сұрау салу",
    "ru": "Запрос о предоставлении информации о государственной услуге",
}
ADDRESSEE: Final = {"kk": "Мемлекеттік орган", "ru": "Государственный орган"}
# The service as an item list, so any name reads the same whatever its grammar.
SERVICE_ITEMS: Final = {
    "kk": (("Мемлекеттік көрсетілетін қызметтің тізілімдегі нөмірі", "register_no"),
           ("Мемлекеттік көрсетілетін қызметтің атауы", "service_name_kk")),
    "ru": (("Номер государственной услуги в реестре", "register_no"),
           ("Наименование государственной услуги", "service_name_ru")),
}
INTRO: Final = {
    "kk": "Мемлекеттік көрсетілетін қызметтер тізіліміне төмендегі мемлекеттік көрсетілетін "
          "қызмет енгізілді. Бірыңғай байланыс орталығының орталық мемлекеттік органдармен "
          "және жергілікті атқарушы органдармен өзара іс-қимыл қағидаларының (бұдан әрі – "
          "Қағидалар) 4-тармағына сәйкес осы қызмет туралы ақпарат беруді және Бірыңғай "
          "байланыс орталығының қызметкерлерін оқытуды сұраймыз.",
    "ru": "В реестр государственных услуг включена указанная ниже государственная услуга. В "
          "соответствии с пунктом 4 Правил взаимодействия Единого контакт-центра с "
          "центральными государственными органами и местными исполнительными органами "
          "(далее – Правила) просим предоставить информацию об этой услуге и провести "
          "обучение сотрудников Единого контакт-центра.",
}
APPOINT: Final = {
    "kk": "Қағидалардың 5-тармағына сәйкес сұрау салуды алған күннен бастап {days} жұмыс "
          "күні ішінде жауапты тұлғаны тағайындап, оның тегін, атын, әкесінің атын, "
          "лауазымын, телефоны мен электрондық пошта мекенжайын Бірыңғай байланыс "
          "орталығына хабарлауыңызды сұраймыз.",
    "ru": "В соответствии с пунктом 5 Правил просим в течение {days} рабочих дней со дня "
          "получения запроса назначить ответственное лицо и сообщить Единому "
          "контакт-центру его фамилию, имя, отчество, должность, телефон и адрес "
          "электронной почты.",
}
# The Kazakh due date stands alone after a dash: no case ending to agree with; the Russian
# one inside the sentence, so that its "г." does not meet the full stop.
APPOINT_BY: Final = {
    "kk": "Жауапты тұлғаны тағайындаудың соңғы күні – {appoint_by}.",
    "ru": "Ответственное лицо назначается не позднее {appoint_by} включительно.",
}
INFORM: Final = {
    "kk": "Жауапты тұлға тағайындалған күннен бастап {days} жұмыс күні ішінде қызмет туралы "
          "ақпаратты қоса берілген үлгі бойынша қазақ және орыс тілдерінде ұсынады, содан "
          "кейін Бірыңғай байланыс орталығының қызметкерлерін оқытады (Қағидалардың 5 және "
          "8-тармақтары).",
    "ru": "Ответственное лицо в течение {days} рабочих дней со дня назначения предоставляет "
          "информацию об услуге на казахском и русском языках по прилагаемому шаблону, а "
          "затем проводит обучение сотрудников Единого контакт-центра (пункты 5 и 8 Правил).",
}
ATTACHED: Final = {
    "kk": ("Қосымшалар:", "1. Сұрау салу нысаны (1-қосымша).",
           "2. Мемлекеттік көрсетілетін қызмет туралы ақпарат үлгісі."),
    "ru": ("Приложения:", "1. Форма запроса (приложение 1).",
           "2. Шаблон информации о государственной услуге."),
}
EXECUTOR: Final = {"kk": "Орындаушы", "ru": "Исполнитель"}
SIGNATURE: Final = {"kk": "Қолы: ________________________",
                    "ru": "Подпись: ________________________"}

_FIELDS: Final = ("number", "register_no", "service_name_kk", "service_name_ru",
                  "agency_name_kk", "agency_name_ru", "executor",
                  *(f"{name}_{lang}" for name in ("on", "appoint_by", "appoint_days",
                                                    "inform_days") for lang in LANGS))
_TAGS: Final = {name: "{{ " + name + " }}" for name in _FIELDS}


def shipped_request_template() -> bytes:
    return resources.files("knowledge.onboarding").joinpath(TEMPLATE).read_bytes()


def request_document(data: RequestData, *, template: bytes | None = None) -> bytes:
    """The request as .docx bytes (Kazakh, a page break, Russian), rendered from the
    shipped template or the one given."""
    document = DocxTemplate(BytesIO(template or shipped_request_template()))
    document.render(_values(data), autoescape=True)
    properties = document.docx.core_properties
    properties.title = " / ".join(REQUEST_TITLE[lang] for lang in LANGS)
    properties.subject = without_control(data.register_no)
    properties.author = properties.last_modified_by = ""
    properties.comments = properties.keywords = ""
    return saved(document)


def request_template() -> bytes:
    """The Word template, laid out from the texts above (``scripts/docx-templates``)."""
    return kazakh_then_russian(_write)


def _values(data: RequestData) -> dict[str, str]:
    values = {**service_values(data), "executor": clean(data.executor)}
    for lang in LANGS:
        values[f"on_{lang}"] = document_day(data.on, lang)
        values[f"appoint_by_{lang}"] = document_day(data.appoint_by, lang)
        for name, days in (("appoint_days", data.appoint_days),
                           ("inform_days", data.inform_days)):
            values[f"{name}_{lang}"] = DAYS_IN_WORDS[lang].get(days, str(days))
    return values


def _write(document: DocumentObject, lang: str) -> None:
    tag = LANG_TAGS[lang]
    title_block(document, tag, title=REQUEST_TITLE[lang], number=_TAGS["number"],
                place=PLACE[lang],
                day=_TAGS[f"on_{lang}"])
    run(paragraph(document, tag, f"{ADDRESSEE[lang]}: ", bold=True), tag,
        _TAGS[f"agency_name_{lang}"])
    justified = (
        INTRO[lang],
        *(f"{position}. {label}: {_TAGS[field]}"
          for position, (label, field) in enumerate(SERVICE_ITEMS[lang], start=1)),
        APPOINT[lang].format(days=_TAGS[f"appoint_days_{lang}"]),
        APPOINT_BY[lang].format(appoint_by=_TAGS[f"appoint_by_{lang}"]),
        INFORM[lang].format(days=_TAGS[f"inform_days_{lang}"]),
    )
    for text in justified:
        paragraph(document, tag, text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    heading, *attached = ATTACHED[lang]
    paragraph(document, tag, heading, bold=True).paragraph_format.space_before = Pt(12)
    for line in attached:
        paragraph(document, tag, line)
    executor = paragraph(document, tag, f"{EXECUTOR[lang]}:", bold=True)
    executor.paragraph_format.space_before = Pt(18)
    paragraph(document, tag, "{% if executor %}{{ executor }}{% else %}"
              + REPRESENTATIVE_BLANK[lang] + "{% endif %}")
    paragraph(document, tag, SIGNATURE[lang]).paragraph_format.space_before = Pt(12)
