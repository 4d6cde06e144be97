"""How people sign in to the console: a password of their own (kept only as an Argon2
hash) or a one-time link, and the session epoch that ends every session at once.

A session names the person and the epoch it was opened in; it is honoured only while the
person is active, keeps the role it was opened with and the epoch has not moved (a new
password moves it; so does removal). Whoever is demoted or removed is signed out on their
next request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from knowledge.clock import Clock, as_utc
from knowledge.db.tables import AgencyRow, SigninLinkRow, StaffRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.problems import marked
from knowledge.staff import Actor, Role, one_active_staff

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

MIN_PASSWORD: Final = 10
LINK_TTL: Final = timedelta(hours=24)
_HASHER: Final = PasswordHasher()
# verified against when the name is unknown, so a wrong name costs what a wrong password does
_DUMMY_HASH: Final = _HASHER.hash("not a password of anybody's")


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a session is for: what the cookie keeps and every request checks."""

    staff_id: int
    role: Role
    epoch: int


def check_password_rules(password: str, name: str) -> None:
    """Long enough and not the person's own name: the rest is theirs to choose."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput.said(_("a password needs at least {count} characters"),
                                count=MIN_PASSWORD)
    if password.strip().lower() == name.strip().lower():
        raise InvalidInput.said(_("a password must not be the person's name"))


async def set_password(uow: UnitOfWork, name: str, password: str, actor: Actor) -> StaffRow:
    """Give a person a password (staged; an administrator's to do, or the person's own).
    Every session they have open ends."""
    row = await one_active_staff(uow, name)
    if actor.staff_id != row.id:
        actor.require_admin()
    check_password_rules(password, row.name)
    row.password_hash = _HASHER.hash(password)
    row.session_epoch = (row.session_epoch or 0) + 1
    return row


async def check_password(uow: UnitOfWork, name: str, password: str) -> SignedIn | None:
    """The person these credentials sign in, or None (unknown name, no password yet, wrong
    password, removed). Rehashes when Argon2's parameters have grown."""
    rows = list(await uow.session.scalars(
        select(StaffRow).where(StaffRow.name == name, StaffRow.active.is_(True))))
    row = rows[0] if len(rows) == 1 else None
    stored = row.password_hash if row is not None else None
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or stored is None:
        return None
    if _HASHER.check_needs_rehash(stored):
        row.password_hash = _HASHER.hash(password)
    return SignedIn(row.id, Role(row.role), row.session_epoch or 0)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_signin_link(uow: UnitOfWork, name: str, actor: Actor, clock: Clock) -> str:
    """A one-time sign-in token for a person (staged; the center's to issue): valid for a
    day, only its hash stored. The token goes into the link the caller prints."""
    actor.require_center()
    row = await one_active_staff(uow, name)
    if Role(row.role) == Role.ADMIN:
        actor.require_admin()
    token = secrets.token_urlsafe(32)
    now = clock.now()
    uow.session.add(SigninLinkRow(staff_id=row.id, token_hash=_digest(token), created_at=now,
                                  expires_at=now + LINK_TTL))
    return token


async def redeem_signin_link(uow: UnitOfWork, token: str, clock: Clock) -> SignedIn | None:
    """The person a link signs in, once (staged: the link is spent), or None when it is
    unknown, spent, expired or its person removed."""
    link = await uow.session.scalar(
        select(SigninLinkRow).where(SigninLinkRow.token_hash == _digest(token)))
    now = clock.now()
    if link is None or link.used_at is not None or as_utc(link.expires_at) <= now:
        return None
    link.used_at = now
    row = await uow.session.get(StaffRow, link.staff_id)
    if row is None or not row.active:
        return None
    return SignedIn(row.id, Role(row.role), row.session_epoch or 0)


async def session_actor(uow: UnitOfWork, session: SignedIn) -> Actor | None:
    """The actor a session still speaks for, or None when it has ended (removed, another
    role, a new password)."""
    row = await uow.session.get(StaffRow, session.staff_id)
    if (row is None or not row.active or row.role != session.role.value
            or (row.session_epoch or 0) != session.epoch):
        return None
    return Actor(row.name, Role(row.role), row.agency_id, row.id)


async def an_administrator_can_sign_in(uow: UnitOfWork) -> bool:
    """Whether some active administrator has a password: until then, the console's first
    start says how to make one."""
    count = await uow.session.scalar(
        select(func.count()).select_from(StaffRow).where(
            StaffRow.role == Role.ADMIN.value, StaffRow.active.is_(True),
            StaffRow.password_hash.is_not(None)))
    return bool(count)


@dataclass(frozen=True, slots=True)
class Person:
    """A person as the administrators' list shows them."""

    id: int
    name: str
    role: Role
    agency_code: str | None
    has_password: bool
    bound_to_telegram: bool
    full_name: str | None = None  # how documents name them (``ucc users edit``)
    position: str | None = None


async def people(uow: UnitOfWork, actor: Actor) -> list[Person]:
    """The active staff, with whether each can sign in with a password: an
    administrator's to read (``ucc users list``)."""
    actor.require_admin()
    rows = await uow.session.execute(
        select(StaffRow, AgencyRow.code).outerjoin(AgencyRow, AgencyRow.id == StaffRow.agency_id)
        .where(StaffRow.active.is_(True)).order_by(StaffRow.role, StaffRow.name))
    return [Person(row.id, row.name, Role(row.role), code, bool(row.password_hash),
                   row.telegram_user_id is not None, row.full_name, row.position)
            for row, code in rows]
