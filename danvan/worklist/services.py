"""Writes of the worklist app: sending notices and marking them read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.units.models import Unit

from .models import Notice


@transaction.atomic
def notice_send(
    *,
    users: Iterable[Any],
    kind: str,
    title: str,
    url: str,
    unit: Unit | None = None,
    skip: Any = None,
) -> list[Notice]:
    """Tell each of *users* (once each) about something new for them; *skip* (the actor
    who did it) is not told about their own action. Runs inside the caller's transaction,
    so a refused action sends nothing."""
    skip_pk = getattr(skip, "pk", None)
    seen: set[int] = set()
    notices = []
    for user in users:
        if user is None or user.pk == skip_pk or user.pk in seen:
            continue
        seen.add(user.pk)
        notices.append(Notice(user=user, kind=kind, title=title[:300], url=url[:500], unit=unit))
    return Notice.objects.bulk_create(notices)


@transaction.atomic
def notices_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark *user*'s unread notices read (only those in *ids* when given)."""
    qs = Notice.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
