"""One service walked from the Register to live across 8 March, Constitution Day and Nauryz
2027 through the command line, and every date in every letter, document and message the
bot sends along the way checked against the working-day calendar."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from babel.dates import get_month_names
from docx import Document
from openpyxl import load_workbook

from knowledge.clock import FixedClock
from tests.e2e.conftest import Cli, ok
from tests.factories import entry, pack, service

REG = "701001"
OPERATOR_CHAT = 4440001
DATED = re.compile(r"\b(\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2})\b")
# Documents write dates out: "2027 жылғы 3 наурыз", "3 марта 2027 г." (Babel's month names).
MONTHS = {name: number for locale in ("kk_KZ", "ru_RU")
          for number, name in get_month_names("wide", "format", locale).items()}
WRITTEN = re.compile(r"(\d{4}) жылғы (\d{1,2}) (\w+)|(\d{1,2}) (\w+) (\d{4}) г\.")


def day(text: str) -> date:
    if "-" in text:
        return date.fromisoformat(text)
    d, m, y = text.split(".")
    return date(int(y), int(m), int(d))


def dates_in_attachment(attachment: dict[str, Any]) -> set[date]:
    data = base64.b64decode(attachment["data"])
    if attachment["filename"].endswith(".docx"):
        return dates_in("\n".join(p.text for p in Document(BytesIO(data)).paragraphs))
    found: set[date] = set()
    for sheet in load_workbook(BytesIO(data)).worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, datetime):
                    found.add(value.date())
                elif isinstance(value, str):
                    found |= dates_in(value)
    return found


def dates_in(text: str) -> set[date]:
    written = set()
    for year_kk, day_kk, month_kk, day_ru, month_ru, year_ru in WRITTEN.findall(text):
        year, number, month = (year_kk, day_kk, month_kk) if year_kk else (
            year_ru, day_ru, month_ru)
        written.add(date(int(year), MONTHS[month], int(number)))
    return {day(found) for found in DATED.findall(text)} | written


def sent(database: Path, since: int) -> list[tuple[str, str, set[date], dict[str, set[date]]]]:
    """(channel, address, dates in the text, dates in each attachment) of each message."""
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT channel, address, payload FROM outbox WHERE id > ? "
                          "ORDER BY id", (since,)).fetchall()
    messages = []
    for channel, address, raw in rows:
        payload = json.loads(raw)
        text = " ".join(str(payload.get(k, "")) for k in ("subject", "text", "caption"))
        attached = {a["filename"]: dates_in_attachment(a)
                    for a in payload.get("attachments", [])}
        if payload.get("document"):
            attached[payload["document"]["filename"]] = dates_in_attachment(
                payload["document"])
        messages.append((channel, address, dates_in(text), attached))
    return messages


def last_id(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0])


def test_a_service_walks_from_the_register_to_live_across_nauryz_with_every_date_right(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each step is recorded on the day it happened (--on), which may not be in the future:
    # the command line's clock stands after the walk, on Thursday 1 April 2027.
    after = FixedClock(datetime(2027, 4, 1, 6, 0, tzinfo=UTC))
    monkeypatch.setattr("bot.app.SystemClock", lambda: after)
    ok(cli, "agency", "add", "mep", "--name-kk", "Экология министрлігі",
       "--name-ru", "Министерство экологии", "--kind", "central",
       "--email", "info@ecogeo.gov.kz")
    ok(cli, "users", "add", "Айгүл", "--role", "operator",
       "--telegram-id", str(OPERATOR_CHAT))

    # approved Monday 1 March: the request is due in 3 working days
    out = ok(cli, "onboarding", "start", REG, "--agency", "mep", "--approved", "2027-03-01",
             "--name-kk", "Балық аулауға рұқсат", "--name-ru", "Разрешение на рыбалку")
    assert "due 2027-03-04" in out

    mark = last_id(cli.database)
    out = ok(cli, "onboarding", "request-sent", REG, "--on", "2027-03-03", "--by", "Айгүл")
    assert "due 2027-03-09" in out  # 8 March, a Monday, is a holiday
    [(channel, to, text_dates, attached)] = sent(cli.database, mark)
    assert (channel, to, text_dates) == ("email", "info@ecogeo.gov.kz", set())
    # the request's day, and the responsible person due three working days after it
    assert attached == {f"request-{REG}.docx": {date(2027, 3, 3), date(2027, 3, 9)},
                        f"request-{REG}.xlsx": {date(2027, 3, 3)},
                        f"information-{REG}.xlsx": set()}

    out = ok(cli, "onboarding", "appoint", REG, "Ержан Сапаров", "--on", "2027-03-05",
             "--position", "бас маман", "--email", "e.saparov@ecogeo.gov.kz")
    assert "due 2027-03-16" in out  # 15 March, Constitution Day, does not count

    pack_file = tmp_path / "pack.json"
    pack_file.write_text(json.dumps(pack(service(REG, "mep", faq=[
        entry("mep.fishing.how", "Балық аулауға рұқсат қалай алынады?",
              "Как получить разрешение на рыбалку?")]),
        agencies=[{"code": "mep", "name": {"kk": "Экология министрлігі",
                                           "ru": "Министерство экологии"}}])),
        encoding="utf-8")
    out = ok(cli, "onboarding", "submit", REG, pack_file, "--on", "2027-03-10")
    assert "due 2027-03-30" in out  # ten working days; Nauryz 22-24 March skipped

    mark = last_id(cli.database)
    out = ok(cli, "onboarding", "training", REG, "--on", "2027-03-11")
    assert "due 2027-03-17" in out  # the center's own target for the protocol
    protocol_letters = sent(cli.database, mark)
    assert {to for _c, to, _d, _a in protocol_letters} == {
        str(OPERATOR_CHAT), "e.saparov@ecogeo.gov.kz", "info@ecogeo.gov.kz"}
    for _channel, _to, text_dates, attached in protocol_letters:
        # unsigned: the training's day only; no start date counted from the training
        assert text_dates == set()
        assert attached == {f"protocol-{REG}.docx": {date(2027, 3, 11)}}

    mark = last_id(cli.database)
    ok(cli, "onboarding", "tick", "--on", "2027-03-16")
    [(channel, to, text_dates, _a)] = sent(cli.database, mark)
    assert (channel, to, text_dates) == ("telegram", str(OPERATOR_CHAT), {date(2027, 3, 17)})

    out = ok(cli, "onboarding", "protocol", REG, "--on", "2027-03-19")
    assert "goes live on 2027-03-31" in out  # 5 working days after Friday 19 March
    folder = tmp_path / "signed"
    ok(cli, "onboarding", "protocol-document", REG, "--out", folder, "--on", "2027-03-26")
    document = Document(folder / f"protocol-{REG}.docx")
    assert dates_in("\n".join(p.text for p in document.paragraphs)) == {
        date(2027, 3, 11), date(2027, 3, 19), date(2027, 3, 31)}

    mark = last_id(cli.database)
    assert "live:" not in ok(cli, "onboarding", "tick", "--on", "2027-03-30")
    assert f"live: service {REG}" in ok(cli, "onboarding", "tick", "--on", "2027-03-31")
    [(channel, to, text_dates, _a)] = sent(cli.database, mark)
    assert (channel, to, text_dates) == ("telegram", str(OPERATOR_CHAT), set())

    history = ok(cli, "onboarding", "history", REG, "--lang", "ru")
    done = [re.split(r"\s{2,}", line)[:2] for line in history.splitlines()]
    for line in (["3 марта 2027", "запрос направлен госоргану"],
                 ["19 марта 2027", "протокол подписан"], ["31 марта 2027", "услуга запущена"]):
        assert line in done, history
    assert history.splitlines()[-1].endswith("бот (автоматически)")  # gone live by the scheduler
    # the protocol, the center's own target
    assert "с опозданием на 2 рабочих дня (срок 17 марта 2027)" in history
