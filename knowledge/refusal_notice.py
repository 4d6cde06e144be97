"""The notice to the quality-control body (002 p.12): a letter in Kazakh and Russian (a
.docx to print, sign and register), and the supporting documents (each request, reply,
date and ground) as .xlsx and .csv.

The supporting tables' headings and the grounds are data per language, as the onboarding
forms are; the letter's wording is in the gettext catalogs, which the caller hands in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final, Protocol

from docx import Document
from docx.enum.text import WD_BREAK
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from knowledge.agencies import AgencyKind
from knowledge.problems import marked
from knowledge.refusals import Notice, Refusal, RefusalError
from knowledge.staff import Signatory

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
# Below the table of a notice that goes after its due day: the day it went and the due day,
# each after a dash or a colon, where no case ending is needed ("{due} дейін" would need
# the dative).
LATE_NOTE: Final = {
    "kk": "Хабарлама мерзімі өткен соң жіберілді: {sent} (соңғы күні – {due}).",
    "ru": "Уведомление направлено с пропуском срока: {sent} (последний день срока – {due}).",
}

_ = marked  # the letter's wording is in the catalogs
ADDRESSEE: Final = _(
    "To the authorised body for the evaluation and control of the quality of public services")
TITLE: Final = _("Notice of refusals to provide information")
AGENCY: Final = _("State body: {agency}")
# A provider that is not a state body (a joint-stock company) is held to para 12 only when
# the policy says so; the letter names it by the Law's term, never as a state body.
PROVIDER: Final = _("Service provider: {agency}")
# TRANSLATORS: {agency} is the body's name, in quotes after its kind; {count} after a colon
REFUSED: Final = _(
    "Under para 12 of the Rules of interaction of the Unified Contact Center we inform you "
    "that within one month, counted from {start}, from {first} to {last}, the state body "
    "«{agency}» refused to provide the Unified Contact Center with the information on "
    "public services it needed (number of refusals: {count}).")
REFUSED_PROVIDER: Final = _(
    "Under para 12 of the Rules of interaction of the Unified Contact Center we inform you "
    "that within one month, counted from {start}, from {first} to {last}, the service "
    "provider «{agency}» refused to provide the Unified Contact Center with the information "
    "on public services it needed (number of refusals: {count}).")
LISTED: Final = _("The refusals:")
REFUSAL: Final = _("{n}. {refused_on}: request No. {reference} of {requested_on}, ground: "
                   "{ground}")
REFUSAL_UNDATED: Final = _("{n}. {refused_on}: request No. {reference}, ground: {ground}")
ATTACHED: Final = _(
    "Supporting documents (each request, the reply, the dates and the ground) are attached.")
LATE: Final = _("This notice is sent late: it was due by {due}.")
SENDER: Final = _("Unified Contact Center, 1414")
SIGNED: Final = _("{signatory}    Signature: ________________")
NOBODY_NAMED: Final = _("______________________________ (full name, position)")


class Catalog(Protocol):
    """What the letter needs of a language's gettext catalog (``gettext.NullTranslations``)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


@dataclass(frozen=True, slots=True)
class NoticeFile:
    filename: str
    content_type: str
    data: bytes


def letter(
    notice: Notice, lang: str, today: date, *, signatory: Signatory | None, catalog: Catalog,
) -> str:
    """The letter in one language, a line a paragraph: the refusals' period (never past the
    letter's date) within the month they fall in, each refusal's date and reference, a
    late notice said to be late, and the center's signatory by name and position."""
    refusals = notice.refusals
    if refusals and today < refusals[-1].refused_on:
        raise RefusalError.said(_("a letter dated {today} cannot report the refusal of {day}"),
                                today=str(today), day=str(refusals[-1].refused_on))
    tr = catalog.gettext
    name = (notice.agency_name_kk if lang == "kk" else notice.agency_name_ru) or (
        notice.agency_code)
    named = PROVIDER if _provider(notice) else AGENCY
    lines = [tr(ADDRESSEE), "", tr(TITLE), "", tr(named).format(agency=name), "",
             _counted(notice, name, catalog), "", tr(LISTED)]
    lines += [_refusal_line(n, r, lang, catalog) for n, r in enumerate(refusals, 1)]
    lines += ["", tr(ATTACHED)]
    if today > notice.due_on:
        lines += ["", tr(LATE).format(due=_day(notice.due_on))]
    person = str(signatory) if signatory is not None else tr(NOBODY_NAMED)
    lines += ["", tr(SENDER), tr(SIGNED).format(signatory=person), _day(today)]
    return "\n".join(lines)


def _provider(notice: Notice) -> bool:
    """A service provider that is not a state body (the registry's kind)."""
    return notice.agency_kind == AgencyKind.PROVIDER


def _counted(notice: Notice, name: str, catalog: Catalog) -> str:
    """The body by its name and what it refused, the month they fall in, and the count
    after a colon, as an official letter says it ("(число отказов: 3)")."""
    days = [r.refused_on for r in notice.refusals] or [notice.reached_on]
    tr = catalog.gettext
    text = tr(REFUSED_PROVIDER) if _provider(notice) else tr(REFUSED)
    return text.format(start=_day(notice.window_start), first=_day(min(days)),
                       last=_day(max(days)), agency=name, count=len(notice.refusals))


def _refusal_line(n: int, refusal: Refusal, lang: str, catalog: Catalog) -> str:
    fields = {"n": n, "refused_on": _day(refusal.refused_on),
              "reference": refusal.reference or "—",
              "ground": GROUNDS[lang].get(refusal.ground, refusal.ground)}
    if refusal.requested_on is None:
        return catalog.gettext(REFUSAL_UNDATED).format(**fields)
    return catalog.gettext(REFUSAL).format(requested_on=_day(refusal.requested_on), **fields)


def _day(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _rows(notice: Notice, lang: str) -> list[tuple[object, ...]]:
    return [
        (n, r.reference, r.requested_on.isoformat() if r.requested_on else "",
         r.request_text, r.refused_on.isoformat(), GROUNDS[lang].get(r.ground, r.ground),
         r.reply_text or "")
        for n, r in enumerate(notice.refusals, 1)
    ]


def _late_note(notice: Notice, today: date, lang: str) -> str | None:
    """Said below the table when the notice goes after its due day: sent on ``sent_on``,
    or, not yet marked sent, today (the day these files go with the letter)."""
    sent = notice.sent_on or today
    if sent <= notice.due_on:
        return None
    return LATE_NOTE[lang].format(sent=_day(sent), due=_day(notice.due_on))


def supporting_xlsx(notice: Notice, today: date) -> bytes:
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
        note = _late_note(notice, today, lang)
        if note is not None:
            sheet.append(())
            sheet.append((note,))
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for column, width in zip("ABCDEFG", (6, 18, 14, 60, 14, 30, 60), strict=True):
            sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def supporting_csv(notice: Notice, today: date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS["ru"])
    writer.writerows(_rows(notice, "ru"))
    note = _late_note(notice, today, "ru")
    if note is not None:
        writer.writerows([(), (note,)])
    return out.getvalue().encode("utf-8-sig")


def letter_document(
    notice: Notice, today: date, *, signatory: Signatory | None,
    catalogs: Callable[[str], Catalog],
) -> bytes:
    """The letter as .docx: the Kazakh text, a page break, the Russian text."""
    document = Document()
    for n, lang in enumerate(("kk", "ru")):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        text = letter(notice, lang, today, signatory=signatory, catalog=catalogs(lang))
        for line in text.split("\n"):
            if line:
                document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def notice_files(
    notice: Notice, today: date, *, signatory: Signatory | None,
    catalogs: Callable[[str], Catalog],
) -> tuple[NoticeFile, ...]:
    """The letter (both languages) and the supporting documents, ready to write or mail."""
    stem = f"refusal-notice-{notice.id}-{notice.agency_code}"
    letter_file = letter_document(notice, today, signatory=signatory, catalogs=catalogs)
    return (
        NoticeFile(f"{stem}-letter.docx", DOCX, letter_file),
        NoticeFile(f"{stem}-refusals.xlsx", XLSX, supporting_xlsx(notice, today)),
        NoticeFile(f"{stem}-refusals.csv", CSV, supporting_csv(notice, today)),
    )
