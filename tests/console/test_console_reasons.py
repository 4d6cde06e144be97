"""Domain errors for people: the English stays the command line's, the console shows the
message id translated, and an error without one says only that it could not be done."""

from __future__ import annotations

import pytest

from bot.console.errors import why_not
from bot.console.i18n import use_language
from bot.texts.i18n import gettext_for
from knowledge.credentials import MIN_PASSWORD, check_password_rules
from knowledge.curation import CurationError
from knowledge.errors import InvalidInput, KnowledgeError
from knowledge.reports.monthly import ReportError


def test_the_english_stays_what_the_command_line_printed() -> None:
    with pytest.raises(InvalidInput) as short:
        check_password_rules("short", "Дана")
    assert str(short.value) == f"a password needs at least {MIN_PASSWORD} characters"
    assert short.value.message == "a password needs at least {count} characters"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_marked_error_is_told_in_the_readers_language(lang: str) -> None:
    with pytest.raises(InvalidInput) as short:
        check_password_rules("short", "Дана")
    use_language(lang)
    shown = why_not(short.value)
    assert str(MIN_PASSWORD) in shown and "password" not in shown and "characters" not in shown
    told = ReportError.said("{month} is not over yet", month="2026-12").told(
        gettext_for(lang).gettext)
    assert told is not None and "2026-12" in told and "not over" not in told
    exists = why_not(CurationError.said("entry {key!r} exists already", key="passport.fee"))
    assert "'passport.fee'" in exists and "exists already" not in exists


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_an_error_without_a_message_id_shows_no_english(lang: str) -> None:
    use_language(lang)
    shown = why_not(KnowledgeError("internal: table kb_proposals row 7 is odd"))
    assert "internal" not in shown and "odd" not in shown
    assert shown == gettext_for(lang).gettext("This could not be done.")
