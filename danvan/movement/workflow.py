"""The life cycle of an entry: the one table of allowed transitions.

Drawn in docs/movement.md. Each transition names who may perform it:
- ``owner``: someone who may edit entries of the owning unit (Perm.MOVEMENT_EDIT);
- ``manager``: the managing body, i.e. someone holding Perm.MOVEMENT_MANAGE through a
  grant strictly above the owning unit (a village registers with its commune, a
  commune with the province), or a system administrator.
``decision`` marks transitions that must carry a decision with a valid document number.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Status

OWNER, MANAGER = "owner", "manager"

LIVE_STATES = frozenset(
    {
        Status.DRAFT,
        Status.REGISTERED,
        Status.RETURNED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.SUBMITTED,
        Status.RECOGNIZED,
        Status.EXEMPLARY,
        Status.REPLICATED,
    }
)


@dataclass(frozen=True)
class Transition:
    name: str
    source: Status
    target: Status
    by: str
    decision: bool = False
    reason_required: bool = False


_TABLE: list[Transition] = [
    Transition("register", Status.DRAFT, Status.REGISTERED, OWNER),
    Transition("register", Status.RETURNED, Status.REGISTERED, OWNER),
    Transition("return", Status.REGISTERED, Status.RETURNED, MANAGER, reason_required=True),
    Transition("accept", Status.REGISTERED, Status.ACCEPTED, MANAGER),
    Transition("start", Status.ACCEPTED, Status.IN_PROGRESS, OWNER),
    Transition("submit", Status.IN_PROGRESS, Status.SUBMITTED, OWNER),
    Transition("recognize", Status.SUBMITTED, Status.RECOGNIZED, MANAGER, decision=True),
    Transition("reject", Status.SUBMITTED, Status.NOT_RECOGNIZED, MANAGER, reason_required=True),
    Transition("make_exemplary", Status.RECOGNIZED, Status.EXEMPLARY, MANAGER, decision=True),
    Transition("mark_replicated", Status.EXEMPLARY, Status.REPLICATED, MANAGER),
]
# Withdrawn (by the owner) and stopped (by the manager) from any live state.
for _state in sorted(LIVE_STATES):
    _TABLE.append(
        Transition("withdraw", Status(_state), Status.WITHDRAWN, OWNER, reason_required=True)
    )
    _TABLE.append(Transition("stop", Status(_state), Status.STOPPED, MANAGER, reason_required=True))

TRANSITIONS: dict[tuple[str, Status], Transition] = {(t.name, t.source): t for t in _TABLE}
NAMES = sorted({t.name for t in _TABLE})


def find(name: str, source: str) -> Transition | None:
    return TRANSITIONS.get((name, Status(source)))


def available(source: str) -> list[Transition]:
    return [t for t in _TABLE if t.source == source]
