"""The log of reminders and summaries sent: each is sent once, however often it is asked for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from storage.models import from_text, to_text

LIVE = ("open", "claimed")
UNCLAIMED = ("open",)
KEY_COLUMNS = ("created_at", "deadline")  # the moment a reminder's time is derived from


@dataclass(frozen=True)
class Owed:
    """A live assignment a reminder may be owed for, with what the reminder text needs."""
    assignment_id: int
    task_id: int
    community_id: int
    number: int
    title: str
    unit_id: int
    handler_id: int | None
    deadline: dt.datetime
    created_at: dt.datetime


@dataclass(frozen=True)
class Sent:
    kind: str
    assignment_id: int
    due_at: dt.datetime
    sent_at: dt.datetime
    outbox_id: int | None


@dataclass(frozen=True)
class Moment:
    """A deadline (or creation time) shared by live assignments: how many, and the newest id.

    The pair changes whenever an assignment joins the moment, so a tick that found nothing
    owed at a moment can skip it until the pair changes.
    """
    at: dt.datetime
    count: int
    newest: int


def live_moments(db: Database, column: str, states: tuple[str, ...], low: dt.datetime,
                 high: dt.datetime) -> list[Moment]:
    """Return the distinct deadlines (or creation times) of live assignments in [low, high].

    Many assignments share one moment (a task's deadline), so the rules run once per moment.
    """
    rows = db.execute(
        f"select {_column(column)}, count(*), max(id) from assignments where {_states(states)}"
        f" and {column} >= ? and {column} <= ? group by {column} order by {column}",
        [to_text(low), to_text(high)]).fetchall()
    return [Moment(from_text(r[0]), r[1], r[2]) for r in rows]


def unsent(db: Database, kind: str, column: str, moment: dt.datetime,
           states: tuple[str, ...], due_at: dt.datetime) -> list[Owed]:
    """Return the live assignments keyed at moment that have no `kind` reminder for due_at."""
    rows = db.execute(
        "select a.id, a.task_id, t.community_id, t.number, t.title, a.unit_id, a.handler_id,"
        " a.deadline, a.created_at from assignments a join tasks t on t.id = a.task_id"
        f" where a.{_column(column)} = ? and a.{_states(states)} and not exists ("
        " select 1 from reminders_sent r where r.assignment_id = a.id and r.kind = ?"
        " and r.due_at = ?) order by t.number, a.id",
        [to_text(moment), kind, to_text(due_at)]).fetchall()
    return [Owed(r[0], r[1], r[2], r[3], r[4], r[5], r[6], from_text(r[7]), from_text(r[8]))
            for r in rows]


def _column(column: str) -> str:
    if column not in KEY_COLUMNS:
        raise ValueError(column)
    return column


def _states(states: tuple[str, ...]) -> str:
    """Write the states as SQL literals: only then can SQLite use the partial indexes on them."""
    if states == UNCLAIMED:
        return "state = 'open'"
    if states == LIVE:
        return "state in ('open', 'claimed')"
    raise ValueError(states)


def record_sent(db: Database, kind: str, assignment_id: int, due_at: dt.datetime,
                at: dt.datetime, outbox_id: int | None) -> None:
    """Log one reminder as sent; the unique key refuses a second one."""
    db["reminders_sent"].insert({"kind": kind, "assignment_id": assignment_id,
                                 "due_at": to_text(due_at), "sent_at": to_text(at),
                                 "outbox_id": outbox_id})


def sent_for(db: Database, assignment_id: int) -> list[Sent]:
    rows = db["reminders_sent"].rows_where("assignment_id = ?", [assignment_id], order_by="id")
    return [Sent(r["kind"], r["assignment_id"], from_text(r["due_at"]), from_text(r["sent_at"]),
                 r["outbox_id"]) for r in rows]


def bulletin_sent(db: Database, kind: str, community_id: int, period_start: dt.date) -> bool:
    row = db.execute("select 1 from bulletins_sent where kind = ? and community_id = ?"
                     " and period_start = ?", [kind, community_id, period_start.isoformat()])
    return row.fetchone() is not None


def record_bulletin(db: Database, kind: str, community_id: int, period_start: dt.date,
                    at: dt.datetime, outbox_id: int | None) -> None:
    """Log a weekly or monthly summary as posted; the primary key refuses a second one."""
    db["bulletins_sent"].insert({"kind": kind, "community_id": community_id,
                                 "period_start": period_start.isoformat(),
                                 "sent_at": to_text(at), "outbox_id": outbox_id})
