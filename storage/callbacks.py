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
    # Plain SQL: this runs on every callback, before anything else.
    row = db.execute("select reply from callback_replies where channel = ? and key = ?",
                     [channel, key]).fetchone()
    return StoredReply(channel, key, row[0] or "") if row else None


def remember(db: Database, channel: str, key: str, at: dt.datetime, reply: str) -> StoredReply:
    """Keep the answer to one delivery (callers hold the lock: the first one wins)."""
    db.execute("insert or ignore into callback_replies (channel, key, at, reply) "
               "values (?, ?, ?, ?)", [channel, key, to_text(at), reply])
    return StoredReply(channel, key, reply)
