"""China's working-day calendar: official holidays and 调休 make-up days, plus local extras."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import chinese_calendar

log = logging.getLogger(__name__)
_warned_years: set[int] = set()  # warn once per uncovered year, across calendars


class WorkCalendar:
    """Tell working days apart; extra holidays and workdays override the official calendar."""

    def __init__(self, extra_holidays: Iterable[dt.date] = (),
                 extra_workdays: Iterable[dt.date] = ()):
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)

    def is_workday(self, day: dt.date) -> bool:
        """Return whether people work on day."""
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        try:
            return chinese_calendar.is_workday(day)
        except (NotImplementedError, ValueError, KeyError):
            _warn_uncovered(day.year)
            return day.weekday() < 5

    def next_workday(self, day: dt.date) -> dt.date:
        """Return the first working day after day."""
        return self.add_workdays(day, 1)

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """Return the nth working day after day (day itself when n <= 0)."""
        current = day
        for _ in range(max(n, 0)):
            current += dt.timedelta(days=1)
            for _ in range(60):  # no real calendar has 60 days off in a row
                if self.is_workday(current):
                    break
                current += dt.timedelta(days=1)
        return current


def _warn_uncovered(year: int) -> None:
    if year not in _warned_years:
        _warned_years.add(year)
        log.warning("chinese_calendar has no data for %s: counting Monday to Friday as "
                    "working days; add holidays in [calendar] extra_holidays", year)


DEFAULT_CALENDAR = WorkCalendar()
