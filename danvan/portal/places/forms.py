"""The place search box (GET): a name as citizens write it, with or without diacritics."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin

from . import selectors

SEARCH_HINT = _("Gõ tên xã, phường… có dấu hoặc không dấu, cả tên trước 01/7/2025")


class PlaceSearchForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("Tìm xã, phường, tỉnh, thành phố"),
        max_length=selectors.MAX_QUERY,
        required=False,
        help_text=SEARCH_HINT,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        if not text:
            return ""
        query = selectors.parse_query(text)
        if not any(ch.isalnum() for ch in query.full):
            raise ValidationError(
                _("Tên cần tìm phải có chữ hoặc số, ví dụ “phan dinh phung” hoặc “Đống Đa”."),
                code="garbage",
            )
        return text

    @property
    def too_short(self) -> bool:
        """A query that says too little to search (one letter, or only "xã"): not an error,
        the page asks for more."""
        if not self.is_valid() or not self.cleaned_data["q"]:
            return False
        return len(selectors.parse_query(self.cleaned_data["q"]).core) < selectors.MIN_QUERY
