"""Tables of the knowledge base. Texts are data per language, so each has a kk and ru column."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class AgencyRow(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_kk: Mapped[str | None] = mapped_column(Text)
    name_ru: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str | None] = mapped_column(String(16))  # central, local, provider
    email: Mapped[str | None] = mapped_column(String(254))  # the official contact
    region: Mapped[str | None] = mapped_column(Text)


class ServiceRow(Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    register_no: Mapped[str] = mapped_column(String(32), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    name_kk: Mapped[str | None] = mapped_column(Text)
    name_ru: Mapped[str | None] = mapped_column(Text)
    # {"kk": [...], "ru": [...]} exactly as the pack gave it (None when absent).
    keywords: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # {section: {"kk": ..., "ru": ...}} in the pack's order (None when absent).
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="live")
    position: Mapped[int] = mapped_column(Integer, index=True)

    agency: Mapped[AgencyRow] = relationship(lazy="joined")


class EntryRow(Base):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    # {"kk": [...], "ru": [...]} as the pack gave it.
    questions: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer_kk: Mapped[str | None] = mapped_column(Text)
    answer_ru: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, index=True)


class UnansweredRow(Base):
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16))
    # [{"entry": id, "score": float}, ...] best first.
    candidates: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # the message's length when it was over the limit and ``text`` keeps its beginning
    original_length: Mapped[int | None] = mapped_column(Integer)


class KbRevisionRow(Base):
    """One row whose counter moves on every change of the base, so matchers know to rebuild."""

    __tablename__ = "kb_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class CitizenRow(Base):
    """A person writing to the center on one channel (a Telegram chat, a phone number)."""

    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))  # chat id, phone number
    lang: Mapped[str | None] = mapped_column(String(2))
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InboxRow(Base):
    """Every update received, stored before it is acknowledged; processed once."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))  # Telegram update_id, SMS id
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxRow(Base):
    """A message to send, written in the same transaction as the change it reports."""

    __tablename__ = "outbox"
    # each address's oldest pending row, found without reading the others (fair rounds)
    __table_args__ = (Index("ix_outbox_address_queue", "channel", "status", "address", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64), index=True)
    method: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(String(64), index=True)  # the sent
    # message's id at the channel (an SMS gateway's, matched by its delivery reports)
    delivery: Mapped[str | None] = mapped_column(String(16))  # the latest delivery report
    delivery_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    uncertain: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # sends
    # whose fate is unknown (a timeout after the request left): re-sent as the policy allows
    retry_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # an
    # operator's re-send: the retry period counts from here, not from created_at
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # leased
    # by a sender now (cleared when settled): a restart tells a dead claim from a backoff


class SmsNumberRow(Base):
    """The SMS channel's state of one phone number (its citizen): opted out or not, the
    numbered options of its last reply, the last quota notice."""

    __tablename__ = "sms_numbers"

    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # {"service": id | None, "question": text | None, "items": [[kind, ref], ...]}
    menu: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    menu_lang: Mapped[str | None] = mapped_column(String(2))
    menu_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    quota_notice_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConversationRow(Base):
    """The conversation log: every message in and out, with time, channel and language."""

    __tablename__ = "conversation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # "in" / "out"
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str | None] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # the message's length when it was over the limit and ``text`` keeps its beginning
    original_length: Mapped[int | None] = mapped_column(Integer)


class FeedbackRow(Base):
    """A citizen's verdict on an answer; one per answer shown (its message), so a second
    press of 👍 is not counted twice."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("citizen_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    entry_key: Mapped[str] = mapped_column(String(128), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None] = mapped_column(Integer)  # the answer's, in its chat


class EscalationRow(Base):
    """A question passed to a person; the agencies' queue works it (a later issue)."""

    __tablename__ = "escalations"
    # the console's queue a page at a time: open questions oldest first (all, or one
    # agency's), settled ones newest first, and the size of a page's groups
    __table_args__ = (
        Index("ix_escalations_queue", "status", "routed_on", "id"),
        Index("ix_escalations_agency_queue", "agency_id", "status", "routed_on", "id"),
        Index("ix_escalations_settled", "status", "resolved_at", "id"),
        Index("ix_escalations_group_status", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(32), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    # The citizen's message it passes on (the conversation log's id): one escalation a
    # question, however often "none of these" is pressed. No foreign key: the log's
    # lines are erased on their own schedule.
    question_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    register_no: Mapped[str | None] = mapped_column(String(32))
    candidates: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The queue (issue 5): the agency it was routed to (None: the operators' triage), when,
    # and by when it is due; near-identical open questions share their group's leader id.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    routed_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    normalized: Mapped[str | None] = mapped_column(Text)
    taken_by: Mapped[str | None] = mapped_column(Text)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reply_kk: Mapped[str | None] = mapped_column(Text)
    reply_ru: Mapped[str | None] = mapped_column(Text)
    entry_key: Mapped[str | None] = mapped_column(String(128))  # answered from the base
    resolved_by: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_on: Mapped[date | None] = mapped_column(Date)  # Kazakhstan's date
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffRow(Base):
    """A person who works the system: an operator or administrator of the center, or an
    agency's responsible person (bound to one agency)."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)  # as they log in and are named in commands
    full_name: Mapped[str | None] = mapped_column(Text)  # as documents name them
    role: Mapped[str] = mapped_column(String(16), index=True)  # operator, admin, agency
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    position: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    invite_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the console's sign-in: an Argon2 hash (never the password), and a counter that ends
    # every session when it moves (a new password, removal, another role)
    password_hash: Mapped[str | None] = mapped_column(Text)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SigninLinkRow(Base):
    """A one-time link to the console for a person without a password: only its hash kept."""

    __tablename__ = "signin_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConsoleKeyRow(Base):
    """The key that signs and encrypts the console's session cookies, made on first start
    when UCC_CONSOLE_SECRET is not set (so sessions survive a restart)."""

    __tablename__ = "console_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """Who tried what and was refused (or did something that must be traceable)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    who: Mapped[str] = mapped_column(Text)  # a staff name, or "anonymous"
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(Text)  # what was asked for (a URL, a number)
    outcome: Mapped[str] = mapped_column(String(16))  # denied, signed-in, failed…
    detail: Mapped[str | None] = mapped_column(Text)


class OnboardingCaseRow(Base):
    """One service on its way from the Register to live: the step it waits for, and when."""

    __tablename__ = "onboarding_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    register_no: Mapped[str] = mapped_column(String(32), index=True)
    name_kk: Mapped[str | None] = mapped_column(Text)  # as in the Register
    name_ru: Mapped[str | None] = mapped_column(Text)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    approved_on: Mapped[date] = mapped_column(Date)
    step: Mapped[str] = mapped_column(String(32))  # the step awaited; "closed" when live
    due_on: Mapped[date | None] = mapped_column(Date)
    activation_on: Mapped[date | None] = mapped_column(Date)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # "onboarding" (paras 3-9) or "update" (para 6 / Law art. 23(2): the act changed)
    kind: Mapped[str] = mapped_column(String(16), default="onboarding",
                                      server_default="onboarding")
    act_on: Mapped[date | None] = mapped_column(Date)  # an update: the act's date
    effective_on: Mapped[date | None] = mapped_column(Date)  # an update: live from
    pending_pack: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # an update's draft


class OnboardingEventRow(Base):
    """A step done: what, on which day, stamped with who recorded it and when."""

    __tablename__ = "onboarding_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("onboarding_cases.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    done_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    by: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReminderRow(Base):
    """A reminder or overdue flag that fired; unique, so each fires once, across restarts."""

    __tablename__ = "onboarding_reminders"
    __table_args__ = (UniqueConstraint("case_id", "step", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("onboarding_cases.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # day_before, due_day, overdue
    due_on: Mapped[date] = mapped_column(Date)
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Core tables of the rows written in bulk (``UnitOfWork.stage``, bulk inserts and updates).
CITIZENS = cast(Table, CitizenRow.__table__)
OUTBOX = cast(Table, OutboxRow.__table__)
CONVERSATION = cast(Table, ConversationRow.__table__)


# ---- the escalation queue, curation, refusals and the monthly report (issue 5)


class EscalationEventRow(Base):
    """What happened to an escalation, stamped: routed, taken, assigned, answered, oral help."""

    __tablename__ = "escalation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    by: Mapped[str] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(Text)  # oral help: the agency's person
    on: Mapped[date | None] = mapped_column(Date)  # oral help: the day it was given
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RefusalNoticeRow(Base):
    """A notice to the quality-control body (002 p.12): one per crossing of the threshold."""

    __tablename__ = "refusal_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    reached_on: Mapped[date] = mapped_column(Date)  # the refusal that reached the threshold
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)  # open, sent
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_by: Mapped[str | None] = mapped_column(Text)
    sent_via: Mapped[str | None] = mapped_column(String(16))  # email, by_hand


class RefusalRow(Base):
    """An agency refusing the center information (002 p.11-12), with the request and reply."""

    __tablename__ = "refusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    ground: Mapped[str] = mapped_column(String(32))
    request_text: Mapped[str] = mapped_column(Text)
    reply_text: Mapped[str | None] = mapped_column(Text)
    requested_on: Mapped[date | None] = mapped_column(Date)
    refused_on: Mapped[date] = mapped_column(Date, index=True)
    refused_by: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending, confirmed, rejected
    reviewed_by: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("refusal_notices.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CurationItemRow(Base):
    """An agency's answer waiting for an operator to turn it into knowledge."""

    __tablename__ = "curation_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    register_no: Mapped[str | None] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)  # the citizen's wording
    lang: Mapped[str] = mapped_column(String(2))
    answer_kk: Mapped[str | None] = mapped_column(Text)
    answer_ru: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # open, proposed, done, dismissed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KbProposalRow(Base):
    """A change of the base from curation (a new entry, a question variant, or an entry's
    edit): live only once a reviewer approves it."""

    __tablename__ = "kb_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # new_entry, variant, edit
    curation_item_id: Mapped[int | None] = mapped_column(ForeignKey("curation_items.id"),
                                                         index=True)
    unanswered_ids: Mapped[list[Any]] = mapped_column(JSON)
    register_no: Mapped[str | None] = mapped_column(String(32))
    entry_key: Mapped[str] = mapped_column(String(128))
    # {"kk": [...], "ru": [...]}: the questions added (a variant) or the entry's questions
    questions: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer_kk: Mapped[str | None] = mapped_column(Text)
    answer_ru: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending, approved, rejected
    proposed_by: Mapped[str] = mapped_column(Text)
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # an edit: the entry as it was when proposed, {"questions": {...}, "answer_kk": ...,
    # "answer_ru": ...} (its diff; approval refuses when the entry changed meanwhile)
    base: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class QuestionLogRow(Base):
    """Every question a citizen asked and what the engine decided: the report's figures."""

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(2))
    decision: Mapped[str] = mapped_column(String(16))
    entry_key: Mapped[str | None] = mapped_column(String(128))
    # The agency of the answered entry or of the best candidate (None: nothing close).
    agency: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class DeadlineFlagRow(Base):
    """A reminder or overdue flag of an escalation, a notice or a report: fired once."""

    __tablename__ = "deadline_flags"
    __table_args__ = (UniqueConstraint("subject", "subject_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(32))  # escalation, refusal_notice, report
    subject_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # day_before, due_day, overdue
    due_on: Mapped[date] = mapped_column(Date)
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MonthlyReportRow(Base):
    """A month's analytical report (002 p.14): kept as generated, never rewritten (p.16)."""

    __tablename__ = "monthly_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)  # the first day of the month
    due_on: Mapped[date] = mapped_column(Date)
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    generated_on: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MonthlyReportFileRow(Base):
    __tablename__ = "monthly_report_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_reports.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(64))  # "all", or an agency's code
    filename: Mapped[str] = mapped_column(String(128))
    content_type: Mapped[str] = mapped_column(String(128))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))


QUESTION_LOG = cast(Table, QuestionLogRow.__table__)


# ---- the status of citizens' applications (Law on Public Services art. 23(4); 002 p.13)


class StatusProviderRow(Base):
    """A service provider that feeds application stages; its bearer token kept as a hash."""

    __tablename__ = "status_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApplicationRow(Base):
    """An application's current stage, as its provider last reported it. The applicant's IIN
    is kept only as a salted scrypt hash."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("status_providers.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    iin_salt: Mapped[bytes] = mapped_column(LargeBinary)
    iin_hash: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the provider's
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # stored by us


class StatusInquiryRow(Base):
    """A citizen's open status question: waiting for the number or the IIN, until expiry."""

    __tablename__ = "status_inquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), unique=True)
    step: Mapped[str] = mapped_column(String(16))  # number, iin
    number: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(2))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StatusFailureRow(Base):
    """A failed check (unknown number or IIN not matching): counted for the lockout."""

    __tablename__ = "status_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StatusWatcherRow(Base):
    """A citizen who was told an application's stage: told again when it changes."""

    __tablename__ = "status_watchers"
    __table_args__ = (UniqueConstraint("application_no", "citizen_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_no: Mapped[str] = mapped_column(String(64), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    lang: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

# ---- citizens' complaints (issue 7)


class ComplaintDraftRow(Base):
    """A complaint being entered: the intake's state, one per citizen, gone on cancel,
    registration or expiry (nothing half-entered is ever registered)."""

    __tablename__ = "complaint_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the intake's Draft
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ComplaintRow(Base):
    """A citizen's complaint (004 art.25): registered by the center and forwarded to the
    agency with a request; one row of the register of Annex 2 (002 p.14)."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)  # C-YYMMDD-NNNNN
    request_no: Mapped[str | None] = mapped_column(String(32), unique=True)  # R-YYMMDD-NNNNN
    # None once erased: the applicant's contact is their citizen row (chat, phone number).
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(2))
    register_no: Mapped[str | None] = mapped_column(String(32), index=True)
    service_name: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str] = mapped_column(String(16))
    nature: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(16))  # standard, staff
    content: Mapped[str | None] = mapped_column(Text)
    applicant: Mapped[str | None] = mapped_column(Text)
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    registered_on: Mapped[date] = mapped_column(Date)  # Kazakhstan's date
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)  # the agency's response to the center
    handled_by: Mapped[str | None] = mapped_column(Text)  # the operator who handled it (column 3)
    repeat_of: Mapped[int | None] = mapped_column(Integer)  # an earlier complaint's id
    status: Mapped[str] = mapped_column(String(16), index=True)  # open, answered
    reply_kk: Mapped[str | None] = mapped_column(Text)
    reply_ru: Mapped[str | None] = mapped_column(Text)
    responded_by: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    responded_on: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ComplaintEventRow(Base):
    """What happened to a complaint, stamped: registered, forwarded, taken, responded,
    erased."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    by: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
