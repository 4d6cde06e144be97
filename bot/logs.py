"""Logging that never shows a secret, an IIN or a phone number: every record is masked
as it is made, before any handler sees it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any, Final

# An IIN (ЖСН / ИИН) is 12 digits; a Bot API token is "<digits>:<35 url-safe chars>".
IIN: Final = re.compile(r"(?<!\d)(\d{2})\d{8}(\d{2})(?!\d)")
BOT_TOKEN: Final = re.compile(r"(?<![0-9])\d{6,12}:[A-Za-z0-9_-]{30,}")
# A Kazakhstan phone number as citizens and gateways write it: +7 701 123 45 67, 87011234567…
PHONE: Final = re.compile(
    r"(?<![\d+])(\+?[78])[\s(-]*(\d{3})[\s)-]*\d{3}[\s-]*\d{2}[\s-]*(\d{2})(?!\d)")


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = BOT_TOKEN.sub("***", text)
    text = IIN.sub(r"\1********\2", text)
    return PHONE.sub(r"\1*******\3", text)


class RedactingFilter(logging.Filter):
    """Formats each record once, masked; exceptions' texts are masked too."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask(formatted, self.secrets)
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
