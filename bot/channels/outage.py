"""An outage said out loud: a channel whose sends keep failing is warned about while it
lasts (every 5 minutes), and its end is logged, so operators learn of it before citizens
call. Nothing is given up meanwhile: the outbox retries by the delivery policy."""

from __future__ import annotations

import logging
from typing import Final

from knowledge.clock import Clock

log = logging.getLogger(__name__)
WARN_AFTER_S: Final = 60.0
WARN_EVERY_S: Final = 300.0


class OutageWatch:
    def __init__(self, channel: str, clock: Clock) -> None:
        self.channel = channel
        self.clock = clock
        self.failing_since: float | None = None  # the first failure with no success since
        self.warned_at = 0.0
        self.failures = 0

    def note(self, *, failed: int, delivered: int) -> None:
        """A round's transient failures and deliveries."""
        now = self.clock.now().timestamp()
        if delivered:
            if self.failing_since is not None and self.warned_at:
                log.warning("%s reachable again after %.0f s (%d failed sends meanwhile)",
                            self.channel, now - self.failing_since, self.failures)
            self.failing_since, self.warned_at, self.failures = None, 0.0, 0
            return
        if not failed:
            return
        self.failures += failed
        if self.failing_since is None:
            self.failing_since = now
        if now - self.failing_since >= WARN_AFTER_S and now - self.warned_at >= WARN_EVERY_S:
            self.warned_at = now
            log.warning("%s unreachable for %.0f s (%d failed sends): messages wait and are "
                        "retried for as long as the delivery policy keeps them",
                        self.channel, now - self.failing_since, self.failures)

    @property
    def failing_for(self) -> float:
        """Seconds the channel has been failing (0 when it is not)."""
        if self.failing_since is None:
            return 0.0
        return self.clock.now().timestamp() - self.failing_since
