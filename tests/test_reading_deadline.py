"""read_deadline over a table of real task messages, each with its reference now."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.reading import WorkCalendar, read_deadline
from handlers.workdays import _warned_years
from tests.test_reading_reply import load

ZONE = ZoneInfo("Asia/Shanghai")
ROWS = load("deadlines.tsv")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE)


@pytest.mark.parametrize("kind,now,text,expected", ROWS,
                         ids=[f"{r[0]}:{r[1][5:10]}:{r[2][:20]}" for r in ROWS])
def test_deadline_corpus(kind, now, text, expected):
    found = read_deadline(text, at(now))
    assert found == (None if expected == "None" else at(expected))
    if found is not None:
        assert found.tzinfo is ZONE


def test_corpus_is_big_enough():
    assert len(ROWS) >= 200


def test_off_work_is_configurable():
    assert read_deadline("今天下班前", at("2024-11-18 08:30"), off_work="18:00") == \
        at("2024-11-18 18:00")


def test_extra_holidays_and_workdays_move_working_days():
    calendar = WorkCalendar(extra_holidays=[dt.date(2024, 11, 19)],
                            extra_workdays=[dt.date(2024, 11, 23)])
    now = at("2024-11-18 08:30")
    # Tue 19 is off, Sat 23 is worked: Wed 20, Thu 21, Fri 22, Sat 23, Mon 25.
    assert read_deadline("3个工作日内", now, calendar=calendar) == at("2024-11-22 23:59:59")
    assert read_deadline("4个工作日内", now, calendar=calendar) == at("2024-11-23 23:59:59")
    assert read_deadline("5个工作日内", now, calendar=calendar) == at("2024-11-25 23:59:59")


def test_official_2026_make_up_days_are_working_days():
    calendar = WorkCalendar()
    assert calendar.is_workday(dt.date(2026, 9, 20))  # Sunday, 调休
    assert calendar.is_workday(dt.date(2026, 10, 10))  # Saturday, 调休
    assert not calendar.is_workday(dt.date(2026, 10, 1))
    assert calendar.next_workday(dt.date(2026, 9, 30)) == dt.date(2026, 10, 8)
    assert calendar.add_workdays(dt.date(2026, 9, 30), 0) == dt.date(2026, 9, 30)


def test_uncovered_year_falls_back_to_monday_to_friday_and_warns_once(caplog):
    _warned_years.discard(2031)
    calendar = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="handlers.workdays"):
        assert calendar.add_workdays(dt.date(2031, 1, 3), 1) == dt.date(2031, 1, 6)
        assert calendar.is_workday(dt.date(2031, 1, 6))
    assert sum("2031" in r.getMessage() for r in caplog.records) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200),
       st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30),
                    timezones=st.timezones()))
def test_read_deadline_never_raises(text, now):
    found = read_deadline(text, now)
    assert found is None or found.tzinfo is now.tzinfo


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="今明后天周下本月底号日点半前内个工作小时一二三四五六七八九十0123456789:-/.年",
               max_size=30),
       st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 12, 31)))
def test_deadline_words_never_raise(text, naive_now):
    found = read_deadline(text, naive_now.replace(tzinfo=ZONE))
    assert found is None or found.tzinfo is ZONE


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([r[2] for r in ROWS]),
       st.datetimes(min_value=dt.datetime(2001, 1, 1), max_value=dt.datetime(2098, 12, 1)))
def test_corpus_phrases_never_raise_at_any_now(text, naive_now):
    read_deadline(text, naive_now.replace(tzinfo=ZONE))


def test_corpus_covers_weekends_month_and_year_ends_and_a_holiday_week():
    nows = [at(r[1]) for r in ROWS]
    assert any(n.weekday() >= 5 for n in nows)
    assert any((n + dt.timedelta(days=3)).month != n.month for n in nows)
    assert any(n.month == 12 and n.day >= 28 for n in nows)
    calendar = WorkCalendar()
    # A make-up working day (调休) on a weekend, inside the corpus' range of working-day rows.
    assert any("工作日" in r[2] and any(
        (d := at(r[1]).date() + dt.timedelta(days=k)).weekday() >= 5 and calendar.is_workday(d)
        for k in range(10)) for r in ROWS)
    assert sum(r[0].startswith("fresh") for r in ROWS) >= 50
