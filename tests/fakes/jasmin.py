"""A fake Jasmin SMS Gateway (its HTTP API) for end-to-end tests, on 127.0.0.1.

Like Jasmin it posts MO to the bot (form fields ``id``, ``from``, ``to``,
``origin-connector``, ``priority``, ``coding``, ``validity``, ``content`` — the raw bytes,
UTF-16BE for ``coding=8`` — and ``binary``, their hex) and re-delivers until the answer is
``200`` with the body ``ACK/Jasmin``; accepts MT on ``/send`` (query or form: ``username``,
``password``, ``to``, ``content``, ``coding``, ``dlr``, ``dlr-url``, ``dlr-level``,
``dlr-method``) answering ``Success "<message id>"``; and posts delivery reports (``id``,
``message_status``, ``level``, ``connector``, ``subdate``, ``donedate``, ``sub``,
``dlvrd``, ``err``, ``text``) to the DLR URL. It can be told to fail sends, or to lose the
bot's acknowledgements (as when an answer never reaches Jasmin).
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web

USERNAME = "ucc"
PASSWORD = "jasmin-Pa55"
ACK = "ACK/Jasmin"


@dataclass(frozen=True, slots=True)
class MT:
    """A message the bot sent through ``/send``, decoded."""

    message_id: str
    to: str
    text: str
    coding: str
    fields: dict[str, str]


@dataclass(slots=True)
class MoResult:
    id: str
    attempts: list[tuple[int, str]] = field(default_factory=list)  # (status, body) each

    @property
    def acknowledged(self) -> bool:
        return bool(self.attempts) and self.attempts[-1] == (200, ACK)


def _fields(raw: str) -> dict[str, bytes]:
    return {k: v.encode("latin-1") for k, v in parse_qsl(raw, encoding="latin-1")}


class FakeJasmin:
    def __init__(self, *, username: str = USERNAME, password: str = PASSWORD) -> None:
        self.username = username
        self.password = password
        self.sent: list[MT] = []
        self.refused: list[dict[str, str]] = []
        self.fail_sends: list[int] = []  # HTTP statuses to answer the next sends with
        self.dlrs: list[tuple[str, str, int, str]] = []  # (id, status, http status, body)
        self.auto_dlr: list[str] = []  # reports to post after each accepted MT
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.base_url = ""

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/send", self._send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- MT: the bot sends
    async def _send(self, request: web.Request) -> web.Response:
        fields = _fields(request.rel_url.raw_query_string)
        body = await request.read()
        if body:
            fields.update(_fields(body.decode("ascii")))
        text_fields = {k: v.decode("latin-1") for k, v in fields.items() if k != "content"}
        if (text_fields.get("username"), text_fields.get("password")) != (
                self.username, self.password):
            self.refused.append(text_fields)
            return web.Response(status=403, text='Error "Authentication failure for '
                                                 f'username:{text_fields.get("username")}"')
        if "to" not in text_fields or "content" not in fields:
            self.refused.append(text_fields)
            return web.Response(status=400, text='Error "Mandatory arguments not found, '
                                                 'please refer to the HTTPAPI specifications."')
        if self.fail_sends:
            status = self.fail_sends.pop(0)
            self.refused.append(text_fields)
            return web.Response(status=status, text='Error "Cannot send submit_sm, check '
                                                    'SMPPClientManagerPB log file for details"')
        coding = text_fields.get("coding", "0")
        raw = fields["content"]
        text = raw.decode("utf-16-be") if coding == "8" else raw.decode("utf-8")
        message_id = str(uuid.UUID(int=next(self._ids)))
        self.sent.append(MT(message_id, text_fields["to"], text, coding, text_fields))
        if text_fields.get("dlr") == "yes" and text_fields.get("dlr-url") and self.auto_dlr:
            task = asyncio.create_task(self._auto_reports(message_id, text_fields["dlr-url"]))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.Response(text=f'Success "{message_id}"')

    async def _auto_reports(self, message_id: str, url: str) -> None:
        for status in self.auto_dlr:
            await self.post_dlr(url, message_id, status)

    def sent_to(self, number: str) -> list[MT]:
        digits = number.lstrip("+")
        return [mt for mt in self.sent if mt.to.lstrip("+") == digits]

    # ---- MO: a citizen writes
    async def post_mo(
        self, url: str, sender: str, text: str, *, to: str = "1414", id: str | None = None,
        coding: int = 8, lose_acks: int = 0, max_attempts: int = 5,
        forwarded_for: str | None = None,
    ) -> MoResult:
        """Post an MO like Jasmin and re-deliver it until acknowledged (at most
        ``max_attempts``); the first ``lose_acks`` answers are treated as never received."""
        assert self._http is not None
        result = MoResult(id or str(uuid.uuid4()))
        raw = text.encode("utf-16-be" if coding == 8 else "utf-8")
        form = urlencode({
            "id": result.id, "from": sender, "to": to, "origin-connector": "smsc-kcell",
            "priority": "0", "coding": str(coding), "validity": "None",
            "content": raw, "binary": raw.hex().upper(),
        })
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if forwarded_for is not None:  # as posted through a load balancer
            headers["X-Forwarded-For"] = forwarded_for
        for attempt in range(max_attempts):
            async with self._http.post(url, data=form, headers=headers) as response:
                answer = (response.status, await response.text())
            result.attempts.append(answer)
            if answer == (200, ACK) and attempt >= lose_acks:
                break
        return result

    # ---- DLR: what became of an MT
    async def post_dlr(self, url: str, message_id: str, status: str, *,
                       level: int = 3) -> tuple[int, str]:
        assert self._http is not None
        form: dict[str, Any] = {"id": message_id, "message_status": status, "level": level}
        if level >= 2:
            form.update({"connector": "smsc-kcell", "subdate": "2612101200",
                         "donedate": "2612101201", "sub": "001", "dlvrd": "001",
                         "err": "000", "text": ""})
        async with self._http.post(url, data=form) as response:
            answer = (response.status, await response.text())
        self.dlrs.append((message_id, status, *answer))
        return answer
