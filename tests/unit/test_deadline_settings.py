"""The deadline settings reach the dates the app counts: ``UCC_POLICY__<RULE>`` (and
``UCC_POLICY_UNITS__<RULE>``) in the environment, through ``Settings`` to ``deadlines_from``."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import deadlines_from
from bot.config import Settings
from knowledge.policy import PolicyError

FRIDAY_BEFORE_NAURYZ = date(2026, 3, 20)


def settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_an_environment_override_moves_the_deadline_and_leaves_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UCC_POLICY__REQUEST_SENT", "1")

    deadlines = deadlines_from(settings())

    policy, calendar = deadlines.policy, deadlines.calendar
    # one working day after Friday 20 March: Nauryz (21-25) and the weekend skipped
    assert policy.due("request_sent", FRIDAY_BEFORE_NAURYZ, calendar) == date(2026, 3, 26)
    # the default 5 working days still date the information: 26, 27, 30, 31 March, 1 April
    assert policy.due("information_provided", FRIDAY_BEFORE_NAURYZ, calendar) == date(2026, 4, 1)


def test_without_settings_the_app_counts_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UCC_POLICY__REQUEST_SENT", raising=False)

    deadlines = deadlines_from(settings())

    assert deadlines.policy.due("request_sent", FRIDAY_BEFORE_NAURYZ,
                                deadlines.calendar) == date(2026, 3, 30)


def test_a_unit_setting_reaches_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UCC_POLICY_UNITS__REFUSAL_WINDOW", "calendar_month")

    assert deadlines_from(settings()).policy.rule("refusal_window").unit == "calendar_month"


def test_a_misspelt_policy_setting_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UCC_POLICY__REQUEST_SEND", "1")

    with pytest.raises(PolicyError, match="request_send"):
        deadlines_from(settings())
