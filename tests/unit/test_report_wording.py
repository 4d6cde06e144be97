"""The monthly report reads as a document for people: its month written out in each
language, sheet titles Excel can hold, headings in the words the law and the forms use."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from knowledge.reports.figures import AgencyFigures
from knowledge.reports.files import DETAIL_COLUMNS, SHEETS, month_name, report_xlsx
from knowledge.reports.register import ANNEX2_COLUMNS

OCTOBER = date(2026, 10, 1)


def test_a_month_is_written_out_as_it_stands_alone() -> None:
    assert month_name(OCTOBER, "kk") == "2026 жылғы қазан"
    assert month_name(OCTOBER, "ru") == "октябрь 2026 г."
    assert month_name(date(2027, 3, 1), "ru") == "март 2027 г."


def test_every_sheet_is_titled_with_the_month_in_words_never_in_figures() -> None:
    book = load_workbook(BytesIO(report_xlsx(
        OCTOBER, [AgencyFigures("mvd", questions=3)], [], [],
        names={"mvd": ("ІІМ", "МВД")})))
    assert book.sheetnames == list(SHEETS.values())
    assert all(len(title) <= 31 for title in book.sheetnames)  # Excel's limit
    for sheet in book.worksheets:
        title = str(sheet["A1"].value)
        assert "талдамалық есебі, 2026 жылғы қазан" in title, title
        assert "отчёт Единого контакт-центра за октябрь 2026 г." in title, title
        assert not re.search(r"\d{2}\.\d{4}", title)


def test_headings_use_the_laws_words() -> None:
    headings = [kk + " " + ru for kk, ru in (*DETAIL_COLUMNS, *ANNEX2_COLUMNS)]
    text = " ".join(headings)
    assert "Т.А.Ж." not in text and text.count("Т.А.Ә.") == 2
    assert "иная охраняемая законом тайна" in text
    assert "заңмен қорғалатын өзге де құпия" in text
    assert "Уточнено" not in text and "дейін" not in text
