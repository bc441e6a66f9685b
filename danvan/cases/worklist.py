"""What the cases area puts on the officer's list of what needs doing (danvan.worklist).

Registered in CasesConfig.ready(). Scoping is the worklist's: rows under the chosen
unit where the actor holds the source's permission.
"""

from __future__ import annotations

import datetime as dt
import functools

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
    Judged,
    QuerySetSource,
    Row,
    Scope,
    Urgency,
    found_from,
    link,
    register,
    urgency_of,
)
from danvan.worklist.trends import Counts, MonthlyTrend, by_month, register_trend

from .dialogues.selectors import dialogue_limits
from .models import Case, Commitment, Dialogue, Status

# What the late dialogues' check reads (dialogue_limits) and their line shows.
DIALOGUE_FIELDS = (
    "public_id",
    "title",
    "state",
    "held_on",
    "announced_on",
    "published_on",
    "unit__name",
    "unit__path",
)

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


# The three kinds of cases on the list, each with the permission that shows it.
# A paused case's clock is stopped: it is neither overdue nor due soon.
def _kinds(scope: Scope) -> tuple[Q, dict[str, Q]]:
    """(the filter all three share, each kind's own filter within it)."""
    running = ~Q(status=Status.PAUSED)
    view = scope.rows_q(Perm.CASE_VIEW, "unit__")
    # Only those who may assign see cases without a handler: they give them one.
    assign = scope.rows_q(Perm.CASE_ASSIGN, "unit__")
    kinds = {
        "overdue": running & Q(due_date__lt=scope.today),
        "soon": running & Q(due_date__gte=scope.today, due_date__lte=scope.soon),
        "unassigned": Q(handler__isnull=True),
    }
    if not policies.has_perm_anywhere(scope.actor, Perm.CASE_ASSIGN):
        kinds["unassigned"] = Q(pk__in=[])
    elif assign != view:
        # A narrower assigning scope (a leader of one commune who views the district):
        # each kind keeps its own. Usually the two are the same subtrees, and the
        # database then tests the scope once per case rather than once per kind.
        return Q(), {
            "overdue": view & kinds["overdue"],
            "soon": view & kinds["soon"],
            "unassigned": assign & kinds["unassigned"],
        }
    return view, kinds


def _open_cases() -> QuerySet[Case]:
    # `is_open__in` rather than `is_open=True`: see selectors._OPEN (Django ticket #36492).
    return Case.objects.filter(is_open__in=[True])


class CaseSource:
    """Cases overdue, due soon, or without a handler. The three sources read together:
    one query counts the three kinds per child unit (instead of three scans of the open
    cases), and the first cases are listed kind by kind only while the list has room."""

    def __init__(self, key: str, code: str, label: Promise, what: Promise, list_name: str):
        self.key, self.code, self.label = key, code, label
        self.what, self.list_name = what, list_name

    def list_url(self) -> str:
        return reverse(self.list_name)

    def find(self, scope: Scope) -> Found:
        if "cases" not in scope.memo:
            scope.memo["cases"] = _find_cases(scope)
        found: Found = scope.memo["cases"][self.key]
        return found

    def item(self, case: Row, scope: Scope) -> Item:
        label = case.reference or case.lookup_code
        return Item(
            source=self.code,
            what=_("%(what)s: %(ref)s — %(kind)s, %(subject)s")
            % {
                "what": self.what,
                "ref": label,
                "kind": CaseKind(case.kind).label,
                "subject": case.subject[:90],
            },
            where=case.unit.name,
            url=link("cases:detail", case.public_id),
            since=case.received_on,
            due=case.due_date,
            # A paused case's clock is stopped: it waits, whatever its deadline.
            urgency=(
                Urgency.WAITING
                if case.status == Status.PAUSED
                else urgency_of(case.due_date, scope)
            ),
        )


def _find_cases(scope: Scope) -> dict[str, Found]:
    if not policies.has_perm_anywhere(scope.actor, Perm.CASE_VIEW):
        return {key: Found() for key in SOURCES}
    shared, kinds = _kinds(scope)
    found = {name: Found() for name in kinds}
    cases = _open_cases().filter(shared, kinds["overdue"] | kinds["soon"] | kinds["unassigned"])
    counts = (
        cases.order_by()
        .annotate(child=scope.child_key("unit__"))
        .values("child")
        .annotate(**{name: Count("pk", filter=q) for name, q in kinds.items()})
    )
    for row in counts:
        for name, f in found.items():
            if row[name]:
                f.by_child[row["child"]] = row[name]
                f.total += row[name]
    # Overdue cases count as overdue once: under "cases.overdue".
    f = found["overdue"]
    f.late_by_child, f.overdue = dict(f.by_child), f.total
    # The first cases in the order of urgency, kind by kind: the kinds follow that order
    # (overdue, then due soon, then the others waiting for a handler), so a kind is read
    # only while the list has room — usually the overdue ones fill it, from the index
    # on (is_open, due_date), without sorting every open case.
    listed: Q = Q(pk__in=[])
    for name in ("overdue", "soon", "unassigned"):
        room = scope.limit - sum(len(f.items) for f in found.values())
        if room <= 0:
            break
        if found[name].total:
            rows = (
                _open_cases()
                .filter(shared, kinds[name])
                .exclude(listed)
                .order_by(
                    F("due_date").asc(nulls_last=True),
                    F("received_on").asc(nulls_last=True),
                    "pk",
                )
                .values(*CASE_FIELDS, "status")[:room]
            )
            found[name].items = [SOURCES[name].item(Row(values), scope) for values in rows]
        listed |= kinds[name]
    return found


SOURCES: dict[str, CaseSource] = {}
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
    SOURCES[_key] = CaseSource(_key, _code, _label, _what, _list)
    register(SOURCES[_key])


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
    (dialogues.selectors.dialogue_limits)."""

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
        # own judgement (dialogue_limits), with the version in force on each one's day.
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
        # Plain rows, not model instances: hundreds may be judged to list twenty.
        pending = [
            Row(values)
            for values in Dialogue.objects.filter(scope.rows_q(Perm.CASE_VIEW, "unit__"), maybe)
            .order_by()  # counted and sorted here, by deadline
            .values(*DIALOGUE_FIELDS)
        ]

        def item(d: Row, announcing: bool, row: Judged) -> Item:
            if announcing:
                what = _("Đối thoại “%(t)s” chưa thông báo (hạn thông báo đã qua)")
            else:
                what = _("Đối thoại “%(t)s” chưa công khai kết quả (đã quá hạn)")
            return Item(
                source=self.code,
                what=what % {"t": d.title[:90]},
                where=d.unit.name,
                url=link("dialogues:detail", d.public_id),
                since=d.held_on,
                due=row.due,
                urgency=Urgency.OVERDUE,
            )

        rows = []
        for d in pending:
            r = dialogue_limits(d, book, scope.today)
            if not (r.announce_overdue or r.publish_overdue):
                continue
            due = r.announce_by if r.announce_overdue else r.publish_by
            judged = Judged(urgency=Urgency.OVERDUE, due=due, since=d.held_on, path=d.unit.path)
            rows.append((judged, functools.partial(item, d, r.announce_overdue, judged)))
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
