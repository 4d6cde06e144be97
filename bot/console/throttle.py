"""Sign-in throttling: after a few failures a name (and an address) waits before trying
again, so passwords cannot be guessed at speed. Kept in memory: the console is one
listener, and a restart forgetting a lockout costs an attacker a restart."""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timedelta
from typing import Final

from knowledge.clock import Clock

FAILURES: Final = 5
WINDOW: Final = timedelta(minutes=15)


class SigninThrottle:
    def __init__(self, clock: Clock, *, failures: int = FAILURES,
                 window: timedelta = WINDOW) -> None:
        self._clock = clock
        self._failures = failures
        self._window = window
        self._seen: defaultdict[str, deque[datetime]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[datetime]:
        times = self._seen[key]
        horizon = self._clock.now() - self._window
        while times and times[0] <= horizon:
            times.popleft()
        return times

    def wait_for(self, *keys: str) -> timedelta | None:
        """How long these keys (a name, an address) must wait; None when they may try."""
        waits = []
        for key in keys:
            times = self._recent(key)
            if len(times) >= self._failures:
                waits.append(times[0] + self._window - self._clock.now())
        return max(waits) if waits else None

    def failed(self, *keys: str) -> None:
        now = self._clock.now()
        for key in keys:
            self._seen[key].append(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._seen.pop(key, None)
