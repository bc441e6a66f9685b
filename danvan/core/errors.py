"""Domain errors: a stable code for machines and a Vietnamese message for people."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Problem:
    """One refusal: the field it concerns (None: the whole form), a code and a message."""

    field: str | None
    code: str
    message: str


class DomainError(Exception):
    """A business rule refused an action. Nothing was written.

    It usually names one problem (code, message, field); `Checks` raises one carrying
    several (*problems*), so that a form or an API answer lists every refusal at once
    instead of one per round trip. Its own code, message and field are the first one's.
    """

    status_code = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        problems: Sequence[Problem] = (),
        **params: Any,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.params = params
        self._problems = list(problems)

    @property
    def problems(self) -> list[Problem]:
        """Every refusal this error carries (at least its own)."""
        return self._problems or [Problem(self.field, self.code, self.message)]

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


class Checks:
    """Collects a service's refusals so that one answer reports them all.

    A service's checks that need no lock run through one `Checks`; each check that
    raises a DomainError is recorded instead of stopping the others::

        checks = Checks()
        with checks.collect():
            _check_kind(kind)
        with checks.collect():
            _check_date(received_on, "received_on")
        checks.refuse("empty", _("Nhập nội dung."), field="content")
        checks.raise_if_any()

    Not-allowed (PermissionDenied) and out-of-sight (NotFound) are not refusals the
    user can fix beside a field: they still stop everything at once.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.problems)

    def refuse(self, code: str, message: str, *, field: str | None = None) -> None:
        self.problems.append(Problem(field, code, str(message)))

    def add(self, error: DomainError) -> None:
        self.problems.extend(error.problems)

    @contextmanager
    def collect(self) -> Iterator[None]:
        try:
            yield
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            self.add(exc)

    def raise_if_any(self) -> None:
        if self.problems:
            first = self.problems[0]
            raise DomainError(first.code, first.message, field=first.field, problems=self.problems)
