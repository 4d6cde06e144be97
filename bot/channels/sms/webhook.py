"""A generic JSON webhook for SMS aggregators, signed with HMAC-SHA256.

The aggregator posts to ``/sms/webhook`` a JSON object — one message
``{"id", "from", "to", "text"}``, or ``{"messages": [...], "reports": [{"id", "status"}]}``
— with the header ``X-UCC-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw body
under ``UCC_SMS_WEBHOOK_SECRET``. Unsigned or badly signed requests are refused (401) and
nothing is stored. Messages go out as JSON ``{"to", "text"}`` (with ``"from"``, the
sender ``UCC_SMS_FROM``, when set) posted, signed the same way, to
``UCC_SMS_WEBHOOK_SEND_URL``, which answers ``{"id": "<message id>"}``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any, Final

import aiohttp
from aiohttp import web

from bot.channels.sms.gateway import Inbound, SendFailed, Sent, SmsReceiver

log = logging.getLogger(__name__)

PATH: Final = "/sms/webhook"
SIGNATURE_HEADER: Final = "X-UCC-Signature"
TIMEOUT_S: Final = 30.0
HTTP_SERVER_ERROR: Final = 500


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _strings(item: Any, *names: str) -> list[str] | None:
    if not isinstance(item, dict):
        return None
    values = [item.get(name) for name in names]
    if not all(isinstance(v, str | int) and str(v) != "" for v in values):
        return None
    return [str(v) for v in values]


class WebhookGateway:
    name = "webhook"

    def __init__(self, secret: str, send_url: str | None, *, sender: str | None = None) -> None:
        self.secret = secret
        self.send_url = send_url
        self.sender = sender  # "from": the number the citizen sees; None: not sent

    def routes(self, receiver: SmsReceiver) -> list[web.RouteDef]:
        async def receive(request: web.Request) -> web.Response:
            body = await request.read()
            given = request.headers.get(SIGNATURE_HEADER, "")
            if not hmac.compare_digest(given.encode(), signature(self.secret, body).encode()):
                return web.json_response({"error": "bad signature"}, status=401)
            try:
                payload = json.loads(body)
            except ValueError:
                return web.json_response({"error": "not JSON"}, status=400)
            if isinstance(payload, dict) and "messages" not in payload and "text" in payload:
                payload = {"messages": [payload]}
            if not isinstance(payload, dict):
                return web.json_response({"error": "not an object"}, status=400)
            messages, reports = [], []
            for item in payload.get("messages") or []:
                fields = _strings(item, "id", "from", "text")
                if fields is None:
                    return web.json_response({"error": "a message needs id, from, text"},
                                             status=400)
                messages.append(Inbound(self.name, fields[0], fields[1],
                                        str(item.get("to") or ""), fields[2]))
            for item in payload.get("reports") or []:
                fields = _strings(item, "id", "status")
                if fields is None:
                    return web.json_response({"error": "a report needs id, status"},
                                             status=400)
                reports.append((fields[0], fields[1]))
            try:
                new = await receiver.store(messages)
                for message_id, status in reports:
                    await receiver.report(message_id, status)
            except Exception:  # noqa: BLE001 - not stored: the aggregator must post again
                log.exception("storing %d SMS from the webhook failed", len(messages))
                return web.json_response({"error": "not stored"}, status=500)
            return web.json_response({"stored": len(messages), "new": len(new)})

        return [web.post(PATH, receive)]

    async def send(self, http: aiohttp.ClientSession, to: str, text: str) -> Sent:
        if not self.send_url:
            raise SendFailed("UCC_SMS_WEBHOOK_SEND_URL is not set", retry=True)
        message = {"to": to, "text": text}
        if self.sender:
            message["from"] = self.sender
        body = json.dumps(message, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: signature(self.secret, body)}
        try:
            async with http.post(self.send_url, data=body, headers=headers,
                                 timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as response:
                status = response.status
                answer = await response.text(errors="replace")
        except aiohttp.ClientConnectorError as exc:
            raise SendFailed(f"network: {type(exc).__name__}", retry=True) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise SendFailed(f"unknown outcome: {type(exc).__name__}", retry=False,
                             uncertain=True) from None
        if 200 <= status < 300:  # noqa: PLR2004
            try:
                message_id = json.loads(answer).get("id")
            except (ValueError, AttributeError):
                message_id = None
            return Sent(str(message_id) if message_id is not None else "")
        raise SendFailed(f"{status}: {answer[:200]}", retry=status >= HTTP_SERVER_ERROR)
