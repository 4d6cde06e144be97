"""Jasmin SMS Gateway (its HTTP API): MO and delivery reports posted to the bot, MT sent to
Jasmin's ``/send``.

Jasmin posts an MO (``id``, ``from``, ``to``, ``origin-connector``, ``priority``,
``coding``, ``validity``, ``content``, ``binary``) and re-delivers it until it is answered
``200`` with the body ``ACK/Jasmin``: the bot answers so only once the message is in the
inbox. Delivery reports (``id``, ``message_status``, ``level``, …) are acknowledged the
same way. Jasmin signs nothing, so both endpoints carry a secret path token and accept only
the allowed IP addresses. Kazakh and Russian go as UCS-2 (``coding=8``): the content is
the text's UTF-16BE bytes.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import re
from typing import Final
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web

from bot.channels.sms.access import Network, allowed, client_address
from bot.channels.sms.gateway import Inbound, SendFailed, Sent, SmsReceiver

log = logging.getLogger(__name__)

ACK: Final = "ACK/Jasmin"
MO_PATH: Final = "/sms/jasmin/mo/{token}"
DLR_PATH: Final = "/sms/jasmin/dlr/{token}"
UCS2: Final = "8"
DLR_LEVEL: Final = "3"  # the SMSC's and the handset's reports
TIMEOUT_S: Final = 30.0
_SUCCESS = re.compile(r'Success\s+"([^"]+)"')
HTTP_SERVER_ERROR: Final = 500
HTTP_FORBIDDEN: Final = 403
# Codings whose content is (a superset of) Latin-1 bytes; anything else is tried as UTF-8.
_LATIN1_CODINGS: Final = frozenset({"0", "1", "3"})


def decode_content(fields: dict[str, bytes]) -> str:
    """The text of an MO: its bytes (``binary`` in hex when given) in its ``coding``."""
    raw = fields.get("content", b"")
    binary = fields.get("binary")
    if binary:
        with contextlib.suppress(ValueError):
            raw = bytes.fromhex(binary.decode("ascii"))
    coding = fields.get("coding", b"0").decode("ascii", "replace").strip()
    if coding == UCS2:
        return raw.decode("utf-16-be", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1" if coding in _LATIN1_CODINGS else "utf-8", errors="replace")


async def form_fields(request: web.Request) -> dict[str, bytes]:
    """Query and form fields as bytes: Jasmin's ``content`` is raw bytes, not UTF-8."""
    fields = {k: v.encode("latin-1", "replace") for k, v in
              parse_qsl(request.rel_url.raw_query_string, encoding="latin-1")}
    body = await request.read()
    if body:
        fields.update((k, v.encode("latin-1")) for k, v in
                      parse_qsl(body.decode("ascii", "replace"), encoding="latin-1"))
    return fields


def _text(fields: dict[str, bytes], name: str) -> str:
    return fields.get(name, b"").decode("utf-8", "replace").strip()


class JasminGateway:
    name = "jasmin"

    def __init__(
        self, url: str, user: str, password: str, *, path_token: str,
        networks: tuple[Network, ...], dlr_url: str | None,
        proxies: tuple[Network, ...] = (), sender: str | None = None,
    ) -> None:
        self.send_url = url.rstrip("/") + "/send"
        self.user = user
        self.password = password
        self.path_token = path_token
        self.networks = networks
        self.proxies = proxies  # balancers whose X-Forwarded-For is believed
        self.dlr_url = dlr_url
        self.sender = sender  # ``from``: the number the citizen sees; None: Jasmin's default

    async def _fields(
        self, request: web.Request, *required: str
    ) -> dict[str, bytes] | web.Response:
        """The posted fields, or the refusal: a wrong token (404, as if nothing were there),
        an address not allowed (403), a required field missing (400)."""
        token = request.match_info.get("token", "")
        if not hmac.compare_digest(token.encode(), self.path_token.encode()):
            return web.Response(status=404, text="not found")
        sender = client_address(request.remote, request.headers.get("X-Forwarded-For"),
                                self.proxies)
        if not allowed(sender, self.networks):
            log.warning("SMS endpoint: request from %s refused (not allowed)", sender)
            return web.Response(status=403, text="forbidden")
        fields = await form_fields(request)
        if not all(_text(fields, name) for name in required):
            return web.Response(status=400, text=f"{', '.join(required)} are required")
        return fields

    def routes(self, receiver: SmsReceiver) -> list[web.RouteDef]:
        async def mo(request: web.Request) -> web.Response:
            fields = await self._fields(request, "id", "from")
            if isinstance(fields, web.Response):
                return fields
            message = Inbound(self.name, _text(fields, "id"), _text(fields, "from"),
                              _text(fields, "to"), decode_content(fields))
            try:
                await receiver.store([message])
            except Exception:  # noqa: BLE001 - not stored: no ACK, Jasmin delivers it again
                log.exception("storing SMS %s failed", message.external_id)
                return web.Response(status=500, text="not stored")
            return web.Response(status=200, text=ACK)

        async def dlr(request: web.Request) -> web.Response:
            fields = await self._fields(request, "id", "message_status")
            if isinstance(fields, web.Response):
                return fields
            message_id = _text(fields, "id")
            try:
                await receiver.report(message_id, _text(fields, "message_status"))
            except Exception:  # noqa: BLE001 - not recorded: no ACK, Jasmin sends it again
                log.exception("recording the delivery report of %s failed", message_id)
                return web.Response(status=500, text="not recorded")
            return web.Response(status=200, text=ACK)

        return [web.post(MO_PATH, mo), web.get(MO_PATH, mo),
                web.post(DLR_PATH, dlr), web.get(DLR_PATH, dlr)]

    async def send(self, http: aiohttp.ClientSession, to: str, text: str) -> Sent:
        fields: dict[str, str | bytes] = {
            "username": self.user, "password": self.password, "to": to.lstrip("+"),
            "coding": UCS2, "content": text.encode("utf-16-be"),
        }
        if self.sender:
            fields["from"] = self.sender
        if self.dlr_url:
            fields.update({"dlr": "yes", "dlr-url": self.dlr_url, "dlr-level": DLR_LEVEL,
                           "dlr-method": "POST"})
        body = urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        try:
            async with http.post(self.send_url, data=body, headers=headers,
                                 timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as response:
                answer = (await response.text(errors="replace")).strip()
                status = response.status
        except aiohttp.ClientConnectorError as exc:  # never reached Jasmin
            raise SendFailed(f"network: {type(exc).__name__}", retry=True) from None
        except (aiohttp.ClientError, TimeoutError) as exc:  # Jasmin may have queued it
            raise SendFailed(f"unknown outcome: {type(exc).__name__}", retry=False,
                             uncertain=True) from None
        match = _SUCCESS.match(answer)
        if status == 200 and match:
            return Sent(match.group(1))
        detail = f"{status}: {answer[:200]}"
        # 5xx: Jasmin could not queue it; 403: its login (settings may be fixed meanwhile);
        # another 4xx: the request itself is wrong, retrying would not help
        raise SendFailed(detail, retry=status >= HTTP_SERVER_ERROR or status == HTTP_FORBIDDEN)
