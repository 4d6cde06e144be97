"""Dates and terms as people say them, in the reader's language.

A reminder sent on Friday of a deadline on Monday says "понедельник, 29.03.2027", never
"tomorrow"; Babel (CLDR) knows the weekdays and the months of both languages. A citizen's
text writes the date out ("29 марта 2027 г.", "2027 ж. 29 наурыз") and stands it where no
case ending is needed ("последний день — …", "соңғы күні — …").
"""

from __future__ import annotations

from datetime import date
from typing import Final

from babel.dates import format_date

SPOKEN_DAY: Final = "EEEE, dd.MM.yyyy"
LOCALES: Final = {"kk": "kk_KZ", "ru": "ru_RU"}


def spoken_day(day: date, lang: str) -> str:
    """The weekday and the date: "дүйсенбі, 29.03.2027", "понедельник, 29.03.2027"."""
    return format_date(day, SPOKEN_DAY, locale=lang)


def written_day(day: date, lang: str) -> str:
    """The date written out, as a letter writes it: "29 марта 2027", "2027 ж. 29 наурыз".
    Russian without Babel's closing "г.": a date often ends a sentence, and "г.." would."""
    if lang == "ru":
        return format_date(day, "d MMMM y", locale=LOCALES.get(lang, lang))
    return format_date(day, "long", locale=LOCALES.get(lang, lang))

