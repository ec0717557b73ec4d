"""Reminders, overdue notices, escalation and quiet hours, each at a fixed now."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers import texts
from handlers.rules import END_OF_DAY, Rules
from handlers.schedule import post_reminders
from handlers.workdays import WorkCalendar
from storage import ledger, reminders, roster
from storage.ledger import Cause, Target
from tests.conftest import at

CAL = WorkCalendar()
RULES = Rules()


def day_end(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), END_OF_DAY, at("2024-11-18 00:00").tzinfo)


def issue(db, r, when: str, deadline: dt.datetime, grids=(0,), title="独居老人走访"):
    targets = [Target(r["grids"][i].id, r["workers"][i].id) for i in grids]
    return ledger.issue_task(db, Cause(r["secretary"].id, at(when)), community_id=r["community"].id,
                             title=title, text=title, deadline=deadline, targets=targets)


def run(db, when: str, rules: Rules = RULES):
    """Tick at when; return (kind, group or person name, text, mentions) of each post."""
    posts = post_reminders(db, at(when), rules, CAL)
    return [(p.kind, _where(db, p), p.text, p.mentions) for p in posts]


def _where(db, item):
    if item.group_id:
        return roster.get_group(db, item.group_id).name
    return roster.get_person(db, item.person_id).name


def kinds(posts):
    return [(kind, where) for kind, where, _, _ in posts]


@pytest.fixture
def r(small_roster):
    return small_roster


def test_claim_reminder_two_hours_after_issue_once_at_the_worker(db, r):
    issue(db, r, "2024-11-18 09:10", day_end("2024-11-22"))
    assert run(db, "2024-11-18 11:09") == []
    posts = run(db, "2024-11-18 11:10")
    assert kinds(posts) == [("claim", "一网格群")]
    kind, _, text, mentions = posts[0]
    assert text.startswith(texts.REMIND_HEADS["claim"].format(after="2小时"))
    assert "#1 独居老人走访" in text and mentions == ("lina",)
    assert run(db, "2024-11-18 11:11") == []
    assert run(db, "2024-11-18 15:00") == []


def test_claimed_work_gets_no_claim_reminder(db, r):
    task = issue(db, r, "2024-11-18 09:10", day_end("2024-11-22"))
    a = ledger.assignments_of(db, task.id)[0]
    ledger.claim(db, a.id, Cause(r["workers"][0].id, at("2024-11-18 10:00")))
    assert run(db, "2024-11-18 11:10") == []


def test_transfer_restarts_the_claim_reminder_in_the_new_grid(db, r):
    task = issue(db, r, "2024-11-18 09:00", day_end("2024-11-22"))
    a = ledger.assignments_of(db, task.id)[0]
    ledger.transfer(db, a.id, Cause(r["secretary"].id, at("2024-11-18 10:30")),
                    Target(r["grids"][1].id, r["workers"][1].id))
    assert run(db, "2024-11-18 11:00") == []
    posts = run(db, "2024-11-18 12:30")
    assert kinds(posts) == [("claim", "二网格群")] and posts[0][3] == ("zhangwei",)


def test_claim_reminders_due_the_same_minute_merge_into_one_post(db, r):
    issue(db, r, "2024-11-18 09:10", day_end("2024-11-22"), title="独居老人走访")
    issue(db, r, "2024-11-18 09:10:40", day_end("2024-11-22"), title="消防通道排查")
    posts = run(db, "2024-11-18 11:11")
    assert kinds(posts) == [("claim", "一网格群")]
    assert "#1 独居老人走访" in posts[0][2] and "#2 消防通道排查" in posts[0][2]


def test_reminders_for_different_groups_are_separate_posts(db, r):
    issue(db, r, "2024-11-18 09:10", day_end("2024-11-22"), grids=(0, 1, 2))
    assert kinds(run(db, "2024-11-18 11:10")) == [
        ("claim", "一网格群"), ("claim", "二网格群"), ("claim", "三网格群")]


def test_timed_deadline_is_reminded_an_hour_before_and_announced_overdue_at_it(db, r):
    issue(db, r, "2024-11-18 09:00", at("2024-11-19 17:00"))
    run(db, "2024-11-18 11:00")  # the claim reminder
    assert run(db, "2024-11-19 15:59") == []
    due = run(db, "2024-11-19 16:00")
    assert kinds(due) == [("due", "一网格群")] and "11月19日(周二) 17:00" in due[0][2]
    assert run(db, "2024-11-19 16:59") == []
    overdue = run(db, "2024-11-19 17:00")
    assert kinds(overdue) == [("overdue", "一网格群")]
    assert overdue[0][2].startswith(texts.REMIND_HEADS["overdue"]) and "李娜" in overdue[0][2]


def test_date_only_deadline_is_reminded_at_nine_and_overdue_next_working_day(db, r):
    issue(db, r, "2024-11-18 09:00", day_end("2024-11-22"))  # a Friday
    run(db, "2024-11-18 11:00")
    assert run(db, "2024-11-22 08:59") == []
    assert kinds(run(db, "2024-11-22 09:00")) == [("due", "一网格群")]
    # Friday evening, Saturday and Sunday: nothing; Monday 08:30 the overdue notice.
    for moment in ("2024-11-22 23:59", "2024-11-23 08:30", "2024-11-24 12:00", "2024-11-25 08:29"):
        assert run(db, moment) == []
    assert kinds(run(db, "2024-11-25 08:30")) == [("overdue", "一网格群")]


def test_date_only_deadline_on_a_day_off_is_reminded_on_the_last_working_day(db, r):
    issue(db, r, "2024-11-18 09:00", day_end("2024-11-23"))  # a Saturday
    run(db, "2024-11-18 11:00")
    assert run(db, "2024-11-22 08:59") == []
    assert kinds(run(db, "2024-11-22 09:00")) == [("due", "一网格群")]
    assert run(db, "2024-11-23 09:00") == []


def test_escalation_goes_privately_to_the_secretary_with_grid_handler_and_days_late(db, r):
    issue(db, r, "2024-11-18 09:00", day_end("2024-11-22"), grids=(0, 2))
    run(db, "2024-11-25 08:30")
    assert run(db, "2024-11-25 08:59") == []
    posts = run(db, "2024-11-25 09:00")
    assert kinds(posts) == [("escalation", "王书记")]
    assert texts.ESCALATION_ROW.format(number=1, title="独居老人走访", unit="一网格", who="李娜",
                                       days=3, when="") in posts[0][2]
    assert "三网格 · 刘洋 · 逾期3天" in posts[0][2]
    assert run(db, "2024-11-26 09:00") == []


def test_without_a_private_channel_escalation_goes_into_the_big_group(db, r):
    issue(db, r, "2024-11-18 09:00", at("2024-11-19 17:00"))
    posts = run(db, "2024-11-20 09:00", Rules(escalate_privately=False))
    assert ("escalation", "幸福社区工作群") in kinds(posts)


def test_quiet_hours_move_an_evening_deadline_over_the_weekend(db, r):
    issue(db, r, "2024-11-18 09:00", at("2024-11-22 21:00"))  # Friday 21:00
    run(db, "2024-11-18 11:00")
    # The due reminder (20:00) is quiet until Monday, after the deadline: the overdue notice says it.
    assert run(db, "2024-11-22 20:00") == []
    assert run(db, "2024-11-22 21:00") == []
    assert run(db, "2024-11-23 10:00") == []
    assert kinds(run(db, "2024-11-25 08:30")) == [("overdue", "一网格群")]
    assert kinds(run(db, "2024-11-25 09:00")) == [("escalation", "王书记")]


def test_quiet_hours_wait_out_national_day_and_post_on_the_make_up_saturday(db, r):
    # 2024: 1–7 October off; Sunday 29 September and Saturday 12 October are working days.
    issue(db, r, "2024-09-27 09:00", at("2024-09-30 21:00"))
    run(db, "2024-09-27 11:00")
    assert run(db, "2024-09-30 21:00") == []
    assert run(db, "2024-10-03 10:00") == []
    assert kinds(run(db, "2024-10-08 08:30")) == [("overdue", "一网格群")]
    issue(db, r, "2024-10-11 09:00", at("2024-10-11 21:00"), grids=(1,))  # Friday evening
    run(db, "2024-10-11 11:00")
    assert kinds(run(db, "2024-10-12 08:30")) == [("overdue", "二网格群")]  # 调休 Saturday
    assert kinds(run(db, "2024-10-12 09:00")) == [("escalation", "王书记")]


def test_date_only_deadline_in_the_holiday_is_reminded_before_it(db, r):
    issue(db, r, "2024-09-27 09:00", day_end("2024-10-05"))
    run(db, "2024-09-27 11:00")
    assert kinds(run(db, "2024-09-30 09:00")) == [("due", "一网格群")]
    assert kinds(run(db, "2024-10-08 08:30")) == [("overdue", "一网格群")]


def test_extension_moves_the_reminders(db, r):
    task = issue(db, r, "2024-11-18 09:00", day_end("2024-11-22"))
    run(db, "2024-11-18 11:00")
    a = ledger.assignments_of(db, task.id)[0]
    ledger.extend(db, a.id, Cause(r["secretary"].id, at("2024-11-21 16:00")), day_end("2024-11-26"))
    assert run(db, "2024-11-22 09:00") == []
    assert run(db, "2024-11-25 08:30") == []
    assert kinds(run(db, "2024-11-26 09:00")) == [("due", "一网格群")]
    assert kinds(run(db, "2024-11-27 08:30")) == [("overdue", "一网格群")]


def test_done_work_is_never_reminded(db, r):
    task = issue(db, r, "2024-11-18 09:00", at("2024-11-19 17:00"))
    a = ledger.assignments_of(db, task.id)[0]
    ledger.report_done(db, a.id, Cause(r["workers"][0].id, at("2024-11-18 10:00")), "已完成")
    for moment in ("2024-11-18 11:00", "2024-11-19 16:00", "2024-11-19 17:00", "2024-11-20 09:00"):
        assert run(db, moment) == []


def test_restart_after_three_hours_down_sends_each_missed_reminder_once(db, r):
    # Owed during the downtime: escalation 09:00 (#1), claim 10:00 (#2), due 11:00 (#3).
    issue(db, r, "2024-11-15 09:00", at("2024-11-15 17:00"), title="一号任务")
    issue(db, r, "2024-11-18 08:00", day_end("2024-11-29"), grids=(1,), title="二号任务")
    issue(db, r, "2024-11-18 08:00", at("2024-11-18 12:00"), grids=(2,), title="三号任务")
    run(db, "2024-11-15 17:00")
    assert run(db, "2024-11-18 08:59") == []
    late = run(db, "2024-11-18 11:59")  # back up three hours later
    assert sorted(kinds(late)) == sorted([("escalation", "王书记"), ("claim", "二网格群"),
                                          ("claim", "三网格群"), ("due", "三网格群")])
    assert run(db, "2024-11-18 11:59") == []
    assert kinds(run(db, "2024-11-18 12:00")) == [("overdue", "三网格群")]
    assert run(db, "2024-11-18 15:00") == []
    sent = [reminders.sent_for(db, a.id) for t in ledger.list_tasks(db)
            for a in ledger.assignments_of(db, t.id)]
    assert sorted(s.kind for rows in sent for s in rows) == [
        "claim", "claim", "due", "escalation", "overdue", "overdue"]


def test_a_due_reminder_missed_until_after_the_deadline_is_not_sent_late(db, r):
    issue(db, r, "2024-11-18 08:00", at("2024-11-18 12:00"))
    posts = run(db, "2024-11-18 13:00")
    assert ("due", "一网格群") not in kinds(posts) and ("overdue", "一网格群") in kinds(posts)


def test_each_rule_can_be_switched_off(db, r):
    issue(db, r, "2024-11-18 09:00", at("2024-11-19 17:00"))
    off = Rules(claim_reminder=False, due_reminder=False, overdue_notice=False, escalation=False)
    for moment in ("2024-11-18 11:00", "2024-11-19 16:00", "2024-11-19 17:00", "2024-11-20 09:00"):
        assert run(db, moment, off) == []


def test_configured_times_are_used(db, r):
    issue(db, r, "2024-11-18 09:00", at("2024-11-19 17:00"))
    rules = Rules(claim_after=dt.timedelta(minutes=30), due_before=dt.timedelta(hours=3))
    assert kinds(run(db, "2024-11-18 09:30", rules)) == [("claim", "一网格群")]
    assert kinds(run(db, "2024-11-19 14:00", rules)) == [("due", "一网格群")]


def test_the_log_holds_one_row_per_reminder_and_refuses_a_second(db, r):
    task = issue(db, r, "2024-11-18 09:00", at("2024-11-19 17:00"))
    run(db, "2024-11-18 11:00")
    a = ledger.assignments_of(db, task.id)[0]
    sent = reminders.sent_for(db, a.id)
    assert [(s.kind, s.due_at) for s in sent] == [("claim", at("2024-11-18 11:00"))]
    with pytest.raises(Exception):
        reminders.record_sent(db, "claim", a.id, at("2024-11-18 11:00"), at("2024-11-18 11:05"), None)


def test_a_settled_moment_is_looked_at_again_when_work_joins_it(db, r):
    settled: dict = {}
    task = issue(db, r, "2024-11-19 09:00", at("2024-11-19 17:00"))
    a = ledger.assignments_of(db, task.id)[0]
    ledger.claim(db, a.id, Cause(r["workers"][0].id, at("2024-11-19 09:30")))

    def tick(when):
        return kinds([(p.kind, _where(db, p), p.text, p.mentions)
                      for p in post_reminders(db, at(when), RULES, CAL, settled)])

    assert tick("2024-11-19 17:00") == [("overdue", "一网格群")]
    assert tick("2024-11-19 17:01") == [] and settled  # nothing owed: the moment is settled
    ledger.transfer(db, a.id, Cause(r["secretary"].id, at("2024-11-19 17:30")),
                    Target(r["grids"][1].id, r["workers"][1].id))
    assert tick("2024-11-19 17:31") == [("overdue", "二网格群")]
    assert tick("2024-11-19 17:32") == []


def test_a_long_escalation_lists_every_overdue_assignment(db, r):
    for n in range(25):
        issue(db, r, "2024-11-18 09:00", day_end("2024-11-22"), title=f"排查{n + 1}")
    overdue = run(db, "2024-11-25 08:30")
    [(_, _, notice, _)] = [p for p in overdue if p[0] == "overdue"]
    assert all(f"#{n} 排查{n}" in notice for n in range(1, 26))
    assert notice.endswith(texts.REMIND_TAIL.format(number="、".join(map(str, range(1, 26)))))
    [(_, _, escalation, _)] = run(db, "2024-11-25 09:00")
    assert all(f"#{n} 排查{n}" in escalation for n in range(1, 26))
