"""Rate limits that several instances share: a citizen's flood pacing, Telegram's limits
(about 30 messages a second overall, one a second per chat).

One process keeps them in memory; with ``UCC_REDIS_URL`` they live in Redis, so N
instances together keep to the same limits one would (a sliding window is a sorted set
of hit times; "once per interval" is ``SET NX PX``).
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict, deque
from typing import Any, Protocol

PREFIX = "ucc:limits:"
PRUNE_AT = 10_000  # once-per keys kept before the expired ones are dropped


class Limits(Protocol):
    async def recent(self, key: str, window_s: float) -> int:
        """How many hits ``key`` had within the last ``window_s``."""

    async def note(self, key: str, window_s: float) -> None:
        """Count a hit of ``key`` (kept for ``window_s``)."""

    async def once_per(self, key: str, interval_s: float) -> bool:
        """True for the first call in ``interval_s`` (this one may go), False after."""

    async def close(self) -> None: ...


class LocalLimits:
    """In this process only: the embedded default."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._until: dict[str, float] = {}

    def _trim(self, key: str, window_s: float) -> deque[float]:
        hits, now = self._hits[key], time.monotonic()
        while hits and now - hits[0] > window_s:
            hits.popleft()
        return hits

    async def recent(self, key: str, window_s: float) -> int:
        count = len(self._trim(key, window_s))
        if not count:  # a chat gone quiet keeps no entry: memory stays flat
            del self._hits[key]
        return count

    async def note(self, key: str, window_s: float) -> None:
        self._trim(key, window_s).append(time.monotonic())

    async def once_per(self, key: str, interval_s: float) -> bool:
        now = time.monotonic()
        if self._until.get(key, 0.0) > now:
            return False
        if len(self._until) >= PRUNE_AT:
            self._until = {k: until for k, until in self._until.items() if until > now}
        self._until[key] = now + interval_s
        return True

    def size(self) -> int:
        """Keys held (for the memory test)."""
        return len(self._hits) + len(self._until)

    async def close(self) -> None:
        return None


class RedisLimits:
    """Shared by every instance through one Redis."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis  # noqa: PLC0415 - only with UCC_REDIS_URL

        self.redis: Any = Redis.from_url(url)

    async def recent(self, key: str, window_s: float) -> int:
        now = time.time()
        name = PREFIX + key
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(name, 0, now - window_s)
            pipe.zcard(name)
            _removed, count = await pipe.execute()
        return int(count)

    async def note(self, key: str, window_s: float) -> None:
        now = time.time()
        name = PREFIX + key
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(name, {f"{now}:{uuid.uuid4().hex[:8]}": now})
            pipe.expire(name, max(int(window_s) + 1, 1))
            await pipe.execute()

    async def once_per(self, key: str, interval_s: float) -> bool:
        return bool(await self.redis.set(PREFIX + key, b"1", nx=True,
                                         px=max(int(interval_s * 1000), 1)))

    async def ping(self) -> bool:
        return bool(await self.redis.ping())

    async def close(self) -> None:
        await self.redis.aclose()


def create_limits(redis_url: str | None) -> Limits:
    return RedisLimits(redis_url) if redis_url else LocalLimits()
