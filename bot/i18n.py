"""Interface texts through gettext: catalogs in ``locales/<lang>/LC_MESSAGES/messages.mo``."""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Final

LOCALES_DIR: Final = Path(__file__).resolve().parent.parent / "locales"
DOMAIN: Final = "messages"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES_DIR, languages=[lang], fallback=True)


def gettext_for(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang``; a missing catalog falls back to the source text."""
    return translations(lang)
