"""What the Word documents sent to agencies share: the A4 page, paragraphs tagged with
their language (so Word checks Kazakh spelling as Kazakh), values made safe for XML, and
dates written out as an official letter writes them."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from babel.dates import format_date
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENTATION
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
