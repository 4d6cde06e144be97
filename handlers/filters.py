"""Magic filters (``F.text``, ``F.document``…) checked in the event loop.

Aiogram runs a filter that is a plain callable, a magic filter's ``resolve`` included, in
a worker thread (``asyncio.to_thread``): a thread hop for every such filter of every
router on every update, with the threads' allocations in another malloc arena. Wrapped
in an async ``Filter``, the same check runs inline.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject
from magic_filter import MagicFilter


class Magic(Filter):
    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> bool | dict[str, Any]:
        result = self.magic.resolve(event)
        return result if isinstance(result, dict) else bool(result)
