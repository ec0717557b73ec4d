"""A one-line-per-turn chat driver for dialogue tests, over the real local channel."""

from __future__ import annotations

import datetime as dt

from bot.local import LocalChannel
from handlers.context import Options
from handlers.views import ChatLine


class Chat:
    """Say things as people in groups; read what the bot answered and posted."""

    def __init__(self, db, start: dt.datetime, options: Options | None = None):
        self.db = db
        self.now = start
        self.channel = LocalChannel(db, options or Options(), now=lambda: self.now)
        self.log: list[ChatLine] = []

    def say(self, who: str, group: str | None, text: str, minutes: int = 1) -> str | None:
        """Post as who in group; return the bot's reply there (None when it stays quiet)."""
        self.now += dt.timedelta(minutes=minutes)
        lines = self.channel.post(who, group, text)
        self.log += lines
        said = [m.text for m in lines if m.from_bot and m.group == group]
        return said[0] if said else None

    def posts(self, group: str | None) -> list[str]:
        """Return every bot message that went into group so far."""
        return [m.text for m in self.log if m.from_bot and m.group == group]

    def last_reply(self) -> str | None:
        bot = [m.text for m in self.log if m.from_bot]
        return bot[-1] if bot else None
