"""The APScheduler wiring: job ids, Shanghai time, cron triggers; the jobs; the CLI commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from storage.outbox import CHART_KIND
from bot.scheduler import (MONTHLY_JOB, TICK_JOB, WEEKLY_JOB, Jobs, build_scheduler,
                           jobs_for, rules_from, start_scheduler)
from handlers import texts
from handlers.rules import Rules
from handlers.workdays import WorkCalendar
from storage import outbox
from storage.db import open_db
from tests.conftest import ZONE, at
from tests.test_summary import week  # noqa: F401  (fixture)


def test_default_settings_give_the_default_rules():
    assert rules_from(Settings()) == Rules()
    assert rules_from(Settings(schedule_escalate_to="group")).escalate_privately is False
    assert rules_from(Settings(channel="wecom")).escalate_privately is False  # no app configured


def test_jobs_have_ids_and_fire_in_shanghai_time(db):
    scheduler = build_scheduler(jobs_for(db, Settings()), Settings())
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {TICK_JOB, WEEKLY_JOB, MONTHLY_JOB}
    now = at("2024-11-20 10:15:30")  # a Wednesday
    fire = {k: j.trigger.get_next_fire_time(None, now) for k, j in jobs.items()}
    assert fire[TICK_JOB] == at("2024-11-20 10:16")
    assert fire[WEEKLY_JOB] == at("2024-11-25 09:00")
    assert fire[MONTHLY_JOB] == at("2024-12-01 09:00")
    assert all(t.tzinfo.key == "Asia/Shanghai" for t in fire.values())
    utc_now = now.astimezone(dt.timezone.utc)  # the trigger's zone, not the caller's, decides
    assert jobs[WEEKLY_JOB].trigger.get_next_fire_time(None, utc_now) == at("2024-11-25 09:00")


def test_configured_summary_times_move_the_triggers(db):
    settings = Settings(schedule_weekly_at="08:45", schedule_monthly_at="10:00")
    jobs = {j.id: j for j in build_scheduler(jobs_for(db, settings), settings).get_jobs()}
    now = at("2024-11-20 10:15")
    assert jobs[WEEKLY_JOB].trigger.get_next_fire_time(None, now) == at("2024-11-25 08:45")
    assert jobs[MONTHLY_JOB].trigger.get_next_fire_time(None, now) == at("2024-12-01 10:00")


def test_the_tick_posts_the_summary_with_its_chart_and_delivers_locally(db, week, tmp_path):  # noqa: F811
    jobs = Jobs(db, Rules(), WorkCalendar(), chart_dir=tmp_path, deliver_locally=True)
    posts = jobs.tick(at("2024-11-25 09:00"))
    charts = [p for p in posts if p.kind == CHART_KIND]
    assert [p.kind for p in posts if p.kind == "weekly_summary"] == ["weekly_summary"]
    assert len(charts) == 1 and charts[0].text.endswith(".png")
    assert Path(charts[0].text).read_bytes()[:4] == b"\x89PNG"
    assert outbox.items(db, "pending") == []  # the local channel delivered them
    assert jobs.tick(at("2024-11-25 09:01")) == []


def test_start_scheduler_runs_in_the_background_and_stops(tmp_path):
    db = open_db(tmp_path / "s.db")
    scheduler = start_scheduler(db, Settings(), now=lambda: dt.datetime(2024, 11, 25, 9, tzinfo=ZONE))
    try:
        assert scheduler.running and scheduler.timezone.key == "Asia/Shanghai"
        assert {j.id for j in scheduler.get_jobs()} == {TICK_JOB, WEEKLY_JOB, MONTHLY_JOB}
    finally:
        scheduler.shutdown(wait=True)


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def filled(tmp_path, capsys):
    path = tmp_path / "r.db"
    code, _, _ = run(capsys, "replay", "tests/replay/two_weeks.jsonl", "--db", str(path),
                     "--until", "2024-12-02T09:30:00+08:00")
    assert code == 0
    return path


def test_summary_command_prints_markdown_and_writes_the_chart(filled, capsys, tmp_path):
    chart = tmp_path / "w.png"
    code, out, _ = run(capsys, "summary", "--db", str(filled), "--week", "2024-11-18",
                       "--chart", str(chart))
    assert code == 0 and out.startswith("## 幸福社区周报（11月18日—11月24日）")
    assert chart.read_bytes()[:4] == b"\x89PNG"
    code, out, _ = run(capsys, "summary", "--db", str(filled), "--month", "2024-11", "--no-rank")
    assert code == 0 and texts.SUMMARY_WORKERS in out and "名次" not in out


@pytest.mark.parametrize("argv,message", [
    (("--week", "2024-13-01"), texts.CLI_BAD_WEEK.format(value="2024-13-01")),
    (("--month", "11月"), texts.CLI_BAD_MONTH.format(value="11月")),
    (("--week", "2024-11-18", "--community", "无此社区"), "无此社区"),
])
def test_summary_command_refuses_bad_input_in_plain_words(filled, capsys, argv, message):
    code, out, err = run(capsys, "summary", "--db", str(filled), *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_recurring_command_lists_and_pauses(filled, capsys):
    code, out, _ = run(capsys, "recurring", "list", "--db", str(filled))
    assert code == 0 and "1. 七个必访 · 每周一" in out and "进行中" in out
    code, out, _ = run(capsys, "recurring", "pause", "1", "--db", str(filled))
    assert code == 0 and "已暂停" in out
    code, _, err = run(capsys, "recurring", "stop", "7", "--db", str(filled))
    assert code == 2 and texts.RECURRING_NOT_FOUND.format(number=7) in err


def test_a_chart_that_cannot_be_drawn_is_still_queued_for_the_outbox_to_name(db, week, tmp_path,  # noqa: F811
                                                                          caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the chart folder should be")
    jobs = Jobs(db, Rules(), WorkCalendar(), chart_dir=blocked, deliver_locally=False)
    posts = jobs.tick(at("2024-11-25 09:00"))
    [chart] = [p for p in posts if p.kind == CHART_KIND]
    assert chart in outbox.items(db, "pending") and not Path(chart.text).exists()
    assert "could not draw the chart" in caplog.text
