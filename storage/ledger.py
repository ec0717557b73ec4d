"""Tasks and assignments: issue them, move them through their states, keep the history."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from storage.errors import IllegalTransition, NotFound
from storage.models import Assignment, Event, Report, Task, to_text

OPEN_STATES = ("open", "claimed")
CLOSED_STATES = ("accepted", "declined", "transferred", "cancelled")

# action -> (states it may start from, state it leaves; None keeps the state)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "claim": (frozenset({"open"}), "claimed"),
    "progress": (frozenset({"open", "claimed"}), "claimed"),
    "done": (frozenset({"open", "claimed"}), "done"),
    "decline": (frozenset({"open", "claimed"}), "declined"),
    "accept": (frozenset({"done"}), "accepted"),
    "return": (frozenset({"done"}), "claimed"),
    "transfer": (frozenset({"open", "claimed", "declined"}), "transferred"),
    "reassign": (frozenset({"open", "claimed", "declined"}), None),
    "extend": (frozenset({"open", "claimed", "declined"}), None),
    "cancel": (frozenset({"open", "claimed", "done", "declined"}), "cancelled"),
}


@dataclass(frozen=True)
class Cause:
    """Who made a change, when, and the message that caused it."""
    actor_id: int | None
    at: dt.datetime
    message_id: int | None = None


@dataclass(frozen=True)
class Target:
    unit_id: int
    handler_id: int | None


def issue_task(db: Database, cause: Cause, *, community_id: int, title: str, text: str,
               deadline: dt.datetime, targets: list[Target]) -> Task:
    """Record a new task with its community-wide number and one assignment per target unit."""
    with db.atomic():
        number = _next_number(db, community_id)
        task_id = db["tasks"].insert({
            "community_id": community_id, "number": number, "title": title, "text": text,
            "issuer_id": cause.actor_id, "issued_at": to_text(cause.at),
            "deadline": to_text(deadline), "state": "open", "message_id": cause.message_id,
            "targets": json.dumps([t.unit_id for t in targets]),
        }).last_pk
        _record(db, cause, task_id, None, "issued", {"number": number, "title": title})
        for target in targets:
            _open_assignment(db, cause, task_id, target, deadline, None)
    return get_task_by_id(db, task_id)


def _next_number(db: Database, community_id: int) -> int:
    row = db.execute("select max(number) from tasks where community_id = ?",
                     [community_id]).fetchone()
    return (row[0] or 0) + 1


def _open_assignment(db: Database, cause: Cause, task_id: int, target: Target,
                     deadline: dt.datetime, transferred_from: int | None) -> int:
    assignment_id = db["assignments"].insert({
        "task_id": task_id, "unit_id": target.unit_id, "handler_id": target.handler_id,
        "state": "open", "deadline": to_text(deadline), "created_at": to_text(cause.at),
        "transferred_from": transferred_from,
    }).last_pk
    _record(db, cause, task_id, assignment_id, "assigned",
            {"unit_id": target.unit_id, "handler_id": target.handler_id})
    return assignment_id


def _record(db: Database, cause: Cause, task_id: int, assignment_id: int | None,
            kind: str, detail: dict) -> None:
    db["events"].insert({
        "at": to_text(cause.at), "task_id": task_id, "assignment_id": assignment_id,
        "actor_id": cause.actor_id, "kind": kind, "message_id": cause.message_id,
        "detail": json.dumps(detail, ensure_ascii=False),
    })


def get_task_by_id(db: Database, task_id: int) -> Task:
    try:
        return Task.from_row(db["tasks"].get(task_id))
    except NotFoundError:
        raise NotFound("task", task_id) from None


def get_task(db: Database, community_id: int, number: int) -> Task:
    """Return the task with this number in the community, or raise NotFound."""
    row = next(db["tasks"].rows_where("community_id = ? and number = ?",
                                      [community_id, number], limit=1), None)
    if row is None:
        raise NotFound("task", number)
    return Task.from_row(row)


def tasks_numbered(db: Database, number: int) -> list[Task]:
    """Return the tasks with this number, one per community that has it."""
    return [Task.from_row(r) for r in db["tasks"].rows_where("number = ?", [number])]


def list_tasks(db: Database, community_id: int | None = None) -> list[Task]:
    where, args = ("community_id = ?", [community_id]) if community_id else (None, [])
    return [Task.from_row(r) for r in db["tasks"].rows_where(where, args, order_by="number")]


def get_assignment(db: Database, assignment_id: int) -> Assignment:
    try:
        return Assignment.from_row(db["assignments"].get(assignment_id))
    except NotFoundError:
        raise NotFound("assignment", assignment_id) from None


def assignments_of(db: Database, task_id: int) -> list[Assignment]:
    rows = db["assignments"].rows_where("task_id = ?", [task_id], order_by="id")
    return [Assignment.from_row(r) for r in rows]


def live_assignments(db: Database, unit_ids: list[int],
                     states: tuple[str, ...] = OPEN_STATES) -> list[Assignment]:
    """Return the assignments of these units in the given states, oldest task first."""
    if not unit_ids:
        return []
    units = ",".join("?" * len(unit_ids))
    marks = ",".join("?" * len(states))
    rows = db["assignments"].rows_where(f"unit_id in ({units}) and state in ({marks})",
                                        [*unit_ids, *states], order_by="task_id, id")
    return [Assignment.from_row(r) for r in rows]


def all_assignments(db: Database) -> list[Assignment]:
    return [Assignment.from_row(r) for r in db["assignments"].rows_where(order_by="id")]


def _move(db: Database, action: str, assignment_id: int, cause: Cause,
          changes: dict | None = None, detail: dict | None = None) -> Assignment:
    """Apply one legal transition and its event atomically, or raise IllegalTransition."""
    allowed, new_state = TRANSITIONS[action]
    with db.atomic():
        current = get_assignment(db, assignment_id)
        if current.state not in allowed:
            raise IllegalTransition(action, current.state, assignment_id)
        row = dict(changes or {})
        if new_state:
            row["state"] = new_state
        if row:
            db["assignments"].update(assignment_id, row)
        _record(db, cause, current.task_id, assignment_id, action,
                {"from": current.state, "to": new_state or current.state, **(detail or {})})
    return get_assignment(db, assignment_id)


def claim(db: Database, assignment_id: int, cause: Cause) -> Assignment:
    return _move(db, "claim", assignment_id, cause,
                 {"claimed_at": to_text(cause.at), "handler_id": cause.actor_id})


def report_progress(db: Database, assignment_id: int, cause: Cause, text: str,
                    attachments: tuple[str, ...] = ()) -> Assignment:
    """Record a progress note; an unclaimed assignment counts as claimed by the reporter."""
    with db.atomic():
        current = get_assignment(db, assignment_id)
        changes = {} if current.claimed_at else {"claimed_at": to_text(cause.at),
                                                  "handler_id": cause.actor_id}
        moved = _move(db, "progress", assignment_id, cause, changes, detail={"text": text})
        _add_report(db, assignment_id, "progress", cause, text, attachments)
    return moved


def report_done(db: Database, assignment_id: int, cause: Cause, text: str,
                attachments: tuple[str, ...] = ()) -> Assignment:
    """Record completion with its notes; done without a claim implies the claim."""
    with db.atomic():
        current = get_assignment(db, assignment_id)
        changes = {"done_at": to_text(cause.at)}
        if not current.claimed_at:
            changes |= {"claimed_at": to_text(cause.at), "handler_id": cause.actor_id}
        moved = _move(db, "done", assignment_id, cause, changes,
                      detail={"text": text, "attachments": len(attachments)})
        _add_report(db, assignment_id, "done", cause, text, attachments)
    return moved


def add_attachments(db: Database, assignment_id: int, cause: Cause,
                    attachments: tuple[str, ...]) -> None:
    """Keep photos that arrive after the report, as a report of their own."""
    _add_report(db, assignment_id, "attachment", cause, "", attachments)


def _add_report(db: Database, assignment_id: int, kind: str, cause: Cause, text: str,
                attachments: tuple[str, ...]) -> None:
    db["reports"].insert({
        "assignment_id": assignment_id, "kind": kind, "at": to_text(cause.at),
        "author_id": cause.actor_id, "text": text, "message_id": cause.message_id,
        "attachments": json.dumps(list(attachments), ensure_ascii=False),
    })


def decline(db: Database, assignment_id: int, cause: Cause, reason: str) -> Assignment:
    return _move(db, "decline", assignment_id, cause, detail={"reason": reason})


def accept(db: Database, assignment_id: int, cause: Cause) -> Assignment:
    return _move(db, "accept", assignment_id, cause, {"accepted_at": to_text(cause.at)})


def return_done(db: Database, assignment_id: int, cause: Cause, reason: str) -> Assignment:
    """Send a done report back to its handler; the assignment is claimed again."""
    with db.atomic():
        moved = _move(db, "return", assignment_id, cause, {"done_at": None},
                      detail={"reason": reason})
        _add_report(db, assignment_id, "return", cause, reason, ())
    return moved


def transfer(db: Database, assignment_id: int, cause: Cause, to: Target) -> Assignment:
    """Close this unit's assignment and open one for the receiving unit, same deadline."""
    with db.atomic():
        current = get_assignment(db, assignment_id)
        _move(db, "transfer", assignment_id, cause, {"closed_at": to_text(cause.at)},
              detail={"to_unit_id": to.unit_id})
        new_id = _open_assignment(db, cause, current.task_id, to, current.deadline,
                                  transferred_from=assignment_id)
    return get_assignment(db, new_id)


def reassign(db: Database, assignment_id: int, cause: Cause, handler_id: int) -> Assignment:
    """Give the assignment a new handler; a declined one opens again."""
    current = get_assignment(db, assignment_id)
    changes: dict = {"handler_id": handler_id}
    if current.state == "declined":
        changes |= {"state": "open", "claimed_at": None}
    return _move(db, "reassign", assignment_id, cause, changes,
                 detail={"handler_id": handler_id, "previous": current.handler_id})


def extend(db: Database, assignment_id: int, cause: Cause, deadline: dt.datetime) -> Assignment:
    current = get_assignment(db, assignment_id)
    return _move(db, "extend", assignment_id, cause, {"deadline": to_text(deadline)},
                 detail={"deadline": to_text(deadline), "previous": to_text(current.deadline)})


def cancel_task(db: Database, task_id: int, cause: Cause) -> list[Assignment]:
    """Withdraw a task: every assignment not yet accepted or closed is cancelled."""
    with db.atomic():
        task = get_task_by_id(db, task_id)
        if task.state == "cancelled":
            raise IllegalTransition("cancel", "cancelled")
        cancelled = [_move(db, "cancel", a.id, cause, {"closed_at": to_text(cause.at)})
                     for a in assignments_of(db, task_id)
                     if a.state in TRANSITIONS["cancel"][0]]
        db["tasks"].update(task_id, {"state": "cancelled"})
        _record(db, cause, task_id, None, "cancelled", {})
    return cancelled


def history(db: Database, task_id: int) -> list[Event]:
    rows = db["events"].rows_where("task_id = ?", [task_id], order_by="id")
    return [Event.from_row(r) for r in rows]


def reports_of(db: Database, assignment_id: int) -> list[Report]:
    rows = db["reports"].rows_where("assignment_id = ?", [assignment_id], order_by="id")
    return [Report.from_row(r) for r in rows]


def latest_report_by(db: Database, author_id: int, kinds: tuple[str, ...],
                     since: dt.datetime) -> Report | None:
    """Return the person's most recent report of these kinds made since a moment."""
    marks = ",".join("?" * len(kinds))
    rows = db["reports"].rows_where(f"author_id = ? and kind in ({marks}) and at >= ?",
                                    [author_id, *kinds, to_text(since)], order_by="id desc",
                                    limit=1)
    row = next(rows, None)
    return Report.from_row(row) if row else None
