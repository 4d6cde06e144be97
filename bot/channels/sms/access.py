"""Who may post to the SMS endpoints: an IP allow-list (Jasmin signs nothing)."""

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


def allowed(remote: str | None, networks: tuple[Network, ...]) -> bool:
    if not remote:
        return False
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)
