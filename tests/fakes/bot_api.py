"""A fake Telegram Bot API server for end-to-end tests.

``FakeBotAPI`` is a small aiohttp application served on 127.0.0.1 (ephemeral port). It answers
``{base_url}/bot{token}/{method}`` like Telegram does, records every call with decoded
parameters, serves pushed updates to ``getUpdates`` and can be scripted to fail or to hang.

Point a real aiogram ``Bot`` at it with :meth:`FakeBotAPI.make_bot`, or by hand::

    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    bot = Bot(fake.token, session=session)

The module also builds incoming updates as plain dicts (:func:`message_update`,
:func:`command_update`, :func:`callback_update`) for :meth:`FakeBotAPI.push_update`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

__all__ = [
    "BOT_ID",
    "BOT_USERNAME",
    "TOKEN",
    "Call",
    "FakeBotAPI",
    "Upload",
    "callback_update",
    "command_update",
    "message_update",
]

TOKEN = "123456:TEST-token"
BOT_ID = 123456
BOT_USERNAME = "ucc1414_test_bot"
BOT_FIRST_NAME = "1414"

#: Longest real wait of one ``getUpdates`` long poll, whatever ``timeout`` the client asks for.
POLL_CAP_SECONDS = 0.5

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

# Parameters Telegram types as String: kept verbatim even when they look like numbers or JSON.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "query",
        "data",
        "url",
        "secret_token",
        "ip_address",
        "callback_query_id",
        "inline_query_id",
        "shipping_query_id",
        "pre_checkout_query_id",
        "inline_message_id",
        "business_connection_id",
        "custom_emoji_id",
        "message_effect_id",
        "file_id",
        "language_code",
        "name",
        "title",
        "description",
        "short_description",
        "first_name",
        "last_name",
        "phone_number",
        "vcard",
        "address",
        "question",
        "explanation",
        "payload",
        "start_parameter",
        "custom_title",
        "emoji",
    }
)
_INT_RE = re.compile(r"-?\d+")
_FLOAT_RE = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?")


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart request (``InputFile`` uploads).

    A top-level upload (``sendDocument(document=...)``) is found under its parameter name;
    files attached inside JSON (``media`` groups) stay under their ``attach://`` part names.
    """

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Call:
    """One request received by the fake.

    ``params`` are decoded: JSON objects and arrays (``reply_markup``, ``entities``,
    ``allowed_updates``...) become dicts and lists, integers become ``int``, ``true``/``false``
    become ``bool``; free-text and string-id parameters (``text``, ``callback_query_id``...)
    stay strings. ``at`` is ``time.monotonic()`` at arrival; ``status`` is the HTTP status the
    fake answered with (200, or the scripted/unauthorized error).
    """

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    token: str = TOKEN

    @property
    def ok(self) -> bool:
        return self.status == 200

    def is_(self, method: str) -> bool:
        """Whether this is a call of ``method`` (Telegram method names are case-insensitive)."""
        return self.method.lower() == method.lower()


@dataclass(frozen=True, slots=True)
class _Failure:
    status: int
    description: str
    retry_after: int | None


@dataclass(frozen=True, slots=True)
class _Hang:
    seconds: float


@dataclass(slots=True)
class _State:
    """What the fake remembers between calls."""

    calls: list[Call] = field(default_factory=list)
    script: dict[str, deque[_Failure | _Hang]] = field(default_factory=dict)
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    last_update_id: int = 100_000_000
    message_ids: dict[int | str, itertools.count[int]] = field(default_factory=dict)
    messages: dict[tuple[int | str, int], dict[str, Any]] = field(default_factory=dict)
    commands: dict[str, list[Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # file_id -> content


Handler = Callable[[dict[str, Any]], Any]


class FakeBotAPI:
    """A scripted stand-in for ``api.telegram.org``.

    Use it as an async context manager (or call :meth:`start`/:meth:`stop`)::

        async with FakeBotAPI() as fake:
            bot = fake.make_bot()
            try:
                fake.push_update(message_update(42, "Сәлем"))
                ...
                [call] = await fake.wait_for("sendMessage")
            finally:
                await bot.session.close()
    """

    def __init__(
        self,
        *,
        token: str = TOKEN,
        username: str = BOT_USERNAME,
        first_name: str = BOT_FIRST_NAME,
        poll_cap: float = POLL_CAP_SECONDS,
    ) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.poll_cap = poll_cap
        self.base_url = ""
        #: Set by ``setWebhook`` (cleared by ``deleteWebhook``); ``getUpdates`` answers 409 then.
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self._state = _State()
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._calls_changed = asyncio.Event()
        self._updates_changed = asyncio.Event()
        self._handlers: dict[str, Handler] = {
            "getme": lambda _params: self.bot_user,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "forwardmessage": self._send_message,
            "copymessage": self._copy_message,
            "sendmediagroup": self._send_media_group,
            "editmessagetext": self._edit_message,
            "editmessagecaption": self._edit_message,
            "editmessagereplymarkup": self._edit_message,
            "deletemessage": self._delete_message,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
        }
        self._overrides: dict[str, Any] = {}

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Serve on 127.0.0.1 at an ephemeral port and set :attr:`base_url`."""
        if self._runner is not None:
            raise RuntimeError("FakeBotAPI is already started")
        self._closing = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"

    async def stop(self) -> None:
        """Release hanging calls and long polls, then shut the server down."""
        if self._runner is None:
            return
        self._closing.set()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def make_bot(self, token: str | None = None, **bot_kwargs: Any) -> Bot:
        """A real aiogram ``Bot`` talking to this fake. Close it: ``await bot.session.close()``."""
        if not self.base_url:
            raise RuntimeError("start the FakeBotAPI before making a bot")
        session = AiohttpSession(api=TelegramAPIServer.from_base(self.base_url))
        return Bot(token or self.token, session=session, **bot_kwargs)

    # ----------------------------------------------------------------- inspection

    @property
    def calls(self) -> list[Call]:
        """Every request received, in arrival order (failed and unauthorized ones included)."""
        return self._state.calls

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self._state.calls if call.is_(method)]

    def sent_messages(self, chat_id: int | None = None) -> list[Call]:
        """``sendMessage`` calls that were answered with success (optionally to one chat)."""
        return [
            call
            for call in self.calls_of("sendMessage")
            if call.ok and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least ``count`` calls of ``method`` arrived; return all of them.

        Raises ``AssertionError`` naming what did arrive if ``timeout`` seconds pass first.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._calls_changed
            found = self.calls_of(method)
            if len(found) >= count:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = [call.method for call in self._state.calls]
                raise AssertionError(
                    f"expected {count} {method} call(s) within {timeout} s, "
                    f"got {len(found)}; calls so far: {seen}"
                )
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue

    # ----------------------------------------------------------------- scripting

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error, then succeed again.

        ``description`` defaults to Telegram's wording for ``status`` (429 gets
        ``"Too Many Requests: retry after N"`` and ``parameters.retry_after`` = N, N defaulting
        to 1). Scripted failures and hangs of one method are consumed in FIFO order.
        """
        if status < 400:
            raise ValueError(f"fail_next needs an error status, not {status}")
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        self._enqueue(method, _Failure(status, description, retry_after), times)

    def hang_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Delay the answer to the next ``times`` calls of ``method`` by ``seconds``."""
        self._enqueue(method, _Hang(seconds), times)

    def respond_with(self, method: str, result: Any) -> None:
        """Answer every later successful call of ``method`` with ``result``.

        For methods the fake has no plausible answer of its own (``getChat``,
        ``getChatMember``...): it replies ``{"ok": true, "result": result}``.
        """
        self._overrides[method.lower()] = result

    def _enqueue(self, method: str, action: _Failure | _Hang, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        queue = self._state.script.setdefault(method.lower(), deque())
        queue.extend([action] * times)

    # ----------------------------------------------------------------- updates

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue ``update`` for ``getUpdates``; assign ``update_id`` if missing. Returns the id."""
        update = dict(update)
        state = self._state
        if "update_id" in update:
            state.last_update_id = max(state.last_update_id, int(update["update_id"]))
        else:
            state.last_update_id += 1
            update["update_id"] = state.last_update_id
        state.updates.append(update)
        self._updates_changed = _pulse(self._updates_changed)
        return int(update["update_id"])

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a ``getUpdates`` offset."""
        return list(self._state.updates)

    # ----------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        token = request.match_info["token"]
        params = await _read_params(request)
        arrived = time.monotonic()

        if token != self.token:
            self._record(Call(method, params, arrived, 401, token))
            return _error(401, "Unauthorized")

        queue = self._state.script.get(method.lower())
        action = queue.popleft() if queue else None
        status = action.status if isinstance(action, _Failure) else 200
        self._record(Call(method, params, arrived, status, token))

        if isinstance(action, _Hang):
            await self._sleep(action.seconds)
        if isinstance(action, _Failure):
            return _error(action.status, action.description, action.retry_after)
        if method.lower() == "getupdates":
            return await self._get_updates(params)
        return _ok(self._result(method, params))

    def add_file(self, content: bytes) -> str:
        """Keep a file as a user's upload would be; its ``file_id`` for a document update."""
        file_id = f"file-{len(self._state.files) + 1}"
        self._state.files[file_id] = content
        return file_id

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id"))
        content = self._state.files.get(file_id, b"")
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                "file_size": len(content), "file_path": f"documents/{file_id}"}

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        content = self._state.files.get(file_id)
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="application/octet-stream")

    def _record(self, call: Call) -> None:
        self._state.calls.append(call)
        self._calls_changed = _pulse(self._calls_changed)

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up at once when the server stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        key = method.lower()
        if key in self._overrides:
            return self._overrides[key]
        handler = self._handlers.get(key)
        if handler is not None:
            return handler(params)
        if key == "getfile":
            return self._get_file(params)
        if key.startswith("send") and key != "sendchataction":
            return self._send_message(params)
        return True

    # ----------------------------------------------------------------- getUpdates & webhook

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook_url:
            return _error(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        loop = asyncio.get_running_loop()
        wait = min(float(params.get("timeout") or 0), self.poll_cap)
        deadline = loop.time() + wait
        while True:
            changed = self._updates_changed
            result = self._get_updates_sync(params)
            remaining = deadline - loop.time()
            if result or remaining <= 0 or self._closing.is_set():
                return _ok(result)
            waiters = [
                asyncio.ensure_future(changed.wait()),
                asyncio.ensure_future(self._closing.wait()),
            ]
            _done, pending = await asyncio.wait(
                waiters, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def _get_updates_sync(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        updates = self._state.updates
        offset = int(params.get("offset") or 0)
        if offset < 0:
            while len(updates) > -offset:
                updates.popleft()
        else:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        allowed = params.get("allowed_updates")
        if allowed:
            kept = [update for update in updates if _update_type(update) in allowed]
            updates.clear()
            updates.extend(kept)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        return list(itertools.islice(updates, limit))

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._state.updates.clear()
        self.webhook_url = str(params.get("url") or "")
        self.webhook_secret = params.get("secret_token")
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._state.updates.clear()
        self.webhook_url = ""
        self.webhook_secret = None
        return True

    def _get_webhook_info(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._state.updates),
        }

    # ----------------------------------------------------------------- messages

    def _new_message(self, chat_id: int | str, **content: Any) -> dict[str, Any]:
        counter = self._state.message_ids.setdefault(chat_id, itertools.count(1))
        message: dict[str, Any] = {
            "message_id": next(counter),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": self.bot_user,
        }
        message.update({key: value for key, value in content.items() if value is not None})
        self._state.messages[(chat_id, message["message_id"])] = message
        return message

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._new_message(
            params.get("chat_id", 0),
            text=params.get("text"),
            caption=params.get("caption"),
            entities=params.get("entities"),
            reply_markup=_inline_markup(params.get("reply_markup")),
        )

    def _copy_message(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._new_message(params.get("chat_id", 0))
        return {"message_id": message["message_id"]}

    def _send_media_group(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        media = params.get("media")
        count = len(media) if isinstance(media, list) else 1
        return [self._new_message(params.get("chat_id", 0)) for _ in range(count)]

    def _edit_message(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if "inline_message_id" in params:
            return True
        chat_id = params.get("chat_id", 0)
        message_id = int(params.get("message_id") or 0)
        message = self._state.messages.get((chat_id, message_id))
        if message is None:
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": _chat(chat_id),
                "from": self.bot_user,
            }
            self._state.messages[(chat_id, message_id)] = message
        for key in ("text", "caption", "entities"):
            if key in params:
                message[key] = params[key]
        markup = _inline_markup(params.get("reply_markup"))
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return message

    def _delete_message(self, params: dict[str, Any]) -> bool:
        key = (params.get("chat_id", 0), int(params.get("message_id") or 0))
        self._state.messages.pop(key, None)
        return True

    # ----------------------------------------------------------------- commands

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        self._state.commands[self._commands_key(params)] = list(params.get("commands") or [])
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[Any]:
        return self._state.commands.get(self._commands_key(params), [])

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._state.commands.pop(self._commands_key(params), None)
        return True


# --------------------------------------------------------------------- wire helpers


def _pulse(event: asyncio.Event) -> asyncio.Event:
    """Wake whoever waits on ``event``; return a fresh event for the next change."""
    event.set()
    return asyncio.Event()


def _ok(result: Any) -> web.Response:
    return _json({"ok": True, "result": result}, 200)


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return _json(body, status)


def _json(body: dict[str, Any], status: int) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, text in request.query.items():
        params[key] = _decode(key, text)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = Upload(value.filename, value.content_type, value.file.read())
        elif isinstance(value, bytes | bytearray):
            params[key] = bytes(value)
        else:
            params[key] = _decode(key, value)
    # aiogram sends a top-level InputFile as "attach://<part>": put the Upload in its place.
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            part = value.removeprefix("attach://")
            if isinstance(params.get(part), Upload):
                params[key] = params.pop(part)
    return params


def _decode(key: str, value: str) -> Any:
    """Undo aiogram's form encoding: JSON for objects, arrays, numbers and booleans."""
    if key in _STRING_PARAMS:
        return value
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if _INT_RE.fullmatch(value):
        return int(value)
    if _FLOAT_RE.fullmatch(value):
        return float(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def _chat(chat_id: int | str, first_name: str = "Айгүл") -> dict[str, Any]:
    if isinstance(chat_id, int) and chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": first_name}
    if isinstance(chat_id, int):
        return {"id": chat_id, "type": "supergroup", "title": "Test group"}
    return {"id": -1_000_000_000_001, "type": "channel", "username": chat_id.lstrip("@")}


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """Telegram echoes only inline keyboards back in ``Message.reply_markup``."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return markup
    return None


def _update_type(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


# --------------------------------------------------------------------- update builders

_message_ids = itertools.count(100_001)
_callback_ids = itertools.count(1)


def _user(user_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code is not None:
        user["language_code"] = language_code
    return user


def _with_update_id(update: dict[str, Any], update_id: int | None) -> dict[str, Any]:
    if update_id is not None:
        update["update_id"] = update_id
    return update


def message_update(
    chat_id: int,
    text: str,
    *,
    user_id: int | None = None,
    language_code: str | None = "kk",
    update_id: int | None = None,
    message_id: int | None = None,
    first_name: str = "Айгүл",
    entities: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A text message from a user (in a private chat unless ``chat_id`` is negative).

    ``update_id`` is left out unless given, so :meth:`FakeBotAPI.push_update` assigns one;
    ``message_id`` defaults to a fresh module-wide number (from 100001 up).
    """
    sender = _user(user_id if user_id is not None else chat_id, first_name, language_code)
    message: dict[str, Any] = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "date": int(time.time()),
        "chat": _chat(chat_id, first_name),
        "from": sender,
        "text": text,
    }
    if entities:
        message["entities"] = entities
    return _with_update_id({"message": message}, update_id)


def document_update(
    chat_id: int,
    file_id: str,
    file_name: str,
    *,
    size: int,
    caption: str | None = None,
    language_code: str | None = "kk",
    mime_type: str = "application/octet-stream",
) -> dict[str, Any]:
    """A file sent by a user (a ``document`` message), with an optional caption."""
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": _chat(chat_id, "Ержан"),
        "from": _user(chat_id, "Ержан", language_code),
        "document": {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                     "file_name": file_name, "mime_type": mime_type, "file_size": size},
    }
    if caption is not None:
        message["caption"] = caption
    return {"message": message}


def command_update(
    chat_id: int,
    command: str,
    *,
    user_id: int | None = None,
    language_code: str | None = "kk",
    update_id: int | None = None,
    message_id: int | None = None,
    first_name: str = "Айгүл",
) -> dict[str, Any]:
    """A command message such as ``"/start"`` or ``"/start deep-link"``, with its entity."""
    if not command.startswith("/"):
        raise ValueError(f"a command starts with '/': {command!r}")
    head = command.split(maxsplit=1)[0]
    entity = {"type": "bot_command", "offset": 0, "length": _utf16_len(head)}
    return message_update(
        chat_id,
        command,
        user_id=user_id,
        language_code=language_code,
        update_id=update_id,
        message_id=message_id,
        first_name=first_name,
        entities=[entity],
    )


def callback_update(
    chat_id: int,
    data: str,
    *,
    message_id: int,
    user_id: int | None = None,
    language_code: str | None = "kk",
    update_id: int | None = None,
    first_name: str = "Айгүл",
    message_text: str | None = None,
    bot_id: int = BOT_ID,
) -> dict[str, Any]:
    """A press of an inline button with ``data`` under the bot's message ``message_id``."""
    sender = _user(user_id if user_id is not None else chat_id, first_name, language_code)
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": _chat(chat_id, first_name),
        "from": {"id": bot_id, "is_bot": True, "first_name": BOT_FIRST_NAME},
    }
    if message_text is not None:
        message["text"] = message_text
    callback = {
        "id": f"cb-{next(_callback_ids)}",
        "from": sender,
        "chat_instance": f"ci-{chat_id}",
        "message": message,
        "data": data,
    }
    return _with_update_id({"callback_query": callback}, update_id)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
