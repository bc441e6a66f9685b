"""What the cases area puts on the officer's list of what needs doing (danvan.worklist).

Registered in CasesConfig.ready(). Scoping is the worklist's: rows under the chosen
unit where the actor holds the source's permission.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.legal.duties import DutyBook
from danvan.legal.models import CaseKind, Duty
from danvan.worklist.registry import (
    Found,
    Item,
    QuerySetSource,
    Scope,
    Urgency,
    found_from,
    link,
    register,
    urgency_of,
)
from danvan.worklist.trends import Counts, MonthlyTrend, by_month, register_trend

from .models import Case, Commitment, Dialogue, Status
from .selectors_reception import dialogue_rows

# What a case's line shows (the sender is never among them).
CASE_FIELDS = (
    "public_id",
    "reference",
    "lookup_code",
    "kind",
    "subject",
    "received_on",
    "due_date",
    "unit__name",
)


# The three kinds of cases on the list: (the permission that shows them, the filter).
# A paused case's clock is stopped: it is neither overdue nor due soon.
def _kinds(scope: Scope) -> dict[str, tuple[Perm, Q]]:
    running = ~Q(status=Status.PAUSED)
    return {
        "overdue": (Perm.CASE_VIEW, running & Q(due_date__lt=scope.today)),
        "soon": (Perm.CASE_VIEW, running & Q(due_date__gte=scope.today, due_date__lte=scope.soon)),
        # Only those who may assign see these: a case is given a handler by them.
        "unassigned": (Perm.CASE_ASSIGN, Q(handler__isnull=True)),
    }


def _open_cases() -> QuerySet[Case]:
    # `is_open__in` rather than `is_open=True`: see selectors._OPEN (Django ticket #36492).
    return Case.objects.filter(is_open__in=[True])


def _case_counts(scope: Scope, key: str) -> dict[str, tuple[int, int]]:
    """The three kinds of cases counted per child unit in one query (instead of three
    scans of the open cases), shared by the three sources through the scope's memo."""
    if "cases" not in scope.memo:
        kinds = {
            name: scope.rows_q(perm, "unit__") & cond
            for name, (perm, cond) in _kinds(scope).items()
        }
        rows = (
            _open_cases()
            .filter(kinds["overdue"] | kinds["soon"] | kinds["unassigned"])
            .order_by()
            .annotate(child=scope.child_key("unit__"))
            .values("child")
            .annotate(**{name: Count("pk", filter=q) for name, q in kinds.items()})
        )
        memo: dict[str, dict[str, tuple[int, int]]] = {name: {} for name in kinds}
        for row in rows:
            for name, counts in memo.items():
                if row[name]:
                    # Overdue cases count as overdue once: under "cases.overdue".
                    counts[row["child"]] = (row[name], row[name] if name == "overdue" else 0)
        scope.memo["cases"] = memo
    result: dict[str, tuple[int, int]] = scope.memo["cases"][key]
    return result


def _case_item(source: str, what: str | Promise) -> Any:
    def item(case: Case, scope: Scope) -> Item:
        label = case.reference or case.lookup_code
        return Item(
            source=source,
            what=_("%(what)s: %(ref)s — %(kind)s, %(subject)s")
            % {
                "what": what,
                "ref": label,
                "kind": CaseKind(case.kind).label,
                "subject": case.subject[:90],
            },
            where=case.unit.name,
            url=link("cases:detail", case.public_id),
            since=case.received_on,
            due=case.due_date,
            urgency=urgency_of(case.due_date, scope),
        )

    return item


def _case_source(
    key: str, code: str, label: Promise, what: Promise, list_name: str
) -> QuerySetSource:
    return QuerySetSource(
        code=code,
        label=label,
        perm=None,  # the kind's own permission, in the scope filter below
        unit="unit__",
        queryset=lambda s: _open_cases().filter(_kinds(s)[key][1]),
        scope_q=lambda s: s.rows_q(_kinds(s)[key][0], "unit__"),
        item=_case_item(code, what),
        due="due_date",
        since="received_on",
        fields=CASE_FIELDS,
        counts=lambda s: _case_counts(s, key),
        list_url=lambda: reverse(list_name),
    )


for _key, _code, _label, _what, _list in (
    ("overdue", "cases.overdue", _l("Vụ việc quá hạn"), _l("Vụ việc quá hạn"), "cases:overdue"),
    ("soon", "cases.due_soon", _l("Vụ việc sắp đến hạn"), _l("Sắp đến hạn"), "cases:list"),
    (
        "unassigned",
        "cases.unassigned",
        _l("Vụ việc chưa giao người xử lý"),
        _l("Chưa giao người xử lý"),
        "cases:list",
    ),
):
    register(_case_source(_key, _code, _label, _what, _list))


def _commitment_item(c: Commitment, scope: Scope) -> Item:
    return Item(
        source="dialogues.commitments",
        what=_("Cam kết sau đối thoại quá hạn: %(text)s (%(who)s)")
        % {"text": c.text[:90], "who": c.responsible},
        where=c.dialogue.unit.name,
        url=link("dialogues:detail", c.dialogue.public_id),
        since=c.dialogue.held_on,
        due=c.due_date,
        urgency=Urgency.OVERDUE,
    )


register(
    QuerySetSource(
        code="dialogues.commitments",
        label=gettext_lazy("Cam kết sau đối thoại quá hạn"),
        perm=Perm.CASE_VIEW,
        unit="dialogue__unit__",
        queryset=lambda s: Commitment.objects.filter(
            state=Commitment.State.OPEN, due_date__lt=s.today
        ),
        item=_commitment_item,
        due="due_date",
        fields=(
            "text",
            "responsible",
            "due_date",
            "dialogue__held_on",
            "dialogue__public_id",
            "dialogue__unit__name",
        ),
        list_url=lambda: reverse("dialogues:commitments"),
    )
)


class LateDialogues:
    """Dialogues whose announcement or results are late (Local Government Law 2025,
    art. 43: announced at least 7 days ahead, results published within 10 days; the
    figures are the DutyRule versions in force). Two queries: the planned and held
    dialogues under the scope, and the rules; the deadlines are the dialogues page's own
    (selectors_reception.dialogue_rows)."""

    code = "dialogues.late"
    label = gettext_lazy("Đối thoại chậm thông báo hoặc chậm công khai kết quả")

    @staticmethod
    def list_url() -> str:
        return reverse("dialogues:list")

    def find(self, scope: Scope) -> Found:
        if not policies.has_perm_anywhere(scope.actor, Perm.CASE_VIEW):
            return Found()
        book = DutyBook([Duty.DIALOGUE_ANNOUNCE, Duty.DIALOGUE_PUBLISH])
        # Only dialogues that can be late by any version of the rules are loaded: planned
        # ones held within the longest announcement period from today, held ones past
        # the shortest publication period. Which are late is then the dialogues page's
        # own judgement (dialogue_rows), with the version in force on each one's day.
        announce = [r.amount for r in book.rows if r.duty == Duty.DIALOGUE_ANNOUNCE]
        publish = [r.amount for r in book.rows if r.duty == Duty.DIALOGUE_PUBLISH]
        maybe = Q(pk__in=[])
        if announce:
            maybe |= Q(
                state=Dialogue.State.PLANNED,
                held_on__lt=scope.today + dt.timedelta(days=max(announce)),
            )
        if publish:
            maybe |= Q(
                state=Dialogue.State.HELD,
                held_on__lt=scope.today - dt.timedelta(days=min(publish)),
            )
        pending = Dialogue.objects.filter(
            scope.rows_q(Perm.CASE_VIEW, "unit__"), maybe
        ).select_related("unit")
        rows = []
        for row in dialogue_rows(pending, book=book):
            if not (row.announce_overdue or row.publish_overdue):
                continue
            d = row.dialogue
            if row.announce_overdue:
                what = _("Đối thoại “%(t)s” chưa thông báo (hạn thông báo đã qua)")
                due = row.announce_by
            else:
                what = _("Đối thoại “%(t)s” chưa công khai kết quả (đã quá hạn)")
                due = row.publish_by
            item = Item(
                source=self.code,
                what=what % {"t": d.title[:90]},
                where=d.unit.name,
                url=link("dialogues:detail", d.public_id),
                since=d.held_on,
                due=due,
                urgency=Urgency.OVERDUE,
            )
            rows.append((item, d.unit.path))
        return found_from(scope, rows)


register(LateDialogues())


# --- the leader's trend: cases resolved on time, month by month --------------------------


def _on_time_counts(scope: Scope, start: dt.date, end: dt.date) -> Counts:
    closed = Case.objects.filter(
        scope.rows_q(Perm.CASE_VIEW, "unit__"),
        closed_on__gte=start,
        closed_on__lte=end,
        status__in=[Status.RESOLVED, Status.REFUSED],
    )
    on_time = Q(due_date__isnull=True) | Q(closed_on__lte=F("due_date"))
    return by_month(closed, "closed_on", on_time=on_time, late=~on_time)


register_trend(
    MonthlyTrend(
        code="cases.on_time",
        title=gettext_lazy("Vụ việc giải quyết xong: đúng hạn và quá hạn, theo tháng"),
        series=(
            ("on_time", gettext_lazy("Đúng hạn"), "#2e7d32"),
            ("late", gettext_lazy("Quá hạn"), "#b02a37"),
        ),
        counts=_on_time_counts,
        rate_of=("on_time", gettext_lazy("Tỷ lệ đúng hạn")),
    )
)
