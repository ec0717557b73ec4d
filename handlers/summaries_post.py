"""Post the weekly summary (Mondays) and the monthly bulletin (the 1st) into the big group."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from handlers.rules import Rules, at_time, post_time
from handlers.summary import (Summary, monthly_summary, render_markdown, week_start_of,
                              weekly_summary)
from handlers.workdays import WorkCalendar
from storage import outbox, reminders as log, roster
from storage.models import OutboxItem

POST_KINDS = {"week": "weekly_summary", "month": "monthly_bulletin"}


def weekly_moment(day: dt.date, rules: Rules, like: dt.datetime) -> dt.datetime:
    """Return the Monday-morning moment of day's week."""
    return at_time(week_start_of(day), rules.weekly_at, like)


def monthly_moment(day: dt.date, rules: Rules, like: dt.datetime) -> dt.datetime:
    return at_time(day.replace(day=1), rules.monthly_at, like)


def _last_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def owed_periods(now: dt.datetime, rules: Rules,
                 calendar: WorkCalendar) -> list[tuple[str, dt.date]]:
    """Return (kind, period start) of the latest summaries whose post time has come."""
    owed = []
    if rules.weekly_summary:
        moment = weekly_moment(now.date(), rules, now)
        if post_time(moment, rules, calendar) > now:
            moment -= dt.timedelta(days=7)
        owed.append(("week", moment.date() - dt.timedelta(days=7)))
    if rules.monthly_bulletin:
        moment = monthly_moment(now.date(), rules, now)
        if post_time(moment, rules, calendar) > now:
            moment = monthly_moment(_last_month(moment.date()), rules, now)
        owed.append(("month", _last_month(moment.date())))
    return owed


def next_summary_time(now: dt.datetime, rules: Rules, calendar: WorkCalendar) -> dt.datetime:
    """Return the next moment after now a weekly or monthly post falls due."""
    times = []
    if rules.weekly_summary:
        times.append(post_time(weekly_moment(now.date() + dt.timedelta(days=7), rules, now),
                               rules, calendar))
        times.append(post_time(weekly_moment(now.date(), rules, now), rules, calendar))
    if rules.monthly_bulletin:
        first = now.date().replace(day=1)
        times.append(post_time(monthly_moment(first, rules, now), rules, calendar))
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        times.append(post_time(monthly_moment(following, rules, now), rules, calendar))
    return min((t for t in times if t > now), default=None)


def post_owed_summaries(db: Database, now: dt.datetime, rules: Rules,
                        calendar: WorkCalendar) -> list[tuple[Summary, OutboxItem]]:
    """Post each owed summary once per community, as markdown into its big group."""
    posted = []
    for kind, start in owed_periods(now, rules, calendar):
        for community in roster.list_units(db, "community"):
            group = roster.group_of_unit(db, community.id)
            if group is None or log.bulletin_sent(db, kind, community.id, start):
                continue
            build = weekly_summary if kind == "week" else monthly_summary
            summary = build(db, community.id, start, now, rank=rules.rankings)
            with db.atomic():
                if is_empty(summary):  # nothing happened: no post, and no second look
                    log.record_bulletin(db, kind, community.id, start, now, None)
                    continue
                item = outbox.enqueue(db, now, POST_KINDS[kind], render_markdown(summary),
                                      group_id=group.id)
                log.record_bulletin(db, kind, community.id, start, now, item.id)
            posted.append((summary, item))
    return posted


def is_empty(summary: Summary) -> bool:
    t = summary.totals
    return not (t.issued or t.claimed or t.done or t.overdue or t.still_open or t.returned
                or summary.overdue)
