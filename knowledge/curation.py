"""Curation: the base learns from what citizens really ask.

Every agency answer lands in the operators' curation list; the unanswered-question log is
grouped by similar wording, most frequent first. From either an operator proposes a change:
a new entry of the service (both languages, the citizen's wording as its question), or the
citizen's wording as a question variant of an existing entry. An entry's texts are edited
the same way (``propose_edit``: an operator, or the agency's own staff for its services),
the entry as it was kept beside the edit. A proposal goes live only when it is approved,
by another person of the center, in a second step; then the base's revision moves so every
matcher rebuilds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import (
    CurationItemRow,
    EntryRow,
    EscalationRow,
    KbProposalRow,
    ServiceRow,
    UnansweredRow,
)
from knowledge.db.uow import UnitOfWork
from knowledge.errors import AlreadyDone, InvalidInput, state
from knowledge.escalations.routing import GROUP_SIMILARITY, normalise, similar
from knowledge.matching.matcher import OUT_OF_SCOPE
from knowledge.model import LANGS
from knowledge.problems import marked
from knowledge.staff import Actor, Role
from knowledge.textdiff import Piece, word_diff

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

ENTRY_KEY: Final = r"^[a-z0-9._-]+$"
UNANSWERED_SCAN: Final = 2000  # the latest unanswered questions grouped
NEW_ENTRY: Final = "new_entry"
VARIANT: Final = "variant"
EDIT: Final = "edit"


class CurationError(InvalidInput):
    """A proposal that cannot be made or reviewed as asked."""


class ReviewedAlready(CurationError, AlreadyDone):
    """The proposal was given this review already (a button pressed twice)."""


class OwnProposal(CurationError):
    """An operator reviewing their own proposal: another person reviews it."""


class EditRefused(CurationError):
    """An edit that cannot be proposed; ``reasons``: (what, language or None) — what is
    ``together`` (questions without an answer or the reverse), ``removed`` (a language the
    entry has, left empty), ``empty`` (no language at all), ``waiting`` (another edit of
    the entry waits for review)."""

    def __init__(self, message: str, reasons: tuple[tuple[str, str | None], ...]) -> None:
        super().__init__(message)
        self.reasons = reasons


class NothingChanged(CurationError):
    """An edit that leaves the entry as it is."""


class ChangedMeanwhile(CurationError):
    """An edit's entry was changed by something else after the edit was proposed."""


@dataclass(frozen=True, slots=True)
class CurationItem:
    id: int
    reference: str | None
    register_no: str | None
    question: str
    lang: str
    answer_kk: str | None
    answer_ru: str | None
    status: str


@dataclass(frozen=True, slots=True)
class UnansweredGroup:
    ids: tuple[int, ...]
    text: str  # the most frequent wording
    lang: str
    count: int
    texts: tuple[str, ...]
    best_entry: str | None  # the candidate most often on top
    gaps: int = 0  # how many of them are out of the base's scope (no service covers them)


@dataclass(frozen=True, slots=True)
class Proposal:
    id: int
    kind: str  # new_entry, variant, edit
    entry_key: str
    register_no: str | None
    questions: dict[str, list[str]]
    answer_kk: str | None
    answer_ru: str | None
    status: str
    proposed_by: str
    reviewed_by: str | None
    curation_item_id: int | None = None
    unanswered_ids: tuple[int, ...] = field(default_factory=tuple)
    base: EntryTexts | None = None  # an edit: the entry as it was when proposed
    proposed_at: datetime | None = None

    @property
    def proposer(self) -> str:
        """The proposer's name (``proposed_by`` is ``role:name``)."""
        return self.proposed_by.split(":", 1)[-1]

    @property
    def texts(self) -> EntryTexts:
        """What the proposal would make the entry say (an edit, a new entry) or add to it
        (a variant: its questions only)."""
        return EntryTexts({k: tuple(v) for k, v in self.questions.items()},
                          self.answer_kk, self.answer_ru)


@dataclass(frozen=True, slots=True)
class EntryTexts:
    """An entry's questions and answers, per language."""

    questions: dict[str, tuple[str, ...]]
    answer_kk: str | None
    answer_ru: str | None

    def answer(self, lang: str) -> str | None:
        return self.answer_kk if lang == "kk" else self.answer_ru

    def as_json(self) -> dict[str, Any]:
        return {"questions": {k: list(v) for k, v in self.questions.items() if v},
                "answer_kk": self.answer_kk, "answer_ru": self.answer_ru}

    @classmethod
    def of(cls, row: EntryRow) -> EntryTexts:
        return cls({k: tuple(v) for k, v in dict(row.questions).items() if v},
                   _text(row.answer_kk), _text(row.answer_ru))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EntryTexts:
        return cls({k: tuple(v) for k, v in dict(data.get("questions") or {}).items() if v},
                   data.get("answer_kk"), data.get("answer_ru"))


def _stamp(actor: Actor) -> str:
    return f"{actor.role}:{actor.name}"


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


async def curation_list(
    uow: UnitOfWork, actor: Actor, *, status: str | None = "open",
) -> list[CurationItem]:
    """Agency answers waiting to become knowledge, oldest first (the center's list)."""
    actor.require_center()
    query = select(CurationItemRow).order_by(CurationItemRow.id)
    if status is not None:
        query = query.where(CurationItemRow.status == status)
    items = []
    for row in await uow.session.scalars(query):
        escalation = (await uow.session.get(EscalationRow, row.escalation_id)
                      if row.escalation_id is not None else None)
        items.append(CurationItem(row.id, escalation.reference if escalation else None,
                                  row.register_no, row.question, row.lang, row.answer_kk,
                                  row.answer_ru, row.status))
    return items


class GroupingMemo:
    """The last grouping, by the questions it grouped: a stored unanswered question never
    changes, so the same questions group the same way. A page shown again with nothing
    new asked is not grouped again (thousands of questions take a good part of a second)."""

    def __init__(self) -> None:
        self._ids: tuple[int, ...] | None = None
        self._groups: list[UnansweredGroup] = []

    def group(self, rows: Sequence[UnansweredRow]) -> list[UnansweredGroup]:
        ids = tuple(sorted(r.id for r in rows))
        if ids != self._ids:
            self._groups = group_unanswered(rows)
            self._ids = ids
        return self._groups


async def unanswered_groups(
    uow: UnitOfWork, actor: Actor, *, since: datetime | None = None, limit: int = 50,
    memo: GroupingMemo | None = None,
) -> list[UnansweredGroup]:
    """Unanswered questions no proposal took up yet, similar ones together, most frequent
    first (``memo``: the last grouping, kept by a long-lived caller)."""
    actor.require_center()
    taken: set[int] = set()
    for ids in await uow.session.scalars(select(KbProposalRow.unanswered_ids).where(
            KbProposalRow.status != "rejected")):
        taken.update(ids)
    rows = [r for r in await uow.unanswered.latest(UNANSWERED_SCAN, since)
            if r.id not in taken]
    return (memo.group(rows) if memo is not None else group_unanswered(rows))[:limit]


async def unanswered_source(
    uow: UnitOfWork, actor: Actor, ids: Sequence[int],
) -> UnansweredGroup | None:
    """Chosen unanswered questions as one group (what a proposal is made from); None when
    none of them exists."""
    actor.require_center()
    rows = list(await uow.session.scalars(
        select(UnansweredRow).where(UnansweredRow.id.in_(list(ids))).order_by(
            UnansweredRow.id)))
    if not rows:
        return None
    best = Counter(r.candidates[0]["entry"] for r in rows if r.candidates)
    return UnansweredGroup(
        tuple(r.id for r in rows), Counter(r.text.strip() for r in rows).most_common(1)[0][0],
        Counter(r.lang for r in rows).most_common(1)[0][0], len(rows),
        tuple(dict.fromkeys(r.text.strip() for r in rows)),
        best.most_common(1)[0][0] if best else None,
        sum(r.decision == OUT_OF_SCOPE for r in rows))


async def curation_item(uow: UnitOfWork, actor: Actor, item_id: int) -> CurationItem:
    """One agency answer to curate (the center's)."""
    actor.require_center()
    row = await uow.session.get(CurationItemRow, item_id)
    if row is None:
        raise CurationError.said(_("no curation item #{id}"), id=item_id)
    escalation = (await uow.session.get(EscalationRow, row.escalation_id)
                  if row.escalation_id is not None else None)
    return CurationItem(row.id, escalation.reference if escalation else None, row.register_no,
                        row.question, row.lang, row.answer_kk, row.answer_ru, row.status)


def group_unanswered(rows: Sequence[UnansweredRow]) -> list[UnansweredGroup]:
    """Greedy grouping by normalised wording (the first of a group stands for it)."""
    groups: list[tuple[str, list[UnansweredRow]]] = []
    by_length: dict[int, list[int]] = {}  # a head's length → its groups, oldest first
    for row in sorted(rows, key=lambda r: r.id):
        key = normalise(row.text)
        for number in _heads_near(by_length, len(key)):
            head, members = groups[number]
            if key == head or similar(key, head):
                members.append(row)
                break
        else:
            by_length.setdefault(len(key), []).append(len(groups))
            groups.append((key, [row]))
    out = []
    for _head, members in groups:
        wording = Counter(m.text.strip() for m in members).most_common(1)[0][0]
        langs = Counter(m.lang for m in members).most_common(1)[0][0]
        best = Counter(m.candidates[0]["entry"] for m in members if m.candidates)
        out.append(UnansweredGroup(
            tuple(m.id for m in members), wording, langs, len(members),
            tuple(dict.fromkeys(m.text.strip() for m in members)),
            best.most_common(1)[0][0] if best else None,
            sum(m.decision == OUT_OF_SCOPE for m in members)))
    out.sort(key=lambda g: (-g.count, -max(g.ids)))
    return out


def _heads_near(by_length: dict[int, list[int]], length: int) -> list[int]:
    """The groups whose head is long enough and short enough to be ``similar`` to a key of
    ``length``, oldest first: two texts of lengths a and b differ by at least |a - b|
    insertions and deletions, so a ratio of GROUP_SIMILARITY % needs |a - b| <= (1 - s)(a +
    b); the rest cannot match and are not compared (the grouping stays the same, faster)."""
    share = 1.0 - GROUP_SIMILARITY / 100.0
    low = int(length * (1.0 - share) / (1.0 + share)) - 1
    high = int(length * (1.0 + share) / (1.0 - share)) + 1
    near: list[int] = []
    for size in range(max(low, 0), high + 1):
        near.extend(by_length.get(size, ()))
    near.sort()
    return near


async def _item(uow: UnitOfWork, item_id: int | None) -> CurationItemRow | None:
    if item_id is None:
        return None
    row = await uow.session.get(CurationItemRow, item_id)
    if row is None:
        raise CurationError.said(_("no curation item #{id}"), id=item_id)
    if row.status not in ("open", "proposed"):
        raise CurationError.said(_("curation item #{id} is {status}"), id=item_id,
                                 status=state(row.status))
    return row


async def _unanswered_texts(uow: UnitOfWork, ids: Sequence[int]) -> list[UnansweredRow]:
    rows = list(await uow.session.scalars(
        select(UnansweredRow).where(UnansweredRow.id.in_(ids)).order_by(UnansweredRow.id)))
    missing = sorted(set(ids) - {r.id for r in rows})
    if missing:
        raise CurationError.said(_("unanswered questions not found: {numbers}"),
                                 numbers=", ".join(map(str, missing)))
    return rows


def _wording(
    item: CurationItemRow | None, unanswered: Sequence[UnansweredRow]
) -> dict[str, list[str]]:
    """The citizens' own wording by language: the escalated question, or the log's."""
    found: dict[str, list[str]] = {}
    sources = ([(item.lang, item.question)] if item else []) + [
        (r.lang, r.text) for r in unanswered]
    for written_in, text in sources:
        texts = found.setdefault(written_in if written_in in LANGS else "ru", [])
        if text.strip() and text.strip() not in texts:
            texts.append(text.strip())
    return found


def _merge(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in parts:
        for lang, texts in part.items():
            bucket = out.setdefault(lang, [])
            bucket.extend(t for t in texts if t not in bucket)
    return {lang: out[lang] for lang in LANGS if out.get(lang)}


async def propose_entry(
    uow: UnitOfWork, *, actor: Actor, clock: Clock, item_id: int | None = None,
    unanswered_ids: Sequence[int] = (), register_no: str | None = None,
    entry_key: str | None = None, question_kk: str | None = None,
    question_ru: str | None = None, answer_kk: str | None = None,
    answer_ru: str | None = None,
) -> Proposal:
    """A new entry of the service, from an agency's answer or unanswered questions: the
    citizens' wording is its question; both languages are needed (staged, pending)."""
    actor.require_center()
    item = await _item(uow, item_id)
    unanswered = await _unanswered_texts(uow, unanswered_ids)
    register_no = register_no or (item.register_no if item else None)
    if register_no is None:
        raise CurationError("which service? give --service REGISTER_NO").saying(
            _("which service? give the service's register number"))
    service = await uow.session.scalar(
        select(ServiceRow).where(ServiceRow.register_no == register_no))
    if service is None:
        raise CurationError.said(_("no service {register_no} in the knowledge base"),
                                 register_no=register_no)
    extra = {lang: [t] for lang, t in (("kk", _text(question_kk)), ("ru", _text(question_ru)))
             if t}
    questions = _merge(_wording(item, unanswered), extra)
    answer_kk = _text(answer_kk) or (item.answer_kk if item else None)
    answer_ru = _text(answer_ru) or (item.answer_ru if item else None)
    problems = [f"the question in {lang} is missing" for lang in LANGS if lang not in questions]
    problems += [f"the answer in {lang} is missing"
                 for lang, text in (("kk", answer_kk), ("ru", answer_ru)) if not text]
    if problems:
        raise CurationError("; ".join(problems) + " (a new entry needs both languages)").saying(
            _("a new entry needs its question and its answer in both languages"))
    key = entry_key or await _new_key(uow, service)
    await _check_key(uow, key)
    return await _stage(uow, KbProposalRow(
        kind="new_entry", curation_item_id=item.id if item else None,
        unanswered_ids=list(unanswered_ids), register_no=register_no, entry_key=key,
        questions=questions, answer_kk=answer_kk, answer_ru=answer_ru, status="pending",
        proposed_by=_stamp(actor), proposed_at=clock.now()), item)


async def propose_variant(
    uow: UnitOfWork, entry_key: str, *, actor: Actor, clock: Clock,
    item_id: int | None = None, unanswered_ids: Sequence[int] = (),
    question_kk: str | None = None, question_ru: str | None = None,
) -> Proposal:
    """The citizens' wording as more questions of an existing entry (staged, pending);
    ``question_kk``/``question_ru`` add the wording in the other language."""
    actor.require_center()
    item = await _item(uow, item_id)
    unanswered = await _unanswered_texts(uow, unanswered_ids)
    entry = await uow.session.scalar(select(EntryRow).where(EntryRow.key == entry_key))
    if entry is None:
        raise CurationError.said(_("no entry {key} in the knowledge base"), key=repr(entry_key))
    extra = {lang: [t] for lang, t in (("kk", _text(question_kk)), ("ru", _text(question_ru)))
             if t}
    questions = _merge(_wording(item, unanswered), extra)
    questions = {lang: [t for t in texts if t not in entry.questions.get(lang, [])]
                 for lang, texts in questions.items()}
    questions = {lang: texts for lang, texts in questions.items() if texts}
    if not questions:
        raise CurationError.said(_("entry {key} has these questions already"), key=entry_key)
    service = await uow.session.get(ServiceRow, entry.service_id)
    return await _stage(uow, KbProposalRow(
        kind="variant", curation_item_id=item.id if item else None,
        unanswered_ids=list(unanswered_ids),
        register_no=service.register_no if service else None, entry_key=entry.key,
        questions=questions, answer_kk=None, answer_ru=None, status="pending",
        proposed_by=_stamp(actor), proposed_at=clock.now()), item)


async def propose_edit(
    uow: UnitOfWork, entry_key: str, *, actor: Actor, clock: Clock,
    questions: dict[str, list[str]], answer_kk: str | None, answer_ru: str | None,
) -> Proposal:
    """New texts for an existing entry (staged, pending): its questions and answers per
    language, the entry as it is now kept beside them. An operator may propose for any
    service, an agency's staff for their own agency's only. A language the entry has
    cannot be dropped, and each language has its questions and its answer together."""
    entry = await uow.session.scalar(select(EntryRow).where(EntryRow.key == entry_key))
    if entry is None:
        raise CurationError.said(_("no entry {key} in the knowledge base"), key=repr(entry_key))
    service = await uow.session.get(ServiceRow, entry.service_id)
    assert service is not None
    actor.require_agency(service.agency_id)
    base = EntryTexts.of(entry)
    edited = EntryTexts(
        {lang: tuple(dict.fromkeys(q.strip() for q in questions.get(lang, []) if q.strip()))
         for lang in LANGS},
        _text(answer_kk), _text(answer_ru))
    edited = EntryTexts({k: v for k, v in edited.questions.items() if v},
                        edited.answer_kk, edited.answer_ru)
    problems: list[tuple[str, str, str | None]] = []
    for lang in LANGS:
        has_questions, has_answer = bool(edited.questions.get(lang)), bool(edited.answer(lang))
        if has_questions != has_answer:
            problems.append((f"in {lang} the questions and the answer go together",
                             "together", lang))
        elif not has_answer and (base.questions.get(lang) or base.answer(lang)):
            problems.append((f"the entry's {lang} texts cannot be removed", "removed", lang))
    if not edited.questions:
        problems.append(("an entry needs its questions and answer in one language at least",
                         "empty", None))
    if problems:
        raise EditRefused("; ".join(p[0] for p in problems),
                          tuple((what, lang) for _m, what, lang in problems)).saying(
            _("an entry keeps its questions and its answer together, in one language at "
              "least, and a language it has is not removed"))
    if edited == base:
        raise NothingChanged.said(_("nothing changed in entry {key}"), key=entry_key)
    waiting = await uow.session.scalar(select(KbProposalRow.id).where(
        KbProposalRow.kind == EDIT, KbProposalRow.entry_key == entry_key,
        KbProposalRow.status == "pending"))
    if waiting is not None:
        raise EditRefused(f"entry {entry_key} has an edit waiting for review already "
                          f"(proposal #{waiting})", (("waiting", str(waiting)),)).saying(
            _("entry {key} has an edit waiting for review already (proposal #{id})"),
            key=entry_key, id=waiting)
    return await _stage(uow, KbProposalRow(
        kind=EDIT, curation_item_id=None, unanswered_ids=[],
        register_no=service.register_no, entry_key=entry.key,
        questions={k: list(v) for k, v in edited.questions.items()},
        answer_kk=edited.answer_kk, answer_ru=edited.answer_ru, status="pending",
        proposed_by=_stamp(actor), proposed_at=clock.now(), base=base.as_json()), None)


async def proposal(uow: UnitOfWork, proposal_id: int, actor: Actor) -> Proposal:
    """One proposal: the center's, or its service's agency's staff."""
    row = await uow.session.get(KbProposalRow, proposal_id)
    if row is None:
        raise CurationError.said(_("no proposal #{id}"), id=proposal_id)
    if not actor.of_center:
        service = await uow.session.scalar(
            select(ServiceRow).where(ServiceRow.register_no == row.register_no))
        if service is None:
            actor.require_center()
        else:
            actor.require_agency(service.agency_id)
    return _view(row)


async def _stage(
    uow: UnitOfWork, row: KbProposalRow, item: CurationItemRow | None
) -> Proposal:
    uow.session.add(row)
    if item is not None:
        item.status = "proposed"
    await uow.session.flush()
    return _view(row)


async def proposals(
    uow: UnitOfWork, actor: Actor, *, status: str | None = "pending"
) -> list[Proposal]:
    actor.require_center()
    query = select(KbProposalRow).order_by(KbProposalRow.id)
    if status is not None:
        query = query.where(KbProposalRow.status == status)
    return [_view(row) for row in await uow.session.scalars(query)]


async def approve(uow: UnitOfWork, proposal_id: int, *, actor: Actor, clock: Clock) -> Proposal:
    """The review: the change goes live in the base, and the revision moves (staged).
    Four eyes: an operator does not approve their own proposal (an administrator may)."""
    actor.require_center()
    row = await _pending(uow, proposal_id, done="approved")
    if row.proposed_by == _stamp(actor) and actor.role != Role.ADMIN:
        raise OwnProposal.said(_("proposal #{id} is yours: another operator reviews it"),
                              id=proposal_id)
    if row.kind == EDIT:
        await _apply_edit(uow, row)
    elif row.kind == NEW_ENTRY:
        await _check_key(uow, row.entry_key)
        service = await uow.session.scalar(
            select(ServiceRow).where(ServiceRow.register_no == row.register_no))
        if service is None:
            raise CurationError.said(_("service {register_no} is no longer in the base"),
                                     register_no=row.register_no)
        uow.knowledge.add(EntryRow(
            key=row.entry_key, service_id=service.id, questions=dict(row.questions),
            answer_kk=row.answer_kk, answer_ru=row.answer_ru,
            position=await uow.knowledge.next_position(EntryRow)))
    else:
        entry = await uow.session.scalar(select(EntryRow).where(EntryRow.key == row.entry_key))
        if entry is None:
            raise CurationError.said(_("entry {key} is no longer in the base"),
                                     key=row.entry_key)
        entry.questions = _merge(dict(entry.questions), dict(row.questions))
    row.status, row.reviewed_by, row.reviewed_at = "approved", _stamp(actor), clock.now()
    if row.curation_item_id is not None:
        item = await uow.session.get(CurationItemRow, row.curation_item_id)
        if item is not None:
            item.status = "done"
    await uow.session.flush()
    await uow.knowledge.bump_revision()
    return _view(row)


async def _apply_edit(uow: UnitOfWork, row: KbProposalRow) -> None:
    entry = await uow.session.scalar(select(EntryRow).where(EntryRow.key == row.entry_key))
    if entry is None:
        raise CurationError.said(_("entry {key} is no longer in the base"), key=row.entry_key)
    if row.base is not None and EntryTexts.of(entry) != EntryTexts.from_json(row.base):
        raise ChangedMeanwhile.said(_(
            "entry {key} was changed after proposal #{id} was made: reject it and propose "
            "the edit again"), key=row.entry_key, id=row.id)
    entry.questions = {k: list(v) for k, v in dict(row.questions).items()}
    entry.answer_kk, entry.answer_ru = row.answer_kk, row.answer_ru


async def reject(uow: UnitOfWork, proposal_id: int, *, actor: Actor, clock: Clock) -> Proposal:
    """Not taken: the curation item goes back to the list."""
    actor.require_center()
    row = await _pending(uow, proposal_id, done="rejected")
    row.status, row.reviewed_by, row.reviewed_at = "rejected", _stamp(actor), clock.now()
    if row.curation_item_id is not None:
        item = await uow.session.get(CurationItemRow, row.curation_item_id)
        if item is not None and item.status == "proposed":
            item.status = "open"
    return _view(row)


async def dismiss(uow: UnitOfWork, item_id: int, *, actor: Actor) -> None:
    """An answer that teaches nothing general (a personal case): off the list."""
    actor.require_center()
    item = await _item(uow, item_id)
    assert item is not None
    item.status = "dismissed"


async def _pending(uow: UnitOfWork, proposal_id: int, *, done: str) -> KbProposalRow:
    """The proposal, waiting for review; ``done``: the review asked for, given already."""
    row = await uow.session.get(KbProposalRow, proposal_id)
    if row is None:
        raise CurationError.said(_("no proposal #{id}"), id=proposal_id)
    if row.status == done:
        raise ReviewedAlready.said(_("proposal #{id} is {status} already"), id=proposal_id,
                                  status=state(row.status))
    if row.status != "pending":
        raise CurationError.said(_("proposal #{id} is {status} already"), id=proposal_id,
                                 status=state(row.status))
    return row


async def _check_key(uow: UnitOfWork, key: str) -> None:
    if not re.match(ENTRY_KEY, key):
        raise CurationError.said(
            _("entry id {key!r}: lower-case letters, digits and . _ - only"), key=key)
    if await uow.session.scalar(select(EntryRow.id).where(EntryRow.key == key)) is not None:
        raise CurationError.said(_("entry {key!r} exists already"), key=key)


async def _new_key(uow: UnitOfWork, service: ServiceRow) -> str:
    taken = set(await uow.session.scalars(select(EntryRow.key)))
    taken.update(await uow.session.scalars(select(KbProposalRow.entry_key).where(
        KbProposalRow.status == "pending")))
    n = 1
    while f"{service.agency.code}.{service.register_no}.asked-{n}" in taken:
        n += 1
    return f"{service.agency.code}.{service.register_no}.asked-{n}"


def _view(row: KbProposalRow) -> Proposal:
    questions: dict[str, Any] = dict(row.questions)
    return Proposal(row.id, row.kind, row.entry_key, row.register_no,
                    {k: list(v) for k, v in questions.items()}, row.answer_kk, row.answer_ru,
                    row.status, row.proposed_by, row.reviewed_by, row.curation_item_id,
                    tuple(row.unanswered_ids),
                    EntryTexts.from_json(row.base) if row.base is not None else None,
                    row.proposed_at)


@dataclass(frozen=True, slots=True)
class LanguageChange:
    """One language of a proposal: its questions (one a line) and its answer, old to new."""

    lang: str
    questions: list[Piece]
    answer: list[Piece]

    @property
    def changed(self) -> bool:
        return any(p.op != "same" for p in (*self.questions, *self.answer))


def changes(proposal: Proposal) -> list[LanguageChange]:
    """What a proposal changes, per language: an edit against the entry as it was, a new
    entry against nothing, a variant's added questions."""
    new = proposal.texts
    old = proposal.base or EntryTexts({}, None, None)
    out = []
    for lang in LANGS:
        answer_old = old.answer(lang) if proposal.kind == EDIT else None
        answer_new = new.answer(lang) if proposal.kind != VARIANT else None
        out.append(LanguageChange(
            lang, word_diff("\n".join(old.questions.get(lang, ())),
                            "\n".join(new.questions.get(lang, ()))),
            word_diff(answer_old, answer_new)))
    return out
