"""Free-text questions: answer, offer a choice, or pass to a person; picks, cards, feedback.

A command nobody above took ("/queue" from a citizen, a typo) is not a question: it gets
a short reply, and is never passed to an agency."""

from __future__ import annotations

import logging
import re

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.texts.length import too_long_text
from bot.texts.scope import out_of_scope_text
from bot.texts.small_talk import small_talk_text
from handlers.callbacks import AskAbout, Feedback, NoneOfThese, PickEntry, ShowCard
from handlers.filters import Magic
from handlers.views import (
    answer_view,
    card_text,
    choices_view,
    escalated_text,
    texts_of,
)
from knowledge.asking import MatcherCache, talk_of
from knowledge.catalog import live_service
from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.conversation import give_feedback, record_feedback
from knowledge.db.uow import UnitOfWork
from knowledge.dialogue import ServiceNotLive, escalate_last_question, respond
from knowledge.matching.matcher import OUT_OF_SCOPE
from knowledge.model import Decision, Lang

log = logging.getLogger(__name__)
COMMAND = re.compile(r"^/[A-Za-z0-9_]+(?:@\w+)?(?:\s|$)")


async def unknown_command(message: Message, replier: Replier, lang: Lang) -> None:
    # staff's commands from someone who is not staff end here too: logged, not answered
    word = (message.text or "").split(maxsplit=1)[0][:40]
    # only a word is logged: "/870412300123" may be an IIN typed after a slash
    log.info("command %s not taken (unknown, or not this user's)",
             word if word[1:].isalpha() else "/…")
    _ = texts_of(lang)
    replier.send(quote(_("I do not know this command. Write your question in words, or "
                         "see /help.")))


async def question(
    message: Message, *, replier: Replier, uow: UnitOfWork, citizen: Citizen, lang: Lang,
    matchers: MatcherCache, clock: Clock,
) -> None:
    turn = await respond(uow, matchers, citizen, message.text or "",
                         fallback_lang=lang, chosen_lang=citizen.lang, clock=clock)
    replier.lang = turn.lang
    _ = texts_of(turn.lang)
    talk = talk_of(turn.answer)
    if turn.too_long is not None:
        replier.send(quote(too_long_text(turn.too_long, turn.lang)))
    elif talk is not None:
        replier.send(quote(small_talk_text(talk, turn.lang)))
    elif turn.answer.reason == OUT_OF_SCOPE:
        replier.send(quote(out_of_scope_text(turn.lang)))
    elif turn.entry is not None:
        replier.send(*answer_view(turn.entry, turn.lang))
    elif turn.answer.decision == Decision.CLARIFY and turn.choices:
        replier.send(*choices_view(turn.choices, turn.lang))
    elif turn.reference is not None:
        replier.send(escalated_text(turn.reference, turn.lang, to_agency=turn.to_agency))
    else:
        replier.send(quote(_(
            "Please write your question in words, for example: "
            "how much does a passport cost?"
        )))


async def not_text(message: Message, replier: Replier, lang: Lang) -> None:
    _ = texts_of(lang)
    replier.send(quote(_(
        "I can read only text messages. Please write your question in words."
    )))


async def picked(
    query: CallbackQuery, callback_data: PickEntry, *, replier: Replier, uow: UnitOfWork,
    lang: Lang, matchers: MatcherCache,
) -> None:
    replier.answer_callback(query.id)
    entry = (await matchers.get(uow)).entries_by_id.get(callback_data.entry)
    if entry is None:
        _ = texts_of(lang)
        replier.send(quote(_(
            "This answer is no longer available. Please ask your question again."
        )))
        return
    replier.send(*answer_view(entry, lang))


async def _pass_to_person(
    query: CallbackQuery, replier: Replier, uow: UnitOfWork, citizen: Citizen, *,
    lang: Lang, matchers: MatcherCache, clock: Clock, service_id: int | None = None,
) -> None:
    """The citizen's last question to a person: of the chosen service, or the best
    guess's. Pressed again, the button only says so: the question is passed on once."""
    _ = texts_of(lang)
    try:
        passed = await escalate_last_question(uow, matchers, citizen, lang=lang,
                                              clock=clock, service_id=service_id)
    except ServiceNotLive:  # withdrawn since the buttons were sent, or forged
        replier.answer_callback(query.id)
        replier.send(quote(_("This service is not available now.")))
        return
    if passed is None:
        replier.answer_callback(query.id)
        replier.send(quote(_("Write your question in one message.")))
        return
    if passed.before:
        replier.answer_callback(query.id, _(
            "Your question has already been passed on: {reference}."
        ).format(reference=passed.reference))
        return
    replier.answer_callback(query.id)
    replier.send(escalated_text(passed.reference, lang, to_agency=passed.to_agency))


async def none_of_these(
    query: CallbackQuery, *, replier: Replier, uow: UnitOfWork, citizen: Citizen,
    lang: Lang, matchers: MatcherCache, clock: Clock,
) -> None:
    await _pass_to_person(query, replier, uow, citizen, lang=lang, matchers=matchers,
                          clock=clock)


async def ask_about(
    query: CallbackQuery, callback_data: AskAbout, *, replier: Replier, uow: UnitOfWork,
    citizen: Citizen, lang: Lang, matchers: MatcherCache, clock: Clock,
) -> None:
    await _pass_to_person(query, replier, uow, citizen, lang=lang, matchers=matchers,
                          clock=clock, service_id=callback_data.service)


async def show_card(
    query: CallbackQuery, callback_data: ShowCard, *, replier: Replier, uow: UnitOfWork,
    lang: Lang,
) -> None:
    replier.answer_callback(query.id)
    service = await live_service(uow, callback_data.service)
    if service is None:
        _ = texts_of(lang)
        replier.send(quote(_("This service is not available now.")))
        return
    replier.send(card_text(service.name, service.card, lang))


async def feedback(
    query: CallbackQuery, callback_data: Feedback, *, replier: Replier, uow: UnitOfWork,
    citizen: Citizen, lang: Lang, matchers: MatcherCache, clock: Clock,
) -> None:
    entry = (await matchers.get(uow)).entries_by_id.get(callback_data.entry)
    answered = query.message.message_id if query.message is not None else None
    counted = True
    if entry is not None and answered is None:  # no message to tell one answer by
        record_feedback(uow, citizen.id, entry.key, callback_data.helpful, clock)
    elif entry is not None and answered is not None:
        counted = await give_feedback(uow, citizen.id, entry.key, callback_data.helpful,
                                      clock, message_id=answered)
    _ = texts_of(lang)
    replier.answer_callback(query.id, _("Thank you for your feedback!") if counted else _(
        "Your feedback on this answer is recorded already."))


def create_router() -> Router:
    router = Router(name="questions")
    router.message(Magic(F.text.regexp(COMMAND)))(unknown_command)
    router.message(Magic(F.text))(question)
    router.message()(not_text)
    router.callback_query(PickEntry.filter())(picked)
    router.callback_query(NoneOfThese.filter())(none_of_these)
    router.callback_query(AskAbout.filter())(ask_about)
    router.callback_query(ShowCard.filter())(show_card)
    router.callback_query(Feedback.filter())(feedback)
    return router
