"""The notice to the quality-control body (002 p.12): a letter in Kazakh and Russian (a
.docx to print, sign and register), and the supporting documents (each request, reply,
date and ground) as .xlsx and .csv.

These are documents, not interface texts: their wording is data per language, as the
onboarding forms are.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Final

from docx import Document
from docx.enum.text import WD_BREAK
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from knowledge.refusals import Notice

XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV: Final = "text/csv"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

GROUNDS: Final = {
    "kk": {
        "state_secret": "мемлекеттік құпия",
        "commercial_secret": "коммерциялық құпия",
        "other_secret": "заңмен қорғалатын өзге де құпия",
        "plain": "заңды негізсіз бас тарту",
    },
    "ru": {
        "state_secret": "государственные секреты",
        "commercial_secret": "коммерческая тайна",
        "other_secret": "иная охраняемая законом тайна",
        "plain": "отказ без законного основания",
    },
}
HEADERS: Final = {
    "kk": ("Р/с №", "Сұрау нөмірі", "Сұрау салу күні", "Сұрау мазмұны", "Бас тарту күні",
           "Негіз", "Органның жауабы"),
    "ru": ("№ п/п", "Номер запроса", "Дата запроса", "Содержание запроса", "Дата отказа",
           "Основание", "Ответ органа"),
}
SHEETS: Final = {"kk": "Қазақша", "ru": "Русский"}
LETTER: Final = {
    "kk": (
        "Мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті "
        "органға\n\n"
        "Ақпаратты ұсынудан бас тарту туралы хабарлама\n\n"
        "Бірыңғай байланыс орталығымен өзара іс-қимыл қағидаларының 12-тармағына сәйкес "
        "хабарлаймыз: {agency} {start} бастап {end} дейінгі кезеңде Бірыңғай байланыс "
        "орталығына мемлекеттік көрсетілетін қызметтер жөніндегі қажетті ақпаратты беруден "
        "{count} рет бас тартты.\n\n"
        "Растайтын құжаттар (әрбір сұрау салу, жауап, күні және негізі) қоса беріледі.\n\n"
        "Бірыңғай байланыс орталығы, 1414\n{today}"
    ),
    "ru": (
        "В уполномоченный орган по оценке и контролю за качеством оказания "
        "государственных услуг\n\n"
        "Уведомление об отказе в предоставлении информации\n\n"
        "В соответствии с пунктом 12 Правил взаимодействия Единого контакт-центра сообщаем: "
        "{agency} в период с {start} по {end} {count} раз(а) отказал(о) Единому "
        "контакт-центру в предоставлении необходимой информации по государственным "
        "услугам.\n\n"
        "Подтверждающие документы (каждый запрос, ответ, дата и основание) прилагаются.\n\n"
        "Единый контакт-центр, 1414\n{today}"
    ),
}


@dataclass(frozen=True, slots=True)
class NoticeFile:
    filename: str
    content_type: str
    data: bytes


def letter(notice: Notice, lang: str, today: date) -> str:
    name = (notice.agency_name_kk if lang == "kk" else notice.agency_name_ru) or (
        notice.agency_code)
    return LETTER[lang].format(
        agency=name, start=f"{notice.window_start:%d.%m.%Y}",
        end=f"{notice.window_end:%d.%m.%Y}", count=len(notice.refusals),
        today=f"{today:%d.%m.%Y}")


def _rows(notice: Notice, lang: str) -> list[tuple[object, ...]]:
    return [
        (n, r.reference, r.requested_on.isoformat() if r.requested_on else "",
         r.request_text, r.refused_on.isoformat(), GROUNDS[lang].get(r.ground, r.ground),
         r.reply_text or "")
        for n, r in enumerate(notice.refusals, 1)
    ]


def supporting_xlsx(notice: Notice) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for lang in ("kk", "ru"):
        sheet = book.create_sheet(SHEETS[lang])
        sheet.append(HEADERS[lang])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in _rows(notice, lang):
            sheet.append(row)
        for column, width in zip("ABCDEFG", (6, 18, 14, 60, 14, 30, 60), strict=True):
            sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def supporting_csv(notice: Notice) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS["ru"])
    writer.writerows(_rows(notice, "ru"))
    return out.getvalue().encode("utf-8-sig")


def letter_document(notice: Notice, today: date) -> bytes:
    """The letter as .docx: the Kazakh text, a page break, the Russian text."""
    document = Document()
    for n, lang in enumerate(("kk", "ru")):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for block in letter(notice, lang, today).split("\n\n"):
            document.add_paragraph(block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def notice_files(notice: Notice, today: date) -> tuple[NoticeFile, ...]:
    """The letter (both languages) and the supporting documents, ready to write or mail."""
    stem = f"refusal-notice-{notice.id}-{notice.agency_code}"
    return (
        NoticeFile(f"{stem}-letter.docx", DOCX, letter_document(notice, today)),
        NoticeFile(f"{stem}-refusals.xlsx", XLSX, supporting_xlsx(notice)),
        NoticeFile(f"{stem}-refusals.csv", CSV, supporting_csv(notice)),
    )
