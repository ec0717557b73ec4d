"""Weekly summary and monthly bulletin: the figures a secretary would count by hand."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bot.charts import chinese_font, render_chart
from handlers import texts
from handlers.rules import Rules
from handlers.summaries_post import post_owed_summaries
from handlers.summary import monthly_summary, render_markdown, weekly_summary
from handlers.summary_text import LIMIT
from handlers.workdays import WorkCalendar
from storage import ledger, roster
from storage.ledger import Cause, Target
from tests.conftest import at
from tests.test_schedule import day_end

WEEK = dt.date(2024, 11, 18)


@pytest.fixture
def week(db, small_roster):
    """A week in three grids: on time, late, still open, returned, transferred, next week's."""
    r = small_roster
    sec, (g1, g2, g3), (lina, zhang, liu) = r["secretary"], r["grids"], r["workers"]

    def issue(when, deadline, grids):
        task = ledger.issue_task(db, Cause(sec.id, at(when)), community_id=r["community"].id,
                                 title="走访", text="走访", deadline=deadline,
                                 targets=[Target(g.id, w.id) for g, w in grids])
        return {a.unit_id: a.id for a in ledger.assignments_of(db, task.id)}

    def as_(who, when):
        return Cause(who.id, at(when))

    one = issue("2024-11-18 09:00", day_end("2024-11-22"), [(g1, lina), (g2, zhang), (g3, liu)])
    ledger.claim(db, one[g1.id], as_(lina, "2024-11-18 09:30"))
    ledger.report_done(db, one[g1.id], as_(lina, "2024-11-20 10:00"), "完成")       # on time
    ledger.report_done(db, one[g2.id], as_(zhang, "2024-11-23 10:00"), "完成")      # late, Saturday
    ledger.claim(db, one[g3.id], as_(liu, "2024-11-19 09:00"))                      # still open
    two = issue("2024-11-19 09:00", at("2024-11-21 17:00"), [(g1, lina)])
    ledger.report_done(db, two[g1.id], as_(lina, "2024-11-20 09:00"), "完成")
    ledger.return_done(db, two[g1.id], as_(sec, "2024-11-20 15:00"), "补照片")
    ledger.report_done(db, two[g1.id], as_(lina, "2024-11-21 10:00"), "补了")        # returned once
    three = issue("2024-11-19 10:00", day_end("2024-11-29"), [(g1, lina)])
    ledger.transfer(db, three[g1.id], as_(sec, "2024-11-19 11:00"), Target(g2.id, zhang.id))
    issue("2024-11-25 09:00", day_end("2024-11-29"), [(g3, liu)])                    # next week
    issue("2024-11-12 09:00", day_end("2024-11-14"), [(g2, zhang)])                  # week before
    return r


def grid(summary, name):
    return next(g for g in summary.grids if g.unit == name)


def test_weekly_figures_per_grid(db, week):
    s = weekly_summary(db, week["community"].id, WEEK, at("2024-11-25 09:00"))
    assert (s.kind, s.start, s.end, s.community) == ("week", WEEK, dt.date(2024, 11, 25), "幸福社区")
    one, two, three = grid(s, "一网格"), grid(s, "二网格"), grid(s, "三网格")
    # 一网格: issued #1 #2 #3 (then transferred out), claimed #1 and #2 (by its done), done both.
    assert (one.issued, one.claimed, one.done, one.on_time, one.overdue, one.still_open,
            one.returned) == (3, 2, 2, 2, 0, 0, 1)
    assert one.on_time_rate == 1.0
    # 二网格: #1 done late on Saturday; open: #3 transferred in, #5 from the week before.
    assert (two.issued, two.claimed, two.done, two.on_time, two.overdue, two.still_open) == \
        (2, 1, 1, 0, 1, 2)
    assert two.on_time_rate == 0.0
    # 三网格: #1 claimed, not done: overdue and still open, no rate.
    assert (three.issued, three.claimed, three.done, three.overdue, three.still_open) == \
        (1, 1, 0, 1, 1)
    assert three.on_time_rate is None
    assert (s.totals.issued, s.totals.done, s.totals.on_time, s.totals.overdue) == (6, 3, 2, 2)
    assert s.totals.on_time_rate == pytest.approx(2 / 3)


def test_overdue_list_names_grid_handler_and_days_late(db, week):
    s = weekly_summary(db, week["community"].id, WEEK, at("2024-11-25 09:00"))
    # Late and not done at the week's end, whatever week the deadline fell in; 二网格's #1 was
    # done late on Saturday, so it counts as overdue but is no longer on the list.
    assert [(x.task, x.unit, x.handler, x.days_late) for x in s.overdue] == [
        (5, "二网格", "张伟", 11), (1, "三网格", "刘洋", 3)]


def test_ranking_counts_outcomes_and_can_be_switched_off(db, week):
    ranked = weekly_summary(db, week["community"].id, WEEK, at("2024-11-25 09:00"))
    assert [g.unit for g in ranked.grids] == ["一网格", "二网格", "三网格"]
    plain = weekly_summary(db, week["community"].id, WEEK, at("2024-11-25 09:00"), rank=False)
    assert [g.unit for g in plain.grids] == ["一网格", "二网格", "三网格"]
    text = render_markdown(plain)
    assert texts.SUMMARY_GRIDS_RANKED not in text and texts.SUMMARY_RULE not in text
    assert texts.SUMMARY_GRIDS_RANKED in render_markdown(ranked)


def test_previous_week_is_compared(db, week):
    s = weekly_summary(db, week["community"].id, WEEK, at("2024-11-25 09:00"))
    assert s.previous is not None and s.previous.issued == 1 and s.previous.overdue == 1
    assert texts.SUMMARY_COMPARE.format(period="周", done="+3", overdue="+1",
                                        rate="—") in render_markdown(s)


def test_a_week_still_running_is_counted_as_of_now(db, week):
    s = weekly_summary(db, week["community"].id, WEEK, at("2024-11-21 12:00"))
    assert grid(s, "三网格").overdue == 0  # Friday's deadline has not come yet
    assert grid(s, "二网格").still_open == 3  # #1 not done yet, #3, #5


def test_monthly_bulletin_ranks_workers_by_outcomes(db, week):
    s = monthly_summary(db, week["community"].id, dt.date(2024, 11, 5), at("2024-12-02 09:00"))
    assert (s.start, s.end) == (dt.date(2024, 11, 1), dt.date(2024, 12, 1))
    assert [(w.person, w.done, w.on_time, w.overdue, w.returned) for w in s.workers] == [
        ("李娜", 2, 2, 0, 1), ("张伟", 1, 0, 3, 0), ("刘洋", 0, 0, 2, 0)]
    text = render_markdown(s)
    assert texts.SUMMARY_WORKERS_RANKED in text and "李娜（一网格）" in text


def test_markdown_stays_within_the_wecom_limit_with_many_grids_and_overdue(db, small_roster):
    r = small_roster
    grids = [roster.add_unit(db, f"第{n}网格", "grid", r["community"].id, n) for n in range(4, 60)]
    targets = [Target(g.id, None) for g in grids]
    for n in range(8):
        ledger.issue_task(db, Cause(r["secretary"].id, at("2024-11-18 09:00")),
                          community_id=r["community"].id, title=f"一个相当长的任务标题第{n}项",
                          text="x", deadline=day_end("2024-11-20"), targets=targets)
    s = weekly_summary(db, r["community"].id, WEEK, at("2024-11-25 09:00"))
    text = render_markdown(s)
    assert len(text.encode("utf-8")) <= LIMIT
    assert len(s.overdue) == 8 * len(grids)
    assert "另有" in text and texts.SUMMARY_OVERDUE.format(n=len(s.overdue)) in text


def test_weekly_summary_is_posted_monday_nine_once_and_an_empty_week_is_not(db, week):
    cal = WorkCalendar()
    assert post_owed_summaries(db, at("2024-11-11 09:00"), Rules(), cal) == []  # an empty week
    posted = post_owed_summaries(db, at("2024-11-25 09:00"), Rules(), cal)
    assert [(s.kind, s.start, item.kind) for s, item in posted] == [("week", WEEK, "weekly_summary")]
    assert roster.get_group(db, posted[0][1].group_id).name == "幸福社区工作群"
    assert posted[0][1].text == render_markdown(posted[0][0])
    assert post_owed_summaries(db, at("2024-11-25 09:01"), Rules(), cal) == []
    assert post_owed_summaries(db, at("2024-11-27 09:00"), Rules(), cal) == []


def test_monthly_bulletin_on_a_sunday_first_waits_for_monday(db, week):
    cal, rules = WorkCalendar(), Rules(weekly_summary=False)
    assert post_owed_summaries(db, at("2024-12-01 09:00"), rules, cal) == []
    posted = post_owed_summaries(db, at("2024-12-02 08:30"), rules, cal)
    assert [(s.kind, s.start) for s, _ in posted] == [("month", dt.date(2024, 11, 1))]


def test_chart_is_a_png_with_a_chinese_font(db, week):
    s = weekly_summary(db, week["community"].id, WEEK, at("2024-11-25 09:00"))
    assert chinese_font() is not None
    out = io.BytesIO()
    render_chart(s, out)  # a missing glyph would warn, and warnings fail the tests
    assert out.getvalue().startswith(b"\x89PNG") and len(out.getvalue()) > 5000
