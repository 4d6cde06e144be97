"""Stage updates from providers on a real SQLite base: a CSV file lands whole or not at all,
every problem named by row and column; the same data twice changes nothing; a provider
touches only its own applications; the IIN is kept only as a salted hash."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.status.feed import feed
from knowledge.clock import FixedClock
from knowledge.db.tables import ApplicationRow
from knowledge.errors import InvalidFeed
from knowledge.iin import IinHash, matches
from knowledge.status import parse_csv, parse_json
from knowledge.status.providers import add_provider, provider_by_token

IIN_A, IIN_B = "951212400158", "750315400232"
HEADER = "application_no,provider,stage,iin,updated_at\n"
VALID = (HEADER + f"KZ-1001,egov,received,{IIN_A},2026-12-01T10:00:00+05:00\n"
         f"kz-1002,egov,in_review,{IIN_B},2026-12-01\n"
         f"A-77,akimat,ready,{IIN_A},\n")


async def _providers(app: App) -> dict[str, str]:
    app.clock = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    tokens = {}
    for name in ("egov", "akimat"):
        async with app.uow() as uow:
            tokens[name] = (await add_provider(uow, name, app.clock))[1]
    return tokens


async def _rows(app: App) -> dict[str, SimpleNamespace]:
    """The applications' columns, readable after the session is gone."""
    async with app.uow() as uow:
        return {r.number: SimpleNamespace(**{c.key: getattr(r, c.key)
                                             for c in ApplicationRow.__table__.columns})
                for r in await uow.session.scalars(select(ApplicationRow))}


async def test_a_valid_file_lands_whole_and_again_changes_nothing(app: App) -> None:
    await _providers(app)
    first = await feed(app, parse_csv(VALID.encode(), app.status_desk.stages))
    rows = await _rows(app)
    again = await feed(app, parse_csv(VALID.encode(), app.status_desk.stages))

    assert (first.added, first.changed) == (3, 0)
    assert sorted(rows) == ["A-77", "KZ-1001", "KZ-1002"]  # numbers upper-cased
    assert rows["KZ-1002"].stage == "in_review"
    assert IIN_B.encode() not in rows["KZ-1002"].iin_hash + rows["KZ-1002"].iin_salt
    assert matches(IIN_B, IinHash(rows["KZ-1002"].iin_salt, rows["KZ-1002"].iin_hash))
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    after = await _rows(app)
    assert {n: (r.stage, r.iin_salt, r.updated_at) for n, r in after.items()} == {
        n: (r.stage, r.iin_salt, r.updated_at) for n, r in rows.items()}


async def test_an_invalid_file_is_refused_whole_with_each_problem_by_row_and_column(
    app: App,
) -> None:
    await _providers(app)
    await feed(app, parse_csv(VALID.encode(), app.status_desk.stages))
    bad = (HEADER + "KZ-2001,egov,received,,\n"  # a new application needs the IIN
           "KZ-1001,egov,lost,951212400159,yesterday\n"
           "A-77,egov,issued,,\n"  # akimat's application
           ",nobody,ready,,\n"
           "KZ-2002,egov,ready,750315400232,\n"
           "KZ-2002,egov,issued,750315400232,\n")

    with pytest.raises(InvalidFeed) as refused:
        await feed(app, parse_csv(bad.encode(), app.status_desk.stages))

    problems = refused.value.problems
    assert "row 3, column stage: unknown stage 'lost' (known: received, in_review, " \
           "documents_requested, ready, issued, refused)" in problems
    assert "row 3, column iin: not a valid IIN (12 digits with the control digit)" in problems
    assert any(p.startswith("row 3, column updated_at: 'yesterday'") for p in problems)
    assert "row 5, column application_no: missing" in problems
    assert "row 5, column provider: unknown provider 'nobody' (ucc status provider add)" \
        in problems
    assert "row 7, column application_no: the same application as row 6" in problems
    assert "row 2, column iin: required for a new application" in problems
    assert "row 4, column application_no: the application belongs to another provider" \
        in problems
    assert refused.value.forbidden
    assert not any("951212400159" in p for p in problems)  # never the IIN itself
    rows = await _rows(app)
    assert sorted(rows) == ["A-77", "KZ-1001", "KZ-1002"]
    assert rows["KZ-1001"].stage == "received"


async def test_an_older_update_is_ignored_and_a_stage_change_is_counted(app: App) -> None:
    tokens = await _providers(app)
    await feed(app, parse_csv(VALID.encode(), app.status_desk.stages))
    async with app.uow() as uow:
        egov = await provider_by_token(uow, tokens["egov"])
    assert egov is not None

    older = await feed(app, parse_json(
        {"application_no": "KZ-1001", "stage": "issued", "updated_at": "2026-11-30"},
        egov, app.status_desk.stages))
    newer = await feed(app, parse_json(
        [{"application_no": "KZ-1001", "stage": "ready", "updated_at": "2026-12-02T09:00"}],
        egov, app.status_desk.stages))

    assert (older.stale, older.changed) == (1, 0)
    assert newer.changed == 1
    assert (await _rows(app))["KZ-1001"].stage == "ready"
