"""The filter of the portal's list of disclosures: which item of the law's list, and
which days (dd/mm/yyyy, the site's one date field), besides the place (PlaceFilterForm)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField
from danvan.disclosure.models import DisclosureKind, RuleUnitKind
from danvan.disclosure.selectors import public_kinds


def kind_value(kind: DisclosureKind) -> str:
    """The query-string value of an item of the law's list: "commune-3"."""
    return f"{kind.unit_kind}-{kind.number}"


class DisclosureFilterForm(BootstrapMixin, forms.Form):
    """GET filter; an invalid date comes back beside its field, as typed (HTTP 400)."""

    kind = forms.ChoiceField(label=_("Loại nội dung"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(RuleUnitKind.choices)
        choices: list[tuple[str, Any]] = [("", _("— Tất cả —"))]
        for kind in public_kinds():
            choices.append(
                (kind_value(kind), f"{labels.get(kind.unit_kind, '')}: {kind.number}. {kind.title}")
            )
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]
        # The query string says ?from=&to= (names Python keeps for itself).
        self.fields["from"] = DateField(label=_("Công khai từ ngày"), required=False)
        self.fields["to"] = DateField(label=_("Đến ngày"), required=False)
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of disclosure.selectors.public_disclosures (call after
        is_valid())."""
        data = getattr(self, "cleaned_data", {}) or {}
        kind: tuple[str, int] | None = None
        unit_kind, _sep, number = (data.get("kind") or "").rpartition("-")
        if unit_kind and number.isdigit():
            kind = (unit_kind, int(number))
        start: dt.date | None = data.get("from")
        end: dt.date | None = data.get("to")
        return {"kind": kind, "start": start, "end": end}
