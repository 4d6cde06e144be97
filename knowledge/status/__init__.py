"""The status of a citizen's application (Law on Public Services art. 23(4); 002 p.13):
the stage vocabulary, the Monitoring IS adapter, providers' feeds and the citizen's
inquiry. No aiogram here: Telegram and SMS render the same results."""

from knowledge.status.feed import (
    FeedBatch,
    FeedResult,
    StageNotice,
    StageUpdate,
    apply_updates,
    parse_csv,
    parse_json,
)
from knowledge.status.inquiry import (
    Reply,
    StatusAnswer,
    StatusDesk,
    StatusPolicy,
    end_inquiry,
    recognise,
    start_inquiry,
    status_turn,
)
from knowledge.status.monitoring import ApplicationStage, LocalMonitoring, MonitoringIS
from knowledge.status.stages import DEFAULT_STAGES_FILE, Stage, Stages, load_stages

__all__ = [
    "DEFAULT_STAGES_FILE",
    "ApplicationStage",
    "FeedBatch",
    "FeedResult",
    "LocalMonitoring",
    "MonitoringIS",
    "Reply",
    "Stage",
    "StageNotice",
    "StageUpdate",
    "Stages",
    "StatusAnswer",
    "StatusDesk",
    "StatusPolicy",
    "apply_updates",
    "end_inquiry",
    "load_stages",
    "parse_csv",
    "parse_json",
    "recognise",
    "start_inquiry",
    "status_turn",
]
