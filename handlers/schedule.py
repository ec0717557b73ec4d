"""The minute tick: issue recurring tasks, send owed reminders, catch up on summaries.

Every job here is a plain function of (db, now): bot/scheduler.py runs them on the wall
clock, bot/replay.py on a simulated one, tests with a fixed now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from handlers import texts
from handlers.recurring import issue_due_instances, next_recurring_time
from handlers.reminders import Reminder, next_post_time, owed_reminders
from handlers.rules import Rules
from handlers.summaries_post import next_summary_time, post_owed_summaries
from handlers.summary import Summary
from handlers.workdays import WorkCalendar
from storage import outbox, reminders as log, roster
from storage.models import OutboxItem, Person


@dataclass(frozen=True)
class TickResult:
    """What one tick queued; summaries come with their post so bot/ can add the chart."""
    posts: tuple[OutboxItem, ...]
    summaries: tuple[tuple[Summary, OutboxItem], ...]


@dataclass(frozen=True)
class _Target:
    group_id: int | None = None
    person_id: int | None = None


def tick(db: Database, now: dt.datetime, rules: Rules, calendar: WorkCalendar,
         settled: dict | None = None) -> TickResult:
    """Run everything the schedule owes at now: recurring tasks, reminders, summaries."""
    issue_due_instances(db, now, rules, calendar)
    posts = post_reminders(db, now, rules, calendar, settled)
    summaries = post_owed_summaries(db, now, rules, calendar)
    return TickResult(tuple(posts + [item for _, item in summaries]), tuple(summaries))


def next_wakeup(db: Database, now: dt.datetime, rules: Rules,
                calendar: WorkCalendar) -> dt.datetime | None:
    """Return the next moment after now at which a tick would have something to do."""
    times = [next_post_time(db, now, rules, calendar), next_summary_time(now, rules, calendar),
             next_recurring_time(db, now, rules, calendar)]
    return min((t for t in times if t is not None), default=None)


def post_reminders(db: Database, now: dt.datetime, rules: Rules, calendar: WorkCalendar,
                   settled: dict | None = None) -> list[OutboxItem]:
    """Queue every owed reminder, one post per kind, target and minute, and log each one."""
    owed = owed_reminders(db, now, rules, calendar, settled)
    if not owed:
        return []
    batches: dict[tuple, list[Reminder]] = defaultdict(list)
    names = _Names(db)
    for reminder in owed:
        minute = reminder.post_at.replace(second=0, microsecond=0)
        for target in _targets(db, reminder, rules, names):
            batches[(reminder.kind, target, minute)].append(reminder)
    queued = []
    for (kind, target, _), batch in batches.items():
        with db.atomic():
            item = outbox.enqueue(db, now, kind, _text(kind, batch, now, rules, names),
                                  group_id=target.group_id, person_id=target.person_id,
                                  mentions=_mentions(kind, batch, names),
                                  task_id=batch[0].owed.task_id if len(batch) == 1 else None)
            for reminder in batch:
                if not _logged(db, reminder):
                    log.record_sent(db, kind, reminder.owed.assignment_id, reminder.due_at, now,
                                    item.id)
        queued.append(item)
    return queued


def _logged(db: Database, reminder: Reminder) -> bool:
    """An escalation to several secretaries is one reminder: log it once."""
    return any(s.kind == reminder.kind and s.due_at == reminder.due_at
               for s in log.sent_for(db, reminder.owed.assignment_id))


def _targets(db: Database, reminder: Reminder, rules: Rules, names: _Names) -> list[_Target]:
    owed = reminder.owed
    if reminder.kind != "escalation":
        group = names.grid_group(owed.unit_id)
        return [_Target(group_id=group)] if group else []
    if rules.escalate_privately:
        secretaries = names.secretaries(owed.community_id)
        if secretaries:
            return [_Target(person_id=p.id) for p in secretaries]
    group = roster.group_of_unit(db, owed.community_id)
    return [_Target(group_id=group.id)] if group else []


def _text(kind: str, batch: list[Reminder], now: dt.datetime, rules: Rules,
          names: _Names) -> str:
    head = texts.REMIND_HEADS[kind].format(after=_duration(rules.claim_after))
    # Every row, however many: the sender splits a long post on line boundaries.
    lines = [head, *(_row(kind, x, now, names) for x in batch)]
    if kind in ("due", "overdue"):
        numbers = list(dict.fromkeys(x.owed.number for x in batch))
        lines.append(texts.REMIND_TAIL.format(number="、".join(map(str, numbers))))
    return "\n".join(lines)


def _row(kind: str, reminder: Reminder, now: dt.datetime, names: _Names) -> str:
    owed = reminder.owed
    fields = {"number": owed.number, "title": owed.title, "unit": names.unit(owed.unit_id),
              "when": texts.when(owed.deadline)}
    if kind == "claim" or kind == "due":
        return texts.REMIND_ROW.format(**fields)
    who = names.person(owed.handler_id)
    if kind == "overdue":
        return texts.OVERDUE_ROW.format(**fields, who=f" {who}" if who else "")
    days = max(1, (now.date() - owed.deadline.date()).days)
    return texts.ESCALATION_ROW.format(**fields, who=who or texts.NO_HANDLER, days=days)


def _mentions(kind: str, batch: list[Reminder], names: _Names) -> tuple[str, ...]:
    if kind == "escalation":
        return ()
    userids = [names.userid(x.owed.handler_id) or names.default_worker(x.owed.unit_id)
               for x in batch]
    return tuple(dict.fromkeys(u for u in userids if u))


def _duration(span: dt.timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 60 == 0:
        return texts.HOURS.format(n=minutes // 60)
    return texts.MINUTES.format(n=minutes)


class _Names:
    """Roster look-ups for one tick, each asked once."""

    def __init__(self, db: Database):
        self.db = db
        self.units = {u.id: u for u in roster.list_units(db)}
        self.people = {p.id: p for p in roster.list_people(db)}
        self.groups = {g.unit_id: g.id for g in reversed(roster.list_groups(db))}

    def unit(self, unit_id: int) -> str:
        return self.units[unit_id].name

    def person(self, person_id: int | None) -> str | None:
        return self.people[person_id].name if person_id in self.people else None

    def userid(self, person_id: int | None) -> str | None:
        return self.people[person_id].userid if person_id in self.people else None

    def grid_group(self, unit_id: int) -> int | None:
        """A building's work is posted in its grid's group."""
        unit = self.units.get(unit_id)
        while unit is not None:
            if unit.id in self.groups and unit.kind != "building":
                return self.groups[unit.id]
            unit = self.units.get(unit.parent_id)
        return None

    def default_worker(self, unit_id: int) -> str | None:
        workers = [p for p in self.people.values()
                   if p.unit_id == unit_id and p.has_role("grid_worker")]
        return workers[0].userid if workers else None

    def secretaries(self, community_id: int) -> list[Person]:
        return [p for p in self.people.values()
                if p.unit_id == community_id and p.is_secretary]
