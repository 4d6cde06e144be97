"""Citizens' complaints (004 art.25; 002 p.14): the intake on every channel, registration and
forwarding to the agency, its response back to the citizen, and the register of Annex 2."""

from knowledge.complaints.extension import extend
from knowledge.complaints.followup import (
    ComplaintDelivery,
    ComplaintReminder,
    fire_complaint_reminders,
    take_deliveries,
)
from knowledge.complaints.handling import (
    assign,
    complaint,
    erase,
    export_csv,
    list_complaints,
    respond,
    respond_typed,
    take,
)
from knowledge.complaints.intake import Draft, Option, Prompt, Reply, Step
from knowledge.complaints.lodging import (
    IntakeTurn,
    Registered,
    active_draft,
    continue_intake,
    discard_draft,
    drop_expired_drafts,
    start_intake,
)
from knowledge.complaints.model import (
    AppealRoute,
    Complaint,
    ComplaintError,
    ComplaintStatus,
    appeal_route,
)
from knowledge.complaints.recognise import is_complaint_request
from knowledge.complaints.register import complaint_register

__all__ = [
    "AppealRoute",
    "Complaint",
    "ComplaintDelivery",
    "ComplaintError",
    "ComplaintReminder",
    "ComplaintStatus",
    "Draft",
    "IntakeTurn",
    "Option",
    "Prompt",
    "Registered",
    "Reply",
    "Step",
    "active_draft",
    "appeal_route",
    "assign",
    "complaint",
    "complaint_register",
    "continue_intake",
    "discard_draft",
    "drop_expired_drafts",
    "erase",
    "export_csv",
    "extend",
    "fire_complaint_reminders",
    "is_complaint_request",
    "list_complaints",
    "respond",
    "respond_typed",
    "start_intake",
    "take",
    "take_deliveries",
]
