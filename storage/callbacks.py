"""Answers already given to WeCom callbacks, so a retried delivery gets the same answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from storage.models import to_text


@dataclass(frozen=True)
class StoredReply:
    channel: str
    key: str
    reply: str  # the plaintext passive reply; "" when nothing was answered


def answered(db: Database, channel: str, key: str) -> StoredReply | None:
    """Return the answer given to this delivery before, if any."""
    row = next(db["callback_replies"].rows_where("channel = ? and key = ?", [channel, key],
                                                 limit=1), None)
    return StoredReply(row["channel"], row["key"], row["reply"] or "") if row else None


def remember(db: Database, channel: str, key: str, at: dt.datetime, reply: str) -> StoredReply:
    """Keep the answer to one delivery (the first one wins)."""
    db["callback_replies"].insert({"channel": channel, "key": key, "at": to_text(at),
                                   "reply": reply}, ignore=True)
    return answered(db, channel, key)
