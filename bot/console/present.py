"""Turn ledger rows into what the console's pages show (plain values, no markup)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlite_utils import Database

from handlers import texts
from storage import ledger, roster
from storage.models import Assignment, Report, Task

LIVE = ("open", "claimed", "declined")


def days_late(deadline: dt.datetime, end: dt.datetime) -> int:
    """Whole days late, counting a started day as one."""
    return max(1, math.ceil((end - deadline).total_seconds() / 86400))


def timing(assignment: Assignment, now: dt.datetime) -> str:
    """Say whether an assignment is on time, late by how many days, or not yet due."""
    if assignment.state in ("cancelled", "transferred"):
        return ""
    finished = assignment.done_at if assignment.state in ("done", "accepted") else None
    end = finished or now
    if end > assignment.deadline and assignment.state != "declined":
        return texts.CONSOLE_DAYS_LATE.format(days=days_late(assignment.deadline, end))
    return texts.CONSOLE_ON_TIME if finished else texts.CONSOLE_NOT_DUE


@dataclass(frozen=True)
class Row:
    """One assignment on the task page, with what the secretary may do to it."""
    assignment: Assignment
    unit: str
    grid_id: int
    handler: str | None
    state_name: str
    timing: str
    late: bool
    reports: tuple[Report, ...]
    can_transfer: bool


def task_rows(db: Database, task: Task, now: dt.datetime,
              units: tuple[int, ...] | None = None) -> list[Row]:
    """Return the task's assignments (only these units' when given) in the order issued."""
    assignments = ledger.assignments_of(db, task.id)
    movable = transfer_source(assignments)
    rows = []
    for a in assignments:
        if units is not None and a.unit_id not in units:
            continue
        unit = roster.get_unit(db, a.unit_id)
        grid = roster.ancestor(db, a.unit_id, "grid") or unit
        name = unit.name if grid.id == unit.id else f"{grid.name}/{unit.name}"
        handler = roster.get_person(db, a.handler_id).name if a.handler_id else None
        rows.append(Row(a, name, grid.id, handler, texts.STATE_NAMES[a.state], timing(a, now),
                        a.is_overdue(now), tuple(ledger.reports_of(db, a.id)),
                        movable == a.id and task.state != "cancelled"))
    return rows


def transfer_source(assignments: list[Assignment]) -> int | None:
    """The assignment the chat's transfer command would move: the only live or declined one."""
    live = [a for a in assignments if a.state in LIVE]
    declined = [a for a in live if a.state == "declined"]
    if len(live) == 1:
        return live[0].id
    return declined[0].id if len(declined) == 1 else None


def is_image(path: str) -> bool:
    return path.lower().rsplit(".", 1)[-1] in ("jpg", "jpeg", "png", "gif", "webp")


def pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))
