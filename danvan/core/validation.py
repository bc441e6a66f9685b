"""Validation in one pass: every form reports its own errors and its service's together.

`CheckedFormMixin` (a base of `core.forms.BootstrapMixin`, so every form of the site has
it) does three things when a form is validated:

1. **Messages with reasons.** Django's stock messages ("Trường này là bắt buộc.",
   "Hãy chọn một lựa chọn hợp lệ…") are replaced, field by field, by messages that say
   what is wrong and what is allowed ("Dài tối đa 300 ký tự (bạn đã nhập 312).").
   A message a form sets itself (``error_messages={...}``) is kept.
2. **A limit on every free text.** A CharField without ``max_length`` gets one
   (`LINE_LIMIT` for a single line, `TEXT_LIMIT` for a text area), so that no text
   field of any form accepts a text of any length; forms name a tighter limit where the
   meaning calls for one.
3. **The service's checks in the same pass.** A form that defines
   ``service_checks(self, data)`` has it called after its own validation with the
   fields that parsed (``cleaned_data``; a field with an error is absent). The method
   calls the service's check function (the same one the service runs before it writes)
   which raises one DomainError carrying every problem (`core.errors.Checks`). Each
   problem goes beside its field, unless that field already has an error. So a user
   sees "Nhập tên" and "Năm đăng ký phải trong giai đoạn 2026–2030" at once, not the
   second after fixing the first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.forms import BaseForm
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, NotFound, PermissionDenied

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

# The default limits of free text on forms (characters). The models' TextFields have no
# limit of their own: the form is the guard.
LINE_LIMIT = 500
TEXT_LIMIT = 10_000

# Django's stock messages replaced on every form. Each says what is wrong and what is
# allowed; the label is not repeated (the page shows it above the field and before the
# message in the error summary).
_REQUIRED = _("Chưa nhập: đây là thông tin bắt buộc.")
_REQUIRED_CHOICE = _("Chưa chọn: đây là thông tin bắt buộc.")
_REQUIRED_CHECKBOX = _("Cần đánh dấu ô này để tiếp tục.")
_MESSAGES: dict[str, StrOrPromise] = {
    "max_length": _("Dài tối đa %(limit_value)d ký tự (bạn đã nhập %(show_value)d)."),
    "min_length": _("Cần ít nhất %(limit_value)d ký tự (bạn đã nhập %(show_value)d)."),
    "null_characters_not_allowed": _(
        "Có ký tự rỗng (NUL) không được phép, thường do dán từ một tệp khác; "
        "hãy xoá rồi gõ lại đoạn đó."
    ),
}
_CHOICE_MESSAGES: dict[str, StrOrPromise] = {
    "invalid_choice": _("“%(value)s” không có trong danh sách; hãy chọn một mục trong danh sách."),
}
_MODEL_CHOICE_MESSAGES: dict[str, StrOrPromise] = {
    "invalid_choice": _(
        "Mục đã chọn không có (hoặc không còn) trong danh sách; hãy chọn lại một mục "
        "trong danh sách."
    ),
}
_MODEL_MULTIPLE_MESSAGES: dict[str, StrOrPromise] = {
    "invalid_choice": _("“%(value)s” không có trong danh sách; hãy chọn lại."),
    "invalid_pk_value": _("“%(pk)s” không phải một mục của danh sách; hãy chọn lại."),
    "invalid_list": _("Hãy chọn một hoặc nhiều mục trong danh sách."),
}
_NUMBER_MESSAGES: dict[str, StrOrPromise] = {
    "max_value": _("Phải nhỏ hơn hoặc bằng %(limit_value)s."),
    "min_value": _("Phải lớn hơn hoặc bằng %(limit_value)s."),
}
_INTEGER_MESSAGES: dict[str, StrOrPromise] = {
    "invalid": _("Phải là một số nguyên, chỉ gồm chữ số (ví dụ 12)."),
}
_DECIMAL_MESSAGES: dict[str, StrOrPromise] = {
    "invalid": _("Phải là một số, chỉ gồm chữ số và dấu chấm thập phân (ví dụ 12 hoặc 12.5)."),
    "max_digits": _("Tối đa %(max)s chữ số."),
    "max_decimal_places": _("Tối đa %(max)s chữ số sau dấu thập phân."),
    "max_whole_digits": _("Tối đa %(max)s chữ số trước dấu thập phân."),
}
_EMAIL_MESSAGES: dict[str, StrOrPromise] = {
    "invalid": _("Địa chỉ thư điện tử chưa đúng dạng; ví dụ đúng: ten@donvi.gov.vn."),
}
_URL_MESSAGES: dict[str, StrOrPromise] = {
    "invalid": _("Địa chỉ web chưa đúng dạng; ví dụ đúng: https://donvi.gov.vn/trang."),
}


def _stock(field: forms.Field) -> dict[str, Any]:
    """Django's own default messages for *field*'s class (what a form did not override)."""
    messages: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def _messages_for(field: forms.Field) -> dict[str, StrOrPromise]:
    messages = dict(_MESSAGES)
    if isinstance(field, forms.BooleanField):
        messages["required"] = _REQUIRED_CHECKBOX
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        messages["required"] = _REQUIRED_CHOICE
    else:
        messages["required"] = _REQUIRED
    if isinstance(field, forms.ModelMultipleChoiceField):
        messages.update(_MODEL_MULTIPLE_MESSAGES)
    elif isinstance(field, forms.ModelChoiceField):
        messages.update(_MODEL_CHOICE_MESSAGES)
    elif isinstance(field, forms.ChoiceField):
        messages.update(_CHOICE_MESSAGES)
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        messages.update(_NUMBER_MESSAGES)
        if isinstance(field, forms.DecimalField | forms.FloatField):
            messages.update(_DECIMAL_MESSAGES)
        else:
            messages.update(_INTEGER_MESSAGES)
    if isinstance(field, forms.EmailField):
        messages.update(_EMAIL_MESSAGES)
    elif isinstance(field, forms.URLField):
        messages.update(_URL_MESSAGES)
    return messages


def word_field(field: forms.Field) -> None:
    """Give *field* the site's messages where it still has Django's, and a text limit."""
    stock = _stock(field)
    for code, message in _messages_for(field).items():
        current = field.error_messages.get(code)
        if current is None or current is stock.get(code):
            field.error_messages[code] = message
    if (
        isinstance(field, forms.CharField)
        and field.max_length is None
        and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
    ):
        limit = TEXT_LIMIT if isinstance(field.widget, forms.Textarea) else LINE_LIMIT
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
        field.widget.attrs.setdefault("maxlength", str(limit))


def add_problems(form: BaseForm, error: DomainError, *, keep_first: bool = False) -> None:
    """Show every problem of a service's refusal beside the field it names (or in the
    summary when the form has no such field).

    With *keep_first*, a field that already has an error keeps only that one: the form's
    own message ("Chưa nhập") is the one to fix first, the service's would repeat it.
    """
    for problem in error.problems:
        field = problem.field if problem.field in form.fields else None
        if keep_first and field is not None and field in form.errors:
            continue
        if problem.message in form.errors.get(field or "__all__", []):
            continue
        form.add_error(field, problem.message)


class CheckedFormMixin:
    """The site's messages, text limits and one-pass service checks (see the module)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def word_fields(self) -> None:
        for field in self.fields.values():
            word_field(field)

    def service_checks(self, data: dict[str, Any]) -> None:
        """Override: call the service's check function with the fields that parsed.

        Raise DomainError (one carrying several problems: `core.errors.Checks`); the
        problems are added to the form. Checks the service makes under a lock (the
        current state of a record) stay in the service and show after the form is valid.
        """

    def full_clean(self) -> None:
        self.word_fields()
        super().full_clean()  # type: ignore[misc]
        form: Any = self
        if not form.is_bound or not hasattr(form, "cleaned_data"):
            return
        if form.empty_permitted and not form.has_changed():
            return
        try:
            self.service_checks(dict(self.cleaned_data))
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            add_problems(form, exc, keep_first=True)
