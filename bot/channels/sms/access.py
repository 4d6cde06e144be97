"""Who may post to the SMS endpoints: an IP allow-list (Jasmin signs nothing).

Behind a load balancer every request comes from the balancer; its ``X-Forwarded-For``
tells the real sender, but only a proxy we trust may say so (``UCC_TRUSTED_PROXIES``),
or anyone could claim an allowed address."""

from __future__ import annotations

import ipaddress
from typing import Final

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK: Final[tuple[Network, ...]] = (ipaddress.ip_network("127.0.0.0/8"),
                                        ipaddress.ip_network("::1/128"))


def parse_networks(spec: str) -> tuple[Network, ...]:
    """``UCC_SMS_ALLOW_IPS``: comma-separated addresses or CIDR blocks; empty, loopback only.
    Raises ValueError on a malformed item."""
    items = [item.strip() for item in spec.split(",") if item.strip()]
    if not items:
        return LOOPBACK
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


def parse_proxies(spec: str) -> tuple[Network, ...]:
    """``UCC_TRUSTED_PROXIES``: like the allow-list, but empty means no proxy is trusted."""
    return parse_networks(spec) if spec.strip() else ()


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(remote: str | None, forwarded_for: str | None,
                   proxies: tuple[Network, ...]) -> str | None:
    """The sender's address: the peer, or — when the peer is a trusted proxy — the
    nearest address in ``X-Forwarded-For`` that is not a trusted proxy itself (the ones to
    its left were written by whoever sent the request and prove nothing)."""
    peer = _address(remote or "")
    if peer is None or not forwarded_for or not any(peer in n for n in proxies):
        return remote
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            return None  # a malformed chain: nobody to allow
        if not any(address in n for n in proxies):
            return str(address)
    return str(peer)


def allowed(remote: str | None, networks: tuple[Network, ...]) -> bool:
    address = _address(remote or "")
    return address is not None and any(address in network for network in networks)
