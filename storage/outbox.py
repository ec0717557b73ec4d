"""The outbox: every proactive post, written in the same transaction as its cause."""

from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database

from storage.models import OutboxItem, to_text


def enqueue(db: Database, at: dt.datetime, kind: str, text: str, *, group_id: int | None = None,
            person_id: int | None = None, mentions: tuple[str, ...] = (),
            task_id: int | None = None) -> OutboxItem:
    """Queue a post into a group (group_id) or to one person (person_id)."""
    if (group_id is None) == (person_id is None):
        raise ValueError("an outbox item goes to exactly one group or one person")
    pk = db["outbox"].insert({
        "created_at": to_text(at), "kind": kind, "text": text, "group_id": group_id,
        "person_id": person_id, "mentions": json.dumps(list(mentions)), "state": "pending",
        "attempts": 0, "next_attempt_at": to_text(at), "task_id": task_id,
    }).last_pk
    return OutboxItem.from_row(db["outbox"].get(pk))


def due(db: Database, now: dt.datetime, limit: int = 100) -> list[OutboxItem]:
    """Return pending items whose next attempt is due, oldest first."""
    rows = db["outbox"].rows_where("state = 'pending' and next_attempt_at <= ?",
                                   [to_text(now)], order_by="id", limit=limit)
    return [OutboxItem.from_row(r) for r in rows]


def mark_sent(db: Database, item_id: int, at: dt.datetime) -> None:
    db["outbox"].update(item_id, {"state": "sent", "sent_at": to_text(at)})


def mark_failed(db: Database, item_id: int, error: str, retry_at: dt.datetime | None) -> None:
    """Count a failed attempt; with no retry time the item is parked for a person to look at."""
    row = db["outbox"].get(item_id)
    db["outbox"].update(item_id, {
        "attempts": row["attempts"] + 1, "last_error": error,
        "state": "pending" if retry_at else "parked",
        "next_attempt_at": to_text(retry_at) if retry_at else row["next_attempt_at"],
    })


def items(db: Database, state: str) -> list[OutboxItem]:
    return [OutboxItem.from_row(r)
            for r in db["outbox"].rows_where("state = ?", [state], order_by="id")]
