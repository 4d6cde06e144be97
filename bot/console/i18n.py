"""The console speaks the reader's language: the request's language lives in a context
variable the templates' gettext reads, so one Jinja environment serves kk and ru at once."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Final

from jinja2 import Environment

from bot.texts.i18n import gettext_for

LANGS: Final = ("kk", "ru")
COOKIE: Final = "ucc_lang"
_lang: ContextVar[str] = ContextVar("console_lang", default="kk")


def use_language(lang: str) -> None:
    _lang.set(lang if lang in LANGS else "kk")


def current_language() -> str:
    return _lang.get()


def _(message: str) -> str:
    return gettext_for(_lang.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext_for(_lang.get()).ngettext(singular, plural, n)


def install(env: Environment) -> None:
    """``_()`` / ``ngettext()`` and ``{% trans %}`` in templates, in the request's language."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_, ngettext, newstyle=False)  # type: ignore[attr-defined]
