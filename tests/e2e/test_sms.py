"""The SMS channel end to end: the fake Jasmin posts MO to the bot's real HTTP endpoints,
the real processor answers, the real sender sends MT back through Jasmin's /send."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.channels.sms import texts
from bot.notify.notifier import Notifier
from bot.runners.sms import SmsRuntime, gateway_from
from bot.texts.i18n import gettext_for
from knowledge import escalations, inbox
from knowledge.clock import FixedClock
from knowledge.db.tables import ConversationRow, InboxRow, OutboxRow
from knowledge.db.uow import UnitOfWork
from knowledge.sms.segments import segments
from knowledge.staff import SYSTEM, Actor, Role
from tests.e2e.conftest import MakeSms
from tests.e2e.sms_fixtures import PATH_TOKEN, SmsHarness
from tests.e2e.telegram_fixtures import REFERENCE, demo_entry, demo_entry_asked, free_port
from tests.fakes.jasmin import ACK, FakeJasmin

KZ = "+77011234567"
RU = "+77771234567"
# Tuesday 1 December 2026, 11:00 in Astana.
MORNING = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def tr(lang: str, msgid: str) -> str:
    return gettext_for(lang).gettext(msgid)


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]


async def test_a_russian_conversation_is_answered_by_ucs2_sms_with_its_options(
    sms: SmsHarness,
) -> None:
    [reply] = await sms.ask(RU, "Какие документы нужны для удостоверения личности?")
    assert reply.coding == "8" and reply.to == RU.lstrip("+")
    assert reply.fields["dlr"] == "yes" and reply.fields["dlr-url"] == sms.dlr_url
    answer = demo_entry("mvd.id-card.documents")["answer"]["ru"]
    assert reply.text.startswith(first_sentence(answer))
    assert reply.text.endswith("1 — документы, 2 — стоимость, 3 — срок.")
    assert segments(reply.text) <= 3

    [section] = await sms.ask(RU, "2")  # the fee section of the same service's card
    assert section.text.startswith("Стоимость: Стоимость бланка")


async def test_a_kazakh_conversation_is_answered_in_kazakh(sms: SmsHarness) -> None:
    [reply] = await sms.ask(KZ, "Жеке куәлік алу үшін не керек?")
    answer = demo_entry("mvd.id-card.documents")["answer"]["kk"]
    assert reply.text.startswith(answer.split(",")[0])
    assert "1 — құжаттар, 2 — төлем, 3 — мерзім" in reply.text
    [helped] = await sms.ask(KZ, "КӨМЕК")
    assert helped.text == tr("kk", texts.HELP)


async def test_a_clarify_is_a_numbered_list_and_a_bare_number_picks(sms: SmsHarness) -> None:
    [choices] = await sms.ask(RU, "Выдают ли удостоверение личности в выходные дни?")
    lines = choices.text.split("\n")
    assert lines[0] == tr("ru", texts.CLARIFY)
    assert [line[:2] for line in lines[1:]] == ["1.", "2.", "3.", "0 "]
    assert segments(choices.text) <= 3
    [picked] = await sms.ask(RU, "2")
    answer = demo_entry_asked(lines[2][3:], "ru")["answer"]["ru"]
    assert picked.text.startswith(answer[:60])  # an answer may be cut to fit the SMS


async def test_a_bare_number_after_the_choice_window_picks_nothing_and_loses_nothing(
    sms: SmsHarness,
) -> None:
    """The list of a clarify is gone once the conversation's window has passed: a late
    "2" (or "0", which would pass the question on) asks for words instead of answering
    from a list the citizen may no longer have in mind; the message is kept all the same."""
    sms.app.clock = FixedClock(MORNING)
    question = "Выдают ли удостоверение личности в выходные дни?"
    [choices] = await sms.ask(RU, question)
    assert choices.text.split("\n")[0] == tr("ru", texts.CLARIFY)

    window = timedelta(minutes=sms.app.settings.sms_choice_window_min)
    sms.app.clock = FixedClock(MORNING + window + timedelta(seconds=1))
    [late] = await sms.ask(RU, "2")
    [late_zero] = await sms.ask(RU, "0")

    assert late.text == late_zero.text == tr("ru", texts.NO_CHOICE)
    async with sms.app.uow() as uow:
        assert await escalations.list_escalations(uow, SYSTEM) == []
        said = list(await uow.session.scalars(
            select(ConversationRow.text).where(ConversationRow.direction == "in")
            .order_by(ConversationRow.id)))
    assert said == [question, "2", "0"]
    assert [r.status for r in await sms.rows(InboxRow)] == [inbox.InboxStatus.PROCESSED] * 3
    # asked again, the list is fresh and a number picks from it
    [again] = await sms.ask(RU, question)
    [picked] = await sms.ask(RU, "2")
    second = demo_entry_asked(again.text.split("\n")[2][3:], "ru")
    assert picked.text.startswith(second["answer"]["ru"][:60])


async def test_an_escalation_gets_a_reference_and_the_agency_answer_comes_back_by_sms(
    sms: SmsHarness,
) -> None:
    [escalated] = await sms.ask(RU, "Какие документы нужны?")
    reference = REFERENCE.search(escalated.text)
    assert reference is not None
    clock = FixedClock(datetime.now(UTC))
    long_answer = "Верблюдов на Марсе не регистрируют. " * 12
    async with sms.app.uow() as uow:
        await escalations.answer(uow, reference.group(), text_ru=long_answer,
                                 actor=Actor("Админ", Role.ADMIN), clock=clock)
        assert await Notifier(clock, 3).pending_escalation_outcomes(uow) == 1
        await uow.commit()
    sms.runtime.replies.set()  # type: ignore[union-attr]
    await sms.wait(lambda: len(sms.fake.sent_to(RU)) == 2, "the agency's answer by SMS")
    delivered = sms.fake.sent_to(RU)[1].text
    assert reference.group() in delivered and "Верблюдов на Марсе не регистрируют." in delivered
    assert segments(delivered) <= 3


async def test_a_question_whose_service_is_not_identified_is_said_to_go_to_the_staff(
    sms: SmsHarness,
) -> None:
    """Issue 18, item 2: a question in the operators' triage is not said to be with an
    agency, in either language."""
    sms.app.clock = FixedClock(MORNING)
    [ru] = await sms.ask(RU, "Какие документы нужны?")
    assert REFERENCE.search(ru.text) is not None
    assert "сотрудникам контакт-центра" in ru.text and "госорган" not in ru.text
    [kk] = await sms.ask(KZ, "Қандай құжаттар керек?")
    assert REFERENCE.search(kk.text) is not None
    assert "қызметкерлеріне" in kk.text and "мемлекеттік орган" not in kk.text


async def test_an_agency_answer_too_long_for_one_sms_comes_in_parts_on_reply_1(
    sms: SmsHarness,
) -> None:
    """Not silently cut: the first part ends "1 — продолжение", each "1" brings the next,
    and together they are the whole answer, each part within UCC_SMS_MAX_PARTS."""
    [escalated] = await sms.ask(RU, "Какие документы нужны?")
    reference = REFERENCE.search(escalated.text)
    assert reference is not None
    clock = FixedClock(datetime.now(UTC))
    long_answer = " ".join(f"Пункт {n}: верблюдов на Марсе не регистрируют." for n in range(12))
    async with sms.app.uow() as uow:
        await escalations.answer(uow, reference.group(), text_ru=long_answer,
                                 actor=Actor("Админ", Role.ADMIN), clock=clock)
        assert await Notifier(clock, 3).pending_escalation_outcomes(uow) == 1
        await uow.commit()
    sms.runtime.replies.set()  # type: ignore[union-attr]
    await sms.wait(lambda: len(sms.fake.sent_to(RU)) == 2, "the agency's answer by SMS")
    more = tr("ru", texts.CONTINUED)
    assert more == "1 — продолжение"
    parts = [sms.fake.sent_to(RU)[1].text]
    while parts[-1].endswith(more):
        [next_part] = await sms.ask(RU, "1")
        parts.append(next_part.text)
    assert len(parts) >= 2 and all(segments(p) <= 3 for p in parts)
    assert reference.group() in parts[0] and tr("ru", texts.MORE) not in parts[-1]
    said = " ".join(p.removesuffix(more) for p in parts)
    assert said.split()[-len(long_answer.split()):] == long_answer.split()
    [after] = await sms.ask(RU, "1")  # nothing more to continue
    assert after.text == tr("ru", texts.NO_CHOICE)


async def test_a_duplicate_mo_is_stored_and_answered_once(sms: SmsHarness) -> None:
    first = await sms.post(RU, "Сколько стоит паспорт?", id="dup-1")
    again = await sms.post(RU, "Сколько стоит паспорт?", id="dup-1")
    lost = await sms.post(KZ, "Төлқұжат қанша тұрады?", id="lost-ack", lose_acks=1)
    assert first.acknowledged and again.acknowledged
    assert len(lost.attempts) == 2  # Jasmin did not get the first ACK and delivered again
    await sms.settled()
    assert [r.external_id for r in await sms.rows(InboxRow)] == ["jasmin:dup-1",
                                                                 "jasmin:lost-ack"]
    assert len(sms.fake.sent_to(RU)) == 1 and len(sms.fake.sent_to(KZ)) == 1


async def test_a_long_answer_is_cut_to_three_segments_at_a_sentence_end(
    sms: SmsHarness,
) -> None:
    [reply] = await sms.ask(RU, "Через сколько дней будет готово удостоверение личности?")
    body = reply.text.rsplit("\n", 1)[0]
    answer = demo_entry("mvd.id-card.term")["answer"]["ru"]
    assert segments(answer + "\n" + reply.text.rsplit("\n", 1)[1]) > 3
    assert segments(reply.text) <= 3
    assert answer.startswith(body) and body.endswith(".")


async def test_stop_is_honoured_until_start(sms: SmsHarness) -> None:
    [confirmation] = await sms.ask(RU, "СТОП")
    assert confirmation.text == tr("ru", texts.STOPPED)
    await sms.post(RU, "Сколько стоит паспорт?")
    await sms.post(RU, "STOP")
    await sms.settled()
    assert len(sms.fake.sent_to(RU)) == 1  # nothing after the one confirmation
    [started] = await sms.ask(KZ, "ТОҚТА")
    assert started.text == tr("kk", texts.STOPPED)
    [back] = await sms.ask(RU, "СТАРТ")
    assert back.text == tr("ru", texts.STARTED)
    [answer] = await sms.ask(RU, "Сколько стоит паспорт?")
    assert answer.text != back.text


async def test_delivery_reports_move_the_outbox_forward_only(sms: SmsHarness) -> None:
    [reply] = await sms.ask(RU, "Сколько стоит паспорт?")
    assert await sms.fake.post_dlr(sms.dlr_url, reply.message_id, "ESME_ROK", level=1) == (
        200, "ACK/Jasmin")
    assert (await sms.rows(OutboxRow))[0].delivery == "ACCEPTD"
    await sms.fake.post_dlr(sms.dlr_url, reply.message_id, "DELIVRD")
    await sms.fake.post_dlr(sms.dlr_url, reply.message_id, "ACCEPTD")  # late
    [row] = await sms.rows(OutboxRow)
    assert row.external_id == reply.message_id and row.delivery == "DELIVRD"


async def test_quotas_send_one_notice(make_sms: MakeSms) -> None:
    sms = await make_sms(sms_quota_hour=2)
    for text in ("Сколько стоит паспорт?", "Сколько стоит паспорт?"):
        await sms.ask(RU, text)
    [notice] = await sms.ask(RU, "Сколько стоит паспорт?")
    assert notice.text == tr("ru", texts.QUOTA)
    await sms.post(RU, "Сколько стоит паспорт?")
    await sms.settled()
    assert len(sms.fake.sent_to(RU)) == 3
    assert len(await sms.rows(InboxRow)) == 4  # every message kept


async def test_the_daily_quota_sends_one_notice_and_the_next_day_is_answered(
    make_sms: MakeSms,
) -> None:
    sms = await make_sms(sms_quota_hour=10, sms_quota_day=3)
    question = "Сколько стоит паспорт?"
    for hours in (0, 2, 4):  # a few a day, never near the hourly quota
        sms.app.clock = FixedClock(MORNING + timedelta(hours=hours))
        [answer] = await sms.ask(RU, question)
        assert answer.text != tr("ru", texts.QUOTA)
    sms.app.clock = FixedClock(MORNING + timedelta(hours=6))
    [notice] = await sms.ask(RU, question)
    assert notice.text == tr("ru", texts.QUOTA)
    for hours in (8, 20):  # more within the day: silence, not another notice
        sms.app.clock = FixedClock(MORNING + timedelta(hours=hours))
        await sms.post(RU, question)
        await sms.settled()
    assert len(sms.fake.sent_to(RU)) == 4
    assert len(await sms.rows(InboxRow)) == 6  # every message kept

    # the day is the last 24 hours, silenced messages included: two in it now
    sms.app.clock = FixedClock(MORNING + timedelta(hours=32, minutes=1))
    [again] = await sms.ask(RU, question)
    assert again.text == answer.text


async def test_a_message_not_stored_is_not_acknowledged_and_the_redelivery_stored_once(
    sms: SmsHarness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The base fails at the commit of the first delivery: Jasmin gets no ``ACK/Jasmin``,
    so it delivers the message again, which is stored (once) and answered (once)."""
    store_many, failures = inbox.store_many, list[bool]()

    async def commit_fails_once(uow: UnitOfWork, *args: object) -> set[str]:
        if not failures:
            async def disk_full() -> None:
                failures.append(True)
                raise OperationalError("COMMIT", None, Exception("disk I/O error"))
            uow.commit = disk_full  # type: ignore[method-assign]
        return await store_many(uow, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(inbox, "store_many", commit_fails_once)
    result = await sms.post(RU, "Сколько стоит паспорт?", id="once-1")

    assert failures == [True]
    assert result.attempts == [(500, "not stored"), (200, ACK)]
    await sms.wait(lambda: len(sms.fake.sent_to(RU)) == 1, "the answer")
    await sms.settled()
    assert [r.external_id for r in await sms.rows(InboxRow)] == ["jasmin:once-1"]
    assert len(sms.fake.sent_to(RU)) == 1


async def test_a_gateway_error_is_retried_and_the_sms_sent_once(sms: SmsHarness) -> None:
    sms.fake.fail_sends = [500]
    await sms.post(RU, "Сколько стоит паспорт?")
    await sms.wait(lambda: len(sms.fake.sent_to(RU)) == 1, "the retried SMS")
    await sms.settled()
    [row] = await sms.rows(OutboxRow)
    assert row.status == "sent" and row.attempts == 2 and len(sms.fake.sent) == 1


async def test_jasmin_posts_need_the_path_token_and_an_allowed_address(
    make_sms: MakeSms, jasmin: FakeJasmin,
) -> None:
    sms = await make_sms(sms_allow_ips="10.0.0.0/8, 192.168.1.7")
    refused = await jasmin.post_mo(sms.mo_url, RU, "Сколько стоит паспорт?", max_attempts=1)
    assert refused.attempts == [(403, "forbidden")]
    wrong = sms.mo_url.replace(PATH_TOKEN, "guess")
    assert (await jasmin.post_mo(wrong, RU, "Привет", max_attempts=1)).attempts[0][0] == 404
    assert await sms.rows(InboxRow) == []


async def test_behind_a_trusted_balancer_the_forwarded_address_is_checked(
    make_sms: MakeSms, jasmin: FakeJasmin,
) -> None:
    """The balancer (here 127.0.0.1) is trusted: Jasmin's address in X-Forwarded-For is
    what the allow-list sees; an address a client wrote further left proves nothing."""
    sms = await make_sms(sms_allow_ips="10.0.0.5", trusted_proxies="127.0.0.1")
    text = "Сколько стоит паспорт?"
    assert (await jasmin.post_mo(sms.mo_url, RU, text, forwarded_for="10.0.0.5",
                                 max_attempts=1)).acknowledged
    for chain in ("10.0.0.6", "10.0.0.5, 10.0.0.6", None):
        refused = await jasmin.post_mo(sms.mo_url, RU, text, forwarded_for=chain,
                                       max_attempts=1)
        assert refused.attempts == [(403, "forbidden")], chain
    assert len(await sms.rows(InboxRow)) == 1


async def test_without_trusted_proxies_a_forwarded_address_is_ignored(
    make_sms: MakeSms, jasmin: FakeJasmin,
) -> None:
    sms = await make_sms(sms_allow_ips="10.0.0.5")
    forged = await jasmin.post_mo(sms.mo_url, RU, "Привет", forwarded_for="10.0.0.5",
                                  max_attempts=1)
    assert forged.attempts == [(403, "forbidden")]


# ---- the generic signed webhook

SECRET = "hook-Secret-1414"


@pytest.fixture
async def aggregator() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A tiny aggregator receiving the bot's signed MT."""
    received: list[dict[str, Any]] = []

    async def send(request: web.Request) -> web.Response:
        body = await request.read()
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert request.headers["X-UCC-Signature"] == expected
        received.append(json.loads(body))
        return web.json_response({"id": f"agg-{len(received)}"})

    app = web.Application()
    app.router.add_post("/mt", send)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}/mt", received
    await runner.cleanup()


async def test_the_generic_webhook_refuses_unsigned_posts_and_answers_signed_ones(
    make_sms: MakeSms, aggregator: tuple[str, list[dict[str, Any]]],
) -> None:
    url, received = aggregator
    sms = await make_sms(sms_gateway="webhook", sms_webhook_secret=SECRET,
                         sms_webhook_send_url=url)
    body = json.dumps({"id": "m-1", "from": "87011234567", "to": "1414",
                       "text": "Сколько стоит паспорт?"}).encode()
    good = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-UCC-Signature": "sha256=" + "0" * 64}):
            async with http.post(sms.base + "/sms/webhook", data=body,
                                 headers=headers) as response:
                assert response.status == 401
        assert await sms.rows(InboxRow) == []
        async with http.post(sms.base + "/sms/webhook", data=body,
                             headers={"X-UCC-Signature": good}) as response:
            assert response.status == 200
    await sms.wait(lambda: len(received) == 1, "the answer through the aggregator")
    assert received[0]["to"] == "+77011234567"
    await sms.settled()
    [row] = await sms.rows(OutboxRow)
    assert row.external_id == "agg-1"


async def test_sms_alone_runs_the_jobs_and_serves_health(make_sms: MakeSms) -> None:
    """With no Telegram token, ``ucc run`` serves SMS alone: the escalation scheduler still
    delivers the agency's answer (nobody calls it by hand here) and /healthz answers."""
    sms = await make_sms(alone=True)
    [escalated] = await sms.ask(RU, "Какие документы нужны?")
    reference = REFERENCE.search(escalated.text)
    assert reference is not None
    async with sms.app.uow() as uow:
        await escalations.answer(uow, reference.group(), text_ru="Не регистрируют.",
                                 actor=Actor("Админ", Role.ADMIN),
                                 clock=FixedClock(datetime.now(UTC)))
        await uow.commit()
    # the scheduler ticks every minute; a restart makes it tick now
    await sms.stop()
    gateway = gateway_from(sms.app.settings)
    assert gateway is not None
    await sms.start(SmsRuntime(sms.app, gateway, alone=True))
    await sms.wait(lambda: len(sms.fake.sent_to(RU)) == 2, "the agency's answer by SMS")
    assert "Не регистрируют." in sms.fake.sent_to(RU)[1].text
    async with aiohttp.ClientSession() as http, http.get(sms.base + "/healthz") as response:
        assert response.status == 200


async def test_outgoing_sms_carry_the_configured_sender(
    make_sms: MakeSms, aggregator: tuple[str, list[dict[str, Any]]],
) -> None:
    """``UCC_SMS_FROM`` is Jasmin's ``from`` and the generic webhook's ``"from"``."""
    sms = await make_sms(sms_from="1414")
    [reply] = await sms.ask(RU, "Какие документы нужны для удостоверения личности?")
    assert reply.fields["from"] == "1414"
    await sms.stop()

    url, received = aggregator
    sms = await make_sms(sms_gateway="webhook", sms_webhook_secret=SECRET,
                         sms_webhook_send_url=url, sms_from="1414")
    body = json.dumps({"id": "m-2", "from": "87011234567", "to": "1414",
                       "text": "Сколько стоит паспорт?"}).encode()
    signed = {"X-UCC-Signature": "sha256=" + hmac.new(SECRET.encode(), body,
                                                      hashlib.sha256).hexdigest()}
    async with aiohttp.ClientSession() as http, http.post(
            sms.base + "/sms/webhook", data=body, headers=signed) as response:
        assert response.status == 200
    await sms.wait(lambda: len(received) == 1, "the answer through the aggregator")
    assert received[0]["from"] == "1414"
