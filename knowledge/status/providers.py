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


@dataclass(frozen=True, slots=True)
class Provider:
    id: int
    name: str


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
    return [Provider(r.id, r.name) for r in rows]


async def any_provider(uow: UnitOfWork) -> bool:
    count = await uow.session.scalar(select(func.count()).select_from(StatusProviderRow))
    return bool(count)
