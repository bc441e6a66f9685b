"""Form pieces every app's forms share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

from .errors import DomainError, NotFound, PermissionDenied

T = TypeVar("T")


class BootstrapMixin:
    """Give every widget the Bootstrap class includes/form.html expects (no inline styles: CSP)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        """Style the fields; call again after adding fields in a subclass's __init__."""
        for field in self.fields.values():
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
    """The browser's date picker; ISO values so it can read them back."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or in the summary."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


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
