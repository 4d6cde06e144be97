"""The words an SMS may consist of to steer the channel: stop, start, help, complaint, a
number. (A status request, "СТАТУС 12345", carries a number: ``knowledge.status.recognise``.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from knowledge.model import Lang


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    COMPLAINT = "complaint"


@dataclass(frozen=True, slots=True)
class Command:
    keyword: Keyword
    lang: Lang | None  # the language the word is in (None: Latin, either)


# The whole message is the word (any case, punctuation around it ignored). Kazakh words are
# also accepted without Kazakh letters, as phones without a Kazakh keyboard send them.
WORDS: Final[dict[str, Command]] = {
    "STOP": Command(Keyword.STOP, None),
    "ТОҚТА": Command(Keyword.STOP, "kk"),
    "ТОКТА": Command(Keyword.STOP, "kk"),
    "СТОП": Command(Keyword.STOP, "ru"),
    "START": Command(Keyword.START, None),
    "БАСТА": Command(Keyword.START, "kk"),
    "СТАРТ": Command(Keyword.START, "ru"),
    "HELP": Command(Keyword.HELP, None),
    "КӨМЕК": Command(Keyword.HELP, "kk"),
    "КОМЕК": Command(Keyword.HELP, "kk"),
    "ПОМОЩЬ": Command(Keyword.HELP, "ru"),
    "ШАҒЫМ": Command(Keyword.COMPLAINT, "kk"),
    "ШАГЫМ": Command(Keyword.COMPLAINT, "kk"),
    "SHAGYM": Command(Keyword.COMPLAINT, "kk"),
    "ЖАЛОБА": Command(Keyword.COMPLAINT, "ru"),
    "ZHALOBA": Command(Keyword.COMPLAINT, "ru"),
    "COMPLAINT": Command(Keyword.COMPLAINT, None),
}
_PUNCTUATION = " \t\r\n.,!?;:\"'«»()-"
_NUMBER = re.compile(r"\s*(\d{1,2})\s*[.)]?\s*")


def command(text: str) -> Command | None:
    return WORDS.get(text.strip(_PUNCTUATION).upper())


def bare_number(text: str) -> int | None:
    """The number of a message that is only a small number ("2", " 3. "), else None."""
    match = _NUMBER.fullmatch(text)
    return int(match.group(1)) if match else None
