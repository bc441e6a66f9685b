"""The kinds of background job, declared by the apps that own them (in their tasks.py).

A kind says which Celery task runs the job, how many attempts it gets before a dead
worker makes it fail, what to tell the user when it failed, and what the owning app
changes on its own records when the job fails for good (the import marks its ImportJob
failed and retryable, for example).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import Job


@dataclass(frozen=True)
class Kind:
    name: str
    # The Celery task name (``task.name``), sent again by the reaper and by a retry.
    task: str
    # Shown when the worker died on the last attempt, or the work raised: what happened
    # and what the user may do (Vietnamese, a full sentence).
    failed_message: str | Promise  # lazy: translated when shown
    # Attempts before a dead worker fails the job; None: settings.JOBS_MAX_ATTEMPTS.
    max_attempts: int | None = None
    # Called in the transaction that fails the job for good (worker gone, no attempt
    # left; or an unexpected error), with the job already saved as failed.
    on_failed: Callable[[Job], None] | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Declare *kind* (idempotent for the same declaration: modules may be imported
    again by Celery's autodiscovery)."""
    known = _KINDS.get(kind.name)
    if known is not None and known.task != kind.task:
        raise ValueError(f"job kind {kind.name!r} is already declared for {known.task}")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown job kind {name!r}: declare it in its app's tasks.py") from None
