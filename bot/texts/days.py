"""Dates as people say them: the weekday and the date, in the reader's language.

A reminder sent on Friday of a deadline on Monday says "понедельник, 29.03.2027", never
"tomorrow"; Babel (CLDR) knows the weekdays of both languages.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from babel.dates import format_date

SPOKEN_DAY: Final = "EEEE, dd.MM.yyyy"


def spoken_day(day: date, lang: str) -> str:
    """The weekday and the date: "дүйсенбі, 29.03.2027", "понедельник, 29.03.2027"."""
    return format_date(day, SPOKEN_DAY, locale=lang)
