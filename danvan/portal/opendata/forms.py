"""The parameters of an open-data download: a place and a period, read from the query
string. A bad value answers 400 with a Vietnamese message, never a 500."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField
from danvan.units.models import Unit, UnitKind

from .selectors import Scope

# Open data starts with the movement's first records; a later year than next is a typo.
FIRST_YEAR = 1990
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class OpenDate(DateField):
    """The site's date field (dd/mm/yyyy), also reading ISO 8601 (yyyy-mm-dd), which is
    what programs send: unambiguous, since it begins with a four-digit year."""

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValidationError(
                    _("Ngày không có thật. Viết yyyy-mm-dd hoặc dd/mm/yyyy, ví dụ 2026-12-07."),
                    code="invalid",
                ) from None
            return super().to_python(f"{day:%d/%m/%Y}")
        return super().to_python(value)


class OpenDataForm(BootstrapMixin, forms.Form):
    place = forms.CharField(
        label=_("Mã tỉnh hoặc xã"),
        required=False,
        max_length=32,
        help_text=_("Để trống: cả nước. Ví dụ: 19 (tỉnh Thái Nguyên)."),
    )
    year = forms.IntegerField(label=_("Năm"), required=False)
    start = OpenDate(label=_("Từ ngày"), required=False)
    end = OpenDate(label=_("Đến ngày"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_od_%s")
        super().__init__(*args, **kwargs)
        self.last_year = timezone.localdate().year + 1
        year = self.fields["year"]
        year.error_messages["invalid"] = _("Năm phải là một số, ví dụ 2025.")
        year.help_text = _("Từ %(a)s đến %(b)s.") % {"a": FIRST_YEAR, "b": self.last_year}

    def clean_place(self) -> Unit | None:
        code = (self.cleaned_data.get("place") or "").strip()
        if not code:
            return None
        unit = (
            Unit.objects.filter(
                Q(kind=UnitKind.PROVINCE) | Q(kind=UnitKind.COMMUNE),
                code=code,
                valid_to__isnull=True,
            )
            .only("id", "code", "name", "path")
            .first()
        )
        if unit is None:
            raise ValidationError(
                _("Không có tỉnh hoặc xã, phường nào đang có mã “%(code)s”."),
                params={"code": code[:32]},
                code="unknown_place",
            )
        return unit

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and not FIRST_YEAR <= year <= self.last_year:
            raise ValidationError(
                _("Năm phải từ %(a)s đến %(b)s."),
                params={"a": FIRST_YEAR, "b": self.last_year},
                code="bad_year",
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        return data

    def scope(self) -> Scope:
        """The rows asked for (call after is_valid): the year and the dates together
        narrow the period to their overlap."""
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        year = data.get("year")
        if year is not None:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            start = max(start, first) if start else first
            end = min(end, last) if end else last
        return Scope(unit=data.get("place"), start=start, end=end, today=timezone.localdate())

    def error_list(self) -> list[dict[str, str]]:
        """The errors as problem+json's ``errors`` (danvan.api.problems)."""
        return [
            {"field": name, "message": str(message)}
            for name, messages in self.errors.items()
            for message in messages
        ]
