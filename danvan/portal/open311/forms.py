"""The body of a GeoReport v2 POST Service Request, parsed and checked: the commune the
request is for, one of the two public services, and a sender who can be answered.

In step with the portal's form: the description (the portal's content), the optional
place (address_string, and lat/long inside Vietnam: cases.services.check_location) and
the sender's contact. ``media_url`` is accepted and IGNORED, as GeoReport v2 allows
(it is optional): fetching a URL a client names would let anyone make the server call
any address, and the photo would bypass core.images (EXIF/GPS removal) and moderation;
photos come through the portal's form. Nothing a client posts is public before an
officer publishes the case's summary.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.cases import services as case_services
from danvan.cases.identity import Identity
from danvan.core.errors import DomainError
from danvan.legal.models import CaseKind
from danvan.units.models import Unit

from .. import selectors
from ..forms import phone_validator

# The kinds of case that are Open311 services: only feedback and petitions; complaints
# and denunciations are never on a public channel (domain.md §5).
SERVICE_CODES = (CaseKind.FEEDBACK.value, CaseKind.PETITION.value)


class RequestForm(forms.Form):
    """The form-encoded body of POST Service Request; field names are the spec's."""

    jurisdiction_id = forms.CharField(
        max_length=32,
        error_messages={
            "required": gettext_lazy("Cần mã 5 chữ số của xã, phường, đặc khu nơi xảy ra sự việc.")
        },
    )
    service_code = forms.ChoiceField(
        choices=[(c, c) for c in SERVICE_CODES],
        error_messages={
            "required": gettext_lazy("Cần mã dịch vụ: feedback hoặc petition."),
            "invalid_choice": gettext_lazy("Chỉ có dịch vụ feedback hoặc petition."),
        },
    )
    description = forms.CharField(
        max_length=4000, error_messages={"required": gettext_lazy("Cần nội dung phản ánh.")}
    )
    lat = forms.FloatField(min_value=-90, max_value=90, required=False)
    long = forms.FloatField(min_value=-180, max_value=180, required=False)
    address_string = forms.CharField(max_length=300, required=False)
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(max_length=254, required=False)
    phone = forms.CharField(max_length=20, required=False, validators=[phone_validator])

    def clean_jurisdiction_id(self) -> Unit:
        code = self.cleaned_data["jurisdiction_id"].strip()
        commune = selectors.commune_by_code(code)
        if commune is None:
            raise forms.ValidationError(
                _("“%(code)s” không phải mã của một xã, phường, đặc khu đang hoạt động.")
                % {"code": code}
            )
        return commune

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("first_name", "").strip() or data.get("last_name", "").strip()):
            self.add_error("last_name", _("Cần họ tên người gửi (first_name, last_name)."))
        if not self.errors.get("phone") and not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Cần số điện thoại hoặc thư điện tử (ít nhất một)."))
        if (data.get("lat") is None) != (data.get("long") is None):
            self.add_error("lat", _("Cần cả lat và long, hoặc bỏ trống cả hai."))
        elif data.get("lat") is not None and not self.errors.get("lat"):
            try:
                case_services.check_location(data["lat"], data["long"])
            except DomainError as exc:
                for problem in exc.problems:
                    self.add_error(problem.field, problem.message)
        return data

    def sender(self) -> Identity:
        data = self.cleaned_data
        # Vietnamese names put the family name (last_name) first: "Nguyễn" + "Văn An".
        full_name = " ".join(f"{data['last_name']} {data['first_name']}".split())
        return Identity(full_name=full_name, phone=data["phone"].strip(), email=data["email"])

    def descriptions(self) -> list[str]:
        return [f"{field}: {message}" for field, errs in self.errors.items() for message in errs]
