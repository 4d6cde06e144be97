"""Service providers that feed stages, each with its own bearer token (kept as a hash)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select

from knowledge.clock import Clock
from knowledge.db.tables import StatusProviderRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.staff import Actor

NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
TOKEN_BYTES: Final = 32
# A revoked provider's token column: not hexadecimal, so no token's digest ever equals it
# (the row stays: its applications point at it).
REVOKED: Final = "revoked-"


@dataclass(frozen=True, slots=True)
class Provider:
    id: int
    name: str
    revoked: bool = False


def token_digest(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough to keep them unusable at rest."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def add_provider(uow: UnitOfWork, name: str, clock: Clock) -> tuple[Provider, str]:
    """Register a provider and commit; its token, to be shown once and never again."""
    if not NAME.fullmatch(name):
        raise InvalidInput(f"{name!r} is not a provider name (letters, digits, _ . -)")
    if await uow.session.scalar(select(StatusProviderRow).where(StatusProviderRow.name == name)):
        raise InvalidInput(f"provider {name!r} exists already")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = StatusProviderRow(name=name, token_sha256=token_digest(token), created_at=clock.now())
    uow.session.add(row)
    await uow.session.flush()
    provider = Provider(row.id, row.name)
    await uow.commit()
    return provider, token


async def provider_by_token(uow: UnitOfWork, token: str) -> Provider | None:
    if not token:
        return None
    row = await uow.session.scalar(
        select(StatusProviderRow).where(StatusProviderRow.token_sha256 == token_digest(token)))
    return Provider(row.id, row.name) if row is not None else None


async def providers(uow: UnitOfWork, actor: Actor) -> list[Provider]:
    """The providers that feed stages: the center's to read."""
    actor.require_center()
    rows = await uow.session.scalars(select(StatusProviderRow).order_by(StatusProviderRow.name))
    return [Provider(r.id, r.name, r.token_sha256.startswith(REVOKED)) for r in rows]


async def rotate_token(uow: UnitOfWork, name: str) -> str:
    """Give the provider a new token and commit: the old one stops working at once (a
    revoked provider is let in again). The new token, to be shown once and never again."""
    row = await _provider_row(uow, name)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row.token_sha256 = token_digest(token)
    await uow.commit()
    return token


async def revoke_token(uow: UnitOfWork, name: str) -> None:
    """Take the provider's token away and commit: nothing it sends is accepted until its
    token is rotated. Its applications stay."""
    row = await _provider_row(uow, name)
    row.token_sha256 = REVOKED + secrets.token_hex(28)  # unique, as the column wants
    await uow.commit()


async def _provider_row(uow: UnitOfWork, name: str) -> StatusProviderRow:
    row = await uow.session.scalar(
        select(StatusProviderRow).where(StatusProviderRow.name == name))
    if row is None:
        raise InvalidInput(f"no provider {name!r} (ucc status provider list)")
    return row


async def any_provider(uow: UnitOfWork) -> bool:
    count = await uow.session.scalar(select(func.count()).select_from(StatusProviderRow))
    return bool(count)
