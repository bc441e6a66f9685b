"""The layout of official documents in force on a day (DocumentLayout data, domain.md §6b)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from .models import DocumentLayout, LayoutFamily


def layout_for(family: str, on: dt.date) -> DocumentLayout:
    """The version of *family*'s layout in force on *on*: the latest to take effect by
    then and not ended before it. A document keeps the layout of the day it is issued."""
    if family not in LayoutFamily.values:
        raise DomainError(
            "layout_unknown_family",
            _("Không có loại văn bản “%(f)s”; chỉ có: %(all)s.")
            % {"f": family, "all": ", ".join(str(label) for label in LayoutFamily.labels)},
        )
    layout = (
        DocumentLayout.objects.filter(family=family, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from", "-pk")
        .first()
    )
    if layout is None:
        raise DomainError(
            "layout_none_in_force",
            _(
                "Chưa có thể thức %(f)s có hiệu lực ngày %(day)s; quản trị hệ thống cần thêm "
                "phiên bản thể thức trong bảng quy định."
            )
            % {"f": LayoutFamily(family).label.lower(), "day": f"{on:%d/%m/%Y}"},
        )
    return layout
