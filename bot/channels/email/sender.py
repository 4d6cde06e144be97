"""Deliver the e-mail outbox over SMTP: the same rows, retries and settling as Telegram.

A letter is queued (``letters.queue_email``) in the transaction of what it reports; the
sender posts due letters and settles them in one transaction. A temporary SMTP failure (4xx, a
connection refused or dropped) is retried with backoff; a permanent one (5xx) gives up
that letter. The standard library's ``smtplib`` runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Final

from bot.app import App
from bot.channels.email.letters import CHANNEL
from knowledge import outbox

log = logging.getLogger(__name__)

SMTP_PERMANENT: Final = 500
TIMEOUT_S: Final = 30.0


Result = tuple[outbox.OutboxItem, str | None]


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False


def build_message(sender: str, payload: dict[str, Any]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message.set_content(payload["text"])
    for item in payload.get("attachments", []):
        main, _, sub = item["content_type"].partition("/")
        message.add_attachment(base64.b64decode(item["data"]), maintype=main,
                               subtype=sub or "octet-stream", filename=item["filename"])
    return message


def smtp_settings(app: App) -> SmtpSettings | None:
    settings = app.settings
    if settings.smtp_host is None:
        return None
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpSettings(settings.smtp_host, settings.smtp_port, settings.smtp_from,
                        settings.smtp_user, password, settings.smtp_starttls)


class EmailSender:
    def __init__(self, app: App, smtp: SmtpSettings) -> None:
        self.app = app
        self.smtp = smtp

    async def send_due(self) -> int:
        """Send the letters that are due; the number settled (sent or given up)."""
        clock = self.app.clock
        async with self.app.uow() as uow:
            items = await outbox.due(uow, CHANNEL, clock.now(), limit=50)
            claimed = await outbox.claim(uow, [item.id for item in items], clock.now())
            await uow.commit()
        items = [item for item in items if item.id in claimed]
        if not items:
            return 0
        results = await asyncio.to_thread(self._send_all, items)
        settled = 0
        async with self.app.uow() as uow:
            await outbox.mark_sent(uow, [(i.id, None) for i, r in results if r is None], clock)
            for item, error in results:
                if error is None:
                    settled += 1
                elif error.startswith("permanent"):
                    await outbox.mark_failed(uow, item.id, error)
                    settled += 1
                else:
                    await outbox.mark_retry(uow, item.id, error, clock,
                                            policy=self.app.delivery)
            await uow.commit()
        return settled

    def _send_all(self, items: list[outbox.OutboxItem]) -> list[Result]:
        """One SMTP session for the lot; (item, None) when sent, else why not."""
        results: list[Result] = []
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=TIMEOUT_S) as smtp:
                if self.smtp.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.smtp.user and self.smtp.password:
                    smtp.login(self.smtp.user, self.smtp.password)
                for item in items:
                    results.append((item, self._send_one(smtp, item)))
        except (OSError, smtplib.SMTPException) as exc:
            done = {item.id for item, _ in results}
            results.extend((item, f"temporary: {type(exc).__name__}")
                           for item in items if item.id not in done)
        return results

    def _send_one(self, smtp: smtplib.SMTP, item: outbox.OutboxItem) -> str | None:
        try:
            smtp.send_message(build_message(self.smtp.sender, item.payload))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            kind = "permanent" if codes and min(codes) >= SMTP_PERMANENT else "temporary"
            return f"{kind}: recipient refused {codes}"
        except smtplib.SMTPResponseException as exc:
            kind = "permanent" if exc.smtp_code >= SMTP_PERMANENT else "temporary"
            return f"{kind}: {exc.smtp_code}"
        return None
