"""The citizens' forms: sending feedback or a petition, looking up a case, choosing a place.

The place is chosen in two steps that need no JavaScript: a GET form picks the province,
and the page comes back with that province's communes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin
from danvan.core.validators import validate_phone
from danvan.legal.models import CaseKind
from danvan.units.models import Unit

from . import selectors

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

PORTAL_KINDS = [
    (CaseKind.FEEDBACK.value, CaseKind.FEEDBACK.label),
    (CaseKind.PETITION.value, CaseKind.PETITION.label),
]

# A Vietnamese mobile or landline number, as people write it (core.validators).
phone_validator = validate_phone


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _province_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("— Chọn tỉnh, thành phố —"))] + [
        (u.code, u.name) for u in selectors.provinces().only("code", "name")
    ]


def _commune_choices(province: Unit | None) -> list[tuple[str, StrOrPromise]]:
    if province is None:
        return [("", _("— Chọn tỉnh trước —"))]
    return [("", _("— Chọn xã, phường, đặc khu —"))] + [
        (u.code, u.name) for u in selectors.communes_of(province).only("code", "name")
    ]


class Radios(forms.RadioSelect):
    """Radio buttons whose group label and error-summary link point at the first option
    (GOV.UK error summary: the link moves focus to the first radio of the group)."""

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return super().id_for_label(id_, index)


class ProvinceForm(BootstrapMixin, forms.Form):
    """Step one of sending: which province the matter is in (GET)."""

    province = forms.ChoiceField(label=_("Tỉnh, thành phố nơi xảy ra sự việc"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "province").choices = _province_choices()
        # app.js submits the form on change; the button beside it does without JavaScript.
        self.fields["province"].widget.attrs["data-autosubmit"] = ""


class PlaceFilterForm(BootstrapMixin, forms.Form):
    """Narrow a public list to a province, then to one of its communes (GET)."""

    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)
    commune = forms.ChoiceField(label=_("Xã, phường, đặc khu"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province_unit = selectors.province_by_code(self.data.get("province"))
        _choices(self, "province").choices = _province_choices()
        self.fields["province"].widget.attrs["data-autosubmit"] = ""
        _choices(self, "commune").choices = _commune_choices(self.province_unit)

    def unit(self) -> Unit | None:
        """The commune chosen, else the province chosen, else None (everywhere).

        A commune left over from another province is ignored rather than refused.
        """
        if self.province_unit is None:
            return None
        commune = selectors.commune_by_code(self.data.get("commune"), province=self.province_unit)
        return commune or self.province_unit
