"""Real WeCom: the API client, group webhooks, the outbox sender, roster sync, a fake server.

WeCom's published sending limits live here: the sender paces itself by them, and the fake
server enforces the same numbers (with its own counting, so a mistake in ours shows).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Limits:
    """WeCom's sending limits; windows in seconds (scaled down for quick benchmarks)."""
    webhook_per_minute: int = 20
    member_per_minute: int = 30
    member_per_hour: int = 1000
    markdown_bytes: int = 4096
    minute: float = 60.0
    hour: float = 3600.0

    def scaled(self, factor: float) -> Limits:
        """Return the same counts over windows factor times as long."""
        return replace(self, minute=self.minute * factor, hour=self.hour * factor)


LIMITS = Limits()


class RateLimiter:
    """WeCom's sliding windows, per rate key."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.times: dict[str, deque[float]] = defaultdict(deque)

    def _rules(self, key: str) -> list[tuple[float, int]]:
        lim = self.limits
        if key.startswith("webhook:"):
            return [(lim.minute, lim.webhook_per_minute)]
        return [(lim.minute, lim.member_per_minute), (lim.hour, lim.member_per_hour)]

    def ready_at(self, key: str, now: float) -> float:
        """Return the earliest epoch second at which one more request to key is allowed."""
        times = self.times[key]
        longest = max(size for size, _ in self._rules(key))
        while times and times[0] <= now - longest:
            times.popleft()
        ready = now
        for size, count in self._rules(key):
            recent = sum(1 for t in times if t > now - size) if size < longest else len(times)
            if recent >= count:
                ready = max(ready, times[len(times) - count] + size)
        return ready

    def add(self, key: str, at: float) -> None:
        self.times[key].append(at)
