"""Summary counts per unit (and handler) over a period, in SQL on the schedule's indexes.

A period is [start, end); `ref` is the moment the period is looked at: its end, or now
while it is still running. What each count means is written in handlers/summary.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields

from sqlite_utils import Database

from storage.models import from_text, to_text

DONE = "('done', 'accepted')"
NOT_COUNTED = "('cancelled', 'transferred', 'declined')"  # their outcome belongs elsewhere


@dataclass(frozen=True)
class Tally:
    """The counts of one unit and handler; handler_id is None where a count has no handler."""
    unit_id: int
    handler_id: int | None
    issued: int = 0
    claimed: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    still_open: int = 0
    returned: int = 0


@dataclass(frozen=True)
class Late:
    """An assignment past its deadline and not done at the moment looked at."""
    assignment_id: int
    number: int
    title: str
    unit_id: int
    handler_id: int | None
    deadline: dt.datetime


COUNTS = tuple(f.name for f in fields(Tally))[2:]


def tallies(db: Database, unit_ids: list[int], start: dt.datetime, end: dt.datetime,
            ref: dt.datetime) -> list[Tally]:
    """Count each unit's (and handler's) work in [start, end) as it stood at ref."""
    if not unit_ids:
        return []
    units = f"unit_id in ({','.join('?' * len(unit_ids))})"
    period = [to_text(start), to_text(end)]
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))

    def add(sql: str, args: list, *names: str, by_handler: bool = True) -> None:
        for row in db.execute(sql, [*unit_ids, *args]).fetchall():
            key = (row[0], row[1] if by_handler else None)
            offset = 2 if by_handler else 1
            for i, name in enumerate(names):
                counts[key][name] += row[offset + i] or 0

    add(f"select unit_id, count(*) from assignments where {units}"
        " and created_at >= ? and created_at < ? group by unit_id", period, "issued",
        by_handler=False)
    add(f"select unit_id, count(*) from assignments where {units}"
        " and claimed_at >= ? and claimed_at < ? group by unit_id", period, "claimed",
        by_handler=False)
    add(f"select unit_id, handler_id, count(*), sum(done_at <= deadline) from assignments"
        f" where {units} and done_at >= ? and done_at < ? and state in {DONE}"
        " group by unit_id, handler_id", period, "done", "on_time")
    add(f"select unit_id, handler_id, count(*) from assignments where {units}"
        f" and deadline >= ? and deadline < ? and deadline < ? and state not in {NOT_COUNTED}"
        " and (done_at is null or done_at > deadline) group by unit_id, handler_id",
        [*period, to_text(ref)], "overdue")
    add(f"select a.unit_id, a.handler_id, count(*) from events e"
        " join assignments a on a.id = e.assignment_id"
        f" where a.{units} and e.kind = 'return' and e.at >= ? and e.at < ?"
        " group by a.unit_id, a.handler_id", period, "returned")
    for unit_id, n in _still_open(db, units, unit_ids, ref):
        counts[(unit_id, None)]["still_open"] += n
    return [Tally(unit_id, handler_id, **values)
            for (unit_id, handler_id), values in sorted(counts.items(), key=_order)]


def _order(item) -> tuple:
    (unit_id, handler_id), _ = item
    return unit_id, handler_id or 0


def _still_open(db: Database, units: str, unit_ids: list[int], ref: dt.datetime):
    """Count what was open at ref: live now, or done or closed only after ref.

    A unary + keeps SQLite off the (unit, created_at) index, which would read the unit's
    whole history: each query walks the short index of what is live, done or closed lately.
    """
    moment = to_text(ref)
    queries = [
        (f"select unit_id, count(*) from assignments where {units}"
         " and state in ('open', 'claimed') and +created_at < ? group by unit_id", [moment]),
        (f"select unit_id, count(*) from assignments where {units}"
         f" and done_at >= ? and state in {DONE} and +created_at < ? group by unit_id",
         [moment, moment]),
        (f"select unit_id, count(*) from assignments where +{units}"
         " and closed_at >= ? and state in ('transferred', 'cancelled') and +created_at < ?"
         " and (done_at is null or done_at >= ?) group by unit_id", [moment, moment, moment]),
    ]
    for sql, args in queries:
        yield from db.execute(sql, [*unit_ids, *args]).fetchall()


def late_at(db: Database, unit_ids: list[int], ref: dt.datetime) -> list[Late]:
    """Return the assignments of these units past their deadline and not done at ref."""
    if not unit_ids:
        return []
    marks = ",".join("?" * len(unit_ids))
    moment = to_text(ref)
    select = ("select a.id, t.number, t.title, a.unit_id, a.handler_id, a.deadline"
              " from assignments a join tasks t on t.id = a.task_id")
    rows = db.execute(
        f"{select} where a.unit_id in ({marks}) and a.state in ('open', 'claimed')"
        " and +a.deadline < ? and +a.created_at < ?"
        f" union all {select} where a.done_at >= ? and a.state in {DONE} and a.deadline < ?"
        f" and a.unit_id in ({marks}) order by 6, 2, 1",
        [*unit_ids, moment, moment, moment, moment, *unit_ids]).fetchall()
    return [Late(r[0], r[1], r[2], r[3], r[4], from_text(r[5])) for r in rows]
