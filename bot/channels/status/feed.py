"""Stage updates from providers land here (``ucc status import``, ``POST /status/updates``):
applied in one transaction with the notices to every citizen who asked about a changed
application, each in their language."""

from __future__ import annotations

from bot.app import App
from bot.texts.status import render_notice
from knowledge.status import FeedBatch, FeedResult, apply_updates


async def feed(app: App, batch: FeedBatch) -> FeedResult:
    """Apply the updates and queue the notices, then commit; ``InvalidFeed`` changes nothing."""
    async with app.uow() as uow:
        result = await apply_updates(uow, batch, app.status_desk.stages, app.clock)
        for notice in result.notices:
            app.notifier.citizen(uow, citizen_id=notice.citizen_id, channel=notice.channel,
                                 address=notice.address, lang=notice.lang,
                                 text=render_notice(notice))
        await uow.commit()
    return result
