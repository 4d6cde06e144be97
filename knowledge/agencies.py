"""The agency registry: the bodies that provide services, with their official contact."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select

from knowledge.db.tables import AgencyRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.staff import Actor

CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
AgencyNames = Mapping[str, tuple[str | None, str | None]]  # code -> (Kazakh, Russian)


class AgencyKind(StrEnum):
    """Who the Rules bind (002 p.2): p.4-7 and p.11-12 name central state bodies and local
    executive bodies; "other service providers" (a joint-stock company, the State
    Corporation) take part without those duties. What each kind is held to is in the
    policy table (``refusal_binds_<kind>``)."""

    CENTRAL = "central"  # a central state body
    LOCAL = "local"  # a local executive body (akimat)
    PROVIDER = "provider"  # another service provider, not a state body (002 p.2(7))


@dataclass(frozen=True, slots=True)
class Agency:
    id: int
    code: str
    name_kk: str | None
    name_ru: str | None
    kind: str | None
    email: str | None
    region: str | None


class AgencyError(InvalidInput):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _check(code: str | None, kind: str | None, email: str | None) -> list[str]:
    problems = []
    if code is not None and not CODE.match(code):
        problems.append(f"code {code!r}: lower-case letters, digits and . _ - only")
    if kind is not None and kind not in AgencyKind.__members__.values():
        problems.append(f"kind {kind!r}: one of {', '.join(k.value for k in AgencyKind)}")
    if email is not None and not EMAIL.match(email):
        problems.append(f"email {email!r} is not an e-mail address")
    return problems


async def add_agency(
    uow: UnitOfWork, code: str, *, name_kk: str, name_ru: str, kind: str,
    email: str | None = None, region: str | None = None,
) -> Agency:
    """Register an agency (staged); its names are needed in both languages."""
    problems = _check(code, kind, email)
    if not name_kk.strip() or not name_ru.strip():
        problems.append("an agency needs its name in Kazakh and in Russian")
    if await uow.session.scalar(select(AgencyRow).where(AgencyRow.code == code)):
        problems.append(f"agency {code!r} exists already (use 'ucc agency edit')")
    if problems:
        raise AgencyError(problems)
    position = (await uow.session.scalar(select(func.max(AgencyRow.position))) or 0) + 1
    row = AgencyRow(code=code, name_kk=name_kk, name_ru=name_ru, kind=kind, email=email,
                    region=region, position=position)
    uow.session.add(row)
    await uow.session.flush()
    return _agency(row)


async def edit_agency(
    uow: UnitOfWork, code: str, *, name_kk: str | None = None, name_ru: str | None = None,
    kind: str | None = None, email: str | None = None, region: str | None = None,
) -> Agency:
    row = await uow.session.scalar(select(AgencyRow).where(AgencyRow.code == code))
    problems = _check(None, kind, email)
    if row is None:
        problems.append(f"no agency with code {code!r}")
    if problems:
        raise AgencyError(problems)
    assert row is not None
    for field, value in (("name_kk", name_kk), ("name_ru", name_ru), ("kind", kind),
                         ("email", email), ("region", region)):
        if value is not None:
            setattr(row, field, value)
    return _agency(row)


async def agency_by_code(uow: UnitOfWork, code: str) -> Agency | None:
    row = await uow.session.scalar(select(AgencyRow).where(AgencyRow.code == code))
    return None if row is None else _agency(row)


async def agency_names(uow: UnitOfWork) -> dict[str, tuple[str | None, str | None]]:
    """Every agency's names, Kazakh and Russian, by code: what staff read instead of codes."""
    rows = await uow.session.execute(select(AgencyRow.code, AgencyRow.name_kk,
                                            AgencyRow.name_ru))
    return {code: (kk, ru) for code, kk, ru in rows}


async def list_agencies(uow: UnitOfWork, actor: Actor) -> list[Agency]:
    """The registry as the actor may read it: the center every agency, an agency's staff
    their own."""
    query = select(AgencyRow).order_by(AgencyRow.position)
    if not actor.of_center:
        query = query.where(AgencyRow.id == actor.agency_id)
    return [_agency(row) for row in await uow.session.scalars(query)]


def _agency(row: AgencyRow) -> Agency:
    return Agency(row.id, row.code, row.name_kk, row.name_ru, row.kind, row.email, row.region)
