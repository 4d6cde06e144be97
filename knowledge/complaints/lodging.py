"""Lodging a complaint: the intake's draft kept between messages, then the registration.

The draft lives in its own table, one per citizen, with a time limit; it is deleted on
cancel, on expiry and when the complaint is registered, so nothing half-entered is ever
sent. Registration numbers the complaint, routes it to the agency of its service (or to
the operators' triage) with a request of its own number and a due date from the policy
table, names the operator responsible for it, and flags a repeat appeal. Channels call
``start_intake`` / ``continue_intake`` and render what they return; nothing here commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sqlalchemy import delete, func, select, update

from knowledge.asking import MatcherCache
from knowledge.calendar import KAZAKHSTAN, local_today
from knowledge.citizens import Citizen
from knowledge.clock import Clock, as_utc
from knowledge.complaints.categories import NATURE_BY_CODE
from knowledge.complaints.intake import (
    Draft,
    Finder,
    Outcome,
    Prompt,
    Reply,
    ServiceOption,
    Step,
    advance,
    begin,
)
from knowledge.complaints.model import (
    AppealRoute,
    ComplaintStatus,
    appeal_route,
    complaint_number,
    masked,
    request_number,
)
from knowledge.db.tables import (
    AgencyRow,
    ComplaintDraftRow,
    ComplaintEventRow,
    ComplaintRow,
    ConversationRow,
    ServiceRow,
    StaffRow,
)
from knowledge.db.uow import UnitOfWork
from knowledge.matching.matcher import Matcher
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.staff import Role

log = logging.getLogger(__name__)

DRAFT_TTL: Final = timedelta(hours=1)  # an intake left this long is dropped, unsent
NAME_IN_LOG: Final = "[ФИО / Т.А.Ә.]"  # what the conversation log keeps of the name
REGISTRAR: Final = "system:bot"


@dataclass(frozen=True, slots=True)
class Registered:
    number: str
    request_no: str
    agency_code: str | None  # None: the operators' triage assigns it
    agency_name: dict[str, str]
    route: AppealRoute
    repeat_of: str | None


@dataclass(frozen=True, slots=True)
class IntakeTurn:
    """What to tell the citizen: the next step, or that it was cancelled or registered."""

    lang: Lang
    prompt: Prompt | None = None
    draft: Draft | None = None
    cancelled: bool = False
    registered: Registered | None = None


def service_finder(matcher: Matcher) -> Finder:
    """The services the engine finds for a description, best first, each once."""

    def find(text: str, lang: Lang) -> list[ServiceOption]:
        answer = matcher.ask(text, lang, chosen_lang=lang)
        found: dict[str, ServiceOption] = {}
        for candidate in answer.candidates:
            entry = matcher.entries_by_key.get(candidate.entry)
            if entry is None or candidate.score < matcher.thresholds.clarify_min:
                continue
            service = entry.service
            name = service.name.get(lang) or next(iter(service.name.values()), "")
            found.setdefault(service.register_no, ServiceOption(service.register_no, name))
        return list(found.values())

    return find


async def active_draft(uow: UnitOfWork, citizen_id: int, clock: Clock) -> Draft | None:
    """The citizen's draft in progress; an expired one is deleted (staged) and None."""
    row = await uow.session.scalar(select(ComplaintDraftRow).where(
        ComplaintDraftRow.citizen_id == citizen_id))
    if row is None:
        return None
    if as_utc(row.expires_at) <= clock.now():
        await uow.session.delete(row)
        return None
    return Draft.from_data(row.data)


async def discard_draft(uow: UnitOfWork, citizen_id: int) -> None:
    await uow.session.execute(delete(ComplaintDraftRow).where(
        ComplaintDraftRow.citizen_id == citizen_id))


async def drop_expired_drafts(uow: UnitOfWork, clock: Clock) -> int:
    """The scheduler's sweep: drafts left past their time limit are deleted (staged)."""
    rows = (await uow.session.scalars(select(ComplaintDraftRow).where(
        ComplaintDraftRow.expires_at <= clock.now()))).all()
    for row in rows:
        await uow.session.delete(row)
    return len(rows)


async def _save(uow: UnitOfWork, citizen_id: int, draft: Draft, clock: Clock) -> None:
    now = clock.now()
    row = await uow.session.scalar(select(ComplaintDraftRow).where(
        ComplaintDraftRow.citizen_id == citizen_id))
    if row is None:
        uow.session.add(ComplaintDraftRow(citizen_id=citizen_id, data=draft.to_data(),
                                          started_at=now, expires_at=now + DRAFT_TTL))
    else:
        row.data, row.expires_at = draft.to_data(), now + DRAFT_TTL
    await uow.session.flush()


async def start_intake(
    uow: UnitOfWork, matchers: MatcherCache, citizen: Citizen, *, lang: Lang, clock: Clock,
    text: str | None = None,
) -> IntakeTurn:
    """A new complaint (a menu item, the SMS keyword, or a free text asking to complain):
    the first step (staged)."""
    outcome = begin(lang, service_finder(await matchers.get(uow)), text)
    assert outcome.draft is not None
    await _save(uow, citizen.id, outcome.draft, clock)
    return IntakeTurn(lang, outcome.prompt, outcome.draft)


async def continue_intake(
    uow: UnitOfWork, matchers: MatcherCache, citizen: Citizen, draft: Draft, reply: Reply, *,
    clock: Clock, deadlines: Deadlines,
) -> IntakeTurn:
    """The citizen's reply to the current step: the next step, the cancellation (the draft
    deleted), or the registered complaint (staged)."""
    outcome: Outcome = advance(draft, reply, service_finder(await matchers.get(uow)))
    if outcome.cancelled or outcome.draft is None:
        await discard_draft(uow, citizen.id)
        return IntakeTurn(draft.lang, cancelled=True)
    if draft.step == Step.APPLICANT and outcome.draft.applicant:
        await _mask_logged(uow, citizen.id, outcome.draft.applicant)
    if not outcome.done:
        await _save(uow, citizen.id, outcome.draft, clock)
        return IntakeTurn(draft.lang, outcome.prompt, outcome.draft)
    await discard_draft(uow, citizen.id)
    registered = await register(uow, citizen, outcome.draft, clock=clock, deadlines=deadlines)
    return IntakeTurn(draft.lang, draft=outcome.draft, registered=registered)


async def _mask_logged(uow: UnitOfWork, citizen_id: int, name: str) -> None:
    """The name the citizen typed stays out of the conversation log: its line (staged by
    the channel in this turn, or written earlier) keeps a placeholder."""
    await uow.flush_staged()
    await uow.session.execute(update(ConversationRow).where(
        ConversationRow.citizen_id == citizen_id, ConversationRow.direction == "in",
        func.trim(ConversationRow.text) == name.strip(),
    ).values(text=NAME_IN_LOG))


async def register(
    uow: UnitOfWork, citizen: Citizen, draft: Draft, *, clock: Clock, deadlines: Deadlines,
) -> Registered:
    """Number the complaint, forward it with a request, and date it (staged)."""
    assert draft.region and draft.nature and draft.content and draft.applicant
    now = clock.now()
    today = local_today(now)
    agency: AgencyRow | None = None
    if draft.register_no is not None:
        agency = await uow.session.scalar(select(AgencyRow).join(
            ServiceRow, ServiceRow.agency_id == AgencyRow.id).where(
            ServiceRow.register_no == draft.register_no))
    earlier = await _earlier(uow, citizen.id, draft.register_no, today, deadlines)
    row = ComplaintRow(
        citizen_id=citizen.id, channel=citizen.channel, lang=draft.lang,
        register_no=draft.register_no, service_name=draft.service_name, region=draft.region,
        nature=draft.nature, category=NATURE_BY_CODE[draft.nature].category,
        content=draft.content, applicant=draft.applicant, consent_at=now, created_at=now,
        registered_on=today, status=ComplaintStatus.OPEN,
        repeat_of=earlier.id if earlier is not None else None,
        handled_by=await _responsible_operator(uow),
    )
    uow.session.add(row)
    await uow.session.flush()
    local = now.astimezone(KAZAKHSTAN)  # the numbers carry the day in Astana
    row.number = complaint_number(row.id, local)
    row.request_no = request_number(row.id, local)
    uow.session.add(ComplaintEventRow(complaint_id=row.id, kind="registered", by=REGISTRAR,
                                      note=earlier.number if earlier else None, at=now))
    if agency is not None:
        forward(uow, row, agency.id, by=REGISTRAR, clock=clock, deadlines=deadlines)
    log.info("complaint %s registered (%s, applicant %s)%s", row.number,
             agency.code if agency else "triage", masked(draft.applicant),
             f", a repeat of {earlier.number}" if earlier else "")
    names = {"kk": agency.name_kk or agency.code, "ru": agency.name_ru or agency.code} \
        if agency is not None else {}
    return Registered(row.number, row.request_no, agency.code if agency else None, names,
                      appeal_route(today, deadlines.policy, deadlines.calendar),
                      earlier.number if earlier else None)


def forward(
    uow: UnitOfWork, row: ComplaintRow, agency_id: int, *, by: str, clock: Clock,
    deadlines: Deadlines,
) -> None:
    """The request to the agency: its queue, due by the center's policy (staged)."""
    today = local_today(clock.now())
    row.agency_id, row.forwarded_on = agency_id, today
    row.due_on = deadlines.policy.due("complaint_response", today, deadlines.calendar)
    uow.session.add(ComplaintEventRow(complaint_id=row.id, kind="forwarded", by=by,
                                      note=row.request_no, at=clock.now()))


async def _earlier(
    uow: UnitOfWork, citizen_id: int, register_no: str | None, today: date,
    deadlines: Deadlines,
) -> ComplaintRow | None:
    """The same citizen's latest complaint on the same service within the window."""
    if register_no is None:
        return None
    window = deadlines.policy.rule("complaint_repeat_window").value
    since = today - timedelta(days=window)
    row: ComplaintRow | None = await uow.session.scalar(
        select(ComplaintRow).where(ComplaintRow.citizen_id == citizen_id,
                                   ComplaintRow.register_no == register_no,
                                   ComplaintRow.registered_on >= since)
        .order_by(ComplaintRow.id.desc()).limit(1))
    return row


async def _responsible_operator(uow: UnitOfWork) -> str | None:
    """The active operator with the fewest open complaints (Annex 2, column 3, until an
    operator acts on the complaint). None when the center has no operator yet."""
    operators = (await uow.session.scalars(select(StaffRow.name).where(
        StaffRow.role == Role.OPERATOR, StaffRow.active.is_(True)).order_by(StaffRow.id)
    )).all()
    if not operators:
        return None
    load = dict((await uow.session.execute(
        select(ComplaintRow.handled_by, func.count()).where(
            ComplaintRow.status == ComplaintStatus.OPEN,
            ComplaintRow.handled_by.in_(operators)).group_by(ComplaintRow.handled_by)
    )).tuples().all())
    return min(operators, key=lambda name: load.get(name, 0))
