"""The form of a new version of a supervision figure (SupervisionRule)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import BootstrapMixin, DateField

from ..models import RuleCode
from .services import MAX_AMOUNT


class RuleVersionForm(BootstrapMixin, forms.Form):
    """Field names are the arguments of services.rule_version_add."""

    code = forms.ChoiceField(label=_("Quy định"), choices=RuleCode.choices)
    amount = forms.IntegerField(label=_("Số lượng"), min_value=0, max_value=MAX_AMOUNT)
    citation = forms.CharField(label=_("Căn cứ pháp lý"), max_length=300)
    valid_from = DateField(label=_("Hiệu lực từ ngày"))
    to_verify = forms.BooleanField(label=_("Cần đối chiếu văn bản chính thức"), required=False)
