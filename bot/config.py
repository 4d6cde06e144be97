"""Settings: one pydantic-settings class, read once in ``main()``; tests pass values."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.length import QUESTION_MAX_CHARS
from knowledge.matching.decision import Thresholds
from knowledge.matching.params import Params, fitted_params

Lang = Literal["kk", "ru"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'ucc.sqlite3'}"


_DEFAULT = Thresholds()
# The fewest SMS segments a reply may take (see ``Settings._sms_carries_a_choice``).
SMS_MIN_PARTS: Final = 2


class MatcherSettings(BaseModel):
    """The answer engine's decision thresholds (``UCC_MATCHER__ANSWER_MIN`` …)."""

    answer_min: float = _DEFAULT.answer_min
    answer_margin: float = _DEFAULT.answer_margin
    service_margin: float = _DEFAULT.service_margin
    clarify_min: float = _DEFAULT.clarify_min
    clarify_band: float = _DEFAULT.clarify_band
    clarify_share: float = _DEFAULT.clarify_share
    named_answer_min: float = _DEFAULT.named_answer_min
    named_service_margin: float = _DEFAULT.named_service_margin
    # The weights and calibrations scripts/fit learnt from packs' own questions
    # (knowledge/matching/params.json) instead of the hand-set ones.
    fitted: bool = False

    def params(self) -> Params | None:
        return fitted_params() if self.fitted else None

    def thresholds(self) -> Thresholds:
        """The settings' thresholds; with fitted parameters, those scripts/fit chose for
        their weights (the scores' scale), except where a setting names a value."""
        params = self.params()
        base = params.thresholds if params is not None and params.thresholds else _DEFAULT
        return replace(base, **{name: getattr(self, name) for name in self.model_fields_set
                                if name in Thresholds.__dataclass_fields__})


class StatusSettings(BaseModel):
    """Application status (``UCC_STATUS__MAX_FAILURES`` …): the citizen's lockout, how long
    the bot waits for the IIN, the stage vocabulary, and whether to serve the providers'
    endpoint while polling (None: when at least one provider is registered)."""

    max_failures: int = 5
    failure_window_min: int = 60
    inquiry_ttl_min: int = 10
    stages_file: Path | None = None
    serve_http: bool | None = None


class OutboxSettings(BaseModel):
    """The delivery policy (``UCC_OUTBOX__RETRY_HOURS``…): see ``knowledge.outbox``."""

    retry_hours: float = Field(default=24.0, gt=0)
    resend_uncertain: int = Field(default=1, ge=0, le=3)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="UCC_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    database_url: str = DEFAULT_DATABASE_URL
    # Conversations (the words, the stored updates) are kept this long, then purged.
    retention_days: int = 180
    # Redis, shared by several instances (rate limits, flood pacing); unset: in memory.
    redis_url: str | None = None
    default_lang: Lang = "kk"
    # What `ucc run` and `ucc work` log (DEBUG shows the SQL, masked like every line).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    matcher: MatcherSettings = Field(default_factory=MatcherSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    # A citizen's message longer than this (characters) is not matched: they are asked to
    # write briefly, and it is kept cut to this length with its original length.
    message_max_chars: int = Field(default=QUESTION_MAX_CHARS, ge=1)

    # Telegram (the token is a secret: never logged, never shown)
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    webhook_base_url: str | None = None  # when set, `ucc run` uses <base>/telegram/webhook
    webhook_secret: SecretStr | None = None
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    # Telegram's overall limit for a bot (messages a second, all instances together).
    telegram_per_second: int = 30
    # With long polling too, serve /healthz and /metrics (and the providers' endpoint).
    serve_http: bool = True

    # The operators' and agencies' web console: its own listener, never the webhook's.
    serve_console: bool = True
    console_host: str = "127.0.0.1"
    console_port: int = 8081
    console_base_url: str | None = None  # as people reach it; default http://host:port
    console_secret: SecretStr | None = None  # cookie key; default one kept in the database
    # A citizen sending more than this many messages in FLOOD_WINDOW_S is asked to wait;
    # every message is still stored and answered, at this pace.
    flood_messages: int = 5
    flood_window_s: float = 10.0
    # Processes that answer updates beside the one that receives and sends (`ucc run
    # --workers`); 0 answers in the main process. One per spare core.
    workers: int = 0

    # Onboarding: the legal deadlines (policy table overrides, e.g. UCC_POLICY__INFO_UPDATE=5),
    # the calendar's decree file (default: the shipped one), the bot's @username for invites.
    policy: dict[str, int] = Field(default_factory=dict)
    calendar_file: Path | None = None
    telegram_bot_username: str | None = None

    # E-mail to agencies (official letters, reminders), through the outbox. Unset host: no
    # e-mail is sent (letters wait in the outbox).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "1414@localhost"
    smtp_starttls: bool = False

    # The quality-control body (002 p.12, p.14): refusal notices and the monthly report go
    # to this address; unset, they wait for an operator to send them by hand.
    qc_email: str | None = None
    # SMS (see README "SMS"): the gateway adapter ("" = off), Jasmin's HTTP API and login,
    # the secret path token and IP allow-list of Jasmin's posts (empty: loopback only), the
    # generic webhook's HMAC secret and where it sends, the base URL the gateway reaches the
    # bot at (for delivery reports), segments per reply, quotas and the choice window.
    sms_gateway: Literal["", "jasmin", "webhook"] = ""
    jasmin_url: str = "http://127.0.0.1:1401"
    jasmin_user: str = ""
    jasmin_password: SecretStr | None = None
    sms_path_token: SecretStr | None = None
    sms_allow_ips: str = ""
    # Load balancers whose X-Forwarded-For names the real sender (addresses or CIDR blocks);
    # empty: the header is ignored.
    trusted_proxies: str = ""
    sms_webhook_secret: SecretStr | None = None
    sms_webhook_send_url: str | None = None
    sms_callback_url: str | None = None  # default http://<UCC_HTTP_HOST>:<UCC_HTTP_PORT>
    sms_max_parts: int = Field(default=3, le=10)
    # The sender the citizen sees (Jasmin's `from`, the webhook's "from"); unset: the
    # gateway's own default.
    sms_from: str | None = None
    sms_quota_hour: int = 10
    sms_quota_day: int = 30
    sms_choice_window_min: int = 30

    @field_validator("sms_max_parts")
    @classmethod
    def _sms_carries_a_choice(cls, parts: int) -> int:
        """One segment (70 Kazakh or Russian characters) holds neither a numbered choice
        with its "0" nor "passed to the agency" with the reference number."""
        if parts < SMS_MIN_PARTS:
            raise ValueError(
                f"UCC_SMS_MAX_PARTS must be at least {SMS_MIN_PARTS}: one SMS of 70 "
                "characters cannot carry a numbered choice with its 0, or an escalation's "
                "reference number in a whole sentence")
        return parts

    # Policy units within a family (e.g. UCC_POLICY_UNITS__REFUSAL_WINDOW=calendar_month).
    policy_units: dict[str, str] = Field(default_factory=dict)

    # Application status (Law on Public Services art. 23(4)).
    status: StatusSettings = Field(default_factory=StatusSettings)
