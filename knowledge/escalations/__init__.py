"""Escalations: questions the base cannot answer, worked by the agencies with a reference
number, and brought back to the citizen (002 p.10-12)."""

from knowledge.escalations.deliveries import take_deliveries
from knowledge.escalations.model import (
    Delivery,
    Escalation,
    EscalationError,
    EscalationStatus,
    ReplyTooLong,
    reference_for,
)
from knowledge.escalations.queue import (
    AlreadyTaken,
    escalation,
    export_csv,
    list_escalations,
    queue,
    take,
)
from knowledge.escalations.reminders import EscalationReminder, fire_escalation_reminders
from knowledge.escalations.replies import (
    NOT_COMPETENT,
    answer,
    not_competent,
    record_oral_help,
    refuse,
)
from knowledge.escalations.routing import (
    GROUP_SIMILARITY,
    answer_from_base,
    assign,
    close_out_of_scope,
    normalise,
    open_escalation,
    passed_on,
    with_agency,
)
from knowledge.escalations.typed import answer_typed, close_typed, refuse_typed, withhold

__all__ = [
    "GROUP_SIMILARITY",
    "NOT_COMPETENT",
    "AlreadyTaken",
    "Delivery",
    "Escalation",
    "EscalationError",
    "EscalationReminder",
    "EscalationStatus",
    "ReplyTooLong",
    "answer",
    "answer_from_base",
    "answer_typed",
    "assign",
    "close_out_of_scope",
    "close_typed",
    "escalation",
    "export_csv",
    "fire_escalation_reminders",
    "list_escalations",
    "normalise",
    "not_competent",
    "open_escalation",
    "passed_on",
    "queue",
    "record_oral_help",
    "reference_for",
    "refuse",
    "refuse_typed",
    "take",
    "take_deliveries",
    "with_agency",
    "withhold",
]
