"""The message log: what people said to the bot and what the bot said back."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from storage.models import Message, to_text


def record_message(db: Database, at: dt.datetime, direction: str, text: str, *,
                   group_id: int | None = None, person_id: int | None = None,
                   channel: str = "local", external_id: str | None = None) -> Message:
    """Append one message ("in" from a person, "out" from the bot) to the log."""
    pk = db["messages"].insert({
        "at": to_text(at), "direction": direction, "text": text, "group_id": group_id,
        "person_id": person_id, "channel": channel, "external_id": external_id,
    }).last_pk
    return Message.from_row(db["messages"].get(pk))


def seen_external_id(db: Database, channel: str, external_id: str) -> bool:
    """Tell whether a message with this channel id was already handled (WeCom retries)."""
    rows = db["messages"].rows_where("channel = ? and external_id = ?", [channel, external_id],
                                     limit=1)
    return next(rows, None) is not None


def group_messages(db: Database, group_id: int, after_id: int = 0,
                   limit: int = 500) -> list[Message]:
    rows = db["messages"].rows_where("group_id = ? and id > ?", [group_id, after_id],
                                     order_by="id", limit=limit)
    return [Message.from_row(r) for r in rows]


def direct_messages(db: Database, person_id: int, after_id: int = 0,
                    limit: int = 500) -> list[Message]:
    """Return a person's 1:1 chat with the bot."""
    rows = db["messages"].rows_where("group_id is null and person_id = ? and id > ?",
                                     [person_id, after_id], order_by="id", limit=limit)
    return [Message.from_row(r) for r in rows]


def last_message_id(db: Database) -> int:
    row = db.execute("select max(id) from messages").fetchone()
    return row[0] or 0


def messages_after(db: Database, after_id: int) -> list[Message]:
    """Return every message logged after after_id, in order."""
    rows = db["messages"].rows_where("id > ?", [after_id], order_by="id")
    return [Message.from_row(r) for r in rows]
