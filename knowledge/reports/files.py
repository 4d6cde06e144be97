"""The monthly report's workbook, one a recipient: a summary with charts first (month over
month when the previous month's report exists), then the detailed figures, the register
of Annex 2 and the unanswered questions. Agencies are named in Kazakh and Russian, never
by code; headings are data per language, as the onboarding forms' are."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Final

from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from knowledge.refusals import add_months
from knowledge.reports.figures import TRIAGE, AgencyFigures, Topic
from knowledge.reports.register import ANNEX2_COLUMNS, RegisterRow

Names = Mapping[str, tuple[str | None, str | None]]  # agency code -> (Kazakh, Russian)

TRIAGE_NAME: Final = ("Орган анықталмаған", "Орган не определён")
TOTAL: Final = ("Барлығы", "Итого")
AGENCY: Final = ("Мемлекеттік орган", "Государственный орган")
GROUND_TITLES: Final = {
    "state_secret": ("мемлекеттік құпиялар", "государственные секреты"),
    "commercial_secret": ("коммерциялық құпия", "коммерческая тайна"),
    "other_secret": ("заңмен қорғалатын өзге де құпия", "иная охраняемая законом тайна"),
    "plain": ("заңды негізсіз", "без законного основания"),
}
# The summary's figures (its table and chart), in order.
SUMMARY_FIGURES: Final[tuple[tuple[tuple[str, str], Callable[[AgencyFigures], int]], ...]] = (
    (("Түскен сұрақтар", "Поступило вопросов"), lambda a: a.questions),
    (("Бот жауап берді", "Ответил бот"), lambda a: a.answered_by_bot),
    (("Органға жіберілді", "Передано в орган"), lambda a: a.escalated),
    (("Орган жауап берді", "Орган ответил"), lambda a: a.answered_by_agency),
    (("Орган бас тартты", "Орган отказал"), lambda a: a.refused_total),
    (("Мерзімі өтті", "Срок пропущен"), lambda a: a.overdue),
)
DETAIL_COLUMNS: Final = (
    AGENCY,
    ("Түскен сұрақтар", "Поступило вопросов"),
    ("Бот жауап берді", "Ответил бот"),
    ("Бот сұрақты нақтылауды ұсынды", "Бот предложил уточнить вопрос"),
    ("Органға жіберілді", "Передано в орган"),
    ("Орган мерзімінде жауап берді", "Орган ответил в срок"),
    ("Орган мерзімі өткен соң жауап берді", "Орган ответил после срока"),
    # due in the month and passed with no answer, or answered after it
    ("Мерзімі өтті (жауап жоқ немесе кеш берілді)",
     "Срок пропущен (ответа нет или он дан после срока)"),
    *((f"Бас тарту: {kk}", f"Отказ: {ru}") for kk, ru in GROUND_TITLES.values()),
    ("Жауап беру мерзімінің медианасы, жұмыс күндері", "Медиана срока ответа, рабочих дней"),
    ("Жауапты пайдалы деп бағалағандар", "Ответ оценили как полезный"),
    ("Жауапты пайдасыз деп бағалағандар", "Ответ оценили как бесполезный"),
)
TOPIC_COLUMNS: Final = (AGENCY, ("Сұрақ", "Вопрос"), ("Неше рет қойылды", "Сколько раз задан"))
SHEETS: Final = {
    "summary": "Жиынтық · Сводка",
    "detail": "Көрсеткіштер · Показатели",
    "register": "2-қосымша · Приложение 2",
    "unanswered": "Жауапсыз сұрақтар · Без ответа",  # Excel: at most 31 characters
}
BY_AGENCY: Final = ("Органдар бойынша көрсеткіштер", "Показатели по органам")
MONTH_OVER_MONTH: Final = ("Алдыңғы аймен салыстыру", "Сравнение с предыдущим месяцем")
FIGURE: Final = ("Көрсеткіш", "Показатель")
TITLE: Final = ("Бірыңғай байланыс орталығының талдамалық есебі, {kk}",
                "Аналитический отчёт Единого контакт-центра за {ru}")
# A month as a heading says it: "2026 жылғы қазан", "октябрь 2026 г." (Babel's names).
_MONTH_PATTERNS: Final = {"kk": ("y 'жылғы' MMMM", "kk_KZ"), "ru": ("LLLL y 'г.'", "ru_RU")}
HEADER_ROWS: Final = 2  # the title, the headings: frozen on every sheet
MIN_WIDTH, MAX_WIDTH, NAME_WIDTH = 10, 40, 45


def month_name(month: date, lang: str) -> str:
    """The month written out in ``lang``, standing alone: "2026 жылғы қазан", "октябрь
    2026 г."."""
    pattern, locale = _MONTH_PATTERNS[lang]
    return format_date(month, pattern, locale=locale)


def both_months(month: date) -> str:
    return both((month_name(month, "kk"), month_name(month, "ru")))


def both(pair: tuple[str | None, str | None]) -> str:
    kk, ru = pair
    return " / ".join(dict.fromkeys(name for name in (kk, ru) if name))


def agency_name(code: str, names: Names) -> str:
    """The agency as the reader knows it, in both languages; its code only when the base
    has no name for it."""
    if code == TRIAGE:
        return both(TRIAGE_NAME)
    return both(names.get(code, (None, None))) or code


def report_xlsx(
    month: date, agencies: Sequence[AgencyFigures], topics: Sequence[Topic],
    register: Sequence[RegisterRow], *, names: Names,
    previous: Sequence[AgencyFigures] | None = None,
) -> bytes:
    """The recipient's workbook; ``previous``: the same slice of last month's report."""
    book = Workbook()
    book.remove(book.active)
    _summary(_sheet(book, "summary", month, [AGENCY, *(h for h, _ in SUMMARY_FIGURES)]),
             month, agencies, names, previous)
    _table(_sheet(book, "detail", month, DETAIL_COLUMNS),
           [_detail_row(a, names) for a in agencies])
    _table(_sheet(book, "register", month, ANNEX2_COLUMNS),
           [list(r.cells(n)) for n, r in enumerate(register, 1)])
    _table(_sheet(book, "unanswered", month, TOPIC_COLUMNS),
           [[agency_name(t.agency, names), t.text, t.count] for t in topics])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(
    book: Workbook, part: str, month: date, columns: Sequence[tuple[str, str]]
) -> Worksheet:
    sheet = book.create_sheet(SHEETS[part])
    kk, ru = TITLE
    sheet.append([" · ".join((kk.format(kk=month_name(month, "kk")),
                              ru.format(ru=month_name(month, "ru"))))])
    sheet.cell(1, 1).font = Font(bold=True)
    sheet.append([both(c) for c in columns])
    for cell in sheet[HEADER_ROWS]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{HEADER_ROWS + 1}"  # a string: a cell object would create it
    return sheet


def _table(sheet: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    for row in rows:
        sheet.append(list(row))
    _fit_widths(sheet)


def _fit_widths(sheet: Worksheet) -> None:
    """Wide enough for the values, headings wrapped; the first column (names) wider."""
    for n, column in enumerate(sheet.iter_cols(min_row=HEADER_ROWS), 1):
        heading, *values = (len(str(c.value)) if c.value is not None else 0 for c in column)
        wanted = max([heading // 2, *values, MIN_WIDTH]) + 2
        limit = NAME_WIDTH if n == 1 else MAX_WIDTH
        sheet.column_dimensions[get_column_letter(n)].width = min(wanted, limit)


def _detail_row(a: AgencyFigures, names: Names) -> list[object]:
    return [agency_name(a.agency, names), a.questions, a.answered_by_bot, a.clarified,
            a.escalated, a.answered_on_time, a.answered_late, a.overdue,
            *(a.refused.get(g, 0) for g in GROUND_TITLES),
            "" if a.median_working_days is None else a.median_working_days, a.feedback_up,
            a.feedback_down]


def _totals(agencies: Sequence[AgencyFigures]) -> list[int]:
    return [sum(value(a) for a in agencies) for _, value in SUMMARY_FIGURES]


def _summary(
    sheet: Worksheet, month: date, agencies: Sequence[AgencyFigures], names: Names,
    previous: Sequence[AgencyFigures] | None,
) -> None:
    """The table per agency with its total, a chart of it; then month over month."""
    _table(sheet, [[agency_name(a.agency, names), *(value(a) for _, value in SUMMARY_FIGURES)]
                   for a in agencies] + [[both(TOTAL), *_totals(agencies)]])
    if agencies:
        chart = _bar_chart(both(BY_AGENCY))
        chart.add_data(Reference(sheet, min_col=2, max_col=1 + len(SUMMARY_FIGURES),
                                 min_row=HEADER_ROWS, max_row=HEADER_ROWS + len(agencies)),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=HEADER_ROWS + 1,
                                       max_row=HEADER_ROWS + len(agencies)))
        sheet.add_chart(chart, f"{get_column_letter(len(SUMMARY_FIGURES) + 3)}{HEADER_ROWS}")
    if previous is not None:
        _month_over_month(sheet, month, agencies, previous)
        _fit_widths(sheet)


def _month_over_month(
    sheet: Worksheet, month: date, agencies: Sequence[AgencyFigures],
    previous: Sequence[AgencyFigures],
) -> None:
    last = add_months(month, -1)
    sheet.append([])
    sheet.append([both(MONTH_OVER_MONTH)])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([both(FIGURE), both_months(last), both_months(month)])
    first = sheet.max_row
    for cell in sheet[first]:
        cell.font = Font(bold=True)
    for (heading, _), before, now in zip(SUMMARY_FIGURES, _totals(previous), _totals(agencies),
                                         strict=True):
        sheet.append([both(heading), before, now])
    chart = _bar_chart(both(MONTH_OVER_MONTH))
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=first,
                             max_row=first + len(SUMMARY_FIGURES)), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first + 1,
                                   max_row=first + len(SUMMARY_FIGURES)))
    sheet.add_chart(chart, f"{get_column_letter(len(SUMMARY_FIGURES) + 3)}{first}")


def _bar_chart(title: str) -> BarChart:
    chart = BarChart()
    chart.type, chart.title = "col", title
    chart.width, chart.height = 24, 10
    return chart
