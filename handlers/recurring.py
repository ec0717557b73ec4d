"""Recurring tasks: set up by a secretary's message, each instance a new numbered task."""

from __future__ import annotations

import calendar as monthcal
import datetime as dt

from sqlite_utils import Database

from handlers import posts, texts
from handlers.context import Context, Outcome, UserError
from handlers.issue import grid_refs, person_refs
from handlers.reading import read_deadline, read_targets
from handlers.reading_recurring import (RecurringSpec, read_recurring,
                                        read_recurring_command)
from handlers.registry import on
from handlers.rules import END_OF_DAY, Rules, at_time, post_time
from handlers.team import default_handler
from handlers.titles import make_title
from handlers.workdays import DEFAULT_CALENDAR, WorkCalendar
from storage import ledger, recurring as store, roster
from storage.errors import NotFound
from storage.ledger import Cause, Target
from storage.models import Task
from storage.recurring import Recurring


def recurring_intent(ctx: Context) -> str | None:
    """Tell whether a secretary's message sets up or manages a recurring task."""
    if ctx.community is None:
        return None
    if read_recurring_command(ctx.text) is not None:
        return "recurring_command"
    if read_recurring(ctx.text, ctx.now.date()) is not None:
        return "recurring_setup"
    return None


def occurrences(rec: Recurring | RecurringSpec, first: dt.date, last: dt.date) -> list[dt.date]:
    """Return the days in [first, last] the rule issues on (day 31 means a month's last day)."""
    found, day = [], first
    while day <= last:
        if _matches(rec.frequency, rec.day, day):
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def _matches(frequency: str, rule_day: int, day: dt.date) -> bool:
    if frequency == "weekly":
        return day.weekday() == rule_day
    return day.day == min(rule_day, monthcal.monthrange(day.year, day.month)[1])


def latest_occurrence(rec: Recurring, today: dt.date) -> dt.date | None:
    """Return the last issuing day on or before today, not before the rule's start."""
    found = occurrences(rec, max(rec.start, today - dt.timedelta(days=31)), today)
    return found[-1] if found else None


def issue_moment(occurrence: dt.date, rules: Rules, calendar: WorkCalendar,
                 like: dt.datetime) -> dt.datetime:
    """Issue at recurring_at on the day, moved out of quiet hours (a day off waits)."""
    return post_time(at_time(occurrence, rules.recurring_at, like), rules, calendar)


def issue_due_instances(db: Database, now: dt.datetime, rules: Rules,
                        calendar: WorkCalendar) -> list[Task]:
    """Issue each active rule's latest instance whose time has come and is not issued yet."""
    issued = []
    for rec in store.list_recurring(db, states=("active",)):
        occurrence = latest_occurrence(rec, now.date())
        if occurrence is None or store.has_run(db, rec.id, occurrence):
            continue
        moment = issue_moment(occurrence, rules, calendar, now)
        if moment <= now <= moment + rules.catch_up:
            with db.atomic():
                task, confirmation = issue_instance(db, rec, occurrence, now, calendar,
                                                    rules.off_work)
                posts.post_to_community(db, now, rec.community_id, "issued", confirmation,
                                        task_id=task.id)
            issued.append(task)
    return issued


def next_recurring_time(db: Database, now: dt.datetime, rules: Rules,
                        calendar: WorkCalendar) -> dt.datetime | None:
    """Return the next moment after now an active rule issues an instance."""
    times = []
    for rec in store.list_recurring(db, states=("active",)):
        for day in occurrences(rec, max(rec.start, now.date()), now.date() + dt.timedelta(days=40)):
            moment = issue_moment(day, rules, calendar, now)
            if moment > now and not store.has_run(db, rec.id, day):
                times.append(moment)
                break
    return min(times, default=None)


def issue_instance(db: Database, rec: Recurring, occurrence: dt.date, at: dt.datetime,
                   calendar: WorkCalendar, off_work: str) -> tuple[Task, str]:
    """Issue one instance as a new task, announce it in each grid, and log the run."""
    deadline = instance_deadline(rec.text, at, calendar, off_work)
    targets = [Target(u, _handler_id(db, u)) for u in rec.target_unit_ids]
    task = ledger.issue_task(db, Cause(rec.issuer_id, at), community_id=rec.community_id,
                             title=rec.title, text=rec.text, deadline=deadline, targets=targets)
    prefix = texts.RECURRING_PREFIX.format(number=rec.number)
    announce = prefix + texts.ANNOUNCE.format(number=task.number, title=task.title,
                                              text=task.text, when=texts.when(deadline))
    for target in targets:
        grid = roster.ancestor(db, target.unit_id, "grid")
        posts.post_to_unit(db, at, grid.id if grid else target.unit_id, "announce", announce,
                           mention=posts.handler_of(db, target.handler_id), task_id=task.id)
    store.record_run(db, rec.id, occurrence, task.id, at)
    names = "、".join(roster.get_unit(db, u).name for u in rec.target_unit_ids)
    return task, prefix + texts.ISSUED.format(number=task.number, title=task.title,
                                              when=texts.when(deadline), targets=names)


def instance_deadline(text: str, at: dt.datetime, calendar: WorkCalendar,
                      off_work: str) -> dt.datetime:
    """Read the deadline words again at each issue; unreadable or past means end of day."""
    deadline = read_deadline(text, at, calendar=calendar, off_work=off_work)
    if deadline is None or deadline <= at:
        day = at.date() if at.timetz().replace(tzinfo=None) < END_OF_DAY else \
            calendar.next_workday(at.date())
        deadline = dt.datetime.combine(day, END_OF_DAY, tzinfo=at.tzinfo)
    return deadline


def _handler_id(db: Database, unit_id: int) -> int | None:
    worker = default_handler(db, unit_id)
    return worker.id if worker else None


def describe(rec: Recurring | RecurringSpec) -> str:
    if rec.frequency == "weekly":
        return texts.RECURRING_WEEKLY.format(weekday=texts.WEEKDAYS[rec.day])
    return texts.RECURRING_MONTHLY.format(day=rec.day)


@on("recurring_setup")
def setup(ctx: Context) -> Outcome:
    """Record the rule; an occurrence due today or earlier this period is issued at once."""
    spec = read_recurring(ctx.text, ctx.now.date())
    if len(make_title(spec.body)) < 2:
        raise UserError(texts.RECURRING_NO_TASK)
    calendar = ctx.options.calendar or DEFAULT_CALENDAR
    first = occurrences(spec, spec.start, spec.start + dt.timedelta(days=62))[0]
    probe = max(ctx.now, at_time(first, dt.time(8, 30), ctx.now))
    found = read_deadline(spec.body, probe, calendar=calendar, off_work=ctx.options.off_work)
    if found is None or found <= probe:
        raise UserError(texts.RECURRING_NO_DEADLINE)
    rec = store.add_recurring(ctx.db, community_id=ctx.community.id,
                              title=make_title(spec.body), text=spec.body,
                              target_unit_ids=_targets(ctx, spec.body), frequency=spec.frequency,
                              day=spec.day, start=spec.start, issuer_id=ctx.person.id,
                              at=ctx.now, message_id=ctx.message_id)
    names = "、".join(roster.get_unit(ctx.db, u).name for u in rec.target_unit_ids)
    reply = texts.RECURRING_SET.format(number=rec.number, schedule=describe(rec),
                                       title=rec.title, targets=names,
                                       deadline=texts.when(found))
    numbers: tuple[int, ...] = ()
    if first <= ctx.now.date():
        task, confirmation = issue_instance(ctx.db, rec, first, ctx.now, calendar,
                                            ctx.options.off_work)
        reply, numbers = reply + "\n" + confirmation, (task.number,)
        if ctx.group is None or not ctx.group.is_big:
            posts.post_to_community(ctx.db, ctx.now, ctx.community.id, "issued", confirmation,
                                    task_id=task.id)
    return Outcome(reply, "recurring_setup", numbers)


def _targets(ctx: Context, body: str) -> tuple[int, ...]:
    found = read_targets(body, grid_refs(ctx), person_refs(ctx))
    units = list(found.grid_ids) if found else []
    for person_id in (found.person_ids if found else ()):
        unit_id = roster.get_person(ctx.db, person_id).unit_id
        if unit_id is not None and unit_id not in units:
            units.append(unit_id)
    return tuple(units) or tuple(g.id for g in roster.grids_of(ctx.db, ctx.community.id))


@on("recurring_command")
def command(ctx: Context) -> Outcome:
    """List the community's recurring tasks, or pause, resume or stop one."""
    order = read_recurring_command(ctx.text)
    if order.action == "list":
        return Outcome(list_text(ctx.db, ctx.community.id), "recurring_list")
    try:
        rec = store.get_recurring(ctx.db, ctx.community.id, order.number)
    except NotFound:
        raise UserError(texts.RECURRING_NOT_FOUND.format(number=order.number)) from None
    return Outcome(change_state(ctx.db, rec, order.action), "recurring_" + order.action)


def change_state(db: Database, rec: Recurring, action: str) -> str:
    """Pause, resume or stop a rule; a stopped rule stays stopped."""
    if rec.state == "stopped":
        raise UserError(texts.RECURRING_STOPPED_ALREADY.format(
            number=rec.number, action=texts.RECURRING_ACTIONS[action]))
    state = {"pause": "paused", "resume": "active", "stop": "stopped"}[action]
    store.set_state(db, rec.id, state)
    return texts.RECURRING_CHANGED.format(number=rec.number, title=rec.title,
                                          state=texts.RECURRING_STATES[state])


def list_text(db: Database, community_id: int) -> str:
    rules = store.list_recurring(db, community_id)
    if not rules:
        return texts.RECURRING_LIST_EMPTY
    units = {u.id: u.name for u in roster.list_units(db)}
    rows = [texts.RECURRING_LIST_ROW.format(
        number=r.number, title=r.title, schedule=describe(r), state=texts.RECURRING_STATES[r.state],
        targets="、".join(units[u] for u in r.target_unit_ids)) for r in rules]
    return "\n".join([texts.RECURRING_LIST_HEAD, *rows])
