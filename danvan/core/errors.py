"""Domain errors: a stable code for machines and a Vietnamese message for people."""

from __future__ import annotations

from typing import Any


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

    def __init__(self, message: str = "Không tìm thấy.", *, code: str = "not_found"):
        super().__init__(code, message)


class PermissionDenied(DomainError):
    status_code = 403

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này."):
        super().__init__("permission_denied", message)
