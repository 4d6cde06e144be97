"""The status of an application end to end: a provider pushes stages to the bot's HTTP
server with its bearer token; citizens ask in Telegram (through the fake Bot API), give
their IIN, and learn the stage in their language; a wrong IIN and an unknown number get the
same neutral answer; five failures within an hour lock the citizen out for the rest of it;
a stage change reaches whoever asked. The IIN is in no stored update, conversation log,
outgoing message or log line once handled."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import ClientSession
from sqlalchemy import select

from bot.channels.status.feed import feed
from bot.channels.status.http import STATUS_PATH
from bot.logs import RedactingFilter
from bot.texts.i18n import gettext_for
from bot.texts.status import TEXTS
from knowledge.clock import FixedClock
from knowledge.db.tables import ApplicationRow, ConversationRow, EscalationRow, UnansweredRow
from knowledge.status import Reply, load_stages, parse_csv
from knowledge.status.providers import add_provider
from tests.e2e.telegram_fixtures import Harness

MakeHarness = Callable[..., Awaitable[Harness]]
IIN, OTHER_IIN = "951212400158", "750315400232"
NUMBER = "KZ-1001"
RU_CHAT, KK_CHAT, GUESSER = 840_001, 840_002, 840_003
CSV = ("application_no,provider,stage,iin,updated_at\n"
       f"{NUMBER},egov,received,{IIN},2026-12-01T10:00:00+05:00\n"
       f"A-77,akimat,in_review,{OTHER_IIN},2026-12-01T10:00:00+05:00\n")


def said(lang: str, reply: Reply, **values: str) -> str:
    """A status text as the citizen reads it."""
    text = gettext_for(lang).gettext(TEXTS[reply])
    return html.escape(text.format(**{"number": "", "stage": "", "updated": "", **values}),
                       quote=False)


# The day of the stage written out by Babel, then the local time.
UPDATED = {"kk": "2026\u202fж. 1 желтоқсан, 10:00", "ru": "1 декабря 2026, 10:00"}


def stage_text(lang: str, stage: str, updated: str) -> str:
    return said(lang, Reply.STAGE, number=NUMBER, stage=load_stages()[stage].text(lang),
                updated=updated)


class Provider:
    """A service provider posting to the bot's HTTP server."""

    def __init__(self, h: Harness, token: str) -> None:
        self.url = f"http://127.0.0.1:{h.app.settings.http_port}{STATUS_PATH}"
        self.token = token

    async def post(self, body: Any, token: str | None = "") -> tuple[int, Any]:
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token or self.token}"
        async with ClientSession() as http, http.post(self.url, json=body,
                                                      headers=headers) as response:
            return response.status, await response.json()


async def started(make_harness: MakeHarness, **overrides: Any) -> tuple[Harness, Provider,
                                                                        Provider]:
    h = await make_harness(**overrides)
    h.app.clock = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    tokens = {}
    for name in ("egov", "akimat"):
        async with h.app.uow() as uow:
            tokens[name] = (await add_provider(uow, name, h.app.clock))[1]
    await feed(h.app, parse_csv(CSV.encode(), h.app.status_desk.stages))
    await h.start()
    return h, Provider(h, tokens["egov"]), Provider(h, tokens["akimat"])


def texts(calls: list[Any]) -> list[str]:
    return [str(call.params["text"]) for call in calls]


async def test_a_citizen_learns_the_stage_in_russian_and_in_kazakh_and_hears_of_a_change(
    make_harness: MakeHarness, masked_records: list[logging.LogRecord],
) -> None:
    h, egov, _ = await started(make_harness)

    asked_ru = await h.ask(RU_CHAT, f"статус заявки {NUMBER}", lang="ru")
    told_ru = await h.ask(RU_CHAT, IIN, lang="ru")
    asked_kk = await h.ask(KK_CHAT, "өтінім мәртебесі kz-1001", lang="kk")
    told_kk = await h.ask(KK_CHAT, IIN, lang="kk")
    status, body = await egov.post({"application_no": NUMBER, "stage": "ready",
                                    "updated_at": "2026-12-02T09:30:00+05:00"})
    await h.wait_replies(RU_CHAT, 3)
    await h.wait_replies(KK_CHAT, 3)
    await h.settled()

    assert texts(asked_ru) == [said("ru", Reply.ASK_IIN, number=NUMBER)]
    assert texts(told_ru) == [stage_text("ru", "received", UPDATED["ru"])]
    assert "Заявка принята" in texts(told_ru)[0]
    assert texts(asked_kk) == [said("kk", Reply.ASK_IIN, number=NUMBER)]
    assert texts(told_kk) == [stage_text("kk", "received", UPDATED["kk"])]
    assert "Өтінім қабылданды" in texts(told_kk)[0]
    assert (status, body["changed"], body["notified"]) == (200, 1, 2)
    assert texts(h.replies(RU_CHAT)[-1:]) == [
        "Статус вашей заявки KZ-1001 изменился: Результат готов, его можно получить."]
    assert texts(h.replies(KK_CHAT)[-1:]) == [
        "KZ-1001 өтініміңіздің мәртебесі өзгерді: Нәтиже дайын, оны алуға болады."]

    # The IIN was handled, and is kept nowhere in clear.
    assert not [row for row in await h.inbox_rows()
                if IIN in json.dumps(row.payload, ensure_ascii=False)]
    assert not [row for row in await h.outbox_rows()
                if IIN in json.dumps(row.payload, ensure_ascii=False)]
    async with h.app.uow() as uow:
        logged = list(await uow.session.scalars(select(ConversationRow.text)))
    assert "[IIN]" in logged and not [text for text in logged if IIN in text]
    # Nor in any log record, at any level, as `ucc run` makes them: masked when made
    # (aiosqlite's DEBUG lines carry SQL parameters, the raw update among them).
    records = masked_records
    assert records
    assert not [r for r in records if IIN in r.getMessage()]
    assert not [r for r in records if r.levelno >= logging.INFO and IIN in r.getMessage()]
    masking = RedactingFilter()
    assert not [r for r in records if masking.filter(r) and IIN in r.getMessage()]


async def test_a_wrong_iin_and_an_unknown_number_get_the_same_neutral_answer(
    make_harness: MakeHarness,
) -> None:
    h, _, _ = await started(make_harness)

    await h.ask(GUESSER, f"где моя заявка {NUMBER}")
    wrong_iin = await h.ask(GUESSER, OTHER_IIN)
    await h.ask(GUESSER, "статус заявки KZ-9999")
    unknown = await h.ask(GUESSER, IIN)
    await h.ask(GUESSER, f"статус заявки {NUMBER}")
    not_an_iin = await h.ask(GUESSER, "951212400159")  # the control digit is wrong
    right = await h.ask(GUESSER, IIN)

    assert texts(wrong_iin) == texts(unknown) == [said("ru", Reply.NOT_FOUND)]
    assert texts(not_an_iin) == [said("ru", Reply.INVALID_IIN)]
    assert texts(right) == [stage_text("ru", "received", UPDATED["ru"])]


async def test_five_failures_within_an_hour_lock_the_citizen_out_until_the_hour_is_over(
    make_harness: MakeHarness,
) -> None:
    h, _, _ = await started(make_harness)
    clock = h.app.clock
    assert isinstance(clock, FixedClock)
    for n in range(5):
        clock.at += timedelta(minutes=1)
        await h.ask(GUESSER, f"статус заявки KZ-{9000 + n}")
        assert texts(await h.ask(GUESSER, IIN)) == [said("ru", Reply.NOT_FOUND)]

    locked = await h.ask(GUESSER, f"статус заявки {NUMBER}")
    clock.at += timedelta(minutes=55)  # the first failure is 59 minutes old
    still = await h.ask(GUESSER, f"статус заявки {NUMBER}")
    clock.at += timedelta(minutes=1)  # and now an hour: four failures in the window
    released = await h.ask(GUESSER, f"статус заявки {NUMBER}")
    told = await h.ask(GUESSER, IIN)

    assert texts(locked) == [html.escape(gettext_for("ru").ngettext(
        "Too many unsuccessful attempts. Please try again in {minutes} minute.",
        "Too many unsuccessful attempts. Please try again in {minutes} minutes.", 56,
    ).format(minutes=56))]
    assert "56 минут." in texts(locked)[0]
    assert "1 минуту." in texts(still)[0]
    assert texts(released) == [said("ru", Reply.ASK_IIN, number=NUMBER)]
    assert texts(told) == [stage_text("ru", "received", UPDATED["ru"])]


async def test_other_text_leaves_the_inquiry_and_is_answered_as_a_question(
    make_harness: MakeHarness,
) -> None:
    h, _, _ = await started(make_harness)

    await h.ask(RU_CHAT, "📄 Статус заявки")
    asked = await h.ask(RU_CHAT, NUMBER)
    cancelled = await h.ask(RU_CHAT, "отмена")
    await h.ask(RU_CHAT, f"статус заявки {NUMBER}")
    question = await h.ask(RU_CHAT, "Сколько стоит паспорт?")
    late_iin = await h.ask(RU_CHAT, IIN)

    assert texts(asked) == [said("ru", Reply.ASK_IIN, number=NUMBER)]
    assert texts(cancelled) == [said("ru", Reply.CANCELLED)]
    assert said("ru", Reply.ASK_IIN, number=NUMBER) not in texts(question)
    assert not [t for t in texts(late_iin) if "Заявка принята" in t]


async def test_the_providers_endpoint_checks_the_token_the_owner_and_the_stage(
    make_harness: MakeHarness,
) -> None:
    h, egov, akimat = await started(make_harness)
    update = {"application_no": NUMBER, "stage": "in_review"}

    no_token = await egov.post(update, token=None)
    wrong_token = await egov.post(update, token="not-a-token")
    not_its_own = await akimat.post(update)
    bad_stage = await egov.post([update, {"application_no": NUMBER, "stage": "lost"}])
    stored = await egov.post([update, {"application_no": "KZ-1002", "stage": "received",
                                       "iin": OTHER_IIN}])

    assert no_token[0] == 401 and wrong_token[0] == 401
    assert not_its_own == (403, {"problems": [
        "application_no: the application belongs to another provider"]})
    assert bad_stage[0] == 422
    assert "[1].stage: unknown stage 'lost' (known: received, in_review, documents_requested,"\
           " ready, issued, refused)" in bad_stage[1]["problems"]
    assert "[1].application_no: the same application as [0]" in bad_stage[1]["problems"]
    assert stored[0] == 200 and (stored[1]["added"], stored[1]["changed"]) == (1, 1)
    async with h.app.uow() as uow:
        rows = await uow.session.execute(select(ApplicationRow.number, ApplicationRow.stage))
        stages = {number: stage for number, stage in rows}
    assert stages == {NUMBER: "in_review", "A-77": "in_review", "KZ-1002": "received"}


async def test_the_endpoint_shares_the_server_with_the_telegram_webhook(
    make_harness: MakeHarness,
) -> None:
    h, egov, _ = await started(make_harness, receiver="webhook")

    asked = await h.ask(RU_CHAT, f"статус заявки {NUMBER}")
    status, _ = await egov.post({"application_no": NUMBER, "stage": "issued"})

    assert texts(asked) == [said("ru", Reply.ASK_IIN, number=NUMBER)]
    assert status == 200


async def test_status_requests_are_understood_as_people_write_them(
    make_harness: MakeHarness,
) -> None:
    """Issue 17: a number with a full stop after it, "мой ИИН …" while the bot waits for
    it, and the number and the IIN in one message."""
    h, _, _ = await started(make_harness)

    asked = await h.ask(RU_CHAT, f"Статус {NUMBER}.")
    told = await h.ask(RU_CHAT, f"мой ИИН {IIN}")
    at_once = await h.ask(KK_CHAT, f"мәртебе {NUMBER} ЖСН {IIN}", lang="kk")

    assert texts(asked) == [said("ru", Reply.ASK_IIN, number=NUMBER)]
    assert texts(told) == [stage_text("ru", "received", UPDATED["ru"])]
    assert texts(at_once) == [stage_text("kk", "received", UPDATED["kk"])]
    assert not [row for row in await h.inbox_rows()
                if IIN in json.dumps(row.payload, ensure_ascii=False)]
    async with h.app.uow() as uow:
        logged = list(await uow.session.scalars(select(ConversationRow.text)))
    assert not [text for text in logged if IIN in text]


async def test_an_iin_after_a_timed_out_inquiry_or_a_lockout_is_not_passed_on_as_a_question(
    make_harness: MakeHarness,
) -> None:
    h, _, _ = await started(make_harness)
    clock = h.app.clock
    assert isinstance(clock, FixedClock)

    await h.ask(RU_CHAT, f"статус заявки {NUMBER}")
    clock.at += timedelta(minutes=11)  # the bot waited ten minutes for the IIN
    late = await h.ask(RU_CHAT, IIN)
    for n in range(5):
        await h.ask(GUESSER, f"статус заявки KZ-{9000 + n}")
        await h.ask(GUESSER, IIN)
    await h.ask(GUESSER, f"статус заявки {NUMBER}")  # locked out
    after_lockout = await h.ask(GUESSER, f"ИИН {IIN}")

    assert texts(late) == [said("ru", Reply.UNEXPECTED_IIN)]
    assert len(texts(after_lockout)) == 1
    assert texts(after_lockout)[0].startswith(html.escape(gettext_for("ru").ngettext(
        "Too many unsuccessful attempts. Please try again in {minutes} minute.",
        "Too many unsuccessful attempts. Please try again in {minutes} minutes.", 60,
    ).split("{minutes}")[0]))
    async with h.app.uow() as uow:
        escalated = list(await uow.session.scalars(select(EscalationRow)))
        unanswered = list(await uow.session.scalars(select(UnansweredRow)))
    assert escalated == [] and unanswered == []
    assert not [row for row in await h.inbox_rows()
                if IIN in json.dumps(row.payload, ensure_ascii=False)]
