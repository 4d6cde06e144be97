"""The policy table holds domain.md's deadlines, dates them on the calendar and takes settings."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.app import deadlines_from
from bot.config import Settings
from knowledge.calendar import WorkCalendar
from knowledge.policy import DEFAULT_RULES, Policy, PolicyError


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.kazakhstan()


# domain.md, §Onboarding and the sections on escalation, refusals and the monthly report.
DOMAIN_TABLE = [
    ("request_sent", 3, "working_days", "002 p.4"),
    ("responsible_appointed", 3, "working_days", "002 p.5"),
    ("information_provided", 5, "working_days", "002 p.5"),
    ("training_held", 10, "working_days", "002 p.8"),
    ("activation", 5, "working_days", "002 p.9"),
    ("info_update", 3, "working_days", "004 art.23(2)"),
    ("responsible_replaced", 5, "working_days", "002 p.7"),
    ("refusal_notice", 3, "working_days", "002 p.12"),
    ("refusal_threshold", 2, "count", "002 p.12"),
    ("refusal_window", 1, "rolling_month", "002 p.12"),
    ("refusal_withholding_counts", 0, "switch", "002 p.11-12"),
    ("refusal_confirmation", 1, "switch", "the center's own policy"),
    # who p.12 binds, by the registry's kind of agency (002 p.2: other providers take part)
    ("refusal_binds_central", 1, "switch", "002 p.11-12"),
    ("refusal_binds_local", 1, "switch", "002 p.11-12"),
    ("refusal_binds_provider", 0, "switch", "002 p.2(7), p.11-12"),
    ("escalation_answer", 3, "working_days", "the center's own policy"),
    # 002 p.8 sets no term for the protocol: the center's own target after the training
    ("protocol_signed", 3, "working_days", "the center's own policy"),
    ("monthly_report", 5, "calendar_date", "002 p.14"),
    ("complaint_agency", 5, "working_days", "004 art.25(2)"),
    ("complaint_quality_body", 15, "working_days", "004 art.25(2)"),
    ("complaint_extension", 10, "working_days", "004 art.25(4)"),
    ("complaint_extension_notice", 3, "working_days", "004 art.25(4)"),
    ("complaint_response", 5, "working_days", "the center's own policy"),
    ("complaint_repeat_window", 30, "calendar_days", "the center's own policy"),
]


@pytest.mark.parametrize(("key", "value", "unit", "source"), DOMAIN_TABLE)
def test_policy_defaults_equal_the_domain_table(
    key: str, value: int, unit: str, source: str
) -> None:
    rule = DEFAULT_RULES[key]

    assert (rule.key, rule.value, rule.unit) == (key, value, unit)
    assert rule.source.startswith(source)
    assert rule.starts_from


def test_the_policy_table_has_exactly_the_domain_rules() -> None:
    assert set(DEFAULT_RULES) == {key for key, *_ in DOMAIN_TABLE}


def test_the_law_wins_over_the_rules_for_an_information_update() -> None:
    rule = DEFAULT_RULES["info_update"]

    assert rule.value == 3
    assert "002 p.6" in rule.note
    assert "5" in rule.note


def test_rules_and_the_table_cannot_be_changed_in_place() -> None:
    policy = Policy()

    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.rule("request_sent").value = 9  # type: ignore[misc]
    with pytest.raises(TypeError):
        policy.rules["request_sent"] = DEFAULT_RULES["activation"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("key", "start", "expected"),
    [
        ("request_sent", date(2026, 3, 20), date(2026, 3, 30)),  # over Nauryz
        ("activation", date(2026, 5, 6), date(2026, 5, 15)),  # over 7 and moved 9 May
        ("training_held", date(2025, 12, 12), date(2025, 12, 29)),  # over Independence Day
        ("responsible_appointed", date(2024, 12, 31), date(2025, 1, 8)),  # worked Sunday, 7 Jan
        ("escalation_answer", date(2026, 2, 6), date(2026, 2, 11)),  # Friday start
    ],
)
def test_due_counts_working_days_on_the_calendar(
    calendar: WorkCalendar, key: str, start: date, expected: date
) -> None:
    assert Policy().due(key, start, calendar) == expected


def test_an_override_changes_a_due_date(calendar: WorkCalendar) -> None:
    start = date(2026, 2, 2)

    assert Policy().due("info_update", start, calendar) == date(2026, 2, 5)
    assert Policy.from_overrides({"info_update": 5}).due("info_update", start, calendar) == date(
        2026, 2, 9
    )


def test_an_override_leaves_the_other_rules_alone() -> None:
    policy = Policy.from_overrides({"refusal_threshold": 3})

    assert policy.rule("refusal_threshold").value == 3
    assert policy.rule("refusal_threshold").source == "002 p.12"
    assert {k: r for k, r in policy.rules.items() if k != "refusal_threshold"} == {
        k: r for k, r in DEFAULT_RULES.items() if k != "refusal_threshold"
    }


def test_an_unknown_override_key_is_refused_naming_it() -> None:
    with pytest.raises(PolicyError) as caught:
        Policy.from_overrides({"request_sent": 4, "reqest_sent": 4, "zzz": 1})

    assert "reqest_sent, zzz" in str(caught.value)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"training_held": -1}, "training_held: value must be at least 0"),
        ({"refusal_threshold": 0}, "refusal_threshold: value must be at least 1"),
        ({"monthly_report": 31}, "monthly_report: day of month must be at most 28"),
        ({"activation": True}, "activation: value must be a whole number"),
        ({"refusal_confirmation": 2}, "refusal_confirmation: value must be at most 1"),
        ({"refusal_withholding_counts": -1},
         "refusal_withholding_counts: value must be at least 0"),
    ],
)
def test_an_override_out_of_range_is_refused(overrides: dict[str, int], expected: str) -> None:
    with pytest.raises(PolicyError, match=expected):
        Policy.from_overrides(overrides)


def test_the_refusal_switches_are_settings_with_the_protocols_reading_by_default() -> None:
    assert not Policy().switched_on("refusal_withholding_counts")
    assert Policy().switched_on("refusal_confirmation")
    changed = Settings(_env_file=None, policy={  # type: ignore[call-arg]
        "refusal_withholding_counts": 1, "refusal_confirmation": 0})
    policy = deadlines_from(changed).policy
    assert policy.switched_on("refusal_withholding_counts")
    assert not policy.switched_on("refusal_confirmation")
    with pytest.raises(PolicyError, match="not a yes/no choice"):
        policy.switched_on("refusal_threshold")


def test_the_refusal_window_can_be_read_as_a_calendar_month() -> None:
    policy = Policy.from_overrides({}, units={"refusal_window": "calendar_month"})

    assert policy.rule("refusal_window").unit == "calendar_month"


def test_a_unit_from_another_family_is_refused() -> None:
    with pytest.raises(PolicyError, match="request_sent: unit 'count' cannot replace"):
        Policy.from_overrides({}, units={"request_sent": "count"})


def test_a_calendar_day_deadline_ending_on_a_day_off_moves_to_the_next_working_day(
    calendar: WorkCalendar,
) -> None:
    policy = Policy.from_overrides({}, units={"escalation_answer": "calendar_days"})

    assert policy.due("escalation_answer", date(2026, 2, 2), calendar) == date(2026, 2, 5)
    # Thursday 19 March + 3 = Sunday 22 March, inside Nauryz: the next working day.
    assert policy.due("escalation_answer", date(2026, 3, 19), calendar) == date(2026, 3, 26)


@pytest.mark.parametrize("key", ["refusal_threshold", "refusal_window", "monthly_report"])
def test_due_refuses_rules_not_counted_in_days(calendar: WorkCalendar, key: str) -> None:
    with pytest.raises(PolicyError, match=key):
        Policy().due(key, date(2026, 2, 2), calendar)


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(PolicyError, match="unknown policy key: nope"):
        Policy().rule("nope")


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (date(2026, 2, 1), date(2026, 3, 5)),  # Thursday 5 March is a working day
        (date(2026, 3, 31), date(2026, 4, 3)),  # 5 April is a Sunday: Friday before
        (date(2025, 6, 15), date(2025, 7, 4)),  # 5 July is a Saturday: Friday before
        (date(2025, 12, 1), date(2026, 1, 5)),  # December's report in the next year
    ],
)
def test_the_monthly_report_is_due_by_the_5th_or_earlier(
    calendar: WorkCalendar, month: date, expected: date
) -> None:
    assert Policy().monthly_due("monthly_report", month, calendar) == expected


def test_monthly_due_refuses_a_rule_counted_in_days(calendar: WorkCalendar) -> None:
    with pytest.raises(PolicyError, match="not a day of the month"):
        Policy().monthly_due("request_sent", date(2026, 2, 1), calendar)


def test_a_term_the_rules_do_not_set_is_labelled_the_centers_own_policy() -> None:
    policy = Policy()
    # 002 p.8: the protocol is drawn up after the training, with no term
    assert policy.rule("protocol_signed").own_policy
    assert policy.rule("escalation_answer").own_policy
    assert not policy.rule("training_held").own_policy
    assert not policy.rule("activation").own_policy
    assert not policy.rule("responsible_replaced").own_policy
