"""Plausibility checks shared by forms and schemas: phone numbers and dates in a window.

Each check is a Django validator (``validators=[...]`` on a form field, or called from a
``clean_<field>`` method) whose message says what is allowed, not only that the value
is wrong. Date parsing is not done here (``core.dates``/``core.forms.DateField``): these
validators receive a parsed date and judge whether it is believable for its meaning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# -- a value outside a list ---------------------------------------------------------------


def one_of(what: Any, labels: Iterable[Any]) -> str:
    """The message for a value outside a closed list, naming what is allowed:
    "Vai trò phải là một trong: Trưởng ban, Phó trưởng ban, Thành viên." (*what*: the
    thing, capitalized, e.g. ``_("Vai trò")``; *labels*: the list's labels)."""
    return _("%(what)s phải là một trong: %(choices)s.") % {
        "what": what,
        "choices": ", ".join(str(label) for label in labels),
    }


# -- phone numbers ----------------------------------------------------------------------

# What a person may type around the digits: spaces, dots, dashes, brackets.
_PHONE_NOISE = re.compile(r"[\s.\-()]")
# Vietnamese numbers since the 2018 renumbering (Ministry of Information and
# Communications, Circular 22/2014/TT-BTTTT as amended): mobiles are 10 digits starting
# 03, 05, 07, 08 or 09; landlines are 11 digits, 0 + a 3-digit area code starting with 2;
# hotlines 1800/1900 are 8 or 10 digits.
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")
_HOTLINE = re.compile(r"1[89]00(\d{4}|\d{6})")

PHONE_HELP = gettext_lazy(
    "Di động: 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09; cố định: 11 chữ số bắt đầu "
    "bằng 02. Được viết +84, dấu cách hoặc dấu chấm."
)


def normalize_phone(text: str) -> str:
    """The digits of a Vietnamese phone number as dialled at home (0912345678), from
    what a person typed ("0912 345 678", "+84 912.345.678"); ValidationError otherwise."""
    digits = _PHONE_NOISE.sub("", text or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if digits.isdigit() and any(p.fullmatch(digits) for p in (_MOBILE, _LANDLINE, _HOTLINE)):
        return digits
    raise ValidationError(
        _(
            "“%(value)s” không phải số điện thoại Việt Nam. Di động có 10 chữ số bắt đầu "
            "bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678); cố định có 11 chữ số bắt "
            "đầu bằng 02 (ví dụ 0208 3855 123)."
        ),
        code="phone",
        params={"value": text},
    )


def validate_phone(value: str) -> None:
    """A validator for a phone field; an empty value is left to ``required``."""
    if value:
        normalize_phone(value)


# -- dates in a believable window ---------------------------------------------------------


def future_date_message(value: dt.date, today: dt.date) -> str:
    """Why a date that must have happened already (received, held, signed) is refused."""
    return _("Ngày %(value)s chưa đến: phải là hôm nay (%(today)s) hoặc một ngày trước đó.") % {
        "value": f"{value:%d/%m/%Y}",
        "today": f"{today:%d/%m/%Y}",
    }


def _span(years: int, days: int) -> str:
    if years:
        return ngettext("%(n)s năm", "%(n)s năm", years) % {"n": years}
    return ngettext("%(n)s ngày", "%(n)s ngày", days) % {"n": days}


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@deconstructible
class DateWindow:
    """A date no further from today than its meaning allows.

    ``DateWindow(future_days=0)``: not in the future (a letter's received date);
    ``DateWindow(future_years=1)``: at most a year ahead (a start date);
    ``DateWindow(past_years=5, future_years=1)``: also at most five years back.
    None on a side: no limit on that side. Today is the local date (Asia/Ho_Chi_Minh).
    """

    def __init__(
        self,
        *,
        past_years: int | None = None,
        past_days: int | None = None,
        future_years: int | None = None,
        future_days: int | None = None,
    ) -> None:
        self.past_years, self.past_days = past_years, past_days
        self.future_years, self.future_days = future_years, future_days

    def bounds(self, today: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
        today = today or timezone.localdate()
        first = last = None
        if self.past_years is not None:
            first = _shift_years(today, -self.past_years)
        elif self.past_days is not None:
            first = today - dt.timedelta(days=self.past_days)
        if self.future_years is not None:
            last = _shift_years(today, self.future_years)
        elif self.future_days is not None:
            last = today + dt.timedelta(days=self.future_days)
        return first, last

    def __call__(self, value: Any) -> None:
        if not isinstance(value, dt.date):
            return
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        today = timezone.localdate()
        first, last = self.bounds(today)
        params = {
            "value": f"{value:%d/%m/%Y}",
            "today": f"{today:%d/%m/%Y}",
            "first": f"{first:%d/%m/%Y}" if first else "",
            "last": f"{last:%d/%m/%Y}" if last else "",
        }
        if last is not None and value > last:
            if last == today:
                raise ValidationError(future_date_message(value, today), code="date_too_late")
            else:
                params["span"] = _span(self.future_years or 0, self.future_days or 0)
                message = _(
                    "Ngày %(value)s quá xa: chỉ được đến %(last)s (tối đa %(span)s sau hôm nay)."
                )
            raise ValidationError(message, code="date_too_late", params=params)
        if first is not None and value < first:
            params["span"] = _span(self.past_years or 0, self.past_days or 0)
            message = _(
                "Ngày %(value)s đã quá xa: chỉ được từ %(first)s (tối đa %(span)s trước hôm nay)."
            )
            raise ValidationError(message, code="date_too_early", params=params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateWindow) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(tuple(sorted(vars(self).items())))


# The usual windows, named for their meaning.
not_in_future = DateWindow(future_days=0)
start_date_window = DateWindow(past_years=30, future_years=1)
