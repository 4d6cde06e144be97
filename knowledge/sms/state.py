"""The SMS state of a phone number: opt-out, the numbered options offered, quota notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from sqlalchemy import select

from knowledge.db.tables import CitizenRow, SmsNumberRow
from knowledge.db.uow import UnitOfWork

CHANNEL: Final = "sms"

ItemKind = Literal["entry", "section", "person", "more"]


@dataclass(frozen=True, slots=True)
class MenuItem:
    """One numbered option of a reply: an entry to answer, a section of the service card,
    passing the question to a person, or the rest of a text too long for one SMS."""

    kind: ItemKind
    ref: str = ""  # the entry's key, the card section's name, the rest of the text


@dataclass(frozen=True, slots=True)
class Menu:
    items: tuple[MenuItem, ...]
    service_id: int | None = None  # whose card the sections are of
    question: str | None = None  # what "a person" is asked


async def number_state(uow: UnitOfWork, citizen_id: int) -> SmsNumberRow:
    """The number's row, made on first use (staged with the turn)."""
    row = await uow.session.get(SmsNumberRow, citizen_id)
    if row is None:
        row = SmsNumberRow(citizen_id=citizen_id, opted_out=False)
        uow.session.add(row)
    return row


async def is_opted_out(uow: UnitOfWork, citizen_id: int) -> bool:
    row = await uow.session.get(SmsNumberRow, citizen_id)
    return row is not None and row.opted_out


async def opted_out_addresses(uow: UnitOfWork, addresses: set[str]) -> set[str]:
    """Which of these numbers opted out (nothing may be sent to them)."""
    if not addresses:
        return set()
    rows = await uow.session.scalars(
        select(CitizenRow.address).join(SmsNumberRow, SmsNumberRow.citizen_id == CitizenRow.id)
        .where(CitizenRow.channel == CHANNEL, CitizenRow.address.in_(addresses),
               SmsNumberRow.opted_out.is_(True)))
    return set(rows)


def save_menu(row: SmsNumberRow, menu: Menu | None, lang: str, now: datetime) -> None:
    if menu is None or not menu.items:
        row.menu, row.menu_lang, row.menu_at = None, None, None
        return
    row.menu = {"service": menu.service_id, "question": menu.question,
                "items": [[item.kind, item.ref] for item in menu.items]}
    row.menu_lang, row.menu_at = lang, now


def save_continuation(row: SmsNumberRow, rest: str, lang: str, now: datetime) -> None:
    """The rest of a text sent in part: "1" brings it (nothing left: no option)."""
    save_menu(row, Menu((MenuItem("more", rest),)) if rest else None, lang, now)


def current_menu(row: SmsNumberRow, now: datetime, window: timedelta) -> Menu | None:
    """The options of the last reply while the conversation's window is open. The rest of
    an agency's answer does not expire: it came when the agency answered, not while the
    citizen was writing, and stays until their next message."""
    if row.menu is None or row.menu_at is None:
        return None
    items = tuple(MenuItem(kind, ref) for kind, ref in row.menu.get("items", []))
    continuation = bool(items) and all(item.kind == "more" for item in items)
    if not continuation and now - _aware(row.menu_at, now) > window:
        return None
    return Menu(items, row.menu.get("service"), row.menu.get("question"))


def _aware(at: datetime, now: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were stored in the clock's zone (UTC)."""
    return at.replace(tzinfo=now.tzinfo) if at.tzinfo is None else at


def noticed_since(row: SmsNumberRow, since: datetime, now: datetime) -> bool:
    return row.quota_notice_at is not None and _aware(row.quota_notice_at, now) >= since
