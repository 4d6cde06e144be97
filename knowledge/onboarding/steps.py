"""The steps of the onboarding protocol (002 paras 3-9), who owes each, and its deadline.

Each step's deadline counts from the day the previous one was done, by the rule of the
policy table; the first counts from the approval of the service standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from knowledge.calendar import WorkCalendar
from knowledge.policy import Policy


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    rule: str  # the policy rule that dates it
    owed_by: str  # "center" or "agency": who is reminded
    title_en: str


STEPS: Final[tuple[Step, ...]] = (
    Step("request_sent", "request_sent", "center", "request sent to the agency"),
    Step("responsible_appointed", "responsible_appointed", "agency",
         "responsible person appointed"),
    Step("information_provided", "information_provided", "agency", "information submitted"),
    Step("training_held", "training_held", "agency", "training held"),
    # 002 p.8 gives the protocol no term: its date is the center's own target.
    Step("protocol_signed", "protocol_signed", "center", "protocol of acceptance signed"),
    Step("live", "activation", "center", "service live for citizens"),
)
# An update (002 p.6, Law art. 23(2)): the act behind the service changed; the agency sends
# the new information, an operator accepts it, and it goes live on its effective date.
UPDATE_STEPS: Final[tuple[Step, ...]] = (
    Step("update_provided", "info_update", "agency", "updated information submitted"),
    Step("update_accepted", "", "center", "update accepted by an operator"),
)  # then "live" on the effective date, as a new service
# Beside the steps: the agency's notice of a new responsible person (002 p.7).
CHANGE_STEPS: Final[tuple[Step, ...]] = (
    Step("responsible_replaced", "responsible_replaced", "agency",
         "new responsible person named"),
)
BY_KEY: Final = {step.key: step for step in (*STEPS, *UPDATE_STEPS, *CHANGE_STEPS)}
CLOSED: Final = "closed"


def step(key: str) -> Step:
    return BY_KEY[key]


def next_step(key: str) -> Step | None:
    keys = [s.key for s in STEPS]
    position = keys.index(key)
    return STEPS[position + 1] if position + 1 < len(STEPS) else None


def due_date(key: str, started: date, policy: Policy, calendar: WorkCalendar) -> date:
    """When step ``key`` is due, its period starting ``started`` (the previous step's day)."""
    return policy.due(step(key).rule, started, calendar)


def own_target(key: str, policy: Policy) -> bool:
    """Whether the step's date is the center's own target rather than a legal deadline."""
    rule = step(key).rule
    return bool(rule) and policy.rule(rule).own_policy
