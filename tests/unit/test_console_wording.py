"""The console's sentences read whole in both languages: a language's name is never
inserted into a sentence where its case would have to change."""

from __future__ import annotations

import pytest

from bot.console.i18n import use_language
from bot.console.pages.queue import _why
from knowledge.escalations.model import ReplyTooLong


@pytest.mark.parametrize(("lang", "reply_lang", "start"), [
    ("ru", "kk", "Ответ на казахском не помещается в одно сообщение: символов в нём — 4200"),
    ("ru", "ru", "Ответ на русском не помещается"),
    ("kk", "kk", "Қазақша жауап бір хабарламаға сыймайды: таңба саны — 4200"),
    ("kk", "ru", "Орысша жауап бір хабарламаға сыймайды"),
])
def test_a_reply_too_long_names_its_language_in_a_whole_sentence(
        lang: str, reply_lang: str, start: str) -> None:
    use_language(lang)
    said = _why(ReplyTooLong(reply_lang, 4200, 4000))
    assert said.startswith(start)
    assert "4000" in said and "{" not in said
