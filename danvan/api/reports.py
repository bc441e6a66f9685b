"""Periodic reports through the API (issue 13, item 7): regimes, templates, campaigns,
reports, their figures and their review. Thin doors onto danvan.reports and
danvan.reports.campaigns, with the same policy checks as the pages.

Regimes and templates are national rule data: every officer who works to them reads
them (reports.policies.can_view_regimes), others get 403. A campaign or report the actor
may not see answers 404 exactly like a missing one; an action the actor may not take on
a report they see answers 403 with the reason (a parent level never writes a child's
report: it returns it); a refusal of the services (a bad figure, an override without a
reason, a locked report, a closed campaign) answers 400 with every problem listed; all
as problem+json with a Vietnamese detail.
"""

# No "from __future__ import annotations": @paginate reads the wrapped function's
# annotations at import time and cannot resolve Query[...] from a string.
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from danvan.accounts import policies as access
from danvan.core.errors import NotFound, PermissionDenied
from danvan.jobs import services as jobs
from danvan.jobs.models import Job
from danvan.legal.workdays import WorkCalendar
from danvan.reports import policies as regime_policies
from danvan.reports import selectors as regime_selectors
from danvan.reports.campaigns import policies, rollup, selectors, services
from danvan.reports.campaigns.exports import selectors as export_selectors
from danvan.reports.campaigns.exports import services as export_services
from danvan.reports.campaigns.models import Campaign, Report
from danvan.reports.indicators import queries, table_queries
from danvan.reports.models import (
    Indicator,
    Regime,
    RegimeDeadline,
    ReportTemplate,
    Section,
    ValidationRule,
)
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .auth import request_actor
from .report_schemas import (
    ApproveIn,
    CampaignDetailOut,
    CampaignFilters,
    CampaignOpenIn,
    CampaignOut,
    DocumentIn,
    ExportIn,
    ExportOut,
    RegimeDetailOut,
    RegimeFilters,
    RegimeOut,
    ReopenDecideIn,
    ReopenRequestIn,
    ReportDetailOut,
    ReportSaveIn,
    ReturnIn,
    SubmitIn,
    TemplateOut,
)

router = Router(tags=["Báo cáo định kỳ"])


# -- helpers -----------------------------------------------------------------------------


def _require_regimes(actor: Any) -> None:
    if not regime_policies.can_view_regimes(actor):
        raise PermissionDenied(
            _("Chế độ báo cáo dành cho cán bộ thực hiện, tổng hợp báo cáo định kỳ.")
        )


def _unit(unit: Unit | None) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def _regime(regime: Regime, year: int, calendar: WorkCalendar) -> dict[str, Any]:
    """A regime with its data period and each level's deadline for the report of *year*
    (deadlines and templates prefetched; one calendar for every regime of a list)."""
    start, end = regime.period(year)
    return {
        "code": regime.code,
        "name": regime.name,
        "issuer_kind": regime.issuer_kind,
        "issuer_kind_label": str(regime.get_issuer_kind_display()),
        "frequency": regime.frequency,
        "frequency_label": str(regime.get_frequency_display()),
        "year": year,
        "period_start": start,
        "period_end": end,
        "citation": regime.citation,
        "to_verify": regime.to_verify,
        "content": regime.content,
        "reporters": regime.reporters,
        "receivers": regime.receivers,
        "sending_method": regime.sending_method,
        "note": regime.note,
        "deadlines": [
            {
                "unit_kind": d.unit_kind,
                "unit_kind_label": str(d.get_unit_kind_display()),
                "working_days": d.working_days,
                "due_date": d.due_date(year, calendar),
            }
            for d in regime.deadlines.all()
        ],
        "templates": [
            {
                "id": t.pk,
                "name": t.name,
                "version": t.version,
                "effective_from": t.effective_from,
                "active": t.active,
            }
            for t in regime.templates.all()
        ],
    }


def _figure(value: Decimal | str | None) -> Decimal | str:
    """A figure for the service: null becomes the empty text (no figure); 0 stays 0."""
    return "" if value is None else value


def _report(actor: Any, public_id: uuid.UUID) -> Report:
    return selectors.report_get(user=actor, public_id=public_id)


def _report_ref(report: Report) -> dict[str, Any]:
    return {
        "public_id": report.public_id,
        "unit": _unit(report.unit),
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "due_date": report.due_date,
        "submitted_at": report.submitted_at,
    }


def _board_row(row: selectors.BoardRow) -> dict[str, Any]:
    return {
        "unit": _unit(row.unit),
        "expected": row.expected,
        "submitted": row.submitted,
        "on_time": row.on_time,
        "late": row.late,
        "returned": row.returned,
        "approved": row.approved,
        "reporting_pct": row.reporting_pct,
        "on_time_pct": row.on_time_pct,
    }


def _board_root(actor: Any, campaign: Campaign, code: str | None, own: list[Report]) -> Unit:
    """The unit the board is drawn under, as on the campaign's page: the one named, else
    the owner unit, or the user's own unit when they read only their part."""
    if code:
        root = unit_selectors.unit_get(actor=actor, code=code)
    elif policies.can_view_campaign(actor, campaign):
        return campaign.owner_unit
    else:
        root = own[0].unit if own else campaign.owner_unit
    access.require(actor, policies.VIEW_PERM, root)
    return root


def _allowed_actions(actor: Any, report: Report, reviewer: Unit) -> list[str]:
    """What *actor* may do on *report* now (the buttons of the page)."""
    may_edit = policies.can_edit(actor, report)
    may_review = policies.can_review(actor, report, reviewer)
    found = []
    if may_edit and report.is_editable and report.campaign.is_open:
        found += ["save", "submit"]
    if may_edit and services.allowed("reopen_request", report):
        found.append("reopen_request")
    if may_review and services.allowed("approve", report):
        found += ["approve", "return"]
    if may_review and services.allowed("reopen_grant", report):
        found.append("reopen_decide")
    return found


def _rollup(
    report: Report, indicators: list[Indicator], tables: list[Indicator]
) -> dict[str, Any] | None:
    """The children's part of a parent's report (issue 13, item 3): the totals by each
    indicator's rule beside the children's sums, and each child's line; each table row by
    row, its total being the sum of its rows."""
    entry = rollup.rollup_of(report)
    if entry is None:
        return None
    code_of = {i.pk: i.code for i in indicators}
    rows_of = {t.pk: entry.table_rows(t.pk) for t in tables}

    def table_total(table: Indicator) -> dict[str, Any]:
        sums = [s for s in entry.cell_sums.get(table.pk, {}).values() if s is not None]
        return {
            "indicator": table.code,
            "kind": table.kind,
            "total": entry.table_total(table.pk),
            "sum": sum(sums, Decimal(0)) if sums else None,
            "disagrees": any(entry.cell_disagrees(table.pk, k) for k, _l in rows_of[table.pk]),
            "rows": [
                {
                    "row": key,
                    "label": label,
                    "total": entry.cell_totals.get(table.pk, {}).get(key),
                    "sum": entry.cell_sums.get(table.pk, {}).get(key),
                    "disagrees": entry.cell_disagrees(table.pk, key),
                }
                for key, label in rows_of[table.pk]
            ],
        }

    def child_cells(line: rollup.Contribution, table: Indicator) -> list[dict[str, Any]]:
        return [
            {
                "row": key,
                "value": line.cells.get(table.pk, {}).get(key),
                "disagrees": (table.pk, key) in line.cell_disagreements,
            }
            for key, _label in rows_of[table.pk]
        ]

    return {
        "totals": [
            {
                "indicator": i.code,
                "kind": i.kind,
                "total": entry.totals.get(i.pk),
                "sum": entry.sums.get(i.pk),
                "disagrees": entry.disagrees(i.pk),
                "rows": [],
            }
            for i in indicators
        ]
        + [table_total(t) for t in tables],
        "children": [
            {
                "report": line.report.public_id,
                "unit": _unit(line.report.unit),
                "status": line.report.status,
                "counted": line.counted,
                "values": [
                    {
                        "indicator": code_of[pk],
                        "value": line.values.get(pk),
                        "disagrees": pk in line.disagreements,
                        "cells": [],
                    }
                    for pk in code_of
                ]
                + [
                    {
                        "indicator": t.code,
                        "value": _sum_of(line.cells.get(t.pk, {}).values()),
                        "disagrees": any(k[0] == t.pk for k in line.cell_disagreements),
                        "cells": child_cells(line, t),
                    }
                    for t in tables
                ],
            }
            for line in rollup.contributions(report, entry)
        ],
        "missing_count": len(entry.missing),
        "broken_rules": [r.message for r in rollup.broken_totals(report, entry)],
    }


def _sum_of(figures: Any) -> Decimal | None:
    stated = [f for f in figures if f is not None]
    return sum(stated, Decimal(0)) if stated else None


def _value(row: selectors.ValueRow) -> dict[str, Any]:
    value = row.value
    return {
        "indicator": row.indicator.code,
        "label": row.indicator.label,
        "unit_of_measure": row.indicator.unit_of_measure,
        "section_id": row.indicator.section_id,
        "kind": row.indicator.kind,
        "source": row.indicator.source,
        "computed": value.computed if value else None,
        "manual": value.manual if value else None,
        "override": value.override if value else None,
        "override_reason": value.override_reason if value else "",
        "value": value.value if value else None,
        "records_url": row.records_url,
        "cells": [],
    }


def _table(block: selectors.TableBlock) -> dict[str, Any]:
    """A table indicator among the values: its total as the value, and its rows."""
    indicator = block.indicator
    return {
        "indicator": indicator.code,
        "label": indicator.label,
        "unit_of_measure": indicator.unit_of_measure,
        "section_id": indicator.section_id,
        "kind": indicator.kind,
        "source": indicator.source,
        "computed": block.computed_total if block.is_computed else None,
        "manual": None,
        "override": None,
        "override_reason": "",
        "value": block.total,
        "records_url": "",
        "cells": [
            {
                "row": row.key,
                "label": row.label,
                "computed": row.cell.computed if row.cell else None,
                "manual": row.cell.manual if row.cell else None,
                "override": row.cell.override if row.cell else None,
                "override_reason": row.cell.override_reason if row.cell else "",
                "value": row.value,
                "records_url": row.records_url,
            }
            for row in block.rows
        ],
    }


def _report_detail(actor: Any, public_id: uuid.UUID) -> dict[str, Any]:
    report = _report(actor, public_id)
    campaign = report.campaign
    rows = selectors.value_rows(report)
    blocks = selectors.value_tables(report)
    reviewer = selectors.reviewer_unit(report)
    return {
        "public_id": report.public_id,
        "campaign": {
            "public_id": campaign.public_id,
            "title": campaign.title,
            "year": campaign.year,
            "period_start": campaign.period_start,
            "period_end": campaign.period_end,
            "is_open": campaign.is_open,
        },
        "regime": {"code": campaign.regime.code, "name": campaign.regime.name},
        "unit": _unit(report.unit),
        "reviewer_unit": _unit(reviewer),
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "due_date": report.due_date,
        "snapshot_taken_at": report.snapshot_taken_at,
        "submitted_at": report.submitted_at,
        "first_submitted_on": report.first_submitted_on,
        "approved_at": report.approved_at,
        "rule_reason": report.rule_reason,
        "allowed_actions": _allowed_actions(actor, report, reviewer),
        "document": {name: getattr(report, name) for name in services.DOCUMENT_FIELDS},
        # The template's order, a table among the figures with its rows.
        "values": [
            item
            for _order, item in sorted(
                [(row.indicator.order, _value(row)) for row in rows]
                + [(block.indicator.order, _table(block)) for block in blocks],
                key=lambda pair: pair[0],
            )
        ],
        "narratives": [
            {"section_id": s.pk, "title": s.title, "guidance": s.guidance, "text": text}
            for s, text in selectors.sections_of(report)
        ],
        "warnings": [vars(w) for w in selectors.warnings_for(report)],
        "changes_since_approval": [vars(c) for c in selectors.changes_since_approval(report)],
        "events": [
            {
                "kind": e.kind,
                "kind_label": str(e.get_kind_display()),
                "actor": e.actor.username if e.actor is not None else None,
                "at": e.at,
                "message": e.message,
            }
            for e in report.events.all()
        ],
        "rollup": _rollup(
            report, [row.indicator for row in rows], [block.indicator for block in blocks]
        ),
    }


# -- regimes and templates ---------------------------------------------------------------


@router.get(
    "/reports/regimes",
    response=list[RegimeOut],
    summary="Danh sách chế độ báo cáo",
    description=(
        "Các chế độ báo cáo (Nghị định 09/2019/NĐ-CP, Điều 7) của cơ quan Nhà nước và của"
        " Đảng, với kỳ số liệu và hạn gửi theo từng cấp cho báo cáo của năm `year`."
    ),
)
def regime_list(request: HttpRequest, filters: Query[RegimeFilters]) -> list[dict[str, Any]]:
    _require_regimes(request_actor(request))
    year = filters.year or timezone.localdate().year
    regimes = regime_selectors.regime_list().prefetch_related(
        Prefetch("deadlines", queryset=RegimeDeadline.objects.order_by("working_days"))
    )
    calendar = WorkCalendar()
    return [_regime(r, year, calendar) for r in regimes]


@router.get(
    "/reports/regimes/{code}",
    response=RegimeDetailOut,
    summary="Một chế độ báo cáo",
    description="Nội dung, đối tượng, phương thức gửi, kỳ số liệu, hạn gửi theo cấp và các mẫu.",
)
def regime_detail(request: HttpRequest, code: str, filters: Query[RegimeFilters]) -> dict[str, Any]:
    _require_regimes(request_actor(request))
    regime = regime_selectors.regime_get(code=code)
    return _regime(regime, filters.year or timezone.localdate().year, WorkCalendar())


@router.get(
    "/reports/templates/{template_id}",
    response=TemplateOut,
    summary="Một mẫu báo cáo",
    description="Các phần (với hướng dẫn nội dung), các chỉ tiêu và các quy tắc kiểm tra.",
)
def template_detail(request: HttpRequest, template_id: int) -> dict[str, Any]:
    _require_regimes(request_actor(request))
    template: ReportTemplate = regime_selectors.template_get(pk=template_id)
    labels = {q.name: str(q.label) for q in queries()}
    labels.update({q.name: str(q.label) for q in table_queries()})
    indicators = Indicator.objects.filter(template=template).order_by("order")
    rules = ValidationRule.objects.filter(template=template).select_related("left", "right")
    return {
        "id": template.pk,
        "name": template.name,
        "version": template.version,
        "effective_from": template.effective_from,
        "active": template.active,
        "regime": {"code": template.regime.code, "name": template.regime.name},
        "sections": list(
            Section.objects.filter(template=template)
            .order_by("order")
            .values("id", "order", "title", "guidance")
        ),
        "indicators": [
            {
                "id": i.pk,
                "order": i.order,
                "code": i.code,
                "label": i.label,
                "section_id": i.section_id,
                "unit_of_measure": i.unit_of_measure,
                "kind": i.kind,
                "source": i.source,
                "query": i.query,
                "query_label": labels.get(i.query, ""),
                "aggregation": i.aggregation,
                "aggregation_label": str(i.get_aggregation_display()),
                "rows": [{"row": key, "label": label} for key, label in i.table_rows()],
                "allow_negative": i.allow_negative,
                "outlier_pct": i.outlier_pct,
            }
            for i in indicators
        ],
        "rules": [
            {
                "id": r.pk,
                "left": r.left.code,
                "operator": r.operator,
                "operator_label": str(r.get_operator_display()),
                "right": r.right.code,
                "message": r.message,
            }
            for r in rules
        ],
    }


# -- campaigns ---------------------------------------------------------------------------


@router.get(
    "/reports/campaigns",
    response=list[CampaignOut],
    summary="Danh sách đợt báo cáo",
    description=(
        "Các đợt báo cáo bạn được xem: mở ở đơn vị bạn được xem, hoặc yêu cầu báo cáo của"
        " đơn vị đó. Phân trang bằng `limit`/`offset`."
    ),
)
@paginate(LimitOffsetPagination)
def campaign_list(request: HttpRequest, filters: Query[CampaignFilters]) -> QuerySet[Campaign]:
    actor = request_actor(request)
    if not access.has_perm_anywhere(actor, policies.VIEW_PERM):
        raise PermissionDenied(_("Đợt báo cáo dành cho cán bộ thực hiện báo cáo định kỳ."))
    found = selectors.campaign_list(user=actor)
    if filters.status is not None:
        found = found.filter(status=filters.status.value)
    if filters.year is not None:
        found = found.filter(year=filters.year)
    return found


@router.get(
    "/reports/campaigns/{public_id}",
    response=CampaignDetailOut,
    summary="Một đợt báo cáo và bảng theo dõi",
    description=(
        "Bảng theo dõi tiếp nhận dưới đơn vị gốc `unit` (mặc định: đơn vị mở đợt, hoặc đơn"
        " vị của bạn khi bạn chỉ xem phần của mình): số báo cáo phải gửi, đã gửi, đúng hạn,"
        " trễ hạn, bị trả lại, đã duyệt và các tỷ lệ; các báo cáo dưới đơn vị gốc."
    ),
)
def campaign_detail(
    request: HttpRequest, public_id: uuid.UUID, unit: str | None = Query(None, max_length=32)
) -> dict[str, Any]:
    actor = request_actor(request)
    campaign = selectors.campaign_get(user=actor, public_id=public_id)
    return _campaign_detail(actor, campaign, (unit or "").strip())


def _campaign_detail(actor: Any, campaign: Campaign, code: str = "") -> dict[str, Any]:
    own = selectors.own_reports(user=actor, campaign=campaign)
    root = _board_root(actor, campaign, code, own)
    board = selectors.board(campaign=campaign, root=root, today=services.today())
    return {
        "public_id": campaign.public_id,
        "title": campaign.title,
        "regime": {"code": campaign.regime.code, "name": campaign.regime.name},
        "template_id": campaign.template_id,
        "year": campaign.year,
        "period_number": campaign.period_number,
        "period_start": campaign.period_start,
        "period_end": campaign.period_end,
        "owner_unit": _unit(campaign.owner_unit),
        "status": campaign.status,
        "status_label": str(campaign.get_status_display()),
        "closed_at": campaign.closed_at,
        "board": {
            "root": _unit(board.root),
            "total": _board_row(board.total),
            "rows": [_board_row(r) for r in board.rows],
        },
        # The same cap as the page: a province's communes fit well under it.
        "reports": [
            _report_ref(r) for r in selectors.board_reports(campaign=campaign, root=root)[:500]
        ],
        "own_reports": [_report_ref(r) for r in own],
        "may_close": campaign.is_open and policies.can_close(actor, campaign),
    }


@router.post(
    "/reports/campaigns",
    response={201: CampaignDetailOut},
    summary="Mở đợt báo cáo",
    description=(
        "Quản trị viên của đơn vị mở đợt: chế độ, mẫu, năm, đơn vị mở đợt và (không bắt"
        " buộc) các đơn vị phải báo cáo. Mỗi đơn vị có một báo cáo, hạn gửi theo cấp (ngày"
        " làm việc), số liệu tính được chốt ngay. Mọi lỗi được trả về cùng lúc (trường"
        " `regime`, `template`, `year`, `units`) và khi đó không gì được ghi."
    ),
)
def campaign_open(request: HttpRequest, payload: CampaignOpenIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    if not access.has_perm_anywhere(actor, policies.OPEN_PERM):
        raise PermissionDenied(_("Chỉ quản trị viên của đơn vị được mở đợt báo cáo."))
    regime = Regime.objects.filter(code=payload.regime.strip()).first()
    if regime is None:
        raise NotFound(
            _("Không có chế độ báo cáo mã “%(code)s”.") % {"code": payload.regime},
            code="regime_not_found",
        )
    template = ReportTemplate.objects.filter(pk=payload.template_id).first()
    if template is None:
        raise NotFound(
            _("Không có mẫu báo cáo số %(id)s.") % {"id": payload.template_id},
            code="template_not_found",
        )
    owner = unit_selectors.unit_get(actor=actor, code=payload.owner_unit.strip())
    units = None
    if payload.units is not None:
        units = unit_selectors.units_by_codes(actor=actor, codes=[c.strip() for c in payload.units])
    campaign = services.campaign_open(
        actor=actor,
        regime=regime,
        template=template,
        year=payload.year,
        owner_unit=owner,
        title=payload.title.strip(),
        units=units,
        period_number=payload.period_number,
    )
    return Status(201, _campaign_detail(actor, campaign))


@router.post(
    "/reports/campaigns/{public_id}/close",
    response=CampaignDetailOut,
    summary="Kết thúc đợt báo cáo",
    description="Đơn vị mở đợt kết thúc đợt: từ đó không báo cáo nào được gửi thêm.",
)
def campaign_close(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    campaign = selectors.campaign_get(user=actor, public_id=public_id)
    campaign = services.campaign_close(actor=actor, campaign=campaign)
    return _campaign_detail(actor, campaign)


# -- one report --------------------------------------------------------------------------


@router.get(
    "/reports/{public_id}",
    response=ReportDetailOut,
    summary="Một báo cáo của đơn vị",
    description=(
        "Trạng thái, hạn gửi, thời điểm chốt số liệu; từng chỉ tiêu với số tính, số nhập, số"
        " điều chỉnh và lý do, số báo cáo và địa chỉ danh sách hồ sơ được đếm; nội dung theo"
        " phần; cảnh báo; diễn biến. Với báo cáo có cấp dưới: số tổng hợp và từng đơn vị."
    ),
)
def report_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    return _report_detail(request_actor(request), public_id)


@router.patch(
    "/reports/{public_id}/values",
    response=ReportDetailOut,
    summary="Lưu số liệu và nội dung",
    description=(
        "Cán bộ của chính đơn vị lưu số liệu nhập (`manual`), số liệu điều chỉnh kèm lý do"
        " (`overrides`, với chỉ tiêu tính từ dữ liệu), các dòng của chỉ tiêu dạng bảng"
        " (`table_manual` với bảng đơn vị nhập, `table_overrides` kèm lý do với bảng tính từ"
        " dữ liệu) và nội dung theo phần (`narratives`); chỉ những mục được gửi thay đổi."
        " Mọi lỗi được trả về cùng lúc (trường `manual-<mã>`, `override-<mã>`, `reason-<mã>`,"
        " với dòng của bảng `manual-<mã>.<dòng>` …, `narrative-<id>`) và khi đó không gì"
        " được ghi. Báo cáo đã gửi, đã duyệt hoặc đợt đã kết thúc thì không sửa được."
    ),
)
def report_save(
    request: HttpRequest, public_id: uuid.UUID, payload: ReportSaveIn
) -> dict[str, Any]:
    actor = request_actor(request)
    services.report_save(
        actor=actor,
        report=_report(actor, public_id),
        manual={item.indicator: _figure(item.value) for item in payload.manual},
        overrides={
            item.indicator: (_figure(item.value), item.reason) for item in payload.overrides
        },
        narratives={item.section_id: item.text for item in payload.narratives},
        table_manual=_by_table(
            (item.indicator, item.row, _figure(item.value)) for item in payload.table_manual
        ),
        table_overrides=_by_table(
            (item.indicator, item.row, (_figure(item.value), item.reason))
            for item in payload.table_overrides
        ),
    )
    return _report_detail(actor, public_id)


def _by_table(items: Any) -> dict[str, dict[str, Any]]:
    """(table code, row key, what) items as the service takes them: code → row → what."""
    found: dict[str, dict[str, Any]] = {}
    for code, row, what in items:
        found.setdefault(code, {})[row] = what
    return found


@router.post(
    "/reports/{public_id}/submit",
    response=ReportDetailOut,
    summary="Gửi báo cáo",
    description=(
        "Mọi chỉ tiêu đơn vị nhập phải có số (0 nếu không có). Số liệu không thỏa quy tắc"
        " kiểm tra chỉ gửi được khi có `rule_reason`. Đợt đã kết thúc thì không gửi được."
    ),
)
def report_submit(request: HttpRequest, public_id: uuid.UUID, payload: SubmitIn) -> dict[str, Any]:
    actor = request_actor(request)
    services.report_submit(
        actor=actor, report=_report(actor, public_id), rule_reason=payload.rule_reason
    )
    return _report_detail(actor, public_id)


@router.post(
    "/reports/{public_id}/approve",
    response=ReportDetailOut,
    summary="Duyệt báo cáo",
    description="Cấp duyệt (cấp trên trong đợt) duyệt báo cáo đã gửi; báo cáo được khóa.",
)
def report_approve(
    request: HttpRequest, public_id: uuid.UUID, payload: ApproveIn
) -> dict[str, Any]:
    actor = request_actor(request)
    services.report_approve(actor=actor, report=_report(actor, public_id), message=payload.message)
    return _report_detail(actor, public_id)


@router.post(
    "/reports/{public_id}/return",
    response=ReportDetailOut,
    summary="Trả lại báo cáo",
    description="Cấp duyệt trả lại báo cáo đã gửi, ghi rõ nội dung cần bổ sung, sửa.",
)
def report_return(request: HttpRequest, public_id: uuid.UUID, payload: ReturnIn) -> dict[str, Any]:
    actor = request_actor(request)
    services.report_return(actor=actor, report=_report(actor, public_id), message=payload.message)
    return _report_detail(actor, public_id)


@router.post(
    "/reports/{public_id}/reopen-request",
    response=ReportDetailOut,
    summary="Đề nghị mở lại báo cáo đã duyệt",
    description="Đơn vị ghi lý do; báo cáo vẫn khóa cho đến khi cấp duyệt đồng ý.",
)
def report_reopen_request(
    request: HttpRequest, public_id: uuid.UUID, payload: ReopenRequestIn
) -> dict[str, Any]:
    actor = request_actor(request)
    services.report_reopen_request(
        actor=actor, report=_report(actor, public_id), reason=payload.reason
    )
    return _report_detail(actor, public_id)


@router.post(
    "/reports/{public_id}/reopen",
    response=ReportDetailOut,
    summary="Quyết định về đề nghị mở lại",
    description=(
        "Cấp duyệt đồng ý (`grant`: báo cáo trở về bản nháp, thay đổi từ nay được so với bản"
        " đã duyệt) hoặc không đồng ý (`refuse`, cần ghi lý do)."
    ),
)
def report_reopen_decide(
    request: HttpRequest, public_id: uuid.UUID, payload: ReopenDecideIn
) -> dict[str, Any]:
    actor = request_actor(request)
    services.report_reopen_decide(
        actor=actor,
        report=_report(actor, public_id),
        grant=payload.decision == "grant",
        message=payload.message,
    )
    return _report_detail(actor, public_id)


@router.post(
    "/reports/{public_id}/refresh",
    response=ReportDetailOut,
    summary="Cập nhật số liệu tính",
    description=(
        "Chốt lại số liệu tính từ dữ liệu danvan đến ngày chốt của đợt; chỉ khi báo cáo chưa"
        " gửi. Số nhập, số điều chỉnh và nội dung giữ nguyên."
    ),
)
def report_refresh(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    services.report_refresh(actor=actor, report=_report(actor, public_id))
    return _report_detail(actor, public_id)


@router.post(
    "/reports/{public_id}/fill-from-children",
    response=ReportDetailOut,
    summary="Điền số tổng hợp từ báo cáo cấp dưới",
    description=(
        "Ghi vào các chỉ tiêu đơn vị nhập (cộng hoặc đếm không trùng) tổng của các báo cáo"
        " cấp dưới đã duyệt, qua cùng các bước kiểm tra như khi lưu. Đơn vị vẫn xem lại và gửi."
    ),
)
def report_fill(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    services.report_fill_from_children(actor=actor, report=_report(actor, public_id))
    return _report_detail(actor, public_id)


@router.patch(
    "/reports/{public_id}/document",
    response=ReportDetailOut,
    summary="Thông tin ban hành văn bản báo cáo",
    description=(
        "Số, ký hiệu (qua bộ phân tích số hiệu, đúng hệ Nhà nước hay Đảng của chế độ), cơ quan"
        " chủ quản, cơ quan ban hành, địa danh, quyền hạn ký, chức vụ và họ tên người ký, nơi"
        " nhận. Chỉ các trường được gửi thay đổi; được sửa ở mọi trạng thái vì không đụng số liệu."
    ),
)
def report_document(
    request: HttpRequest, public_id: uuid.UUID, payload: DocumentIn
) -> dict[str, Any]:
    actor = request_actor(request)
    fields = {k: v for k, v in payload.dict().items() if v is not None}
    services.report_set_document(actor=actor, report=_report(actor, public_id), **fields)
    return _report_detail(actor, public_id)


# -- exports -----------------------------------------------------------------------------


def _export(request: HttpRequest, actor: Any, report: Report, job: Job) -> dict[str, Any]:
    done, total = export_selectors.export_counts(actor=actor, report=report, job=job)
    token = export_selectors.job_token(job)
    base = f"/api/v1/reports/{report.public_id}/exports/{token}"
    succeeded = job.state == Job.State.SUCCEEDED
    return {
        "token": token,
        "scope": "subtree" if export_selectors.job_subtree(job) else "unit",
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "done": done,
        "total": total,
        "error": job.error if job.state == Job.State.FAILED else "",
        "status_url": request.build_absolute_uri(base),
        "download_url": request.build_absolute_uri(f"{base}/file") if succeeded else None,
    }


@router.post(
    "/reports/{public_id}/exports",
    response={202: ExportOut},
    summary="Xuất tệp Word và Excel (chạy nền)",
    description=(
        "Tạo tệp .zip gồm văn bản Word và bảng Excel của báo cáo (`scope`=unit) hoặc của cả"
        " các báo cáo cấp dưới trong đợt (`subtree`). Việc chạy nền: hỏi tiến độ ở"
        " `status_url`, tải ở `download_url` khi xong. Lượt đang chạy của bạn cho cùng phạm vi"
        " được trả lại thay vì tạo lượt thứ hai."
    ),
)
def export_start(
    request: HttpRequest, public_id: uuid.UUID, payload: ExportIn
) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    report = _report(actor, public_id)
    job = export_services.export_start(
        actor=actor, report=report, subtree=payload.scope == "subtree"
    )
    return Status(202, _export(request, actor, report, job))


@router.get(
    "/reports/{public_id}/exports/{token}",
    response=ExportOut,
    summary="Tiến độ một lượt xuất tệp",
    description="Chỉ người tạo lượt xuất xem được.",
)
def export_status(request: HttpRequest, public_id: uuid.UUID, token: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    report = _report(actor, public_id)
    job = export_selectors.export_get(actor=actor, report=report, token=token)
    job = jobs.job_check(key=job.key) or job
    return _export(request, actor, report, job)


@router.post(
    "/reports/{public_id}/exports/{token}/retry",
    response={202: ExportOut},
    summary="Chạy lại lượt xuất bị lỗi",
)
def export_retry(
    request: HttpRequest, public_id: uuid.UUID, token: uuid.UUID
) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    report = _report(actor, public_id)
    job = export_selectors.export_get(actor=actor, report=report, token=token)
    job = export_services.export_retry(actor=actor, report=report, job=job)
    return Status(202, _export(request, actor, report, job))


@router.get(
    "/reports/{public_id}/exports/{token}/file",
    summary="Tải tệp .zip đã xuất",
    description="404 khi chưa xong hoặc tệp đã được dọn (hãy xuất lại).",
    response={200: None},
)
def export_file(request: HttpRequest, public_id: uuid.UUID, token: uuid.UUID) -> FileResponse:
    actor = request_actor(request)
    report = _report(actor, public_id)
    job = export_selectors.export_get(actor=actor, report=report, token=token)
    path = export_selectors.finished_zip(job)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=str(job.result.get("name") or "bao-cao.zip"),
        content_type="application/zip",
    )
