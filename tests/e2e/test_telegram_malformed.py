"""Whatever an update contains, it costs only itself: a malformed one is parked with its
reason at once, the citizens after it are answered, and health and metrics show it."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.monitoring import STUCK_S, Metrics, health
from knowledge.clock import FixedClock
from knowledge.inbox import InboxStatus
from tests.e2e.telegram_fixtures import Harness
from tests.fakes.bot_api import callback_update, message_update

MakeHarness = Callable[..., Awaitable[Harness]]
GOOD_CHAT = 771_002


def broken(case: str) -> dict[str, Any]:
    update = message_update(771_001, "Сколько стоит паспорт?", language_code="ru")
    message = update["message"]
    if case == "chat id a list":
        message["chat"]["id"] = [1, 2]
    elif case == "chat a number":
        message["chat"] = 771_001
    elif case == "text a dict":
        message["text"] = {"oops": True}
    elif case == "from a list":
        message["from"] = ["x"]
    elif case == "date a word":
        message["date"] = "yesterday"
    elif case == "callback without data type":
        update = callback_update(771_001, "pick:1", message_id=1, language_code="ru")
        update["callback_query"]["data"] = ["pick", 1]
    return update


CASES = ["chat id a list", "chat a number", "text a dict", "from a list",
         "date a word", "callback without data type"]


@pytest.mark.parametrize("case", CASES)
async def test_a_malformed_update_is_parked_with_its_reason_and_the_next_citizen_is_answered(
    make_harness: MakeHarness, case: str,
) -> None:
    h = await make_harness()
    await h.start()
    await h.deliver(copy.deepcopy(broken(case)))
    [answer] = await h.ask(GOOD_CHAT, "Сколько стоит загранпаспорт?")
    assert "МРП" in answer.params["text"]
    rows = await h.inbox_rows()
    statuses = sorted(row.status for row in rows)
    assert statuses == [InboxStatus.PARKED, InboxStatus.PROCESSED], [
        (row.status, row.last_error) for row in rows]
    [parked] = [row for row in rows if row.status == InboxStatus.PARKED]
    assert parked.last_error and "invalid update" in parked.last_error
    # nothing keeps trying it: processing again finds nothing to do
    assert h.runtime is not None
    assert await h.runtime.processor.process_pending() == 0


async def test_health_and_metrics_show_parked_and_stuck_updates(make_harness: MakeHarness) -> None:
    h = await make_harness()
    await h.start()
    await h.deliver(broken("chat id a list"))
    await h.settled()
    healthy, report = await health(h.app)
    assert healthy and report["inbox_parked"] == 1 and report["inbox"] == "ok"
    metrics = Metrics()
    await metrics.refresh(h.app)
    assert metrics.inbox_parked.labels("telegram")._value.get() == 1  # type: ignore[attr-defined]


async def test_health_turns_red_when_updates_wait_unprocessed(make_harness: MakeHarness) -> None:
    """Receiving goes on while processing has stopped: citizens wait, so /healthz says so."""
    h = await make_harness()
    clock = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    h.app.clock = clock
    await h.deliver(message_update(GOOD_CHAT, "Сколько стоит паспорт?", language_code="ru"))
    healthy, report = await health(h.app)
    assert healthy and report["inbox"] == "ok"
    clock.at += timedelta(seconds=STUCK_S + 1)  # nobody processed it
    healthy, report = await health(h.app)
    assert not healthy and report["inbox"] == "stuck"
    assert report["inbox_wait_s"] > STUCK_S
