"""Citizens: one per channel address (a Telegram chat, a phone number), with their language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.inserts import insert_ignoring_duplicates
from knowledge.db.tables import CITIZENS, CitizenRow
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


def _known(uow: UnitOfWork) -> dict[tuple[str, str], CitizenRow]:
    known: dict[tuple[str, str], CitizenRow] = uow.memo.setdefault("citizens", {})
    return known


async def citizen_for(uow: UnitOfWork, channel: str, address: str, clock: Clock) -> Citizen:
    """The citizen behind an address, registered on first contact (staged, not committed)."""
    row = _known(uow).get((channel, address))
    if row is None:
        await prefetch(uow, channel, [address], clock)
        row = _known(uow)[(channel, address)]
    return _citizen(row)


async def prefetch(uow: UnitOfWork, channel: str, addresses: list[str], clock: Clock) -> None:
    """Load, or register, the citizens behind many addresses at once (two statements for a
    whole batch of updates); ``citizen_for`` then finds them without asking the database."""
    known = _known(uow)
    wanted = {a for a in addresses if (channel, a) not in known}
    if not wanted:
        return
    rows = await uow.session.scalars(
        select(CitizenRow).where(CitizenRow.channel == channel, CitizenRow.address.in_(wanted))
    )
    for row in rows:
        known[(channel, row.address)] = row
    new = [
        {"channel": channel, "address": address, "lang": None, "unreachable": False,
         "created_at": clock.now()}
        for address in sorted(wanted) if (channel, address) not in known
    ]
    if new:  # one statement for all, then read them back with their ids
        # another instance may register the same citizen at this moment: theirs is kept
        await uow.session.execute(
            insert_ignoring_duplicates(uow, CITIZENS, ("channel", "address")), new)
        rows = await uow.session.scalars(select(CitizenRow).where(
            CitizenRow.channel == channel,
            CitizenRow.address.in_([row["address"] for row in new])))
        for row in rows:
            known[(channel, row.address)] = row


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
