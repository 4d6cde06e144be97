"""Issue 17: clarify choices name their service whenever the choices span services — on
Telegram's buttons (within the 64-byte callback limit, of a readable length), in the SMS
options and in the terminal chat; choices of one service stay as they were."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from knowledge.choices import SHORT_NAME_MAX
from tests.e2e.conftest import Cli, describe
from tests.e2e.sms_fixtures import SmsHarness
from tests.e2e.telegram_fixtures import (
    CALLBACK_DATA_LIMIT,
    Harness,
    demo_entry,
    inline_buttons,
)

MakeHarness = Callable[..., Awaitable[Harness]]
SPANNING = "Сколько стоит справка?"  # the address certificate's fee, or the criminal record's
# What tells the two services apart ("Выдача адресной справки с места жительства" /
# "Выдача справки о наличии или отсутствии судимости"), as the choices name them.
ADDRESS, CRIMINAL = "адресной справки с места жительства", "справки о наличии или отсутствии"
BUTTON_MAX = 80


async def test_telegram_choices_of_two_services_name_each_service(
    make_harness: MakeHarness,
) -> None:
    h, chat = await make_harness(), 750_001
    await h.start()

    [choices] = await h.ask(chat, SPANNING)
    [one_service] = await h.ask(chat, "паспорт")

    picks = [b for b in inline_buttons(choices) if str(b["callback_data"]).startswith("pick:")]
    assert len(picks) >= 2  # noqa: PLR2004
    labelled = [str(b["text"]) for b in picks]
    assert any(text.endswith(f"({ADDRESS})") for text in labelled), labelled
    assert any(CRIMINAL in text for text in labelled), labelled
    assert all(len(text) <= BUTTON_MAX for text in labelled)
    assert all(len(str(b["callback_data"]).encode()) <= CALLBACK_DATA_LIMIT
               for b in inline_buttons(choices))
    titles = {demo_entry("mvd.passport.documents")["questions"]["ru"][0]}
    plain = [str(b["text"]) for b in inline_buttons(one_service)
             if str(b["callback_data"]).startswith("pick:")]
    assert titles & set(plain), plain  # one service: the question alone


async def test_sms_choices_of_two_services_name_each_service(sms: SmsHarness) -> None:
    [choices] = await sms.ask("+77771234567", SPANNING)

    lines = choices.text.split("\n")[1:-1]
    assert lines and all(line.endswith(")") for line in lines), choices.text
    assert any("адресной" in line for line in lines), choices.text
    assert any("судимост" in line or "наличии" in line for line in lines), choices.text


def test_the_terminal_chat_names_the_services_of_its_choices(seeded_cli: Cli) -> None:
    result = seeded_cli("chat", "--lang", "ru", stdin=f"{SPANNING}\n/quit\n")

    assert result.returncode == 0, describe(result)
    assert f"({ADDRESS})" in result.stdout, result.stdout
    assert len(ADDRESS) <= SHORT_NAME_MAX
