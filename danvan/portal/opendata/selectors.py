"""The open datasets: aggregate counts per unit and period, described once here, read by
the CSV and JSON downloads and by datapackage.json.

Counts only. No dataset carries a name, a contact, a text a citizen wrote, a case's
subject, nor a row that stands for one person: every row is a COUNT or SUM over a group
(unit × period × category), computed by the database in one grouped query per dataset
and streamed (``.iterator()``), never loaded whole.

Cases (feedback and petitions only, never complaints or denunciations: their senders are
protected by the Law on Denunciations and Law 91/2025/QH15 on personal data) are counted
per unit and month: a commune with one case in a month could point at the one household
that sent it, so every case count from 1 to SUPPRESS_BELOW − 1 is left empty (null in
JSON). Zero is shown: it reveals nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import Count, F, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import subtree_q
from danvan.cases.models import Case
from danvan.cases.selectors import MonthOf, settled_on_time_q
from danvan.cases.services import PUBLIC_KINDS
from danvan.democracy.models import Outcome, Vote
from danvan.directives.tasks.models import Task, TaskState
from danvan.directives.tasks.status import TaskStatus, soon_until, status_q
from danvan.disclosure.models import Disclosure
from danvan.legal.models import CaseKind
from danvan.movement.models import Entry
from danvan.movement.models import Status as EntryStatus
from danvan.units.models import Unit

# Case counts below this (and above zero) are suppressed (module docstring).
SUPPRESS_BELOW = 3


@dataclass(frozen=True)
class Scope:
    """Which rows a download covers: under *unit* (None: the whole country), with their
    date in [start, end] (either may be None: unbounded)."""

    unit: Unit | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    today: dt.date | None = None

    def unit_q(self, prefix: str) -> Q:
        return subtree_q(self.unit, prefix) if self.unit is not None else Q()

    def date_q(self, name: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{name}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{name}__lte": self.end})
        return q

    def year_q(self, name: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{name}__gte": self.start.year})
        if self.end is not None:
            q &= Q(**{f"{name}__lte": self.end.year})
        return q


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, year, yearmonth, date
    description: Any  # a lazy Vietnamese string


@dataclass(frozen=True)
class Dataset:
    name: str  # the file name's stem and the Data Package resource name
    title: Any
    description: Any
    columns: tuple[Column, ...]
    rows: Callable[[Scope], Iterator[Sequence[Any]]]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _counted(q: Q) -> Sum:
    """How many rows of a group match *q* (SUM of a CASE: one pass, both databases)."""
    return Sum(CaseWhen(When(q, then=Value(1)), default=Value(0)))


def _suppressed(n: int | None) -> int | None:
    n = int(n or 0)
    return None if 0 < n < SUPPRESS_BELOW else n


UNIT_CODE = Column(
    "unit_code", "string", _("Mã đơn vị (mã đơn vị hành chính hoặc mã trong danvan)")
)
UNIT_NAME = Column("unit_name", "string", _("Tên đơn vị"))
YEAR = Column("year", "year", _("Năm"))


# --- initiatives ------------------------------------------------------------------------


def _initiative_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    labels = dict(EntryStatus.choices)
    keys = ("registration_year", "unit__code", "unit__name", "field__code", "field__name")
    rows = (
        Entry.objects.filter(scope.unit_q("unit__"), scope.year_q("registration_year"))
        .values(*keys, "status")
        .annotate(n=Count("id"))
        .order_by("registration_year", "unit__code", "field__code", "status")
    )
    for r in rows.iterator():
        status = r["status"]
        yield (*(r[k] for k in keys), status, str(labels.get(status, status)), r["n"])


INITIATIVES = Dataset(
    name="mo-hinh-theo-linh-vuc",
    title=_("Mô hình, điển hình “Dân vận khéo” theo lĩnh vực và trạng thái"),
    description=_(
        "Số mô hình, điển hình đăng ký theo năm đăng ký, đơn vị chủ trì, lĩnh vực và trạng "
        "thái hiện tại. Chỉ có số lượng, không có tên người liên hệ."
    ),
    columns=(
        YEAR,
        UNIT_CODE,
        UNIT_NAME,
        Column("field_code", "string", _("Mã lĩnh vực")),
        Column("field_name", "string", _("Tên lĩnh vực")),
        Column("status", "string", _("Mã trạng thái")),
        Column("status_label", "string", _("Trạng thái")),
        Column("entries", "integer", _("Số mô hình, điển hình")),
    ),
    rows=_initiative_rows,
)


# --- cases --------------------------------------------------------------------------------


def _case_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    today = scope.today or dt.date.min
    labels = dict(CaseKind.choices)
    rows = (
        Case.objects.filter(
            scope.unit_q("unit__"), scope.date_q("received_on"), kind__in=PUBLIC_KINDS
        )
        .annotate(month=MonthOf("received_on"))
        .values("month", "unit__code", "unit__name", "kind")
        .annotate(
            received=Count("*"),
            settled=_counted(Q(is_open=False)),
            on_time=_counted(settled_on_time_q()),
            late=_counted(Q(is_open=False, closed_on__gt=F("due_date"))),
            overdue=_counted(Q(is_open=True, due_date__lt=today)),
        )
        .order_by("month", "unit__code", "kind")
    )
    for r in rows.iterator():
        month = r["month"]
        if isinstance(month, str):  # SQLite gives the text it computed
            month = dt.date.fromisoformat(month)
        yield (
            f"{month:%Y-%m}",
            r["unit__code"],
            r["unit__name"],
            r["kind"],
            str(labels.get(r["kind"], r["kind"])),
            _suppressed(r["received"]),
            _suppressed(r["settled"]),
            _suppressed(r["on_time"]),
            _suppressed(r["late"]),
            _suppressed(r["overdue"]),
        )


CASES = Dataset(
    name="phan-anh-kien-nghi",
    title=_("Phản ánh, kiến nghị tiếp nhận và giải quyết đúng hạn"),
    description=_(
        "Số phản ánh, kiến nghị của người dân theo tháng tiếp nhận, đơn vị và loại: đã nhận, "
        "đã kết thúc, kết thúc đúng hạn, kết thúc quá hạn, đang xử lý đã quá hạn (tính đến "
        "ngày tải). Không có khiếu nại, tố cáo. Để không thể nhận ra người gửi, mọi số từ 1 "
        "đến 2 được để trống (null trong JSON); số 0 vẫn ghi."
    ),
    columns=(
        Column("month", "yearmonth", _("Tháng tiếp nhận (YYYY-MM)")),
        UNIT_CODE,
        UNIT_NAME,
        Column("kind", "string", _("Mã loại: feedback (phản ánh) hoặc petition (kiến nghị)")),
        Column("kind_label", "string", _("Loại")),
        Column("received", "integer", _("Số đã tiếp nhận (để trống nếu 1–2)")),
        Column("settled", "integer", _("Số đã kết thúc (để trống nếu 1–2)")),
        Column("settled_on_time", "integer", _("Số kết thúc đúng hạn (để trống nếu 1–2)")),
        Column("settled_late", "integer", _("Số kết thúc quá hạn (để trống nếu 1–2)")),
        Column("open_overdue", "integer", _("Số đang xử lý đã quá hạn (để trống nếu 1–2)")),
    ),
    rows=_case_rows,
)


# --- disclosures --------------------------------------------------------------------------


def _disclosure_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    rows = (
        Disclosure.objects.filter(scope.unit_q("unit__"), scope.date_q("start"), is_public=True)
        .annotate(year=ExtractYear("start"))
        .values_list("year", "unit__code", "unit__name", "kind__number", "kind__title")
        .annotate(n=Count("id"))
        .order_by("year", "unit__code", "kind__number", "kind__title")
    )
    yield from rows.iterator()


DISCLOSURES = Dataset(
    name="cong-khai-theo-loai",
    title=_("Thông tin công khai theo loại nội dung"),
    description=_(
        "Số nội dung đơn vị đã công khai trên cổng thông tin công dân (Luật Thực hiện dân chủ "
        "ở cơ sở, Điều 11–13), theo năm bắt đầu công khai, đơn vị và loại nội dung."
    ),
    columns=(
        YEAR,
        UNIT_CODE,
        UNIT_NAME,
        Column("kind_number", "integer", _("Số thứ tự của loại nội dung trong danh mục")),
        Column("kind_title", "string", _("Loại nội dung công khai")),
        Column("disclosures", "integer", _("Số nội dung đã công khai")),
    ),
    rows=_disclosure_rows,
)


# --- votes --------------------------------------------------------------------------------


def _vote_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    # Closed votes only: a running vote's tally could sway the households still voting.
    rows = (
        Vote.objects.filter(
            scope.unit_q("matter__unit__"), scope.date_q("opened_on"), closed_at__isnull=False
        )
        .annotate(year=ExtractYear("opened_on"))
        .values("year", "matter__unit__code", "matter__unit__name")
        .annotate(
            votes=Count("id"),
            households_total=Sum("households_total"),
            households_present=Sum("households_present"),
            passed=_counted(Q(outcome=Outcome.PASSED)),
            failed=_counted(Q(outcome=Outcome.FAILED)),
            invalid=_counted(Q(outcome=Outcome.INVALID)),
        )
        .order_by("year", "matter__unit__code")
    )
    for r in rows.iterator():
        yield (
            r["year"],
            r["matter__unit__code"],
            r["matter__unit__name"],
            r["votes"],
            int(r["households_total"] or 0),
            int(r["households_present"] or 0),
            int(r["passed"] or 0),
            int(r["failed"] or 0),
            int(r["invalid"] or 0),
        )


VOTES = Dataset(
    name="bieu-quyet",
    title=_("Các lần biểu quyết, lấy ý kiến hộ gia đình"),
    description=_(
        "Số lần biểu quyết đã kết thúc theo năm bắt đầu và thôn, tổ dân phố (Luật Thực hiện "
        "dân chủ ở cơ sở, Điều 15–22): tổng số hộ gia đình, số hộ tham gia, số lần được "
        "thông qua, không được thông qua, không hợp lệ."
    ),
    columns=(
        YEAR,
        UNIT_CODE,
        UNIT_NAME,
        Column("votes", "integer", _("Số lần biểu quyết đã kết thúc")),
        Column("households_total", "integer", _("Tổng số hộ gia đình (cộng các lần)")),
        Column("households_present", "integer", _("Số hộ tham gia (cộng các lần)")),
        Column("passed", "integer", _("Số lần được thông qua")),
        Column("failed", "integer", _("Số lần không được thông qua")),
        Column("invalid", "integer", _("Số lần không hợp lệ (chưa quá nửa số hộ tham gia)")),
    ),
    rows=_vote_rows,
)


# --- tasks --------------------------------------------------------------------------------


def _task_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    today = scope.today or dt.date.min
    soon = soon_until(today)

    def counted(status: TaskStatus) -> Sum:
        return _counted(status_q(status.value, soon_until=soon, today=today))

    rows = (
        Task.objects.filter(scope.unit_q("lead_unit__"), scope.date_q("due_on"))
        .exclude(state=TaskState.CANCELLED)
        .annotate(year=ExtractYear("due_on"))
        .values("year", "lead_unit__code", "lead_unit__name")
        .annotate(
            on_time=counted(TaskStatus.DONE_ON_TIME),
            late=counted(TaskStatus.DONE_LATE),
            overdue=counted(TaskStatus.OVERDUE),
            soon=counted(TaskStatus.DUE_SOON),
            not_due=counted(TaskStatus.NOT_DUE),
        )
        .order_by("year", "lead_unit__code")
    )
    for r in rows.iterator():
        yield (
            r["year"],
            r["lead_unit__code"],
            r["lead_unit__name"],
            int(r["on_time"] or 0),
            int(r["late"] or 0),
            int(r["overdue"] or 0),
            int(r["soon"] or 0) + int(r["not_due"] or 0),
        )


TASKS = Dataset(
    name="nhiem-vu-dung-han",
    title=_("Nhiệm vụ được giao hoàn thành đúng hạn"),
    description=_(
        "Số nhiệm vụ theo năm của thời hạn và đơn vị chủ trì, tính đến ngày tải (Quyết định "
        "42/2014/QĐ-TTg): hoàn thành đúng hạn, hoàn thành quá hạn, chưa hoàn thành đã quá "
        "hạn, chưa hoàn thành còn trong hạn. Không tính nhiệm vụ đã hủy."
    ),
    columns=(
        YEAR,
        UNIT_CODE,
        UNIT_NAME,
        Column("done_on_time", "integer", _("Hoàn thành đúng hạn")),
        Column("done_late", "integer", _("Hoàn thành quá hạn")),
        Column("open_overdue", "integer", _("Chưa hoàn thành, quá hạn")),
        Column("open_in_time", "integer", _("Chưa hoàn thành, còn trong hạn")),
    ),
    rows=_task_rows,
)


DATASETS: dict[str, Dataset] = {d.name: d for d in (INITIATIVES, CASES, DISCLOSURES, VOTES, TASKS)}
