"""Questions the bot asked and is waiting for an answer to (which task did you mean?)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlite_utils import Database

from storage.models import from_text, to_text


@dataclass(frozen=True)
class Pending:
    person_id: int
    group_id: int | None
    intent: str
    candidates: tuple[int, ...]
    text: str
    message_id: int | None
    at: dt.datetime


def ask(db: Database, pending: Pending) -> None:
    """Remember the question, replacing any older one from the same person."""
    db["pending_questions"].upsert({
        "person_id": pending.person_id, "group_id": pending.group_id, "intent": pending.intent,
        "candidates": json.dumps(list(pending.candidates)), "text": pending.text,
        "message_id": pending.message_id, "at": to_text(pending.at),
    }, pk="person_id")


def take(db: Database, person_id: int, now: dt.datetime, max_age: dt.timedelta) -> Pending | None:
    """Remove and return the person's open question if it is recent enough."""
    row = next(db["pending_questions"].rows_where("person_id = ?", [person_id]), None)
    if row is None:
        return None
    db["pending_questions"].delete(person_id)
    pending = Pending(row["person_id"], row["group_id"], row["intent"],
                      tuple(json.loads(row["candidates"])), row["text"], row["message_id"],
                      from_text(row["at"]))
    return pending if now - pending.at <= max_age else None
