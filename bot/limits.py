"""Rate limits that several instances share: a citizen's flood pacing, Telegram's limits
(about 30 messages a second overall, one a second per chat).

One process keeps them in memory; with ``UCC_REDIS_URL`` they live in Redis, so N
instances together keep to the same limits one would (a sliding window is a sorted set
of hit times; "once per interval" keeps the time until which the key is taken).

Time is the injected clock's, so a test steps through a window instead of sleeping it out;
Redis's own expiry only clears keys long unused.
"""

from __future__ import annotations

import uuid
from collections import defaultdict, deque
from typing import Any, Final, Protocol

from knowledge.clock import Clock, SystemClock

PREFIX = "ucc:limits:"
PRUNE_AT = 10_000  # once-per keys kept before the expired ones are dropped
KEEP_S: Final = 60  # how long Redis keeps a key past its window (cleanup only)
# Taken until ARGV[2] unless already taken beyond now (ARGV[1]); 1 when this call took it.
ONCE_PER: Final = """
local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
if taken > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""


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

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._until: dict[str, float] = {}

    def _trim(self, key: str, window_s: float) -> deque[float]:
        hits, now = self._hits[key], self.clock.now().timestamp()
        while hits and now - hits[0] > window_s:
            hits.popleft()
        return hits

    async def recent(self, key: str, window_s: float) -> int:
        count = len(self._trim(key, window_s))
        if not count:  # a chat gone quiet keeps no entry: memory stays flat
            del self._hits[key]
        return count

    async def note(self, key: str, window_s: float) -> None:
        self._trim(key, window_s).append(self.clock.now().timestamp())

    async def once_per(self, key: str, interval_s: float) -> bool:
        now = self.clock.now().timestamp()
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

    def __init__(self, url: str, clock: Clock | None = None) -> None:
        from redis.asyncio import Redis  # noqa: PLC0415 - only with UCC_REDIS_URL

        self.redis: Any = Redis.from_url(url)
        self.clock = clock or SystemClock()
        self._once_per = self.redis.register_script(ONCE_PER)

    async def recent(self, key: str, window_s: float) -> int:
        now = self.clock.now().timestamp()
        name = PREFIX + key
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(name, 0, now - window_s)
            pipe.zcard(name)
            _removed, count = await pipe.execute()
        return int(count)

    async def note(self, key: str, window_s: float) -> None:
        now = self.clock.now().timestamp()
        name = PREFIX + key
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(name, {f"{now}:{uuid.uuid4().hex[:8]}": now})
            pipe.expire(name, int(window_s) + KEEP_S)
            await pipe.execute()

    async def once_per(self, key: str, interval_s: float) -> bool:
        now = self.clock.now().timestamp()
        return bool(await self._once_per(keys=[PREFIX + key],
                                         args=[now, now + interval_s, int(interval_s) + KEEP_S]))

    async def ping(self) -> bool:
        return bool(await self.redis.ping())

    async def close(self) -> None:
        await self.redis.aclose()


def create_limits(redis_url: str | None, clock: Clock | None = None) -> Limits:
    return RedisLimits(redis_url, clock) if redis_url else LocalLimits(clock)
