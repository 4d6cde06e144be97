"""Fakes of external services for end-to-end tests."""

from tests.fakes.bot_api import (
    BOT_ID,
    TOKEN,
    Call,
    FakeBotAPI,
    Upload,
    callback_update,
    command_update,
    message_update,
)

__all__ = [
    "BOT_ID",
    "TOKEN",
    "Call",
    "FakeBotAPI",
    "Upload",
    "callback_update",
    "command_update",
    "message_update",
]
