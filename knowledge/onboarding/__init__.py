"""The agency onboarding protocol (002 paras 3-9): steps, deadlines, cases, activation."""

from knowledge.onboarding.card import CaseCard, case_card
from knowledge.onboarding.cases import (
    LEFT,
    Case,
    Deadlines,
    HistoryEntry,
    OnboardingError,
    Reminder,
    activate_due,
    appoint_responsible,
    case_of,
    cases,
    fire_reminders,
    history,
    name_case,
    record_step,
    reminder_kind,
    require_named,
    start_case,
    submit_information,
    working_days_left,
)
from knowledge.onboarding.departures import fire_departure_reminders, record_departure
from knowledge.onboarding.steps import CLOSED, STEPS

__all__ = [
    "CLOSED", "LEFT", "STEPS", "Case", "CaseCard", "Deadlines", "HistoryEntry", "OnboardingError",
    "Reminder",
    "activate_due", "appoint_responsible", "case_card", "case_of", "cases",
    "fire_departure_reminders", "fire_reminders", "history", "name_case", "record_departure",
    "record_step", "reminder_kind", "require_named", "start_case",
    "submit_information",
    "working_days_left",
]
