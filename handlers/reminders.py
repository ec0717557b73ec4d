"""Reminders, overdue notices and escalation: derived from the ledger as of now, sent once.

Nothing is scheduled ahead: each tick asks which reminders are owed at `now` (their post time
has come, within the catch-up window) and not yet in the log, so a restart after downtime
sends what was missed once, late, and never twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from handlers import rules as r
from handlers.rules import Rules
from handlers.workdays import WorkCalendar
from storage import reminders as log
from storage.reminders import LIVE, UNCLAIMED, Moment, Owed

SPAN = dt.timedelta(days=20)  # longer than any run of days off between a deadline and its posts
KINDS = ("claim", "due", "overdue", "escalation")


@dataclass(frozen=True)
class Reminder:
    """One reminder owed for one assignment: due_at is the rule's moment, post_at after quiet hours."""
    kind: str
    owed: Owed
    due_at: dt.datetime
    post_at: dt.datetime


@dataclass(frozen=True)
class _Kind:
    column: str
    states: tuple[str, ...]


_KINDS = {"claim": _Kind("created_at", UNCLAIMED), "due": _Kind("deadline", LIVE),
          "overdue": _Kind("deadline", LIVE), "escalation": _Kind("deadline", LIVE)}


def enabled_kinds(rules: Rules) -> tuple[str, ...]:
    switches = {"claim": rules.claim_reminder, "due": rules.due_reminder,
                "overdue": rules.overdue_notice, "escalation": rules.escalation}
    return tuple(k for k in KINDS if switches[k])


def due_at(kind: str, moment: dt.datetime, rules: Rules, calendar: WorkCalendar) -> dt.datetime:
    """Return the rule's moment for a kind, from the creation time (claim) or the deadline."""
    if kind == "claim":
        return r.claim_due(moment, rules)
    if kind == "due":
        return r.due_reminder_at(moment, rules, calendar)
    if kind == "overdue":
        return r.overdue_at(moment, rules, calendar)
    return r.escalation_at(moment, rules, calendar)


def _window(kind: str, now: dt.datetime, rules: Rules) -> tuple[dt.datetime, dt.datetime]:
    if kind == "claim":
        return now - rules.catch_up - rules.claim_after, now
    return now - rules.catch_up - SPAN, now + SPAN


def _planned(db: Database, kind: str, now: dt.datetime, rules: Rules,
             calendar: WorkCalendar) -> list[tuple[Moment, dt.datetime, dt.datetime]]:
    """Return (key moment, due_at, post_at) for each distinct key moment of live assignments."""
    spec = _KINDS[kind]
    planned = []
    for moment in log.live_moments(db, spec.column, spec.states, *_window(kind, now, rules)):
        due = due_at(kind, moment.at, rules, calendar)
        post = r.post_time(due, rules, calendar)
        if kind == "due" and post >= moment.at:
            continue  # quiet hours push it past the deadline: the overdue notice says it all
        planned.append((moment, due, post))
    return planned


def owed_reminders(db: Database, now: dt.datetime, rules: Rules, calendar: WorkCalendar,
                   settled: dict | None = None) -> list[Reminder]:
    """Return every reminder owed at now and not yet sent, oldest post time first.

    `settled` (kept by the caller from tick to tick) remembers the moments where nothing was
    owed, with their live count and newest id: until those change, there is nothing to look up.
    """
    owed = []
    for kind in enabled_kinds(rules):
        spec = _KINDS[kind]
        for moment, due, post in _planned(db, kind, now, rules, calendar):
            if not now - rules.catch_up <= post <= now:
                continue
            key, mark = (kind, moment.at, due), (moment.count, moment.newest)
            if settled is not None and settled.get(key) == mark:
                continue
            found = [Reminder(kind, row, due, post)
                     for row in log.unsent(db, kind, spec.column, moment.at, spec.states, due)
                     if _still_useful(kind, row, now)]
            if not found and settled is not None:
                settled[key] = mark
            owed += found
    return sorted(owed, key=lambda x: (x.post_at, KINDS.index(x.kind), x.owed.number,
                                       x.owed.assignment_id))


def _still_useful(kind: str, row: Owed, now: dt.datetime) -> bool:
    """A claim or due reminder after the deadline has passed is replaced by the overdue notice."""
    return kind in ("overdue", "escalation") or now < row.deadline


def next_post_time(db: Database, now: dt.datetime, rules: Rules,
                   calendar: WorkCalendar) -> dt.datetime | None:
    """Return the earliest post time after now among the reminders the ledger plans."""
    times = [post for kind in enabled_kinds(rules)
             for _, _, post in _planned(db, kind, now, rules, calendar) if post > now]
    return min(times, default=None)
