"""What the Word documents sent to agencies share: the A4 page, paragraphs tagged with
their language (so Word checks Kazakh spelling as Kazakh), values made safe for XML, and
dates written out as an official letter writes them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Final, Protocol

from babel.dates import format_date
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENTATION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

LANG_TAGS: Final = {"kk": "kk-KZ", "ru": "ru-RU"}
TEXT_WIDTH: Final = Cm(17)  # A4 less the margins of ``page``
# Characters XML 1.0 cannot hold; python-docx refuses them, a document should not.
_NOT_XML: Final = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# "2026 жылғы 7 желтоқсан" (Babel's own long form abbreviates "ж."), "7 декабря 2026 г.".
_DAY_PATTERNS: Final = {"kk": "y 'жылғы' d MMMM", "ru": "d MMMM y 'г.'"}
_LOCALES: Final = {"kk": "kk_KZ", "ru": "ru_RU"}
# A date left to write by hand, in the same shape.
DAY_BLANKS: Final = {"kk": "20____ жылғы «____» ______________",
                     "ru": "«____» ______________ 20____ г."}


def document_day(day: date, lang: str) -> str:
    """The date in words, as an official letter writes it: "2026 жылғы 7 желтоқсан",
    "7 декабря 2026 г." (Babel's month names, CLDR's genitive in Russian)."""
    return format_date(day, _DAY_PATTERNS[lang], locale=_LOCALES[lang])


def clean(text: str) -> str:
    """One line, without the characters XML cannot hold."""
    return " ".join(_NOT_XML.sub("", text).split())


def without_control(text: str) -> str:
    return _NOT_XML.sub("", text)


def paragraph(document: DocumentObject, tag: str, text: str, *, bold: bool = False,
              size: float | None = None) -> Paragraph:
    made = document.add_paragraph()
    made.paragraph_format.space_after = Pt(6)
    run(made, tag, text, bold=bold, size=size)
    return made


def run(paragraph: Paragraph, tag: str, text: str, *, bold: bool = False,
        size: float | None = None) -> None:
    added = paragraph.add_run(text)
    added.bold = bold
    if size is not None:
        added.font.size = Pt(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    added._r.get_or_add_rPr().append(lang)


def page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENTATION.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)


class AboutAService(Protocol):
    """What every document of a case names: its number, the service and the agency."""

    @property
    def number(self) -> str: ...
    @property
    def register_no(self) -> str: ...
    @property
    def service_name_kk(self) -> str: ...
    @property
    def service_name_ru(self) -> str: ...
    @property
    def agency_name_kk(self) -> str: ...
    @property
    def agency_name_ru(self) -> str: ...


def service_values(data: AboutAService) -> dict[str, str]:
    """A case document's common fields, cleaned for the template."""
    return {name: clean(getattr(data, name))
            for name in ("number", "register_no", "service_name_kk", "service_name_ru",
                         "agency_name_kk", "agency_name_ru")}


def kazakh_then_russian(write: Callable[[DocumentObject, str], None]) -> bytes:
    """A template laid out in Kazakh, then (after a page break) in Russian, as .docx bytes."""
    document: DocumentObject = Document()
    page(document)
    for index, lang in enumerate(LANG_TAGS):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        write(document, lang)
    return saved(document)


def saved(document: DocumentObject) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def title_block(document: DocumentObject, tag: str, *, title: str, number: str, place: str,
                day: str) -> None:
    """The title, the number and the place with the date on the right, centred as a
    letter's head."""
    heading = paragraph(document, tag, title, bold=True, size=14)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbered = paragraph(document, tag, f"№ {number}", bold=True)
    numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    placed = paragraph(document, tag, f"{place}\t{day}")
    placed.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    placed.paragraph_format.space_after = Pt(12)
