"""Domain errors: a stable code for machines and a Vietnamese message for people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

# Default messages, translated when an error is raised (not when this module is imported).
_NOT_FOUND = gettext_lazy("Không tìm thấy.")
_PERMISSION_DENIED = gettext_lazy("Bạn không có quyền thực hiện thao tác này.")
_PERMISSION_DENIED_ON = gettext_lazy(
    "Bạn không có quyền thực hiện việc này trên đơn vị “%(unit)s”."
)


class DomainError(Exception):
    """A business rule refused an action. Nothing was written."""

    status_code = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, **params: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.params = params

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """The object does not exist, or the actor may not see it (both answer alike)."""

    status_code = 404

    def __init__(self, message: StrOrPromise = _NOT_FOUND, *, code: str = "not_found"):
        super().__init__(code, str(message))


class PermissionDenied(DomainError):
    """The actor sees the object but may not do this. With *unit* (and no message of its
    own) the message names the unit, so the person knows what to ask for and where."""

    status_code = 403

    def __init__(self, message: StrOrPromise | None = None, *, unit: Any = None):
        if message is None:
            message = _PERMISSION_DENIED if unit is None else _PERMISSION_DENIED_ON % {"unit": unit}
        super().__init__("permission_denied", str(message))
