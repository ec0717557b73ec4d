"""Run the schedule's jobs on the wall clock with APScheduler, in exactly one process.

Jobs: a minute tick (recurring tasks, reminders, catch-up of missed summaries), the Monday
weekly summary and the monthly bulletin on the 1st. Each is a plain function of (db, now);
replay and tests call the same functions with their own clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlite_utils import Database

from bot import clock
from bot.config import Settings
from bot.local import deliver
from bot.runtime import app_configured
from handlers.rules import Rules
from handlers.schedule import TickResult, tick
from handlers.summary import Summary
from handlers.workdays import WorkCalendar
from storage import outbox
from storage.models import OutboxItem

log = logging.getLogger(__name__)

TICK_JOB, WEEKLY_JOB, MONTHLY_JOB = "gridbot-tick", "gridbot-weekly-summary", "gridbot-monthly-bulletin"


def rules_from(settings: Settings) -> Rules:
    """Build the schedule's rules from the [schedule] section."""
    def clock_at(text: str) -> dt.time:
        return dt.time.fromisoformat(text)
    return Rules(
        claim_reminder=settings.schedule_claim_reminder,
        claim_after=dt.timedelta(minutes=settings.schedule_claim_after_minutes),
        due_reminder=settings.schedule_due_reminder,
        due_before=dt.timedelta(minutes=settings.schedule_due_before_minutes),
        due_day_at=clock_at(settings.schedule_due_day_at),
        overdue_notice=settings.schedule_overdue_notice,
        overdue_day_at=clock_at(settings.schedule_overdue_day_at),
        escalation=settings.schedule_escalation,
        escalation_at=clock_at(settings.schedule_escalation_at),
        escalate_privately=escalate_privately(settings),
        quiet_start=clock_at(settings.schedule_quiet_start),
        quiet_end=clock_at(settings.schedule_quiet_end),
        weekly_summary=settings.schedule_weekly_summary,
        weekly_at=clock_at(settings.schedule_weekly_at),
        monthly_bulletin=settings.schedule_monthly_bulletin,
        monthly_at=clock_at(settings.schedule_monthly_at),
        rankings=settings.schedule_rankings,
        recurring_at=clock_at(settings.schedule_recurring_at),
        catch_up=dt.timedelta(days=settings.schedule_catch_up_days),
        off_work=settings.off_work,
    )


def escalate_privately(settings: Settings) -> bool:
    """Escalate in a private message where the channel can reach one person, else in the big group."""
    if settings.schedule_escalate_to != "auto":
        return settings.schedule_escalate_to == "secretary"
    if settings.channel == "local":
        return True  # the simulator shows private messages in the 1:1 chat
    return app_configured(settings)


def calendar_from(settings: Settings) -> WorkCalendar:
    return WorkCalendar(settings.extra_holidays, settings.extra_workdays)


class Jobs:
    """The job functions, bound to a database and the settings; now is always a parameter."""

    def __init__(self, db: Database, rules: Rules, calendar: WorkCalendar, *,
                 chart_dir: str | Path | None = None, deliver_locally: bool = False,
                 lock: threading.Lock | None = None):
        self.db, self.rules, self.calendar = db, rules, calendar
        self.chart_dir = Path(chart_dir) if chart_dir else None
        self.deliver_locally = deliver_locally
        self.lock = lock or nullcontext()
        self.settled: dict = {}  # moments found with nothing owed: skipped until they change

    def tick(self, now: dt.datetime) -> list[OutboxItem]:
        """Run the minute tick: everything owed at now, then charts for new summaries."""
        with self.lock:
            result = tick(self.db, now, self.rules, self.calendar, self.settled)
            posts = list(result.posts) + self._charts(result, now)
            if self.deliver_locally:
                deliver(self.db, now)
        return posts

    summaries = tick  # the cron jobs post what the tick would, on the dot; the log keeps it once

    def _charts(self, result: TickResult, now: dt.datetime) -> list[OutboxItem]:
        if self.chart_dir is None:
            return []
        return [self._chart(summary, item, now) for summary, item in result.summaries]

    def _chart(self, summary: Summary, item: OutboxItem, now: dt.datetime) -> OutboxItem:
        from bot.charts import render_chart  # matplotlib loads only when a chart is drawn
        path = self.chart_dir / f"{summary.kind}-{summary.community}-{summary.start}.png"
        try:
            self.chart_dir.mkdir(parents=True, exist_ok=True)
            render_chart(summary, path)
        except Exception:  # queued all the same: the sender parks it, named, in `gridbot outbox`
            log.exception("could not draw the chart %s", path)
        return outbox.enqueue(self.db, now, outbox.CHART_KIND, str(path), group_id=item.group_id)


def jobs_for(db: Database, settings: Settings, lock: threading.Lock | None = None) -> Jobs:
    return Jobs(db, rules_from(settings), calendar_from(settings),
                chart_dir=settings.schedule_chart_dir, deliver_locally=settings.channel == "local",
                lock=lock)


def start_scheduler(db: Database, settings: Settings,
                    now: Callable[[], dt.datetime] = clock.now, *,
                    lock: threading.Lock | None = None) -> BackgroundScheduler:
    """Start the jobs in a background thread (one at a time) and return the scheduler.

    Pass the lock that guards db when other threads share the connection.
    """
    jobs = jobs_for(db, settings, lock)
    scheduler = build_scheduler(jobs, settings, now)
    scheduler.start()
    log.info("scheduler started: %s", ", ".join(j.id for j in scheduler.get_jobs()))
    return scheduler


def build_scheduler(jobs: Jobs, settings: Settings,
                    now: Callable[[], dt.datetime] = clock.now) -> BackgroundScheduler:
    """Wire the jobs to their triggers, in Asia/Shanghai, without starting them."""
    scheduler = BackgroundScheduler(timezone=clock.ZONE,
                                    executors={"default": ThreadPoolExecutor(1)},
                                    job_defaults={"coalesce": True, "max_instances": 1,
                                                  "misfire_grace_time": 300})
    rules = jobs.rules

    def run(job: Callable[[dt.datetime], object]) -> Callable[[], None]:
        def safely() -> None:
            try:
                job(now())
            except Exception:  # a bad minute must not stop the next one
                log.exception("scheduled job failed")
        return safely

    scheduler.add_job(run(jobs.tick), CronTrigger(second=0, timezone=clock.ZONE),
                      id=TICK_JOB, name=TICK_JOB, replace_existing=True)
    scheduler.add_job(run(jobs.summaries),
                      CronTrigger(day_of_week="mon", hour=rules.weekly_at.hour,
                                  minute=rules.weekly_at.minute, timezone=clock.ZONE),
                      id=WEEKLY_JOB, name=WEEKLY_JOB, replace_existing=True)
    scheduler.add_job(run(jobs.summaries),
                      CronTrigger(day=1, hour=rules.monthly_at.hour,
                                  minute=rules.monthly_at.minute, timezone=clock.ZONE),
                      id=MONTHLY_JOB, name=MONTHLY_JOB, replace_existing=True)
    return scheduler
