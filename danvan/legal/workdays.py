"""The working-day calendar of Vietnamese public administration.

A working day is Monday to Friday, not a public holiday (the `holidays` package's
Vietnamese calendar, Labour Code 2019 art. 112, with Tết) and not a day off an
administrator recorded. The government's make-up working Saturdays count as working
days: the ones the `holidays` package knows (it moves a day off next to a holiday and
marks the Saturday worked in exchange, e.g. Fri 2/5/2025 off, Sat 26/4/2025 worked) and
the ones an administrator records (CalendarException, "Ngày làm việc bù"), which
also override the package either way (domain.md §5).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import holidays

from .models import CalendarException


class WorkCalendar:
    """Answers working-day questions; loads the exceptions once per instance."""

    def __init__(self, exceptions: dict[dt.date, str] | None = None) -> None:
        self._given = exceptions

    @cached_property
    def _exceptions(self) -> dict[dt.date, str]:
        if self._given is not None:
            return self._given
        return dict(CalendarException.objects.values_list("date", "kind"))

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays("VN")

    def is_holiday(self, day: dt.date) -> bool:
        return day in self._holidays

    def holiday_name(self, day: dt.date) -> str | None:
        return self._holidays.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        kind = self._exceptions.get(day)
        if kind == CalendarException.Kind.WORKING_DAY:
            return True
        if kind == CalendarException.Kind.DAY_OFF:
            return False
        # Weekends, public holidays and the package's make-up Saturdays (holidays 0.109:
        # `weekend_workdays`, also across a year end: Sat 27/12/2014 for Fri 2/1/2015).
        return bool(self._holidays.is_working_day(day))

    def next_working_day(self, day: dt.date) -> dt.date:
        """*day* itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after *start* (the start day itself is not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day, counted = start, 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after *start* up to and including *end*."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
