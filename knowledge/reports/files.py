"""The monthly report's files: one workbook (a sheet per part) and a CSV per part."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from knowledge.reports.figures import AgencyFigures, Topic
from knowledge.reports.register import ANNEX2_COLUMNS, RegisterRow

GROUND_TITLES: Final = {
    "state_secret": ("мемлекеттік құпия", "гос. секреты"),
    "commercial_secret": ("коммерциялық құпия", "коммерческая тайна"),
    "other_secret": ("өзге құпия", "иная тайна"),
    "plain": ("негізсіз", "без основания"),
}
SUMMARY_COLUMNS: Final = (
    ("Орган", "Орган"),
    ("Түскен сұрақтар", "Поступило вопросов"),
    ("Бот жауап берді", "Ответил бот"),
    ("Нақтыланды", "Уточнено"),
    ("Органға жіберілді", "Передано органу"),
    ("Орган мерзімінде жауап берді", "Орган ответил в срок"),
    ("Орган мерзімін өткізіп жауап берді", "Орган ответил с опозданием"),
    *((f"Бас тарту: {kk}", f"Отказ: {ru}") for kk, ru in GROUND_TITLES.values()),
    ("Жауап берудің медианасы, жұмыс күні", "Медиана срока ответа, рабочих дней"),
    ("👍", "👍"),
    ("👎", "👎"),
)
TOPIC_COLUMNS: Final = (("Орган", "Орган"), ("Сұрақ", "Вопрос"), ("Саны", "Количество"))
SHEETS: Final = (("register", "2-қосымша · Приложение 2"), ("summary", "Көрсеткіштер · Сводка"),
                 ("unanswered", "Жауапсыз · Без ответа"))


def _headers(columns: Sequence[tuple[str, str]]) -> list[str]:
    return [f"{kk} / {ru}" if kk != ru else kk for kk, ru in columns]


def _summary_rows(agencies: Sequence[AgencyFigures]) -> list[list[object]]:
    return [
        [a.agency, a.questions, a.answered_by_bot, a.clarified, a.escalated,
         a.answered_on_time, a.answered_late, *(a.refused.get(g, 0) for g in GROUND_TITLES),
         "" if a.median_working_days is None else a.median_working_days, a.feedback_up,
         a.feedback_down]
        for a in agencies
    ]


def _parts(
    agencies: Sequence[AgencyFigures], topics: Sequence[Topic], register: Sequence[RegisterRow]
) -> list[tuple[str, list[str], list[list[object]]]]:
    return [
        ("register", _headers(ANNEX2_COLUMNS),
         [list(r.cells(n)) for n, r in enumerate(register, 1)]),
        ("summary", _headers(SUMMARY_COLUMNS), _summary_rows(agencies)),
        ("unanswered", _headers(TOPIC_COLUMNS), [[t.agency, t.text, t.count] for t in topics]),
    ]


def report_xlsx(
    month: date, agencies: Sequence[AgencyFigures], topics: Sequence[Topic],
    register: Sequence[RegisterRow],
) -> bytes:
    book = Workbook()
    book.remove(book.active)
    titles = dict(SHEETS)
    for part, headers, rows in _parts(agencies, topics, register):
        sheet = book.create_sheet(titles[part][:31])
        sheet.append([f"Талдамалық есеп · Аналитический отчёт · {month:%m.%Y}"])
        sheet.append(headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_csv_files(
    agencies: Sequence[AgencyFigures], topics: Sequence[Topic], register: Sequence[RegisterRow]
) -> list[tuple[str, bytes]]:
    files = []
    for part, headers, rows in _parts(agencies, topics, register):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
        files.append((part, out.getvalue().encode("utf-8-sig")))
    return files
