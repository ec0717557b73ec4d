"""Two weeks of chat replayed on the simulated clock: the schedule's posts at their minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import fresh_demo_db
from bot.local import LocalChannel
from bot.replay import read_script, replay
from bot.scheduler import Jobs
from handlers import texts
from handlers.context import Options
from handlers.rules import Rules
from handlers.views import all_chat
from handlers.workdays import WorkCalendar
from storage import chat

SCRIPT = Path(__file__).parent / "replay" / "two_weeks.jsonl"
UNTIL = "2024-12-02T09:30:00+08:00"


@pytest.fixture(scope="module")
def posts():
    db = fresh_demo_db(None)
    script = read_script(SCRIPT.read_text(encoding="utf-8").splitlines())
    return list(replay(db, script, Options(), Rules(), dt.datetime.fromisoformat(UNTIL)))


def scheduled(posts, head):
    return [(p["at"][5:16], p["group"] or p["person"]) for p in posts if p["text"].startswith(head)
            or p["text"].split("\n", 1)[-1].startswith(head)]


def test_claim_reminders_two_hours_after_issue_where_nobody_claimed(posts):
    assert scheduled(posts, "【接单提醒】") == [
        ("11-18T10:40", "三网格群"), ("11-18T10:40", "幸福里网格群"), ("11-18T10:40", "八网格群"),
        ("11-25T10:30", "四网格群"), ("11-25T10:30", "幸福里网格群"), ("11-25T10:30", "八网格群"),
        ("11-25T10:40", "八网格群"),  # task #4, issued ten minutes after the recurring #3
    ]


def test_due_reminders_an_hour_before_or_at_nine(posts):
    assert scheduled(posts, "【到期提醒】") == [
        ("11-19T16:00", "三网格群"),
        ("11-22T09:00", "三网格群"), ("11-22T09:00", "幸福里网格群"), ("11-22T09:00", "七网格群"),
        ("11-22T09:00", "八网格群"),
        ("11-27T09:00", "幸福里网格群"),  # the extension moved it
        ("11-27T14:00", "八网格群"),
        ("11-29T09:00", "三网格群"), ("11-29T09:00", "四网格群"), ("11-29T09:00", "幸福里网格群"),
        ("11-29T09:00", "六网格群"), ("11-29T09:00", "七网格群"), ("11-29T09:00", "八网格群"),
    ]


def test_overdue_notices_and_escalations(posts):
    assert scheduled(posts, "【逾期通报】") == [
        ("11-19T17:00", "三网格群"), ("11-25T08:30", "幸福里网格群"), ("11-25T08:30", "八网格群"),
        ("12-02T08:30", "四网格群")]
    assert scheduled(posts, "【督办】") == [
        ("11-20T09:00", "wangshuji"), ("11-25T09:00", "wangshuji"), ("12-02T09:00", "wangshuji")]
    merged = next(p["text"] for p in posts if p["at"].startswith("2024-11-25T09:00")
                  and p["text"].startswith("【督办】"))
    assert merged.count("逾期3天") == 2 and "幸福里网格 · 杨帆" in merged and "八网格 · 周强" in merged


def test_the_recurring_task_is_issued_every_monday(posts):
    issued = [(p["at"][5:16], p["text"].split("\n")[-3]) for p in posts
              if p["group"] == "幸福社区工作群" and "【周期任务1】【已派单】" in p["text"]]
    assert issued == [("11-18T08:40", "【周期任务1】【已派单】任务#1 七个必访"),
                      ("11-25T08:30", "【周期任务1】【已派单】任务#3 七个必访"),
                      ("12-02T08:30", "【周期任务1】【已派单】任务#5 七个必访")]
    first = next(p["text"] for p in posts if "【周期任务1】已设置" in p["text"])
    assert first.startswith(texts.RECURRING_SET.format(
        number=1, schedule="每周一", title="七个必访", deadline="11月22日(周五)",
        targets="、".join(f"{n}网格" for n in ("一", "二", "三", "四", "幸福里", "六", "七", "八"))))


def summary_line(posts, title):
    post = next(p for p in posts if p["text"].startswith(title))
    return post["at"], post["group"], post["text"].split("\n")[1]


def totals(issued, claimed, done, on_time, overdue, still_open, returned, rate):
    return texts.SUMMARY_TOTALS.format(issued=issued, claimed=claimed, done=done, on_time=on_time,
                                       overdue=overdue, still_open=still_open, returned=returned,
                                       rate=rate)


def test_two_weekly_summaries_and_the_monthly_bulletin_with_their_counts(posts):
    # Week 1, counted Monday 09:00: 8 + 2 issued; #2 三网格 done late on Wednesday;
    # #1 幸福里 and 八网格 not done by Friday: overdue and open.
    assert summary_line(posts, "## 幸福社区周报（11月18日—11月24日）") == (
        "2024-11-25T09:00:00+08:00", "幸福社区工作群", totals(10, 8, 8, 7, 3, 2, 0, "88%"))
    # Week 2: #3 to 8 grids + #4; 11 done, 2 of them late (#1 八网格, #2 三网格 redone after
    # its return); 四网格 left #3 undone.
    assert summary_line(posts, "## 幸福社区周报（11月25日—12月1日）") == (
        "2024-12-02T09:00:00+08:00", "幸福社区工作群", totals(9, 10, 11, 9, 1, 1, 1, "82%"))
    # 1 December is a Sunday: the bulletin waits for Monday 08:30.
    assert summary_line(posts, "## 幸福社区每月通报（11月1日—11月30日）") == (
        "2024-12-02T08:30:00+08:00", "幸福社区工作群", totals(19, 18, 18, 16, 3, 1, 1, "89%"))


def test_quiet_hours_hold_every_scheduled_post(posts):
    heads = tuple(texts.REMIND_HEADS.values()) + ("## ",)
    for p in posts:
        if p["text"].split("\n", 1)[-1].startswith(heads) or p["text"].startswith(heads):
            moment = dt.datetime.fromisoformat(p["at"])
            assert moment.weekday() < 5 and dt.time(8, 30) <= moment.time() < dt.time(20, 0)


def test_the_replay_is_the_same_on_every_run(tmp_path, capsys):
    outputs = []
    for name in ("a.db", "b.db"):
        assert main(["replay", str(SCRIPT), "--db", str(tmp_path / name), "--until", UNTIL]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "周报（11月25日—12月1日）" in outputs[0]


def test_skipping_idle_minutes_posts_exactly_what_a_tick_every_minute_posts():
    script = read_script(SCRIPT.read_text(encoding="utf-8").splitlines())[:10]
    stop = dt.datetime.fromisoformat("2024-11-19T17:30:00+08:00")
    fast = list(replay(fresh_demo_db(None), script, Options(), Rules(), stop))
    db = fresh_demo_db(None)
    jobs = Jobs(db, Rules(), WorkCalendar(), deliver_locally=True)
    slow, minute, lines = [], script[0].at, list(script)
    while minute <= stop:
        before = chat.last_message_id(db)
        jobs.tick(minute)
        while lines and lines[0].at <= minute:
            line = lines.pop(0)
            LocalChannel(db, Options(), now=lambda: line.at).post(line.user, line.group, line.text,
                                                                  at=line.at)
        slow += [{"at": m.at, "group": m.group, "text": m.text} for m in all_chat(db, before)
                 if m.from_bot]
        minute += dt.timedelta(minutes=1)
    strip = [{k: p[k] for k in ("at", "group", "text")} for p in fast]
    assert strip == slow and any("【到期提醒】" in p["text"] for p in slow)


def test_a_bad_until_is_refused_in_plain_words(tmp_path, capsys):
    code = main(["replay", str(SCRIPT), "--db", str(tmp_path / "x.db"), "--until", "周一"])
    err = capsys.readouterr().err
    assert code == 2 and texts.REPLAY_BAD_TIME.format(value="周一") in err
