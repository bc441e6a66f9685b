"""Form pieces every app's forms share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .dates import (
    DATE_INPUT_FORMAT,
    MAX_DATE,
    MIN_DATE,
    DateTextError,
    format_month,
    parse_date,
    parse_month,
)
from .errors import DomainError, NotFound, PermissionDenied
from .validation import CheckedFormMixin, add_problems, word_field

T = TypeVar("T")


class BootstrapMixin(CheckedFormMixin):
    """Give every widget the Bootstrap class includes/form.html expects (no inline styles: CSP).

    Through CheckedFormMixin every form also gets the site's error messages, a limit on
    every free text and its service's checks in the same pass (see core.validation).
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
        # What the person typed before their session expired, kept until they signed in
        # again (accounts.form_rescue): shown as the unbound form's initial values.
        from danvan.accounts.form_rescue import apply_rescued

        apply_rescued(self)  # type: ignore[arg-type]

    def style_widgets(self) -> None:
        """Style the fields; call again after adding fields in a subclass's __init__."""
        for field in self.fields.values():
            word_field(field)
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                # Lists of radio buttons and check boxes (CheckboxSelectMultiple is a
                # RadioSelect): Django puts widget attrs on the wrapper <div> too, where a
                # form-check-input class would shrink the whole list to one box. The
                # options are styled by app.css instead.
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                classes.append(css)
            widget.attrs["class"] = " ".join(classes)


class DateInput(forms.DateInput):
    """A text field for a date written dd/mm/yyyy, whatever the browser's locale.

    ``<input type="date">`` shows the date in the browser's or the system's order
    (12/07/2026 in an American browser for 7 December), so the field is text, day first;
    ``datefield.js`` adds a calendar button beside it (the text stays what is posted,
    and the field works without JavaScript). Use it through ``DateField``.
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "data-datefield": "",
            "data-min": MIN_DATE.isoformat(),
            "data-max": MAX_DATE.isoformat(),
            "data-calendar-label": _("Chọn ngày trên lịch"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_INPUT_FORMAT)


class DateField(forms.DateField):
    """The one date field of the site: typed dd/mm/yyyy, parsed only day first.

    Also read: d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and ddmmyyyy; never month first, never
    ISO. Years outside MIN_DATE–MAX_DATE are refused with the range (PostgreSQL never
    sees them). A refused value stays in the field as typed. Takes DateField's usual
    arguments (label, required, help_text, initial …).
    """

    widget = DateInput
    default_error_messages = {
        "invalid": _("Ngày phải viết theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 07/12/2026."),
    }

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except DateTextError as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class MonthInput(forms.TextInput):
    """A text field for a month written MM/yyyy (``<input type="month">`` follows the
    browser's locale too, and is a plain text box in some browsers). Use MonthField."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": "mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "7",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, tuple):
            return format_month(*value)
        if isinstance(value, dt.date):
            return format_month(value.year, value.month)
        return super().format_value(value)


class MonthField(forms.Field):
    """A month typed MM/yyyy (also M/yyyy, MM-yyyy); cleans to (year, month)."""

    widget = MonthInput

    def to_python(self, value: Any) -> tuple[int, int] | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, tuple):
            return value
        if isinstance(value, dt.date):
            return value.year, value.month
        try:
            return parse_month(str(value))
        except DateTextError as exc:
            raise ValidationError(exc.message, code=exc.code) from None


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or in the summary (every
    problem of a refusal that carries several)."""
    add_problems(form, error)


_PROPAGATE = object()


def apply_service(
    form: forms.BaseForm, call: Callable[[], T], *, not_found_field: Any = _PROPAGATE
) -> T | None:
    """Run a service for a valid form and return its result.

    A refusal the user can fix (DomainError) goes on the form and None is
    returned; not-allowed (PermissionDenied) passes through to the view's HTTP
    handling, and so does out-of-sight (NotFound) unless *not_found_field* is
    given: then it is shown on that field (None: the summary), for forms where the
    user typed the code of another unit, which may be missing or out of sight alike.
    """
    try:
        return call()
    except PermissionDenied:
        raise
    except NotFound as exc:
        if not_found_field is _PROPAGATE:
            raise
        form.add_error(not_found_field, exc.message)
        return None
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


def form_status(*bound: forms.BaseForm | None) -> int:
    """400 when one of the submitted forms has errors (the page shows them), else 200."""
    return 400 if any(f is not None and f.is_bound and f.errors for f in bound) else 200
