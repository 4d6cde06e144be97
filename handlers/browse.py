"""Browsing: agencies → their live services → the service card, in pages."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from handlers.callbacks import BrowseAgencies, BrowseServices
from handlers.filters import Magic
from handlers.views import agencies_view, menu_labels, services_view, texts_of
from knowledge.catalog import agencies_with_live_services, live_services
from knowledge.db.uow import UnitOfWork
from knowledge.model import Lang


async def agencies(message: Message, replier: Replier, uow: UnitOfWork, lang: Lang) -> None:
    items = await agencies_with_live_services(uow)
    if not items:
        _ = texts_of(lang)
        replier.send(quote(_("No services are available yet.")))
        return
    replier.send(*agencies_view(items, 0, lang))


async def agencies_page(
    query: CallbackQuery, callback_data: BrowseAgencies, replier: Replier,
    uow: UnitOfWork, lang: Lang,
) -> None:
    replier.answer_callback(query.id)
    replier.send(*agencies_view(await agencies_with_live_services(uow),
                                callback_data.page, lang))


async def services_page(
    query: CallbackQuery, callback_data: BrowseServices, replier: Replier,
    uow: UnitOfWork, lang: Lang,
) -> None:
    replier.answer_callback(query.id)
    agencies = {a.id: a for a in await agencies_with_live_services(uow)}
    agency = agencies.get(callback_data.agency)
    if agency is None:
        _ = texts_of(lang)
        replier.send(quote(_("This service is not available now.")))
        return
    items = await live_services(uow, agency.id)
    replier.send(*services_view(agency, items, callback_data.page, lang))


def create_router() -> Router:
    router = Router(name="browse")
    router.message(Magic(F.text.in_(menu_labels("browse"))))(agencies)
    router.message(Command("services"))(agencies)
    router.callback_query(BrowseAgencies.filter())(agencies_page)
    router.callback_query(BrowseServices.filter())(services_page)
    return router
