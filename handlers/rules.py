"""The schedule's rules and quiet hours: when each kind of proactive post is due."""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass

from handlers.workdays import WorkCalendar

END_OF_DAY = dt.time(23, 59, 59)  # a date-only deadline is stored at the day's last second


@dataclass(frozen=True)
class Rules:
    """Every time and switch of the schedule (built by bot/ from the [schedule] section)."""
    claim_reminder: bool = True
    claim_after: dt.timedelta = dt.timedelta(hours=2)
    due_reminder: bool = True
    due_before: dt.timedelta = dt.timedelta(hours=1)
    due_day_at: dt.time = dt.time(9, 0)
    overdue_notice: bool = True
    overdue_day_at: dt.time = dt.time(8, 30)
    escalation: bool = True
    escalation_at: dt.time = dt.time(9, 0)
    escalate_privately: bool = True  # False: into the big group (no app channel to reach people)
    quiet_start: dt.time = dt.time(8, 30)
    quiet_end: dt.time = dt.time(20, 0)
    weekly_summary: bool = True
    weekly_at: dt.time = dt.time(9, 0)
    monthly_bulletin: bool = True
    monthly_at: dt.time = dt.time(9, 0)
    rankings: bool = True
    recurring_at: dt.time = dt.time(8, 30)
    catch_up: dt.timedelta = dt.timedelta(days=10)
    off_work: str = "17:30"  # how recurring instances read 下班前


def is_date_only(deadline: dt.datetime) -> bool:
    return deadline.timetz().replace(tzinfo=None) == END_OF_DAY


def at_time(day: dt.date, clock: dt.time, like: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=like.tzinfo)


_known: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def is_workday(day: dt.date, calendar: WorkCalendar) -> bool:
    """Ask the calendar once per day: a tick asks about the same few days hundreds of times."""
    days = _known.setdefault(calendar, {})
    if day not in days:
        days[day] = calendar.is_workday(day)
    return days[day]


def next_workday(day: dt.date, calendar: WorkCalendar) -> dt.date:
    for _ in range(60):  # no real calendar has 60 days off in a row
        day += dt.timedelta(days=1)
        if is_workday(day, calendar):
            break
    return day


def post_time(moment: dt.datetime, rules: Rules, calendar: WorkCalendar) -> dt.datetime:
    """Move a proactive post out of quiet hours: working days from quiet_start to quiet_end."""
    day, clock = moment.date(), moment.timetz().replace(tzinfo=None)
    if is_workday(day, calendar):
        if clock < rules.quiet_start:
            return at_time(day, rules.quiet_start, moment)
        if clock < rules.quiet_end:
            return moment
    return at_time(next_workday(day, calendar), rules.quiet_start, moment)


def last_workday_on_or_before(day: dt.date, calendar: WorkCalendar) -> dt.date:
    for _ in range(60):
        if is_workday(day, calendar):
            return day
        day -= dt.timedelta(days=1)
    return day


def claim_due(created_at: dt.datetime, rules: Rules) -> dt.datetime:
    """An assignment still unclaimed claim_after its creation (issue or transfer) is reminded."""
    return created_at + rules.claim_after


def due_reminder_at(deadline: dt.datetime, rules: Rules, calendar: WorkCalendar) -> dt.datetime:
    """Remind due_before a timed deadline; at due_day_at on a date-only deadline's day.

    A date-only deadline on a day off is reminded on the last working day before it.
    """
    if not is_date_only(deadline):
        return deadline - rules.due_before
    day = last_workday_on_or_before(deadline.date(), calendar)
    return at_time(day, rules.due_day_at, deadline)


def overdue_at(deadline: dt.datetime, rules: Rules, calendar: WorkCalendar) -> dt.datetime:
    """Announce overdue work at a timed deadline, or overdue_day_at on the next working day."""
    if not is_date_only(deadline):
        return deadline
    return at_time(next_workday(deadline.date(), calendar), rules.overdue_day_at, deadline)


def escalation_at(deadline: dt.datetime, rules: Rules, calendar: WorkCalendar) -> dt.datetime:
    """Escalate at escalation_at on the next working day after the deadline's day."""
    return at_time(next_workday(deadline.date(), calendar), rules.escalation_at, deadline)
