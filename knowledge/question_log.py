"""The question log: every citizen's question and the engine's decision, for the monthly
report (answered by the bot, clarified, escalated, by agency). Staged in bulk with the turn."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.clock import Clock
from knowledge.db.tables import QUESTION_LOG
from knowledge.db.uow import UnitOfWork
from knowledge.model import Answer, Decision, EntryInfo


def log_question(
    uow: UnitOfWork, channel: str, answer: Answer, entries: Mapping[str, EntryInfo],
    clock: Clock,
) -> None:
    """The agency is the answered entry's, else the best candidate's (None: nothing close)."""
    key = answer.entry if answer.decision == Decision.ANSWER else (
        answer.candidates[0].entry if answer.candidates else None)
    entry = entries.get(key) if key is not None else None
    uow.stage(QUESTION_LOG, {
        "channel": channel, "lang": answer.lang, "decision": answer.decision.value,
        "entry_key": answer.entry if answer.decision == Decision.ANSWER else None,
        "agency": entry.service.agency if entry is not None else None, "at": clock.now(),
    })
