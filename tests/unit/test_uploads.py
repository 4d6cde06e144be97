"""Which stored updates carry a file the update processor downloads before the
transaction: an information file, not a protocol's signed scan."""

from __future__ import annotations

import pytest

from bot.channels.telegram.uploads import Document, document_of
from knowledge.onboarding.acceptance import names_protocol_scan


def message_with(document: dict[str, object] | None, caption: str | None = None
                 ) -> dict[str, object]:
    message: dict[str, object] = {"message_id": 1, "chat": {"id": 5}, "from": {"id": 5}}
    if document is not None:
        message["document"] = document
    if caption is not None:
        message["caption"] = caption
    return {"update_id": 1, "message": message}


@pytest.mark.parametrize("caption", ["protocol 701001", "Хаттама 701001", "ПРОТОКОЛ 1"])
def test_a_protocol_scan_is_named_by_its_caption_and_not_downloaded(caption: str) -> None:
    assert names_protocol_scan(caption)
    assert document_of(message_with({"file_id": "f1", "file_size": 10}, caption)) is None


@pytest.mark.parametrize("caption", [None, "", "701001", "protocols are attached"])
def test_an_information_file_is_downloaded(caption: str | None) -> None:
    assert not names_protocol_scan(caption)
    assert document_of(message_with({"file_id": "f1", "file_size": 10}, caption)) == Document(
        "f1", 10, 5)


def test_a_message_without_a_document_has_nothing_to_download() -> None:
    assert document_of(message_with(None)) is None
    assert document_of({"update_id": 2, "callback_query": {"id": "c"}}) is None
