"""How handlers reply: into the outbox and the conversation log, in the update's transaction."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from bot.channels.telegram.render import split_message
from bot.texts.menus import MENU_LANGS, menu
from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.conversation import log_message
from knowledge.db.uow import UnitOfWork
from knowledge.outbox import Outgoing, enqueue

if TYPE_CHECKING:  # the handlers build keyboards; jobs and the command line need no aiogram
    from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

CHANNEL = "telegram"


def plain_message(chat_id: int, html: str) -> Outgoing:
    """A short message outside a conversation's reply (an apology, a notice, a reminder)."""
    return Outgoing(CHANNEL, str(chat_id), "sendMessage",
                    {"chat_id": chat_id, "text": html, "parse_mode": "HTML"})


def document_message(
    chat_id: int, filename: str, content_type: str, data: bytes, caption_html: str = ""
) -> Outgoing:
    """A file for a member of staff (a protocol to sign): kept in the outbox as base64 and
    uploaded by the sender."""
    return Outgoing(CHANNEL, str(chat_id), "sendDocument", {
        "chat_id": chat_id, "caption": caption_html[:1024], "parse_mode": "HTML",
        "document": {"filename": filename, "content_type": content_type,
                     "data": base64.b64encode(data).decode("ascii")},
    })


def menu_payloads(default_lang: str, chat_id: int | None = None) -> list[dict[str, Any]]:
    """``setMyCommands`` for every language: the citizens' menu for everyone, or the
    staff's for the chat ``chat_id``. Telegram picks by the reader's app language; any other
    language gets the menu without one, in ``default_lang``."""
    scope = {"type": "default"} if chat_id is None else {"type": "chat", "chat_id": chat_id}
    staff = chat_id is not None
    payloads: list[dict[str, Any]] = [
        {"scope": scope, "language_code": lang, "commands": menu(lang, staff=staff)}
        for lang in MENU_LANGS
    ]
    payloads.append({"scope": scope, "commands": menu(default_lang, staff=staff)})
    return payloads


def _menu_address(chat_id: int) -> str:
    """A chat's menus queue apart from its messages: a reply never waits for a menu."""
    return f"menu:{chat_id}"


def staff_menu_messages(chat_id: int, default_lang: str) -> list[Outgoing]:
    """The staff's menu for a chat bound to a role."""
    return [Outgoing(CHANNEL, _menu_address(chat_id), "setMyCommands", payload)
            for payload in menu_payloads(default_lang, chat_id)]


def staff_menu_withdrawn(chat_id: int) -> list[Outgoing]:
    """A role taken away: the chat's own menus are deleted, the citizens' shows again."""
    scope = {"type": "chat", "chat_id": chat_id}
    payloads: list[dict[str, Any]] = [{"scope": scope, "language_code": lang}
                                      for lang in MENU_LANGS]
    payloads.append({"scope": scope})
    return [Outgoing(CHANNEL, _menu_address(chat_id), "deleteMyCommands", payload)
            for payload in payloads]


class Replier:
    """Writes the replies of one update; nothing is sent until the transaction commits."""

    def __init__(self, uow: UnitOfWork, citizen: Citizen, lang: str, clock: Clock) -> None:
        self.uow = uow
        self.citizen = citizen
        self.lang = lang
        self.clock = clock
        self.count = 0

    def send(
        self, html: str, markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None, *,
        log_text: str | None = None,
    ) -> None:
        """Queue a message (split when longer than Telegram allows; the keyboard goes last)."""
        parts = split_message(html)
        for n, part in enumerate(parts):
            payload: dict[str, Any] = {
                "chat_id": int(self.citizen.address),
                "text": part,
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            }
            if markup is not None and n == len(parts) - 1:
                payload["reply_markup"] = markup.model_dump(mode="json", exclude_none=True)
            enqueue(self.uow, Outgoing(CHANNEL, self.citizen.address, "sendMessage", payload),
                    self.clock)
        log_message(self.uow, self.citizen.id, direction="out", channel=CHANNEL,
                    lang=self.lang, text=log_text if log_text is not None else html,
                    clock=self.clock)
        self.count += len(parts)

    def send_document(self, filename: str, content_type: str, data: bytes,
                      caption_html: str = "") -> None:
        """Queue a file (a CSV export, a notice's documents) to this chat."""
        enqueue(self.uow, document_message(int(self.citizen.address), filename, content_type,
                                           data, caption_html), self.clock)
        log_message(self.uow, self.citizen.id, direction="out", channel=CHANNEL,
                    lang=self.lang, text=f"[{filename}] {caption_html}", clock=self.clock)
        self.count += 1

    def show_staff_menu(self) -> None:
        """This chat now acts in a role: the staff's commands in its menu."""
        for item in staff_menu_messages(int(self.citizen.address), self.lang):
            enqueue(self.uow, item, self.clock)

    def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        """Stop the button's spinner (sent like any other message, through the outbox)."""
        payload: dict[str, Any] = {"callback_query_id": callback_id}
        if text:
            payload["text"] = text
        enqueue(self.uow, Outgoing(CHANNEL, self.citizen.address, "answerCallbackQuery",
                                   payload), self.clock)
