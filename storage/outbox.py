"""The outbox: every proactive post, written in the same transaction as its cause.

Each item goes to one destination ("group:<id>" or "person:<id>"); a sender takes the oldest
unsent item of each destination, so posts arrive in order. States: pending → sending (a
request is in flight) → sent, or parked for a person to look at (`gridbot outbox`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlite_utils import Database

from storage.models import OutboxItem, from_text, to_text

STATES = ("pending", "sending", "sent", "parked")


@dataclass(frozen=True)
class Delivery:
    """An outbox item with what a sender needs to deliver it."""
    id: int
    created_at: dt.datetime
    kind: str
    destination: str
    group_id: int | None
    person_id: int | None
    text: str
    mentions: tuple[str, ...]
    payload: dict | None
    state: str
    attempts: int
    next_attempt_at: dt.datetime
    parts_sent: int
    sending_since: dt.datetime | None
    sent_at: dt.datetime | None
    last_error: str | None
    result: dict | None
    task_id: int | None

    @classmethod
    def from_row(cls, row: dict) -> Delivery:
        return cls(row["id"], from_text(row["created_at"]), row["kind"], row["destination"],
                   row["group_id"], row["person_id"], row["text"],
                   tuple(json.loads(row["mentions"] or "[]")),
                   json.loads(row["payload"]) if row["payload"] else None, row["state"],
                   row["attempts"], from_text(row["next_attempt_at"]), row["parts_sent"] or 0,
                   from_text(row["sending_since"]), from_text(row["sent_at"]),
                   row["last_error"], json.loads(row["result"]) if row["result"] else None,
                   row["task_id"])


# Kinds whose items the WeCom sender sends in a way of their own.
CHART_KIND = "summary_chart"  # text is the path of a PNG file: a webhook image
CARD_UPDATE_KIND = "card_update"  # payload redraws a clicked card (update_template_card)
TASK_CARD_KIND = "task_card"  # payload names the assignment; the card is drawn when it is sent


def enqueue(db: Database, at: dt.datetime, kind: str, text: str, *, group_id: int | None = None,
            person_id: int | None = None, mentions: tuple[str, ...] = (),
            task_id: int | None = None, payload: dict | None = None) -> OutboxItem:
    """Queue a post into a group (group_id) or to one person (person_id).

    text is what the chat log shows; payload, when given, is the message body a WeCom
    channel sends instead (a template card, say).
    """
    if (group_id is None) == (person_id is None):
        raise ValueError("an outbox item goes to exactly one group or one person")
    destination = f"group:{group_id}" if group_id is not None else f"person:{person_id}"
    pk = db["outbox"].insert({
        "created_at": to_text(at), "kind": kind, "text": text, "group_id": group_id,
        "person_id": person_id, "mentions": json.dumps(list(mentions)), "state": "pending",
        "attempts": 0, "next_attempt_at": to_text(at), "task_id": task_id,
        "destination": destination, "parts_sent": 0,
        "payload": json.dumps(payload, ensure_ascii=False) if payload is not None else None,
    }).last_pk
    return OutboxItem.from_row(db["outbox"].get(pk))


def due(db: Database, now: dt.datetime, limit: int = 100) -> list[OutboxItem]:
    """Return pending items whose next attempt is due, oldest first."""
    rows = db["outbox"].rows_where("state = 'pending' and next_attempt_at <= ?",
                                   [to_text(now)], order_by="id", limit=limit)
    return [OutboxItem.from_row(r) for r in rows]


def mark_sent(db: Database, item_id: int, at: dt.datetime) -> bool:
    """Mark a pending item sent; False if it was not pending (someone else sent it)."""
    cursor = db.execute("UPDATE outbox SET state = 'sent', sent_at = ? "
                        "WHERE id = ? AND state = 'pending'", [to_text(at), item_id])
    return cursor.rowcount == 1


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


# -- sending ---------------------------------------------------------------------
def heads(db: Database, now: dt.datetime, limit: int = 5000) -> list[Delivery]:
    """Return each destination's oldest unsent item when it is pending and due."""
    rows = db.query(
        "SELECT o.* FROM outbox o JOIN (SELECT destination, min(id) AS id FROM outbox "
        "WHERE state IN ('pending', 'sending') GROUP BY destination) h ON o.id = h.id "
        "WHERE o.state = 'pending' AND o.next_attempt_at <= ? ORDER BY o.id LIMIT ?",
        [to_text(now), limit])
    return [Delivery.from_row(r) for r in rows]


def next_attempt_after(db: Database, now: dt.datetime) -> dt.datetime | None:
    """Return when the next pending item that is not due yet becomes due."""
    row = next(db.query("SELECT min(next_attempt_at) AS at FROM outbox "
                        "WHERE state = 'pending' AND next_attempt_at > ?", [to_text(now)]))
    return from_text(row["at"])


def get(db: Database, item_id: int) -> Delivery:
    return Delivery.from_row(db["outbox"].get(item_id))


def deliveries(db: Database, states: tuple[str, ...], limit: int = 1000) -> list[Delivery]:
    marks = ",".join("?" * len(states))
    rows = db["outbox"].rows_where(f"state IN ({marks})", list(states), order_by="id",
                                   limit=limit)
    return [Delivery.from_row(r) for r in rows]


def counts(db: Database) -> dict[str, int]:
    """Count items per state (every state present, zero included)."""
    found = {r["state"]: r["n"] for r in
             db.query("SELECT state, count(*) AS n FROM outbox GROUP BY state")}
    return {state: found.get(state, 0) for state in STATES}


def mark_sending(db: Database, item_id: int, at: dt.datetime) -> None:
    """Record that a request for the item is about to go out (the in-flight lease)."""
    with db.atomic():
        db.execute("UPDATE outbox SET state = 'sending', sending_since = ? WHERE id = ?",
                   [to_text(at), item_id])


def mark_part_sent(db: Database, item_id: int, parts_sent: int, done: bool, at: dt.datetime,
                   result: dict | None) -> None:
    """Count one more part as delivered; with the last one the item is sent."""
    with db.atomic():
        db.execute("UPDATE outbox SET parts_sent = ?, sending_since = NULL, last_error = NULL, "
                   "state = ?, sent_at = ?, result = ? WHERE id = ?",
                   [parts_sent, "sent" if done else "pending", to_text(at) if done else None,
                    json.dumps(result or {}, ensure_ascii=False) if done else None, item_id])


def retry_later(db: Database, item_id: int, error: str, retry_at: dt.datetime, *,
                count: bool) -> None:
    """Put the item back in the queue until retry_at; count it as a failed attempt if asked."""
    row = db["outbox"].get(item_id)
    db["outbox"].update(item_id, {
        "state": "pending", "sending_since": None, "last_error": error,
        "next_attempt_at": to_text(retry_at), "attempts": row["attempts"] + int(count),
    })


def park(db: Database, item_id: int, reason: str, *, count: bool = True,
         unsure: bool = False) -> None:
    """Set the item aside for a person: shown by `gridbot outbox`, re-queued by retry.

    unsure: it may have been delivered (a crash mid-request), so only a person who looked
    re-queues it (retry with its id) or confirms it (done with its id).
    """
    row = db["outbox"].get(item_id)
    db["outbox"].update(item_id, {"state": "parked", "sending_since": None, "unsure": int(unsure),
                                  "last_error": reason, "attempts": row["attempts"] + int(count)})


def requeue_parked(db: Database, now: dt.datetime, ids: list[int] | None = None) -> int:
    """Put parked items (those ids, or all that surely were not delivered) back in the queue."""
    where, args = _parked(ids)
    with db.atomic():
        cursor = db.execute(f"UPDATE outbox SET state = 'pending', attempts = 0, unsure = 0, "
                            f"next_attempt_at = ? WHERE {where}", [to_text(now), *args])
    return cursor.rowcount


def confirm_parked(db: Database, now: dt.datetime, ids: list[int]) -> int:
    """Mark parked items a person found delivered as sent; return how many."""
    where, args = _parked(ids)
    with db.atomic():
        cursor = db.execute(f"UPDATE outbox SET state = 'sent', unsure = 0, sent_at = ? "
                            f"WHERE {where}", [to_text(now), *args])
    return cursor.rowcount


def _parked(ids: list[int] | None) -> tuple[str, list]:
    if not ids:
        return "state = 'parked' AND unsure = 0", []
    return f"state = 'parked' AND id IN ({','.join('?' * len(ids))})", list(ids)


# -- rate-limit bookkeeping -----------------------------------------------------------
def record_send(db: Database, rate_key: str, at: float) -> None:
    """Remember that WeCom answered a request for rate_key at epoch second `at`."""
    with db.atomic():
        db.execute("INSERT INTO outbox_sends (rate_key, at) VALUES (?, ?)", [rate_key, at])


def sends_since(db: Database, since: float) -> list[tuple[str, float]]:
    rows = db.query("SELECT rate_key, at FROM outbox_sends WHERE at > ? ORDER BY at", [since])
    return [(r["rate_key"], r["at"]) for r in rows]


def forget_sends_before(db: Database, before: float) -> None:
    with db.atomic():
        db.execute("DELETE FROM outbox_sends WHERE at <= ?", [before])
