"""The aiogram dispatcher: routers composed, long-lived dependencies as workflow data."""

from __future__ import annotations

from aiogram import Dispatcher

from bot.channels.telegram.context import ContextMiddleware
from handlers import browse, questions, start
from knowledge.asking import MatcherCache
from knowledge.clock import Clock
from knowledge.model import Lang


def create_dispatcher(matchers: MatcherCache, clock: Clock, default_lang: Lang) -> Dispatcher:
    dispatcher = Dispatcher(matchers=matchers)
    dispatcher.update.outer_middleware(ContextMiddleware(clock, default_lang))
    dispatcher.include_routers(start.create_router(), browse.create_router(),
                               questions.create_router())
    return dispatcher
