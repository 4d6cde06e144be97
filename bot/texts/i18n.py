"""Interface texts through gettext: catalogs in ``locales/<lang>/LC_MESSAGES/messages.mo``."""

from __future__ import annotations

import gettext
from collections.abc import Collection, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Final

from bot.texts.days import spoken_day
from knowledge.problems import marked

__all__ = ["gettext_for", "in_both_languages", "marked", "translations", "working_days"]

LOCALES_DIR: Final = Path(__file__).resolve().parents[2] / "locales"
DOMAIN: Final = "messages"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES_DIR, languages=[lang], fallback=True)


def gettext_for(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang``; a missing catalog falls back to the source text."""
    return translations(lang)


def working_days(n: int, lang: str) -> str:
    """A term in working days, in the plural form ``lang`` needs ("3 рабочих дня"), to be
    stood where its case does not change ("Срок: 3 рабочих дня")."""
    return gettext_for(lang).ngettext("{n} working day", "{n} working days", n).format(n=n)


def in_both_languages(
    message: str, *, separator: str = "\n\n", translated: Collection[str] = (),
    days: Mapping[str, date] | None = None,
    per_language: Mapping[str, Mapping[str, str]] | None = None, **values: str,
) -> str:
    """A text for staff and agencies, whose language the system does not know: Kazakh,
    then Russian. ``values`` are formatted in; those named in ``translated`` are interface
    texts themselves and are translated first; ``days`` are said with their weekday;
    ``per_language`` are given in each language (an agency's name)."""
    parts = []
    for lang in ("kk", "ru"):
        tr = gettext_for(lang).gettext
        fields = {k: tr(v) if k in translated else v for k, v in values.items()}
        fields |= {k: spoken_day(v, lang) for k, v in (days or {}).items()}
        fields |= {k: v[lang] for k, v in (per_language or {}).items()}
        parts.append(tr(message).format(**fields))
    return separator.join(parts)
