"""Citizens: one per channel address (a Telegram chat, a phone number), with their language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import CitizenRow
from knowledge.db.uow import UnitOfWork
from knowledge.model import Lang


@dataclass(frozen=True, slots=True)
class Citizen:
    id: int
    channel: str
    address: str
    lang: Lang | None
    unreachable: bool


def _citizen(row: CitizenRow) -> Citizen:
    lang: Lang | None = row.lang if row.lang in ("kk", "ru") else None  # type: ignore[assignment]
    return Citizen(row.id, row.channel, row.address, lang, row.unreachable)


async def citizen_for(uow: UnitOfWork, channel: str, address: str, clock: Clock) -> Citizen:
    """The citizen behind an address, registered on first contact (staged, not committed)."""
    row = await uow.session.scalar(
        select(CitizenRow).where(CitizenRow.channel == channel, CitizenRow.address == address)
    )
    if row is None:
        row = CitizenRow(channel=channel, address=address, created_at=clock.now())
        uow.session.add(row)
        await uow.session.flush()
    return _citizen(row)


async def set_language(uow: UnitOfWork, citizen_id: int, lang: Lang) -> None:
    row = await uow.session.get(CitizenRow, citizen_id)
    if row is not None:
        row.lang = lang


async def mark_unreachable(uow: UnitOfWork, channel: str, address: str) -> None:
    """The citizen blocked the bot (Telegram 403): stop trying until they write again."""
    row = await uow.session.scalar(
        select(CitizenRow).where(CitizenRow.channel == channel, CitizenRow.address == address)
    )
    if row is not None:
        row.unreachable = True


async def mark_reachable(uow: UnitOfWork, citizen_id: int) -> None:
    row = await uow.session.get(CitizenRow, citizen_id)
    if row is not None and row.unreachable:
        row.unreachable = False
