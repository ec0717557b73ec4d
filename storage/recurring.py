"""Recurring tasks: the rule a secretary set up, and the instances already issued from it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlite_utils import Database

from storage.errors import NotFound
from storage.models import from_text, to_text

FREQUENCIES = ("weekly", "monthly")
STATES = ("active", "paused", "stopped")


@dataclass(frozen=True)
class Recurring:
    """Issue `text` to the targets every week on weekday `day` (0 = Monday) or every month on day `day`."""
    id: int
    community_id: int
    number: int
    title: str
    text: str
    target_unit_ids: tuple[int, ...]
    frequency: str
    day: int
    start: dt.date
    state: str
    issuer_id: int | None
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row: dict) -> Recurring:
        return cls(row["id"], row["community_id"], row["number"], row["title"], row["text"],
                   tuple(json.loads(row["targets"])), row["frequency"], row["day"],
                   dt.date.fromisoformat(row["start"]), row["state"], row["issuer_id"],
                   from_text(row["created_at"]))


def add_recurring(db: Database, *, community_id: int, title: str, text: str,
                  target_unit_ids: tuple[int, ...], frequency: str, day: int, start: dt.date,
                  issuer_id: int | None, at: dt.datetime,
                  message_id: int | None = None) -> Recurring:
    """Record a recurring task with the next number in its community."""
    if frequency not in FREQUENCIES:
        raise ValueError(frequency)
    with db.atomic():
        row = db.execute("select max(number) from recurring where community_id = ?",
                         [community_id]).fetchone()
        pk = db["recurring"].insert({
            "community_id": community_id, "number": (row[0] or 0) + 1, "title": title,
            "text": text, "targets": json.dumps(list(target_unit_ids)), "frequency": frequency,
            "day": day, "start": start.isoformat(), "state": "active", "issuer_id": issuer_id,
            "created_at": to_text(at), "message_id": message_id,
        }).last_pk
    return Recurring.from_row(db["recurring"].get(pk))


def list_recurring(db: Database, community_id: int | None = None,
                   states: tuple[str, ...] = STATES) -> list[Recurring]:
    marks = ",".join("?" * len(states))
    where, args = f"state in ({marks})", list(states)
    if community_id is not None:
        where, args = where + " and community_id = ?", args + [community_id]
    rows = db["recurring"].rows_where(where, args, order_by="community_id, number")
    return [Recurring.from_row(r) for r in rows]


def get_recurring(db: Database, community_id: int, number: int) -> Recurring:
    """Return the recurring task with this number in the community, or raise NotFound."""
    row = next(db["recurring"].rows_where("community_id = ? and number = ?",
                                          [community_id, number], limit=1), None)
    if row is None:
        raise NotFound("recurring", number)
    return Recurring.from_row(row)


def set_state(db: Database, recurring_id: int, state: str) -> None:
    if state not in STATES:
        raise ValueError(state)
    db["recurring"].update(recurring_id, {"state": state})


def has_run(db: Database, recurring_id: int, occurrence: dt.date) -> bool:
    row = db.execute("select 1 from recurring_runs where recurring_id = ? and occurrence = ?",
                     [recurring_id, occurrence.isoformat()]).fetchone()
    return row is not None


def record_run(db: Database, recurring_id: int, occurrence: dt.date, task_id: int,
               at: dt.datetime) -> None:
    """Log an issued instance; the key refuses a second instance for one occurrence."""
    db["recurring_runs"].insert({"recurring_id": recurring_id,
                                 "occurrence": occurrence.isoformat(), "task_id": task_id,
                                 "at": to_text(at)})


def runs(db: Database, recurring_id: int) -> list[tuple[dt.date, int]]:
    """Return (occurrence, task id) of every instance issued, oldest first."""
    rows = db.execute("select occurrence, task_id from recurring_runs where recurring_id = ?"
                      " order by occurrence", [recurring_id]).fetchall()
    return [(dt.date.fromisoformat(o), t) for o, t in rows]
