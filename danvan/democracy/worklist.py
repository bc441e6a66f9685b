"""What grassroots democracy puts on the list of what needs doing (danvan.worklist): votes
open or ready to close, and communes whose disclosures are missing or late."""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.policies import Perm
from danvan.units.models import Unit, UnitKind
from danvan.worklist.registry import (
    Found,
    Item,
    Judged,
    QuerySetSource,
    Scope,
    Urgency,
    found_from,
    link,
    register,
    urgency_of,
)

from .board import selectors as board
from .models import Vote


def _vote_item(vote: Vote, scope: Scope) -> Item:
    ready = vote.closes_on is not None and vote.closes_on <= scope.today
    what = (
        _("Biểu quyết đã đến ngày kết thúc, cần kết thúc và công bố: %(t)s")
        if ready
        else _("Biểu quyết đang mở: %(t)s")
    )
    return Item(
        source="democracy.votes",
        what=what % {"t": vote.matter.title[:90]},
        where=vote.matter.unit.name,
        url=link("democracy:vote", vote.public_id),
        since=vote.opened_on,
        due=vote.closes_on,
        urgency=urgency_of(vote.closes_on, scope) if not ready else Urgency.OVERDUE,
    )


register(
    QuerySetSource(
        code="democracy.votes",
        label=gettext_lazy("Biểu quyết đang mở hoặc đến lúc kết thúc"),
        perm=Perm.DEMOCRACY_MANAGE,
        unit="matter__unit__",
        queryset=lambda s: Vote.objects.filter(closed_at__isnull=True),
        item=_vote_item,
        due="closes_on",
        # Ready to close on its closing day: overdue from that day on (_vote_item).
        late_q=lambda s: Q(closes_on__lte=s.today),
        since="opened_on",
        fields=("public_id", "opened_on", "closes_on", "matter__title", "matter__unit__name"),
        list_url=lambda: reverse("democracy:matters"),
    )
)


class _Commune(NamedTuple):
    pk: int
    name: str
    code: str
    path: str


class Disclosures:
    """Communes missing a mandatory disclosure kind this year, or with late or too short
    disclosures: the compliance board's disclosure cell (board._disclosure, one SQL
    statement for all the communes), from 1 January to today."""

    code = "disclosure.compliance"
    label = gettext_lazy("Công khai thông tin còn thiếu hoặc chậm")

    @staticmethod
    def list_url() -> str:
        return reverse("disclosure:compliance")

    def find(self, scope: Scope) -> Found:
        start = dt.date(scope.today.year, 1, 1)
        # Plain rows: a province judges every commune to list twenty.
        communes = [
            _Commune(*values)
            for values in Unit.objects.filter(
                scope.rows_q(Perm.DEMOCRACY_VIEW, ""),
                kind=UnitKind.COMMUNE,
                valid_to__isnull=True,
            )
            .order_by("path")
            .values_list("pk", "name", "code", "path")
        ]
        if not communes:
            return Found()
        cells = board._disclosure([u.pk for u in communes], start, scope.today, scope.today)
        base = reverse("disclosure:compliance")
        end_of_year = dt.date(scope.today.year, 12, 31)

        def item(unit: _Commune, status: str, count: int, row: Judged) -> Item:
            if status == board.Status.MISSING:
                what = _("Còn thiếu %(n)s nội dung công khai bắt buộc trong năm %(y)s") % {
                    "n": count,
                    "y": scope.today.year,
                }
            else:
                what = _("%(n)s nội dung công khai chậm hoặc chưa đủ thời gian niêm yết, phát")
                what %= {"n": count}
            return Item(
                source=self.code,
                what=what,
                where=unit.name,
                url=f"{base}?{urlencode({'unit': unit.code})}",
                since=row.since,
                due=row.due,
                urgency=row.urgency,
            )

        rows = []
        for unit in communes:
            status, count = cells[unit.pk]
            if status == board.Status.MISSING:
                urgency, due = Urgency.WAITING, end_of_year
            elif status == board.Status.LATE:
                urgency, due = Urgency.OVERDUE, None
            else:
                continue
            row = Judged(urgency=urgency, due=due, since=start, path=unit.path)
            rows.append((row, functools.partial(item, unit, status, count, row)))
        return found_from(scope, rows)


register(Disclosures())
