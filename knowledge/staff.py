"""Who works the system, and what each role may do.

Operators and administrators belong to the center; agency staff (the responsible persons)
are bound to one agency and see only its cases and services.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import AgencyRow, StaffRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput, KnowledgeError
from knowledge.problems import marked

log = logging.getLogger(__name__)

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)


class Role(StrEnum):
    OPERATOR = "operator"
    ADMIN = "admin"
    AGENCY = "agency"


class AccessDenied(InvalidInput):
    """The person's role does not allow this; every refusal is logged (who, what)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        log.warning("access refused: %s", message)


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind a command or a button: checked by every use case."""

    name: str
    role: Role
    agency_id: int | None = None
    staff_id: int | None = None

    @property
    def of_center(self) -> bool:
        return self.role in (Role.OPERATOR, Role.ADMIN)

    def may_see_agency(self, agency_id: int) -> bool:
        return self.of_center or self.agency_id == agency_id

    def require_center(self) -> None:
        if not self.of_center:
            raise AccessDenied.said(_("{name}: only the contact center's staff may do this"),
                                    name=self.name)

    def require_admin(self) -> None:
        if self.role != Role.ADMIN:
            raise AccessDenied.said(_("{name}: only an administrator may do this"),
                                    name=self.name)

    def require_agency(self, agency_id: int) -> None:
        if not self.may_see_agency(agency_id):
            raise AccessDenied.said(_("{name}: this belongs to another agency"), name=self.name)


SYSTEM = Actor("system", Role.ADMIN)  # the scheduler and the command line's operator


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    name: str
    role: Role
    agency_code: str | None
    position: str | None
    phone: str | None
    email: str | None
    telegram_user_id: int | None
    invite_code: str | None
    active: bool = True
    full_name: str | None = None

    @property
    def signatory(self) -> Signatory | None:
        """How documents name them; None until their full name is registered."""
        if not self.full_name:
            return None
        return Signatory(self.full_name, self.position or "")


@dataclass(frozen=True, slots=True)
class Signatory:
    """A person as a document names them: full name and position, never a login."""

    full_name: str
    position: str

    def __str__(self) -> str:
        return f"{self.full_name}, {self.position}" if self.position else self.full_name


async def add_staff(
    uow: UnitOfWork,
    name: str,
    role: Role,
    clock: Clock,
    *,
    agency_code: str | None = None,
    position: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    telegram_user_id: int | None = None,
    invite: bool = False,
    full_name: str | None = None,
) -> StaffMember:
    """Add a person (staged). Agency staff need their agency; center staff have none.
    With ``invite`` a one-time code is issued that binds a Telegram account to the role."""
    agency: AgencyRow | None = None
    if role == Role.AGENCY:
        if agency_code is None:
            raise KnowledgeError("agency staff need --agency").saying(
                _("agency staff need their agency"))
        agency = await uow.session.scalar(select(AgencyRow).where(AgencyRow.code == agency_code))
        if agency is None:
            raise KnowledgeError.said(_("no agency with code {code}"), code=repr(agency_code))
    elif agency_code is not None:
        raise KnowledgeError.said(_("operators and administrators belong to no agency"))
    row = StaffRow(
        name=name, full_name=_given(full_name), role=role,
        agency_id=agency.id if agency else None, position=_given(position),
        phone=phone, email=email, telegram_user_id=telegram_user_id,
        invite_code=secrets.token_urlsafe(12) if invite else None, active=True,
        created_at=clock.now(),
    )
    uow.session.add(row)
    await uow.session.flush()
    return _member(row, agency.code if agency else None)


async def bind_telegram(uow: UnitOfWork, invite_code: str, telegram_user_id: int) -> StaffMember:
    """Redeem a one-time invite: the Telegram account now acts in the person's role."""
    row = await uow.session.scalar(select(StaffRow).where(StaffRow.invite_code == invite_code))
    if row is None or not row.active:
        raise AccessDenied.said(_("this invitation is not valid (used already, or withdrawn)"))
    previous = await uow.session.scalar(
        select(StaffRow).where(StaffRow.telegram_user_id == telegram_user_id))
    if previous is not None and previous.id != row.id:
        previous.telegram_user_id = None
    row.telegram_user_id = telegram_user_id
    row.invite_code = None
    return await _member_of(uow, row)


async def _active_by_telegram(uow: UnitOfWork, telegram_user_id: int) -> StaffRow | None:
    row: StaffRow | None = await uow.session.scalar(
        select(StaffRow).where(StaffRow.telegram_user_id == telegram_user_id,
                               StaffRow.active.is_(True)))
    return row


async def staff_by_telegram(uow: UnitOfWork, telegram_user_id: int) -> StaffMember | None:
    row = await _active_by_telegram(uow, telegram_user_id)
    return None if row is None else await _member_of(uow, row)


async def actor_for_telegram(uow: UnitOfWork, telegram_user_id: int) -> Actor | None:
    """The role behind a Telegram account; None for a citizen."""
    row = await _active_by_telegram(uow, telegram_user_id)
    return None if row is None else Actor(row.name, Role(row.role), row.agency_id, row.id)


async def telegram_staff(uow: UnitOfWork, telegram_user_ids: Collection[int]) -> set[int]:
    """Which of these Telegram accounts belong to active staff."""
    if not telegram_user_ids:
        return set()
    found = await uow.session.scalars(select(StaffRow.telegram_user_id).where(
        StaffRow.telegram_user_id.in_(telegram_user_ids), StaffRow.active.is_(True)))
    return {user_id for user_id in found if user_id is not None}


async def bound_telegram_accounts(uow: UnitOfWork) -> list[int]:
    """The Telegram accounts of active staff (their chats get the staff's menu)."""
    found = await uow.session.scalars(select(StaffRow.telegram_user_id).where(
        StaffRow.telegram_user_id.is_not(None), StaffRow.active.is_(True))
        .order_by(StaffRow.id))
    return [user_id for user_id in found if user_id is not None]


async def _active_named(uow: UnitOfWork, name: str) -> StaffRow:
    row: StaffRow | None = await uow.session.scalar(
        select(StaffRow).where(StaffRow.name == name, StaffRow.active.is_(True)))
    if row is None:
        raise InvalidInput.said(_("no active user named {name} (ucc users list)"),
                                name=repr(name))
    return row


async def active_staff_named(uow: UnitOfWork, name: str) -> Actor:
    """The role of an active registered person, by name (the command line's ``--as``)."""
    row = await _active_named(uow, name)
    return Actor(row.name, Role(row.role), row.agency_id, row.id)


async def list_staff(uow: UnitOfWork, actor: Actor) -> list[StaffMember]:
    """Everyone, with their contacts and invitations: the center's to read."""
    actor.require_center()
    rows = await uow.session.scalars(select(StaffRow).order_by(StaffRow.id))
    return [await _member_of(uow, row) for row in rows]


async def remove_staff(uow: UnitOfWork, name: str, actor: Actor) -> StaffMember:
    """A person leaves (staged; an administrator's to do): their Telegram account and their
    invitation no longer give a role. The role is looked up on every update and every
    ``--as``, so it is gone from their next one. The person as they were is returned."""
    actor.require_admin()
    row = await one_active_staff(uow, name)
    member = await _member_of(uow, row)
    await deactivate(uow, row.id)
    log.info("staff #%s removed by %s", row.id, actor.name)
    return member


async def edit_staff(
    uow: UnitOfWork, name: str, actor: Actor, *, full_name: str | None = None,
    position: str | None = None,
) -> StaffMember:
    """Change how documents name a person (staged; an administrator's to do): their full
    name, their position, or both."""
    actor.require_admin()
    if _given(full_name) is None and _given(position) is None:
        raise InvalidInput("nothing to change: give --full-name or --position").saying(
            _("nothing to change: give a full name or a position"))
    row = await one_active_staff(uow, name)
    if _given(full_name) is not None:
        row.full_name = _given(full_name)
    if _given(position) is not None:
        row.position = _given(position)
    log.info("staff #%s edited by %s", row.id, actor.name)
    return await _member_of(uow, row)


async def signatory_of(uow: UnitOfWork, actor: Actor) -> Signatory | None:
    """How documents name the person behind ``actor`` (by their record, else by their
    name when one active person has it); None when nobody registered has a full name."""
    row: StaffRow | None = None
    if actor.staff_id is not None:
        row = await uow.session.get(StaffRow, actor.staff_id)
    else:
        rows = (await uow.session.scalars(select(StaffRow).where(
            StaffRow.name == actor.name, StaffRow.active.is_(True)))).all()
        row = rows[0] if len(rows) == 1 else None
    return None if row is None else _member(row, None).signatory


def _given(text: str | None) -> str | None:
    """A text with its spaces collapsed; None when there is none."""
    cleaned = " ".join((text or "").split())
    return cleaned or None


async def one_active_staff(uow: UnitOfWork, name: str) -> StaffRow:
    """The active person by name, or by number (``#7``) where two share a name: removing
    the wrong one of them must not happen by chance."""
    if name.startswith("#") and name[1:].isdigit():
        row = await uow.session.get(StaffRow, int(name[1:]))
        if row is None or not row.active:
            raise InvalidInput.said(_("no active user {name} (ucc users list)"), name=name)
        return row
    rows = list(await uow.session.scalars(
        select(StaffRow).where(StaffRow.name == name, StaffRow.active.is_(True))))
    if not rows:
        raise InvalidInput.said(_("no active user named {name} (ucc users list)"),
                                name=repr(name))
    if len(rows) > 1:
        numbers = ", ".join(f"#{row.id}" for row in rows)
        raise InvalidInput.said(_("{count} active users are named {name} ({numbers}): give "
                                  "the number instead"), count=len(rows), name=repr(name),
                                numbers=numbers)
    return rows[0]


async def deactivate(uow: UnitOfWork, staff_id: int) -> None:
    """A responsible person replaced: their account no longer acts for the agency."""
    row = await uow.session.get(StaffRow, staff_id)
    if row is not None:
        row.active = False
        row.invite_code = None
        row.telegram_user_id = None
        row.session_epoch = (row.session_epoch or 0) + 1  # their console sessions end


async def _member_of(uow: UnitOfWork, row: StaffRow) -> StaffMember:
    code = None
    if row.agency_id is not None:
        agency = await uow.session.get(AgencyRow, row.agency_id)
        code = agency.code if agency else None
    return _member(row, code)


def _member(row: StaffRow, agency_code: str | None) -> StaffMember:
    return StaffMember(row.id, row.name, Role(row.role), agency_code, row.position, row.phone,
                       row.email, row.telegram_user_id, row.invite_code, row.active,
                       row.full_name)
