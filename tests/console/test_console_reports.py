"""The reports page: the month at a glance per agency with charts drawn on the server, month
over month from the stored reports, the monthly files to download; an agency sees its own
line and file only. And the month's figures counted in the database equal the report's."""

from __future__ import annotations

from datetime import date

from bot.app import App
from knowledge.reports import compute_figures
from knowledge.reports.glance import Line, count_month
from tests.console.boards_data import questions, refusal, report_of
from tests.console.conftest import MakeClient, denied, form_token, sign_in
from tests.escalation_helpers import MARRIAGE, PASSPORT, escalate

OCTOBER, NOVEMBER, DECEMBER = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)


async def _months(app: App) -> None:
    await questions(app, OCTOBER, {"mvd": (30, 20), "mju": (10, 9), None: (4, 0)})
    await questions(app, NOVEMBER, {"mvd": (40, 30), "mju": (12, 8)})
    await questions(app, DECEMBER, {"mvd": (7, 5), "mju": (3, 1)})
    await refusal(app, PASSPORT, date(2026, 11, 20), 901)
    await escalate(app, "Брак за один день?", register_no=MARRIAGE, chat=902)
    await report_of(app, OCTOBER)


async def test_the_figures_counted_now_equal_the_reports(people: App) -> None:
    await _months(people)
    for month in (OCTOBER, NOVEMBER, DECEMBER):
        async with people.uow() as uow:
            counted = await count_month(uow, month)
            figures, _ = await compute_figures(uow, month, people.deadlines.calendar)
        assert counted == [Line.of(f) for f in figures], month


async def test_the_center_sees_every_agency_with_charts_and_makes_the_report(
        new_client: MakeClient, people: App) -> None:
    await _months(people)
    operator = await sign_in(await new_client(), "Айгүл")
    page = await (await operator.get("/reports?month=2026-11")).text()
    assert 'data-agency="mvd"' in page and 'data-agency="mju"' in page
    assert page.count('<svg class="chart"') == 2 and "<script" not in page.split("</head>")[1]
    assert "ІІМ" in page  # agencies by name
    token = await form_token(operator, "/reports?month=2026-11")
    made = await operator.post("/reports/2026-11/generate", data={"csrf_token": token},
                               allow_redirects=False)
    assert made.status == 303
    page = await (await operator.get("/reports?month=2026-11")).text()
    assert "report-2026-11.xlsx" in page and "report-2026-11-mvd.xlsx" in page
    got = await operator.get("/reports/2026-11/files/report-2026-11.xlsx")
    assert got.status == 200 and (await got.read())[:2] == b"PK"
    # month over month: October's and November's reports, and December counted now
    december = await (await operator.get("/reports")).text()
    assert december.count("<rect") > 3 * 4  # three months, four series


async def test_a_month_not_over_cannot_be_reported(
        new_client: MakeClient, people: App) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    token = await form_token(operator, "/reports")
    refused = await operator.post("/reports/2026-12/generate", data={"csrf_token": token})
    assert refused.status == 409


async def test_an_agency_sees_its_own_line_and_file_only(
        new_client: MakeClient, people: App) -> None:
    await _months(people)
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get("/reports?month=2026-10")).text()
    assert 'data-agency="mvd"' in page and 'data-agency="mju"' not in page
    assert 'data-agency="-"' not in page and "Минюст" not in page
    assert "report-2026-10-mvd.xlsx" in page and "report-2026-10.xlsx" not in page
    own = await dana.get("/reports/2026-10/files/report-2026-10-mvd.xlsx")
    assert own.status == 200
    for name in ("report-2026-10.xlsx", "report-2026-10-mju.xlsx"):
        assert (await dana.get(f"/reports/2026-10/files/{name}")).status == 403
    token = await form_token(dana, "/reports")
    assert (await dana.post("/reports/2026-11/generate", data={"csrf_token": token})
            ).status == 403
    refused = await denied(people)
    assert refused == ["Дана", "Дана", "Дана"]
