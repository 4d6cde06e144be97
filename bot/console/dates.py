"""Dates and terms on the console's pages, in the reader's language: a day as Babel writes it
("2 декабря 2026", "2026 ж. 2 желтоқсан"), and the working days left to a due date."""

from __future__ import annotations

from datetime import date

from aiohttp import web
from babel.dates import format_date

from bot.console.i18n import current_language
from bot.console.security import APP_KEY
from bot.texts.days import LOCALES
from knowledge.calendar import local_today


def day(value: date | None) -> str:
    """A day written out in the reader's language; a dash for none."""
    if value is None:
        return "—"
    lang = current_language()
    return format_date(value, "d MMMM y" if lang == "ru" else "long",
                       locale=LOCALES.get(lang, lang))


def month_name(value: date) -> str:
    """A month and its year, as a heading ("Декабрь 2026", "Желтоқсан 2026")."""
    lang = current_language()
    name = format_date(value, "LLLL y", locale=LOCALES.get(lang, lang))
    return name[:1].upper() + name[1:]


def short_month(value: date) -> str:
    """A month short, for a chart's axis ("дек. 26", "жел. 26")."""
    lang = current_language()
    return format_date(value, "LLL yy", locale=LOCALES.get(lang, lang))


def today(request: web.Request) -> date:
    """Today in Kazakhstan, on the application's clock."""
    return local_today(request.app[APP_KEY].clock.now())


def days_left(request: web.Request, due_on: date | None) -> int | None:
    """Working days from today to ``due_on``; negative when it has passed."""
    if due_on is None:
        return None
    calendar = request.app[APP_KEY].deadlines.calendar
    return calendar.working_days_between(today(request), due_on)


def form_day(value: object, today: date) -> tuple[bool, date | None]:
    """A day given in a form (``YYYY-MM-DD``): (whether it is a day that has come, the
    day); none given: (True, None) — the caller's default, today."""
    text = str(value or "").strip()
    if not text:
        return True, None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return False, None
    return day <= today, day


def install(web_app: web.Application) -> None:
    """The ``day`` filter for every template (idempotent: each page may call it)."""
    import aiohttp_jinja2  # noqa: PLC0415 - the environment exists once the console is set up

    env = aiohttp_jinja2.get_env(web_app)
    env.filters["day"] = day
    env.filters["month_name"] = month_name
