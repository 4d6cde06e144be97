"""Factories: everything long-lived is built here from settings, nothing at import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.sms.inbound import sender_address
from bot.channels.telegram.updates import chat_address
from bot.config import Settings
from bot.limits import Limits, create_limits
from bot.notify.notifier import Notifier
from knowledge.asking import MatcherCache
from knowledge.calendar import WorkCalendar
from knowledge.clock import Clock, SystemClock
from knowledge.db.engine import create_engine, create_session_factory, migrate
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding import Deadlines
from knowledge.outbox import DeliveryPolicy
from knowledge.policy import Policy
from knowledge.privacy import PayloadAddress
from knowledge.sms.state import CHANNEL as SMS
from knowledge.status import StatusDesk, StatusPolicy, load_stages


@dataclass(frozen=True, slots=True)
class AppClock:
    """The app's clock as it is when asked (a replay or a test may set ``app.clock``)."""

    app: App

    def now(self) -> datetime:
        return self.app.clock.now()


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    matchers: MatcherCache
    clock: Clock

    @cached_property
    def deadlines(self) -> Deadlines:
        """Built on first use: most commands never count a deadline."""
        return deadlines_from(self.settings)

    @cached_property
    def delivery(self) -> DeliveryPolicy:
        """How long the senders retry through an outage; how often a send of unknown fate
        goes again."""
        outbox = self.settings.outbox
        return DeliveryPolicy(timedelta(hours=outbox.retry_hours), outbox.resend_uncertain)

    @cached_property
    def limits(self) -> Limits:
        """Rate limits: in this process, or in Redis shared by every instance."""
        return create_limits(self.settings.redis_url, AppClock(self))

    @cached_property
    def notifier(self) -> Notifier:
        """Tells citizens and staff on their channel, within the SMS limit."""
        return Notifier(AppClock(self), self.settings.sms_max_parts)

    @cached_property
    def status_desk(self) -> StatusDesk:
        """The stage vocabulary (checked on first use) and the lockout policy."""
        return status_desk_from(self.settings)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    async def close(self) -> None:
        if "limits" in self.__dict__:
            await self.limits.close()
        await self.engine.dispose()


async def create_app(settings: Settings, clock: Clock | None = None) -> App:
    """Open (and migrate) the database and make the shared pieces."""
    engine = create_engine(settings.database_url)
    await migrate(engine)
    return App(
        settings=settings,
        engine=engine,
        session_factory=create_session_factory(engine),
        matchers=MatcherCache(settings.matcher.thresholds(),
                              max_chars=settings.message_max_chars,
                              params=settings.matcher.params()),
        clock=clock or SystemClock(),
    )


def deadlines_from(settings: Settings) -> Deadlines:
    """The policy table with the settings' overrides, and Kazakhstan's calendar."""
    return Deadlines(Policy.from_overrides(settings.policy, units=settings.policy_units),
                     WorkCalendar.kazakhstan(settings.calendar_file))


def status_desk_from(settings: Settings) -> StatusDesk:
    status = settings.status
    return StatusDesk(load_stages(status.stages_file), StatusPolicy(
        max_failures=status.max_failures,
        failure_window=timedelta(minutes=status.failure_window_min),
        inquiry_ttl=timedelta(minutes=status.inquiry_ttl_min)))


def payload_address(channel: str) -> PayloadAddress | None:
    """How to tell whose a stored update of ``channel`` is (None: it stores none)."""
    return {"telegram": chat_address, SMS: sender_address}.get(channel)
