"""Every legal deadline and threshold of the protocol, in one table an operator can override.

Citations follow domain.md: ``002 p.4`` is paragraph 4 of the Rules of interaction of the
Unified Contact Center (order No. 130 of 18.02.2015); ``004 art.23(2)`` is the Law on
Public Services. Where the two differ the Law wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final, Literal, cast, get_args

from knowledge.calendar import WorkCalendar
from knowledge.errors import KnowledgeError

Unit = Literal[
    "working_days",  # N working days after the start, never counting the start day
    "calendar_days",  # N calendar days after the start
    "calendar_date",  # a day of the month after the reported one
    "count",  # a number of events
    "rolling_month",  # from a date to the same date next month
    "calendar_month",  # the calendar month of the date
    "switch",  # a yes/no choice of the protocol's reading: 1 on, 0 off
]
UNITS: Final[tuple[Unit, ...]] = get_args(Unit)
# A setting may switch a rule's unit only within its family.
_UNIT_FAMILIES: Final = (
    frozenset({"working_days", "calendar_days"}),
    frozenset({"rolling_month", "calendar_month"}),
)
_MINIMUM: Final[Mapping[Unit, int]] = {
    "working_days": 0,
    "calendar_days": 0,
    "calendar_date": 1,
    "count": 1,
    "rolling_month": 1,
    "calendar_month": 1,
    "switch": 0,
}
_MAXIMUM: Final[Mapping[Unit, int]] = {
    "calendar_date": 28,  # day 28 exists in every month, so a date never needs clamping
    "switch": 1,
}
_DECEMBER: Final = 12
OWN_POLICY: Final = "the center's own policy"


class PolicyError(KnowledgeError):
    """A policy setting that cannot be applied, or a rule used for what it cannot do."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    value: int
    unit: Unit
    starts_from: str
    source: str
    note: str = ""

    @property
    def own_policy(self) -> bool:
        """A term no law or rule sets: the center's own target, not a legal deadline."""
        return self.source.startswith(OWN_POLICY)


def _rules(*rules: Rule) -> Mapping[str, Rule]:
    return MappingProxyType({rule.key: rule for rule in rules})


DEFAULT_RULES: Final[Mapping[str, Rule]] = _rules(
    Rule(
        "request_sent", 3, "working_days",
        "the later of inclusion in the Register and approval of the standard",
        "002 p.4",
        "the UCC sends the agency the request to train its staff and provide information"
        " (Annex 1)",
    ),
    Rule(
        "responsible_appointed", 3, "working_days",
        "the agency's receipt of the request",
        "002 p.5",
        "the agency appoints its responsible person",
    ),
    Rule(
        "information_provided", 5, "working_days",
        "the appointment of the responsible person",
        "002 p.5",
        "the responsible person provides the service information electronically",
    ),
    Rule(
        "training_held", 10, "working_days",
        "the information provided",
        "002 p.8",
        "the responsible person trains the UCC's responsible employees",
    ),
    Rule(
        "protocol_signed", 3, "working_days",
        "the training held",
        "the center's own policy (002 p.8 sets no term)",
        "the protocol is drawn up once the training is completed; the center aims to have"
        " it signed by both sides within these days",
    ),
    Rule(
        "activation", 5, "working_days",
        "the protocol of acceptance signed",
        "002 p.9",
        "the UCC starts informing citizens about the service",
    ),
    Rule(
        "info_update", 3, "working_days",
        "the approval or change of the act that sets the service procedure",
        "004 art.23(2)",
        "the Rules (002 p.6) said 5 working days; the Law wins",
    ),
    Rule(
        "responsible_replaced", 5, "working_days",
        "the replacement of the responsible person",
        "002 p.7",
        "free-form notice with the new responsible person's details",
    ),
    Rule(
        "refusal_notice", 3, "working_days",
        "the refusal that reaches the threshold",
        "002 p.12",
        "the UCC notifies the quality-control body, attaching supporting documents",
    ),
    Rule(
        "refusal_threshold", 2, "count",
        "counted refusals by one agency within the window",
        "002 p.12",
        "the Rules say 'several times'; silence does not count, a lawful withholding as"
        " refusal_withholding_counts says, and as refusal_confirmation says, a refusal"
        " counts once an operator confirms it",
    ),
    Rule(
        "refusal_window", 1, "rolling_month",
        "each counted refusal",
        "002 p.12",
        "the Rules say 'within one month'; calendar_month is the alternative reading",
    ),
    Rule(
        "refusal_withholding_counts", 0, "switch",
        "each refusal on a lawful ground (state, commercial or other protected secret)",
        "002 p.11-12",
        "0: a lawful withholding is recorded but does not count towards the threshold"
        " (p.11 allows it); 1: it counts like a plain refusal",
    ),
    Rule(
        "refusal_confirmation", 1, "switch",
        "each refusal an agency records",
        "the center's own policy (002 p.12 is silent)",
        "1: an operator confirms each refusal before it counts; 0: it counts, and the"
        " threshold is checked, when the agency refuses",
    ),
    Rule(
        "refusal_binds_central", 1, "switch",
        "each counted refusal by a central state body",
        "002 p.11-12",
        "1: its refusals count towards the threshold and the notice (p.12 names central"
        " state bodies); 0: they are recorded and reported, never notified",
    ),
    Rule(
        "refusal_binds_local", 1, "switch",
        "each counted refusal by a local executive body",
        "002 p.11-12",
        "1: its refusals count towards the threshold and the notice (p.12 names local"
        " executive bodies); 0: they are recorded and reported, never notified",
    ),
    Rule(
        "refusal_binds_provider", 0, "switch",
        "each counted refusal by a service provider that is not a state body",
        "002 p.2(7), p.11-12",
        "0: p.11-12 bind only central state bodies and local executive bodies, so a"
        " provider's refusal (a joint-stock company's) is recorded and reported, never"
        " notified; 1: it counts like a state body's",
    ),
    Rule(
        "escalation_answer", 3, "working_days",
        "the UCC's request to the agency",
        "the center's own policy (002 p.10-11 set no term)",
        "no law sets how fast an agency must answer the UCC",
    ),
    Rule(
        "complaint_agency", 5, "working_days",
        "the registration of the complaint",
        "004 art.25(2)",
        "the agency (or provider, or the State Corporation) that the complaint is about"
        " decides it",
    ),
    Rule(
        "complaint_quality_body", 15, "working_days",
        "the registration of the complaint by the quality-control body",
        "004 art.25(2)",
        "a complaint to the authorized body for the quality of public services",
    ),
    Rule(
        "complaint_extension", 10, "working_days",
        "the end of the term being extended",
        "004 art.25(4)",
        "at most; for an additional study, an inspection or a visit on site",
    ),
    Rule(
        "complaint_extension_notice", 3, "working_days",
        "the extension of the term",
        "004 art.25(4)",
        "the applicant is told of the extension and its reasons",
    ),
    Rule(
        "complaint_response", 5, "working_days",
        "the center's request to the agency (the complaint forwarded)",
        "the center's own policy, after 004 art.25(2)",
        "when the center expects the agency's response, to pass it on to the citizen",
    ),
    Rule(
        "complaint_repeat_window", 30, "calendar_days",
        "the earlier complaint's registration",
        "the center's own policy",
        "a second complaint by the same citizen on the same service within it is flagged"
        " for an operator as a repeat appeal",
    ),
    Rule(
        "monthly_report", 5, "calendar_date",
        "the end of the reported month",
        "002 p.14",
        "by the 5th of the next month; when that is not a working day, earlier",
    ),
)


def _value_problem(key: str, rule: Rule, value: object) -> str | None:
    """What is wrong with a setting's value for the rule's unit, or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{key}: value must be a whole number, got {value!r}"
    minimum = _MINIMUM[rule.unit]
    if value < minimum:
        return f"{key}: value must be at least {minimum}, got {value}"
    maximum = _MAXIMUM.get(rule.unit)
    if maximum is not None and value > maximum:
        what = "day of month" if rule.unit == "calendar_date" else "value"
        return f"{key}: {what} must be at most {maximum}, got {value}"
    return None


class Policy:
    """The rules in force: the defaults with the operator's settings applied."""

    def __init__(self, rules: Mapping[str, Rule] = DEFAULT_RULES) -> None:
        self._rules: Mapping[str, Rule] = MappingProxyType(dict(rules))

    @classmethod
    def from_overrides(
        cls,
        overrides: Mapping[str, int],
        *,
        units: Mapping[str, str] | None = None,
        defaults: Mapping[str, Rule] = DEFAULT_RULES,
    ) -> Policy:
        """Apply settings: new values, and optionally a unit from the same family.

        Every problem (an unknown key, a value out of range, a unit that does not fit)
        is reported at once.
        """
        units = units or {}
        problems: list[str] = []
        unknown = sorted((set(overrides) | set(units)) - set(defaults))
        if unknown:
            problems.append(
                f"unknown policy key(s): {', '.join(unknown)}"
                f" (known: {', '.join(sorted(defaults))})"
            )
        rules = dict(defaults)
        for key, unit in units.items():
            if key not in rules:
                continue
            current = rules[key].unit
            if not any(unit in family and current in family for family in _UNIT_FAMILIES):
                problems.append(f"{key}: unit {unit!r} cannot replace {current!r}")
                continue
            rules[key] = replace(rules[key], unit=cast(Unit, unit))
        for key, value in overrides.items():
            if key not in rules:
                continue
            problem = _value_problem(key, rules[key], value)
            if problem is not None:
                problems.append(problem)
                continue
            rules[key] = replace(rules[key], value=value)
        if problems:
            raise PolicyError(problems)
        return cls(rules)

    @property
    def rules(self) -> Mapping[str, Rule]:
        return self._rules

    def rule(self, key: str) -> Rule:
        try:
            return self._rules[key]
        except KeyError:
            raise PolicyError([f"unknown policy key: {key}"]) from None

    def switched_on(self, key: str) -> bool:
        """Whether a yes/no rule is on."""
        rule = self.rule(key)
        if rule.unit != "switch":
            raise PolicyError([f"{key}: counted in {rule.unit}, not a yes/no choice"])
        return rule.value == 1

    def due(self, key: str, start: date, calendar: WorkCalendar) -> date:
        """The deadline of a day-counted rule whose period starts on ``start``."""
        rule = self.rule(key)
        if rule.unit == "working_days":
            return calendar.add_working_days(start, rule.value)
        if rule.unit == "calendar_days":
            end = start + timedelta(days=rule.value)
            # The general rule on terms: one whose last day is not a working day ends on
            # the next working day.
            return end if calendar.is_working_day(end) else calendar.next_working_day(end)
        raise PolicyError([f"{key}: counted in {rule.unit}, not in days; due() cannot date it"])

    def monthly_due(self, key: str, month: date, calendar: WorkCalendar) -> date:
        """The deadline of a ``calendar_date`` rule for the month containing ``month``:
        that day of the next month, or the last working day before it."""
        rule = self.rule(key)
        if rule.unit != "calendar_date":
            raise PolicyError([f"{key}: counted in {rule.unit}, not a day of the month"])
        if month.month == _DECEMBER:
            target = date(month.year + 1, 1, rule.value)
        else:
            target = date(month.year, month.month + 1, rule.value)
        return calendar.previous_working_day_on_or_before(target)


__all__ = ["DEFAULT_RULES", "OWN_POLICY", "UNITS", "Policy", "PolicyError", "Rule", "Unit"]
