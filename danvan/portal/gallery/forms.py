"""The gallery's filters: a GET form that works without JavaScript (the place is chosen
with portal.forms.PlaceFilterForm beside it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin
from danvan.movement.models import EntryKind, Field, Level

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

# A search is a few words of an initiative's name; longer input is a mistake or abuse.
Q_MAX = 100


class GalleryFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("Tên mô hình, điển hình"),
        required=False,
        max_length=Q_MAX,
        help_text=_("Gõ có dấu hoặc không dấu, ví dụ: “dan van kheo”."),
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    kind = forms.ChoiceField(label=_("Loại"), required=False)
    level = forms.ChoiceField(label=_("Cấp công nhận"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_g_%s")
        super().__init__(*args, **kwargs)
        every: list[tuple[str, StrOrPromise]] = [("", _("— Tất cả —"))]
        fields = Field.objects.filter(is_active=True).order_by("order", "name")
        self._choices("field").choices = every + [(f.code, f.name) for f in fields]
        self._choices("kind").choices = every + list(EntryKind.choices)
        self._choices("level").choices = every + list(Level.choices)
        self.fields["q"].widget.attrs["maxlength"] = str(Q_MAX)

    def _choices(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def filters(self) -> dict[str, str]:
        """The filters to apply: none while the form has errors (the page says why)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
