"""Recognising a status request in either language, and the stage vocabulary's checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.errors import InvalidInput
from knowledge.status import load_stages, recognise
from knowledge.status.inquiry import Request


@pytest.mark.parametrize(("text", "number", "lang"), [
    ("статус заявки 12345", "12345", "ru"),
    ("Статус заявки № KZ-2026-001?", "KZ-2026-001", "ru"),
    ("где моя заявка 12345", "12345", "ru"),
    ("СТАТУС 12345", "12345", "ru"),
    ("өтінім мәртебесі 12345", "12345", "kk"),
    ("мәртебе 12345", "12345", "kk"),
    ("otinim martebesi 12345", "12345", "kk"),
    ("мәртебе", None, "kk"),
    ("status 777", "777", None),
])
def test_a_status_request_is_recognised_with_its_number(
    text: str, number: str | None, lang: str | None
) -> None:
    assert recognise(text) == Request(number, lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "сколько стоит паспорт",
    "статус услуги паспорт",
    "какой статус у многодетной семьи",
    "880101300123",
])
def test_other_text_is_not_a_status_request(text: str) -> None:
    assert recognise(text) is None


def test_the_shipped_vocabulary_has_both_languages() -> None:
    stages = load_stages()
    assert {"received", "in_review", "documents_requested", "ready", "issued",
            "refused"} <= set(stages)
    assert stages["ready"].text("kk") != stages["ready"].text("ru")


def test_a_vocabulary_without_a_language_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stages.json"
    path.write_text(json.dumps({"received": {"ru": "Принята"}, "Bad Code": {}}), "utf-8")
    with pytest.raises(InvalidInput) as error:
        load_stages(path)
    assert "received: no text in kk" in str(error.value)
    assert "'Bad Code' is not a stage code" in str(error.value)
