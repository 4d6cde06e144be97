"""Greeting, language choice, main menu and help."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from handlers.callbacks import LangChoice
from handlers.filters import Magic
from handlers.views import language_keyboard, menu_keyboard, menu_labels, texts_of
from knowledge.citizens import Citizen, set_language
from knowledge.db.uow import UnitOfWork
from knowledge.model import Lang


def help_text(lang: str) -> str:
    _ = texts_of(lang)
    return quote(_(
        "Write your question about a public service in Kazakh or Russian, in your own words: "
        "for example, «how much does a passport cost» or «балабақша кезегіне қалай тұрамын». "
        "If there is no answer in the knowledge base, the question goes to the agency "
        "responsible for the service, and the answer will come in this chat. "
        "/lang changes the language, /start shows the menu."
    ))


async def start(message: Message, replier: Replier, lang: Lang) -> None:
    _ = texts_of(lang)
    replier.send(quote(_(
        "Hello! This is the bot of the Unified Contact Center for public services (1414). "
        "Ask me how to get a public service: documents, fees, terms, where to apply."
    )), menu_keyboard(lang))
    replier.send(quote(_("Choose your language:")), language_keyboard())


async def choose_language(message: Message, *, replier: Replier, uow: UnitOfWork,
                          citizen: Citizen, lang: Lang,
                          command: CommandObject | None = None) -> None:
    """"/lang ru" or "/lang kk" chooses at once; otherwise the two buttons."""
    named = (command.args or "").strip().lower() if command is not None else ""
    if named in ("kk", "ru"):
        await _choose(replier, uow, citizen, "ru" if named == "ru" else "kk")
        return
    _ = texts_of(lang)
    replier.send(quote(_("Choose your language:")), language_keyboard())


async def language_chosen(
    query: CallbackQuery, callback_data: LangChoice, replier: Replier, uow: UnitOfWork,
    citizen: Citizen,
) -> None:
    replier.answer_callback(query.id)
    await _choose(replier, uow, citizen, "ru" if callback_data.lang == "ru" else "kk")


async def _choose(replier: Replier, uow: UnitOfWork, citizen: Citizen, lang: Lang) -> None:
    """The citizen's choice: their answers come in it until they choose again."""
    await set_language(uow, citizen.id, lang)
    replier.lang = lang
    _ = texts_of(lang)
    replier.send(quote(_("Language changed.")), menu_keyboard(lang))


async def show_help(message: Message, replier: Replier, lang: Lang) -> None:
    replier.send(help_text(lang), menu_keyboard(lang))


async def invite_question(message: Message, replier: Replier, lang: Lang) -> None:
    _ = texts_of(lang)
    replier.send(quote(_("Write your question in one message.")))


def create_router() -> Router:
    router = Router(name="start")
    router.message(CommandStart())(start)
    router.message(Magic(F.text.in_(menu_labels("lang"))))(choose_language)
    router.message(Command("lang"))(choose_language)
    router.callback_query(LangChoice.filter())(language_chosen)
    router.message(Magic(F.text.in_(menu_labels("help"))))(show_help)
    router.message(Command("help"))(show_help)
    router.message(Magic(F.text.in_(menu_labels("ask"))))(invite_question)
    return router
