"""What an agency sends as its information: the filled template, or a knowledge pack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from knowledge.agencies import agency_by_code
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidPack
from knowledge.onboarding.cases import (
    Case,
    Deadlines,
    OnboardingError,
    cases,
    submit_information,
)
from knowledge.onboarding.documents import read_information
from knowledge.onboarding.maintenance import submit_update
from knowledge.pack.validate import parse_pack
from knowledge.problems import Problem
from knowledge.staff import Actor

ZIP_MAGIC: Final = b"PK"  # an .xlsx workbook is a zip archive
MAX_SUBMISSION_BYTES: Final = 20 * 1024 * 1024
WAITING_STEPS: Final = ("information_provided", "update_provided")


async def read_submission(uow: UnitOfWork, case: Case, data: bytes) -> dict[str, Any]:
    """The submission as a pack of the case's service; ``InvalidPack`` names every problem
    (``sheet!CELL`` in a template, the JSON path in a pack)."""
    if data.startswith(ZIP_MAGIC):
        agency = await agency_by_code(uow, case.agency_code)
        names = {"kk": agency.name_kk or "", "ru": agency.name_ru or ""} if agency else {}
        return read_information(data, register_no=case.register_no,
                                agency_code=case.agency_code, agency_name=names)
    return parse_pack(data)


@dataclass(frozen=True, slots=True)
class Filed:
    """What became of a file sent by an agency's person (``submit_file``).

    ``outcome``: ``unclear`` (no service chosen: ``waiting`` lists those waiting for
    information), ``too_large``, ``refused`` (``problems``), ``not_waiting`` (the case
    moved on meanwhile, or the service is live), ``update`` (kept for review) or ``draft``
    (``entries`` questions and answers stored; training due ``due_on``).
    """

    outcome: str
    register_no: str = ""
    waiting: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    entries: int = 0
    due_on: date | None = None


async def submit_file(
    uow: UnitOfWork, caption: str, data: bytes, *, size: int, on: date, actor: Actor,
    clock: Clock, deadlines: Deadlines,
) -> Filed:
    """The responsible person's filled template (or pack) for the service named by the
    ``caption``, or for the only one waiting: an update kept for review, or the service's
    draft (staged). ``size``: the file's, checked before ``data`` is read."""
    waiting = [c for c in await cases(uow, actor) if c.step in WAITING_STEPS]
    chosen = [c for c in waiting if c.register_no == caption] or (
        waiting if len(waiting) == 1 else [])
    if not chosen:
        return Filed("unclear", waiting=tuple(c.register_no for c in waiting))
    [case] = chosen
    if size > MAX_SUBMISSION_BYTES:
        return Filed("too_large", case.register_no)
    try:
        pack = await read_submission(uow, case, data)
        if case.kind == "update":
            case = await submit_update(uow, case.register_no, pack, on=on, actor=actor,
                                       clock=clock)
            return Filed("update", case.register_no)
        case, report = await submit_information(uow, case.register_no, pack, on=on,
                                                actor=actor, clock=clock, deadlines=deadlines)
    except InvalidPack as refused:
        return Filed("refused", case.register_no, problems=tuple(refused.problems))
    except OnboardingError:
        return Filed("not_waiting", case.register_no)
    return Filed("draft", case.register_no, entries=report.entries_added + report.entries_updated,
                 due_on=case.due_on)
