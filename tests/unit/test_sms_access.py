"""Who may post to the SMS endpoints: the allow-list, and X-Forwarded-For behind trusted
balancers only."""

from __future__ import annotations

import pytest

from bot.channels.sms.access import (
    LOOPBACK,
    allowed,
    client_address,
    parse_networks,
    parse_proxies,
)

BALANCERS = parse_proxies("10.1.0.0/16")


@pytest.mark.parametrize(("remote", "chain", "sender"), [
    ("10.1.0.2", "203.0.113.9", "203.0.113.9"),  # one trusted hop
    ("10.1.0.2", "198.51.100.1, 203.0.113.9, 10.1.0.3", "203.0.113.9"),  # two trusted hops
    ("10.1.0.2", "10.1.0.4, 10.1.0.3", "10.1.0.2"),  # only balancers: the peer
    ("10.1.0.2", None, "10.1.0.2"),
    ("10.1.0.2", "not-an-ip", None),  # a malformed chain: nobody
    ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # an untrusted peer: its header ignored
    ("::ffff:10.1.0.2", "203.0.113.9", "203.0.113.9"),  # IPv4-mapped IPv6 peer
])
def test_the_sender_behind_trusted_balancers(
    remote: str, chain: str | None, sender: str | None,
) -> None:
    assert client_address(remote, chain, BALANCERS) == sender


def test_no_trusted_proxy_by_default_means_the_header_is_ignored() -> None:
    assert parse_proxies("") == ()
    assert client_address("127.0.0.1", "10.0.0.5", parse_proxies("")) == "127.0.0.1"


def test_the_allow_list_defaults_to_loopback_and_refuses_garbage() -> None:
    assert parse_networks(" ") == LOOPBACK
    assert allowed("127.0.0.1", LOOPBACK) and allowed("::1", LOOPBACK)
    assert not allowed("10.0.0.1", LOOPBACK)
    assert not allowed(None, LOOPBACK) and not allowed("nonsense", LOOPBACK)
    with pytest.raises(ValueError):
        parse_proxies("10.0.0.0/33")
