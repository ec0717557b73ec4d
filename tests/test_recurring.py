"""Recurring tasks: set up in the chat, issued as new numbered tasks, paused and stopped."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers import texts
from handlers.reading_recurring import RecurringCommand, read_recurring, read_recurring_command
from handlers.recurring import issue_due_instances
from handlers.rules import Rules
from handlers.workdays import WorkCalendar
from storage import ledger, recurring
from tests.chat import Chat
from tests.conftest import at

MONDAY = dt.date(2024, 11, 18)


@pytest.mark.parametrize("text,frequency,day,start,body", [
    ("从本周起每周一布置七个必访，周五前完成", "weekly", 0, MONDAY, "七个必访，周五前完成"),
    ("从下周起，每周三各网格开展消防巡查，当天下班前反馈", "weekly", 2, dt.date(2024, 11, 25),
     "各网格开展消防巡查，当天下班前反馈"),
    ("每月1日布置网格安全巡查，10日前完成", "monthly", 1, MONDAY, "网格安全巡查，10日前完成"),
    ("每月初排查出租屋，月底前完成", "monthly", 1, MONDAY, "排查出租屋，月底前完成"),
    ("一、三网格每周五下午5点前报送周报", "weekly", 4, MONDAY, "一、三网格下午5点前报送周报"),
    ("从下个月开始每月15号走访困难党员，20号前反馈", "monthly", 15, dt.date(2024, 12, 1),
     "走访困难党员，20号前反馈"),
])
def test_reading_recurring_set_ups(text, frequency, day, start, body):
    spec = read_recurring(text, MONDAY)
    assert (spec.frequency, spec.day, spec.start, spec.body) == (frequency, day, start, body)


@pytest.mark.parametrize("text", ["各网格本周五前完成走访", "每天都要打卡", "", "每月", "每周"])
def test_ordinary_messages_set_nothing_up(text):
    assert read_recurring(text, MONDAY) is None


@pytest.mark.parametrize("text,command", [
    ("周期任务", RecurringCommand("list")), ("查看定期任务列表", RecurringCommand("list")),
    ("暂停周期任务2", RecurringCommand("pause", 2)), ("周期任务 3 停止", RecurringCommand("stop", 3)),
    ("恢复周期任务1", RecurringCommand("resume", 1)), ("周期任务很多", None),
])
def test_reading_recurring_commands(text, command):
    assert read_recurring_command(text) == command


@pytest.fixture
def chat(db, small_roster):
    return Chat(db, at("2024-11-18 08:39"))


def tick(db, when):
    return issue_due_instances(db, at(when), Rules(), WorkCalendar())


def test_setting_up_issues_this_weeks_instance_at_once(db, chat):
    reply = chat.say("王书记", "幸福社区工作群", "从本周起每周一布置七个必访，周五前完成")
    assert reply.startswith(texts.RECURRING_SET.split("：")[0].format(number=1))
    assert "任务#1 七个必访" in reply and "11月22日(周五)" in reply
    for group in ("一网格群", "二网格群", "三网格群"):
        assert any("【周期任务1】【新任务】任务#1 七个必访" in p for p in chat.posts(group))
    task = ledger.get_task(db, 1, 1)
    assert task.deadline.date() == dt.date(2024, 11, 22)
    assert tick(db, "2024-11-18 09:00") == []  # this week's is issued already


def test_each_monday_brings_a_new_numbered_task_once(db, chat):
    chat.say("王书记", "幸福社区工作群", "从本周起每周一布置七个必访，周五前完成")
    assert tick(db, "2024-11-25 08:29") == []
    issued = tick(db, "2024-11-25 08:30")
    assert [(t.number, t.title, t.deadline.date()) for t in issued] == [
        (2, "七个必访", dt.date(2024, 11, 29))]
    assert len(ledger.assignments_of(db, issued[0].id)) == 3
    assert tick(db, "2024-11-25 08:31") == [] and tick(db, "2024-11-26 10:00") == []


def test_an_instance_due_on_a_holiday_waits_for_the_next_working_day(db, chat):
    chat.now = at("2024-09-27 10:00")
    chat.say("王书记", "幸福社区工作群", "每周一布置七个必访，周五前完成")
    assert tick(db, "2024-09-30 08:30")[0].deadline.date() == dt.date(2024, 10, 4)
    assert tick(db, "2024-10-07 08:30") == []  # National Day
    issued = tick(db, "2024-10-08 08:30")
    assert [t.number for t in issued] == [2]


def test_pause_resume_and_stop(db, chat):
    chat.say("王书记", "幸福社区工作群", "从本周起每周一布置七个必访，周五前完成")
    assert chat.say("王书记", "幸福社区工作群", "暂停周期任务1") == texts.RECURRING_CHANGED.format(
        number=1, title="七个必访", state=texts.RECURRING_STATES["paused"])
    assert tick(db, "2024-11-25 08:30") == []
    assert "进行中" not in chat.say("王书记", "幸福社区工作群", "周期任务")
    chat.say("王书记", "幸福社区工作群", "恢复周期任务1")
    assert [t.number for t in tick(db, "2024-11-25 09:00")] == [2]
    chat.say("王书记", "幸福社区工作群", "停止周期任务1")
    assert tick(db, "2024-12-02 08:30") == []
    assert chat.say("王书记", "幸福社区工作群", "恢复周期任务1") == \
        texts.RECURRING_STOPPED_ALREADY.format(number=1, action="恢复")
    assert chat.say("王书记", "幸福社区工作群", "暂停周期任务9") == \
        texts.RECURRING_NOT_FOUND.format(number=9)


def test_a_set_up_without_a_deadline_is_asked_back_and_records_nothing(db, chat):
    reply = chat.say("王书记", "幸福社区工作群", "每周一布置七个必访")
    assert reply == texts.RECURRING_NO_DEADLINE
    assert recurring.list_recurring(db) == [] and ledger.list_tasks(db) == []


def test_named_grids_are_the_targets(db, chat):
    chat.say("王书记", "幸福社区工作群", "从下周起一、三网格每周五下午5点前报送周报")
    rec = recurring.list_recurring(db)[0]
    assert len(rec.target_unit_ids) == 2 and ledger.list_tasks(db) == []
    issued = tick(db, "2024-11-29 08:30")
    assert issued[0].deadline == at("2024-11-29 17:00")


def test_workers_cannot_set_up_recurring_tasks(db, chat):
    chat.say("李娜", "一网格群", "从本周起每周一布置七个必访，周五前完成")
    assert recurring.list_recurring(db) == []
