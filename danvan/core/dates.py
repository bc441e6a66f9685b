"""Dates as Vietnamese officers write them: day first, dd/mm/yyyy, whatever the locale.

A browser's ``<input type="date">`` shows and reads dates in the order of the browser's
or the operating system's locale, so on one page 07/12 could mean 7 December or
12 July. Every date typed into the site is therefore a text in one order, day/month/year,
parsed here on the server; a month is written MM/yyyy. The API keeps ISO 8601.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.utils.translation import gettext as _

# How a date is written back into a field and shown on a page (strftime syntax).
DATE_INPUT_FORMAT = "%d/%m/%Y"
MONTH_INPUT_FORMAT = "%m/%Y"

# The dates a form accepts. Outside them a typo ("0226" for "2026") would be stored as
# a plausible-looking record, and PostgreSQL's date type rejects years beyond 9999 with
# an error, not a message.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

# Day, month and year with one separator used twice ("/", "-" or "."), or eight digits
# (ddmmyyyy, what a phone's numeric keypad types). Never month first: 12/07/2026 is
# 12 July.
# ASCII digits only (re.ASCII): what the field's script and a keyboard type.
_DATE = re.compile(r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})", re.ASCII)
_DATE_DIGITS = re.compile(r"(?P<d>\d{2})(?P<m>\d{2})(?P<y>\d{4})", re.ASCII)
_MONTH = re.compile(r"(?P<m>\d{1,2})[/.-](?P<y>\d{4})", re.ASCII)


class DateTextError(ValueError):
    """A typed date or month that is not one; *message* says why, in Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _format_error() -> DateTextError:
    return DateTextError(
        "invalid",
        _("Ngày phải viết theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 07/12/2026."),
    )


def _range_error() -> DateTextError:
    return DateTextError(
        "out_of_range",
        _("Năm phải từ %(a)s đến %(b)s (ngày từ %(first)s đến %(last)s).")
        % {
            "a": MIN_DATE.year,
            "b": MAX_DATE.year,
            "first": f"{MIN_DATE:%d/%m/%Y}",
            "last": f"{MAX_DATE:%d/%m/%Y}",
        },
    )


def _month_number(month: int) -> None:
    if not 1 <= month <= 12:
        raise DateTextError(
            "impossible",
            _("Không có tháng %(m)02d: tháng phải từ 01 đến 12 (ngày trước, tháng sau).")
            % {"m": month},
        )


def parse_date(text: str) -> dt.date:
    """The date in *text*, written day first (07/12/2026, 7/12/2026, 07-12-2026,
    07.12.2026 or 07122026); DateTextError with a Vietnamese reason otherwise."""
    text = text.strip()
    match = _DATE.fullmatch(text) or _DATE_DIGITS.fullmatch(text)
    if match is None:
        raise _format_error()
    day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise _range_error()
    _month_number(month)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateTextError(
            "impossible",
            _("Không có ngày %(d)02d/%(m)02d/%(y)s: tháng %(m)02d/%(y)s chỉ có %(n)s ngày.")
            % {"d": day, "m": month, "y": year, "n": last},
        )
    return dt.date(year, month, day)


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) for *text* written MM/yyyy (07/2026, 7/2026, 07-2026)."""
    match = _MONTH.fullmatch(text.strip())
    if match is None:
        raise DateTextError(
            "invalid", _("Tháng phải viết theo dạng tháng/năm (mm/yyyy), ví dụ 07/2026.")
        )
    month, year = int(match["m"]), int(match["y"])
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise _range_error()
    _month_number(month)
    return year, month


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, as typed into a date field ("" for no date)."""
    return "" if value is None else f"{value:%d/%m/%Y}"


def format_month(year: int, month: int) -> str:
    """MM/yyyy, as typed into a month field."""
    return f"{month:02d}/{year:04d}"
