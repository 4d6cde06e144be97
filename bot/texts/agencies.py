"""An agency as staff read it: its name in the reader's language, never its code.

A name is inserted where its case does not matter ("Мемлекеттік орган: {agency}"); a
question or complaint no agency has yet is with the contact center's operators.
"""

from __future__ import annotations

from typing import Final

from bot.texts.i18n import gettext_for, marked
from knowledge.agencies import AgencyNames

_ = marked

# TRANSLATORS: who has a question or a complaint that no agency has yet (never "triage")
OPERATORS: Final = _("the contact center's operators")
# TRANSLATORS: whom the center's own staff work for, after "Ұйым:" / "Организация:"
CENTER: Final = _("the Unified Contact Center, 1414")
LANGS: Final = ("kk", "ru")


def agency_name(code: str | None, names: AgencyNames, lang: str) -> str:
    """The name in ``lang``; the other language's when the registry lacks it, the code
    only when it has no name at all."""
    if code is None:
        return gettext_for(lang).gettext(OPERATORS)
    kk, ru = names.get(code, (None, None))
    first, second = (kk, ru) if lang == "kk" else (ru, kk)
    return first or second or code


def agency_in_each_language(code: str | None, names: AgencyNames) -> dict[str, str]:
    """The name in each language, for ``in_both_languages(..., per_language=...)``."""
    return {lang: agency_name(code, names, lang) for lang in LANGS}
