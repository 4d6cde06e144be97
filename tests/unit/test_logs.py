"""No token, secret or IIN ever reaches a log line, not even inside an exception."""

from __future__ import annotations

import io
import logging

from bot.logs import MaskingRecords, RedactingFilter, mask, mask_records
from knowledge.iin import REDACTED, redact

TOKEN = "7012345678:AAHk3-very_secret_token_value_1234567"


def capture(secrets: tuple[str, ...] = ()) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(secrets))
    logger = logging.getLogger(f"test.logs.{id(stream)}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_an_iin_is_masked_but_its_ends_stay_for_support() -> None:
    assert mask("ЖСН 990101300123 бойынша") == "ЖСН 99********23 бойынша"


def test_longer_digit_runs_are_not_taken_for_an_iin() -> None:
    assert mask("order 12345678901234") == "order 12345678901234"


def test_a_bot_token_is_masked_even_when_not_configured() -> None:
    assert TOKEN not in mask(f"GET https://api.telegram.org/bot{TOKEN}/getMe")


def test_log_arguments_and_exceptions_are_masked() -> None:
    logger, stream = capture((TOKEN, "webhook-secret"))
    logger.info("citizen %s wrote with secret %s", "880512400111", "webhook-secret")
    try:
        raise RuntimeError(f"cannot reach /bot{TOKEN}/sendMessage")
    except RuntimeError:
        logger.exception("send failed")
    text = stream.getvalue()
    assert "880512400111" not in text and "88********11" in text
    assert "webhook-secret" not in text
    assert TOKEN not in text
    assert "RuntimeError" in text


def test_a_phone_number_is_masked_however_it_is_written() -> None:
    for written in ("+77011234567", "8 701 123 45 67", "+7 (701) 123-45-67", "87011234567"):
        masked = mask(f"from {written} today")
        assert "1234" not in masked and masked.endswith("67 today"), masked


def test_ids_that_are_not_phone_numbers_stay() -> None:
    assert mask("update 123456789 chat 5550001 Q-261201-00001") == (
        "update 123456789 chat 5550001 Q-261201-00001")


def test_records_are_masked_when_made_for_every_handler() -> None:
    """A handler without the filter (a library's, a test's) still gets masked records."""
    stream = io.StringIO()
    logger = logging.getLogger(f"test.logs.factory.{id(stream)}")
    logger.handlers[:] = [logging.StreamHandler(stream)]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    undo = mask_records((TOKEN,))
    try:
        mask_records((TOKEN,))  # again (a second configure_logging): replaced, not wrapped
        factory = logging.getLogRecordFactory()
        assert isinstance(factory, MaskingRecords)
        assert not isinstance(factory.base, MaskingRecords)
        logger.debug("executing %r", ("INSERT", "880512400111", TOKEN))
        logger.info("%d citizens", "not a number")  # a bad format must not raise here
    finally:
        undo()
    logger.debug("after %s", "880512400111")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "executing ('INSERT', '88********11', '***')"
    assert lines[1].startswith("'%d citizens' % ")
    assert lines[2] == "after 880512400111"  # undone: the factory before is back
    assert not isinstance(logging.getLogRecordFactory(), MaskingRecords)


def test_an_iin_in_groups_is_masked_as_storage_redacts_it() -> None:
    """The recogniser is storage's (knowledge.iin): whatever storage redacts, logs mask."""
    for written in ("880101 300123", "880101-300123", "8801 0130 0123", "880101\u00a0300123"):
        assert redact(written) == REDACTED, written
        masked = mask(f"ИИН {written} ok")
        assert masked == "ИИН 88********23 ok", masked


def test_a_message_with_cr_or_lf_stays_one_log_line() -> None:
    logger, stream = capture()
    forged = "2026-12-07 07:00:00,000 ERROR bot.admin all staff removed"
    logger.info("citizen wrote %s", f"hello\r\n{forged}\nand\rmore")
    try:
        raise ValueError(f"bad input\n{forged}")
    except ValueError:
        logger.exception("handler failed")
    lines = stream.getvalue().splitlines()
    assert not [line for line in lines if line.startswith(forged)], lines
    assert lines[0] == f"citizen wrote hello\\r\\n{forged}\\nand\\rmore"
    assert all(line.startswith("    ") for line in lines[3:]), lines  # the traceback's lines
