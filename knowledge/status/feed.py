"""Stage updates from service providers (a CSV file, or the HTTP endpoint's JSON).

A batch is checked whole — every problem named by its row and column (or JSON path) —
and applied in one transaction, or refused with nothing changed. An update older than
what is stored is ignored, and the same data applied twice changes nothing. The IIN is
hashed on arrival; no problem text, repr or log line ever carries it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import select

from knowledge.calendar import KAZAKHSTAN
from knowledge.clock import Clock, as_utc
from knowledge.db.tables import ApplicationRow, CitizenRow, StatusProviderRow, StatusWatcherRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidFeed
from knowledge.iin import IinHash, hash_iin, is_valid_iin, matches, normalise
from knowledge.status.providers import Provider
from knowledge.status.stages import Stage, Stages

NUMBER: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}")
COLUMNS: Final = ("application_no", "provider", "stage", "iin", "updated_at")
REQUIRED_COLUMNS: Final = ("application_no", "provider", "stage", "iin")


def normalise_number(text: str) -> str:
    return text.strip().upper()


@dataclass(frozen=True, slots=True)
class StageUpdate:
    where: str  # "row 3" or "[0]": how problems name it
    number: str
    provider: str
    stage: str
    updated_at: datetime | None
    iin: str | None = field(default=None, repr=False)  # in memory only, hashed on arrival


@dataclass(frozen=True, slots=True)
class StageNotice:
    """Tell this citizen that an application they asked about is now at ``stage``."""

    citizen_id: int
    channel: str
    address: str
    lang: str
    number: str
    stage: Stage


@dataclass(frozen=True, slots=True)
class FeedBatch:
    """Updates as read, with the problems found in them (checked against the base later)."""

    updates: list[StageUpdate]
    problems: list[str]


@dataclass(slots=True)
class FeedResult:
    added: int = 0
    changed: int = 0  # stage changed
    unchanged: int = 0  # the same data, or only the time or IIN corrected
    stale: int = 0  # older than what was stored: ignored
    notices: list[StageNotice] = field(default_factory=list)


def _timestamp(text: str) -> datetime:
    """ISO 8601 in UTC; a date is its midnight, a time without offset Astana's (UTC+5)."""
    if len(text) == 10:
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=KAZAKHSTAN).astimezone(UTC)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KAZAKHSTAN)
    return moment.astimezone(UTC)  # stored in UTC (SQLite keeps no offset)


def _field(
    raw: dict[str, Any], stages: Stages, name: Callable[[str], str]
) -> tuple[dict[str, Any], list[str]]:
    """The fields of one update checked; problems named by ``name(column)``."""
    problems: list[str] = []
    values = {
        "number": _number(raw, name, problems),
        "stage": _stage(raw, stages, name, problems),
        "iin": _iin(raw, name, problems),
        "updated_at": _updated_at(raw, name, problems),
    }
    return values, problems


def _text(raw: dict[str, Any], column: str, name: Callable[[str], str],
          problems: list[str]) -> str:
    value = raw.get(column)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{name(column)}: expected a string")
        return ""
    return value.strip()


def _number(raw: dict[str, Any], name: Callable[[str], str], problems: list[str]) -> str:
    number = _text(raw, "application_no", name, problems)
    if not number:
        problems.append(f"{name('application_no')}: missing")
    elif not NUMBER.fullmatch(number):
        problems.append(f"{name('application_no')}: {number[:70]!r} is not an application "
                        "number (letters, digits and / _ . -, at most 64)")
    return normalise_number(number)


def _stage(
    raw: dict[str, Any], stages: Stages, name: Callable[[str], str], problems: list[str]
) -> str:
    stage = _text(raw, "stage", name, problems)
    if not stage:
        problems.append(f"{name('stage')}: missing")
    elif stage not in stages:
        problems.append(f"{name('stage')}: unknown stage {stage[:40]!r} "
                        f"(known: {', '.join(stages)})")
    return stage


def _iin(raw: dict[str, Any], name: Callable[[str], str], problems: list[str]) -> str | None:
    iin = normalise(_text(raw, "iin", name, problems))
    if iin and not is_valid_iin(iin):
        # Never the value itself: a mistyped IIN is still someone's personal data.
        problems.append(f"{name('iin')}: not a valid IIN (12 digits with the control digit)")
    return iin or None


def _updated_at(
    raw: dict[str, Any], name: Callable[[str], str], problems: list[str]
) -> datetime | None:
    when = _text(raw, "updated_at", name, problems)
    if not when:
        return None
    try:
        return _timestamp(when)
    except ValueError:
        problems.append(f"{name('updated_at')}: {when[:40]!r} is not an ISO 8601 date "
                        "or time (2026-12-01T10:30:00+05:00)")
        return None


def parse_csv(data: bytes, stages: Stages) -> FeedBatch:
    """A CSV file (UTF-8, a header row naming the columns) as updates; ``InvalidFeed``
    when it cannot be read at all."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidFeed([f"byte {exc.start}: not UTF-8"]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidFeed([f"row 1: missing column(s) {', '.join(missing)} "
                           f"(expected {','.join(COLUMNS)})"])
    updates, problems = [], []
    for row in reader:
        where = f"row {reader.line_num}"
        if None in row:
            problems.append(f"{where}: more cells than columns")
        values, found = _field(row, stages, _csv_name(where))
        problems += found
        updates.append(StageUpdate(where, values["number"], (row.get("provider") or "").strip(),
                                   values["stage"], values["updated_at"], values["iin"]))
        if not updates[-1].provider:
            problems.append(f"{where}, column provider: missing")
    if not updates and not problems:
        problems.append("row 2: no updates in the file")
    _no_duplicates(updates, problems)
    return FeedBatch(updates, problems)


def parse_json(doc: object, provider: Provider, stages: Stages) -> FeedBatch:
    """One update (an object) or a list of them from a provider."""
    items = doc if isinstance(doc, list) else [doc]
    listed = isinstance(doc, list)
    updates, problems = [], []
    if not items:
        problems.append("$: an empty list")
    for n, item in enumerate(items):
        where = f"[{n}]" if isinstance(doc, list) else "$"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object with application_no, stage, iin")
            continue
        named = item.get("provider")
        if named is not None and named != provider.name:
            problems.append(f"{_json_name(listed, n)('provider')}: the token is "
                            f"{provider.name!r}'s")
        values, found = _field(item, stages, _json_name(listed, n))
        problems += found
        updates.append(StageUpdate(where, values["number"], provider.name, values["stage"],
                                   values["updated_at"], values["iin"]))
    _no_duplicates(updates, problems)
    return FeedBatch(updates, problems)


def _csv_name(where: str) -> Callable[[str], str]:
    return lambda column: f"{where}, column {column}"


def _json_name(listed: bool, n: int) -> Callable[[str], str]:
    return (lambda column: f"[{n}].{column}") if listed else (lambda column: column)


def _no_duplicates(updates: list[StageUpdate], problems: list[str]) -> None:
    first: dict[str, str] = {}
    for update in updates:
        if update.number and update.number in first:
            problems.append(f"{_path(update, 'application_no')}: the same application as "
                            f"{first[update.number]}")
        first.setdefault(update.number, update.where)


async def apply_updates(
    uow: UnitOfWork, batch: FeedBatch, stages: Stages, clock: Clock
) -> FeedResult:
    """Check the updates against the base too (providers, ownership, an IIN for each new
    application) and stage them (not committed); ``InvalidFeed`` with every problem of
    the batch and nothing staged. The result lists whom to tell of each changed stage."""
    updates = batch.updates
    names = {u.provider for u in updates}
    provider_ids = {row.name: row.id for row in await uow.session.scalars(
        select(StatusProviderRow).where(StatusProviderRow.name.in_(names)))}
    existing = {row.number: row for row in await uow.session.scalars(
        select(ApplicationRow).where(ApplicationRow.number.in_([u.number for u in updates])))}
    problems = list(batch.problems)
    forbidden = _check_against_base(updates, provider_ids, existing, problems)
    if problems:
        raise InvalidFeed(problems, forbidden=forbidden)

    now = clock.now()
    result = FeedResult()
    changed: dict[str, Stage] = {}
    for update in updates:
        row = existing.get(update.number)
        when = update.updated_at or now
        if row is None:
            assert update.iin is not None
            hashed = await asyncio.to_thread(hash_iin, update.iin)
            uow.session.add(ApplicationRow(
                number=update.number, provider_id=provider_ids[update.provider],
                stage=update.stage, iin_salt=hashed.salt, iin_hash=hashed.digest,
                updated_at=when, changed_at=now))
            result.added += 1
        elif when < as_utc(row.updated_at):
            result.stale += 1
        elif await _update_application(row, update, when, now):
            changed[row.number] = stages[update.stage]
            result.changed += 1
        else:
            result.unchanged += 1
    result.notices = await _notices(uow, changed)
    return result


def _check_against_base(
    updates: list[StageUpdate], provider_ids: dict[str, int],
    existing: dict[str, ApplicationRow], problems: list[str],
) -> bool:
    """Add the updates' problems with the base; True when one is another provider's."""
    forbidden = False
    for update in updates:
        provider_id = provider_ids.get(update.provider)
        if update.provider and provider_id is None:
            problems.append(f"{_path(update, 'provider')}: unknown provider "
                            f"{update.provider!r} (ucc status provider add)")
        if not update.number or provider_id is None:
            continue
        row = existing.get(update.number)
        if row is not None and row.provider_id != provider_id:
            forbidden = True
            problems.append(f"{_path(update, 'application_no')}: "
                            "the application belongs to another provider")
        if row is None and update.iin is None:
            problems.append(f"{_path(update, 'iin')}: required for a new application")
    return forbidden


async def _update_application(
    row: ApplicationRow, update: StageUpdate, when: datetime, now: datetime
) -> bool:
    """A newer update of a stored application (a corrected IIN rehashed); True when its
    stage changed."""
    if update.iin is not None and not await asyncio.to_thread(
            matches, update.iin, IinHash(row.iin_salt, row.iin_hash)):
        hashed = await asyncio.to_thread(hash_iin, update.iin)
        row.iin_salt, row.iin_hash = hashed.salt, hashed.digest
    if when != as_utc(row.updated_at):
        row.updated_at = when
    if row.stage == update.stage:
        return False
    row.stage, row.changed_at = update.stage, now
    return True


def _path(update: StageUpdate, column: str) -> str:
    if update.where.startswith("row "):
        return f"{update.where}, column {column}"
    return f"{update.where}.{column}" if update.where != "$" else column


async def _notices(uow: UnitOfWork, changed: dict[str, Stage]) -> list[StageNotice]:
    if not changed:
        return []
    rows = await uow.session.execute(
        select(StatusWatcherRow, CitizenRow)
        .join(CitizenRow, CitizenRow.id == StatusWatcherRow.citizen_id)
        .where(StatusWatcherRow.application_no.in_(changed))
        .order_by(StatusWatcherRow.id))
    return [StageNotice(citizen.id, citizen.channel, citizen.address, watcher.lang,
                        watcher.application_no, changed[watcher.application_no])
            for watcher, citizen in rows]
