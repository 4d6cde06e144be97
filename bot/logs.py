"""Logging that never shows a secret, an IIN or a phone number: every record is masked
as it is made, before any handler sees it. An IIN is recognised as storage recognises it
(``knowledge.iin``: 12 digits, in groups or not); a record is one line, so no text a
citizen sent can start a line that looks like another record."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any, Final

from knowledge.iin import CANDIDATE as IIN  # what storage redacts, logs mask

# A Bot API token is "<digits>:<35 url-safe chars>".
BOT_TOKEN: Final = re.compile(r"(?<![0-9])\d{6,12}:[A-Za-z0-9_-]{30,}")
# A Kazakhstan phone number as citizens and gateways write it: +7 701 123 45 67, 87011234567…
PHONE: Final = re.compile(
    r"(?<![\d+])(\+?[78])[\s(-]*(\d{3})[\s)-]*\d{3}[\s-]*\d{2}[\s-]*(\d{2})(?!\d)")


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = BOT_TOKEN.sub("***", text)
    text = IIN.sub(_masked_iin, text)
    return PHONE.sub(r"\1*******\3", text)


def _masked_iin(found: re.Match[str]) -> str:
    """Its first and last two digits stay, for support to match a case."""
    digits = re.sub(r"\D", "", found.group())
    return f"{digits[:2]}********{digits[-2:]}"


def one_line(text: str) -> str:
    """CR and LF shown, not obeyed: a message cannot forge the next log line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def indented(text: str) -> str:
    """A traceback's lines after its first, indented under its record."""
    first, *rest = re.split(r"\r\n|\r|\n", text)
    return "\n".join([first, *("    " + line for line in rest)])


class RedactingFilter(logging.Filter):
    """Formats each record once, masked; exceptions' texts are masked too."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = one_line(mask(record.getMessage(), self.secrets))
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = indented(mask(formatted, self.secrets))
            record.exc_info = None
        return True


class MaskingRecords:
    """A log record factory that masks each record it makes: a handler's filter masks for
    that handler only, and libraries' records (aiosqlite's DEBUG lines carry the SQL
    parameters, a citizen's raw message among them) reach whatever handler is added."""

    def __init__(self, base: Callable[..., logging.LogRecord], secrets: Iterable[str]) -> None:
        self.base = base
        self.masking = RedactingFilter(secrets)

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.base(*args, **kwargs)
        try:
            self.masking.filter(record)
        except Exception:  # noqa: BLE001 - a bad format string must not break the caller
            record.msg, record.args = mask(f"{record.msg!r} % {record.args!r}"), None
        return record


def mask_records(secrets: Iterable[str] = ()) -> Callable[[], None]:
    """Mask every record from now on (replacing an earlier masking); the undo."""
    previous = logging.getLogRecordFactory()
    base = previous.base if isinstance(previous, MaskingRecords) else previous
    logging.setLogRecordFactory(MaskingRecords(base, secrets))
    return lambda: logging.setLogRecordFactory(previous)


def configure_logging(level: int = logging.INFO, secrets: Iterable[str] = ()) -> None:
    mask_records(secrets)  # every record is masked as it is made: the handler needs no filter
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
