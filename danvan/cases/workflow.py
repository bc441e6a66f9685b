"""The life cycle of a case: which action moves it from which status (docs/cases.md).

    received ──accept──▶ accepted ──resolve──▶ resolved
        │                  │  ▲
        ├──refuse──▶ refused   pause│  │resume
        ├──transfer──▶ transferred  ▼  │
        └──withdraw──▶ withdrawn   paused

A case is never closed as "not ours" without either a transfer to the competent unit
or a written answer (refusal with its document number).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

from .errors import CaseError
from .models import Status

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "classify": (frozenset({Status.RECEIVED}), Status.RECEIVED),
    "accept": (frozenset({Status.RECEIVED}), Status.ACCEPTED),
    "refuse": (frozenset({Status.RECEIVED}), Status.REFUSED),
    "transfer": (frozenset({Status.RECEIVED, Status.ACCEPTED}), Status.TRANSFERRED),
    "extend": (frozenset({Status.ACCEPTED}), Status.ACCEPTED),
    "pause": (frozenset({Status.ACCEPTED}), Status.PAUSED),
    "resume": (frozenset({Status.PAUSED}), Status.ACCEPTED),
    "resolve": (frozenset({Status.ACCEPTED}), Status.RESOLVED),
    "withdraw": (frozenset({Status.RECEIVED, Status.ACCEPTED, Status.PAUSED}), Status.WITHDRAWN),
}


def target(action: str, current: str) -> str:
    """The status *action* leads to from *current*, or a DomainError saying why not."""
    allowed_from, to = TRANSITIONS[action]
    if current not in allowed_from:
        raise DomainError(
            CaseError.BAD_TRANSITION,
            _("Không thể thực hiện thao tác này khi vụ việc đang ở trạng thái “%(status)s”.")
            % {"status": Status(current).label},
        )
    return to


def allowed_actions(current: str) -> list[str]:
    return [action for action, (sources, _to) in TRANSITIONS.items() if current in sources]
