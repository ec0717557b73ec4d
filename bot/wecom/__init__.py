"""Real WeCom: the API client, group webhooks, the outbox sender, roster sync, a fake server.

WeCom's published sending limits live here so the fake server enforces exactly what the
sender paces itself by.
"""

from __future__ import annotations

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
