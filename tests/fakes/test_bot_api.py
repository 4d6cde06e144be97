"""Self-test of the fake Telegram Bot API, driven by a real aiogram ``Bot``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from tests.fakes.bot_api import (
    BOT_ID,
    FakeBotAPI,
    Upload,
    callback_update,
    command_update,
    message_update,
)

CHAT = 777_001


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    client = fake.make_bot()
    yield client
    await client.session.close()


def keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Иә", callback_data="faq:yes")]]
    )


async def test_get_me_answers_with_the_bot_of_the_token(fake: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()

    assert me.id == BOT_ID
    assert me.is_bot
    assert fake.base_url.startswith("http://127.0.0.1:")
    assert [call.method for call in fake.calls] == ["getMe"]


async def test_send_message_is_recorded_with_decoded_params(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "<b>x</b>", parse_mode="HTML", reply_markup=keyboard())

    [call] = fake.sent_messages(CHAT)
    assert call.params["chat_id"] == CHAT
    assert call.params["text"] == "<b>x</b>"
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Иә", "callback_data": "faq:yes"}]]
    }
    assert sent.chat.id == CHAT
    assert sent.text == "<b>x</b>"
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == keyboard().model_dump()


async def test_messages_get_fresh_ids_per_chat(fake: FakeBotAPI, bot: Bot) -> None:
    first = await bot.send_message(CHAT, "бір")
    second = await bot.send_message(CHAT, "екі")
    elsewhere = await bot.send_message(CHAT + 1, "үш")

    assert second.message_id == first.message_id + 1
    assert elsewhere.message_id == 1
    assert len(fake.sent_messages()) == 3
    assert len(fake.sent_messages(CHAT)) == 2


async def test_text_that_looks_like_a_number_stays_a_string(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(CHAT, "1414")
    await bot.answer_callback_query("4242", text="[ok]")

    assert fake.sent_messages()[0].params["text"] == "1414"
    assert fake.calls_of("answerCallbackQuery")[0].params == {
        "callback_query_id": "4242",
        "text": "[ok]",
    }


async def test_an_uploaded_file_is_recorded_as_an_upload(fake: FakeBotAPI, bot: Bot) -> None:
    document = BufferedInputFile(b"%PDF-1.4", filename="anketa.pdf")

    sent = await bot.send_document(CHAT, document, caption="Өтініш үлгісі")

    [call] = fake.calls_of("sendDocument")
    assert call.params["document"] == Upload("anketa.pdf", "application/octet-stream", b"%PDF-1.4")
    assert call.params["caption"] == "Өтініш үлгісі"
    assert sent.caption == "Өтініш үлгісі"


async def test_a_scripted_429_surfaces_as_retry_after_and_the_next_call_succeeds(
    fake: FakeBotAPI, bot: Bot
) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=7)

    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(CHAT, "бірінші")
    await bot.send_message(CHAT, "екінші")

    assert caught.value.retry_after == 7
    assert "retry after 7" in caught.value.message
    assert [call.status for call in fake.calls_of("sendMessage")] == [429, 200]
    assert [call.params["text"] for call in fake.sent_messages()] == ["екінші"]


async def test_a_scripted_403_surfaces_as_forbidden(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("sendMessage", status=403)

    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "сәлем")


async def test_a_scripted_500_surfaces_as_server_error(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("getMe", status=500, times=2)

    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.get_me()
    await bot.get_me()


async def test_failures_apply_only_to_their_method(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("sendMessage", status=403)

    await bot.get_me()
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(CHAT, "сәлем")


async def test_a_wrong_token_is_unauthorized(fake: FakeBotAPI) -> None:
    stranger = fake.make_bot(token="654321:WRONG")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()
    finally:
        await stranger.session.close()

    assert fake.calls[0].status == 401


async def test_hang_next_delays_the_answer_by_at_least_the_given_time(
    fake: FakeBotAPI, bot: Bot
) -> None:
    fake.hang_next("sendMessage", 0.3)

    started = time.monotonic()
    await bot.send_message(CHAT, "баяу")
    slow = time.monotonic() - started
    started = time.monotonic()
    await bot.send_message(CHAT, "жылдам")
    fast = time.monotonic() - started

    assert slow >= 0.3
    assert fast < 0.3


async def test_a_hang_longer_than_the_client_timeout_is_a_network_error_and_stop_is_quick() -> (
    None
):
    server = FakeBotAPI()
    await server.start()
    client = server.make_bot()
    try:
        server.hang_next("getMe", 30)
        with pytest.raises(TelegramNetworkError):
            await client.get_me(request_timeout=1)
    finally:
        await client.session.close()
        started = time.monotonic()
        await server.stop()

    assert time.monotonic() - started < 1.5


async def test_pushed_updates_come_back_from_get_updates_and_are_confirmed_by_the_offset(
    fake: FakeBotAPI, bot: Bot
) -> None:
    first = fake.push_update(message_update(CHAT, "Сәлем"))
    second = fake.push_update(command_update(CHAT, "/start"))

    updates = await bot.get_updates(timeout=1)
    again = await bot.get_updates(timeout=1)
    after_first = await bot.get_updates(offset=first + 1, timeout=1)
    after_both = await bot.get_updates(offset=second + 1, timeout=0)

    assert [update.update_id for update in updates] == [first, second]
    assert [update.update_id for update in again] == [first, second]
    assert [update.update_id for update in after_first] == [second]
    assert after_both == []
    assert fake.pending_updates == []
    assert second == first + 1


async def test_get_updates_honours_the_limit(fake: FakeBotAPI, bot: Bot) -> None:
    ids = [fake.push_update(message_update(CHAT, str(n))) for n in range(3)]

    updates = await bot.get_updates(limit=2)

    assert [update.update_id for update in updates] == ids[:2]


async def test_a_long_poll_waits_for_a_pushed_update(fake: FakeBotAPI, bot: Bot) -> None:
    async def push_later() -> None:
        await asyncio.sleep(0.1)
        fake.push_update(message_update(CHAT, "кеш"))

    pusher = asyncio.create_task(push_later())
    updates = await bot.get_updates(timeout=30)
    await pusher

    assert [update.message.text for update in updates if update.message] == ["кеш"]


async def test_a_long_poll_without_updates_is_capped_to_stay_fast(bot: Bot) -> None:
    started = time.monotonic()
    updates = await bot.get_updates(timeout=30)

    assert updates == []
    assert time.monotonic() - started < 1.0


async def test_wait_for_returns_when_the_call_arrives(fake: FakeBotAPI, bot: Bot) -> None:
    async def send_later() -> None:
        await asyncio.sleep(0.1)
        await bot.send_message(CHAT, "кейінірек")

    sender = asyncio.create_task(send_later())
    [call] = await fake.wait_for("sendMessage", timeout=2)
    await sender

    assert call.params["text"] == "кейінірек"


async def test_wait_for_fails_naming_the_calls_that_did_arrive(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.get_me()

    with pytest.raises(AssertionError, match=r"got 0; calls so far: \['getMe'\]"):
        await fake.wait_for("sendMessage", timeout=0.1)


async def test_webhook_calls_are_recorded_and_block_polling(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.set_webhook("https://ucc.example.kz/tg", secret_token="s3cret")
    info = await bot.get_webhook_info()
    with pytest.raises(TelegramConflictError):
        await bot.get_updates()
    await bot.delete_webhook(drop_pending_updates=False)

    assert info.url == "https://ucc.example.kz/tg"
    assert fake.calls_of("setWebhook")[0].params["secret_token"] == "s3cret"
    assert fake.calls_of("deleteWebhook")[0].params.get("drop_pending_updates") is not True
    assert fake.webhook_url == ""
    assert await bot.get_updates() == []


async def test_delete_webhook_records_drop_pending_updates(fake: FakeBotAPI, bot: Bot) -> None:
    fake.push_update(message_update(CHAT, "жоғалады"))

    await bot.delete_webhook(drop_pending_updates=True)

    assert fake.calls_of("deleteWebhook")[0].params["drop_pending_updates"] is True
    assert fake.pending_updates == []


async def test_common_methods_return_plausible_results(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Сұрақ?", reply_markup=keyboard())

    edited = await bot.edit_message_text("Жауап", chat_id=CHAT, message_id=sent.message_id)
    marked = await bot.edit_message_reply_markup(
        chat_id=CHAT, message_id=sent.message_id, reply_markup=keyboard()
    )

    assert isinstance(edited, Message)
    assert edited.text == "Жауап"
    assert edited.reply_markup is None
    assert isinstance(marked, Message)
    assert marked.text == "Жауап"
    assert marked.reply_markup is not None
    assert marked.reply_markup.model_dump() == keyboard().model_dump()
    assert await bot.answer_callback_query("cb-1") is True
    assert await bot.send_chat_action(CHAT, "typing") is True
    assert await bot.delete_message(CHAT, sent.message_id) is True
    assert await bot.set_my_commands([]) is True
    assert await bot.log_out() is True
    assert fake.calls_of("sendChatAction")[0].params == {"chat_id": CHAT, "action": "typing"}


async def test_built_updates_are_valid_telegram_updates() -> None:
    text = Update.model_validate(message_update(CHAT, "Сәлем", update_id=1))
    command = Update.model_validate(command_update(CHAT, "/start faq", update_id=2))
    press = Update.model_validate(callback_update(CHAT, "faq:yes", message_id=5, update_id=3))

    assert text.message is not None
    assert text.message.from_user is not None
    assert text.message.from_user.language_code == "kk"
    assert text.message.from_user.first_name == "Айгүл"
    assert command.message is not None
    assert command.message.entities is not None
    assert command.message.entities[0].extract_from(command.message.text or "") == "/start"
    assert press.callback_query is not None
    assert press.callback_query.data == "faq:yes"
    assert isinstance(press.callback_query.message, Message)
    assert press.callback_query.message.message_id == 5


async def test_a_dispatcher_polling_the_fake_answers_a_pushed_command(
    fake: FakeBotAPI, bot: Bot
) -> None:
    router = Router()

    @router.message(CommandStart())
    async def greet(message: Message) -> None:
        await message.answer("Қош келдіңіз!")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    fake.push_update(command_update(CHAT, "/start"))

    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    try:
        [call] = await fake.wait_for("sendMessage", timeout=3)
    finally:
        await dispatcher.stop_polling()
        await polling

    assert call.params == {"chat_id": CHAT, "text": "Қош келдіңіз!"}
    assert all(
        not call.params.get("drop_pending_updates") for call in fake.calls_of("deleteWebhook")
    )
