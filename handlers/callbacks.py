"""Typed callback data: ids only, never names, so every button fits Telegram's 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LangChoice(CallbackData, prefix="lang"):
    lang: str


class MenuAction(CallbackData, prefix="menu"):
    action: str  # "ask", "browse", "lang", "help"


class PickEntry(CallbackData, prefix="pick"):
    entry: int


class NoneOfThese(CallbackData, prefix="none"):
    pass


class AskAbout(CallbackData, prefix="about"):
    """None of these: pass my question to a person of this service's agency."""

    service: int


class ShowCard(CallbackData, prefix="card"):
    service: int


class Feedback(CallbackData, prefix="fb"):
    entry: int
    helpful: bool


class BrowseAgencies(CallbackData, prefix="ags"):
    page: int = 0


class BrowseServices(CallbackData, prefix="svs"):
    agency: int
    page: int = 0
