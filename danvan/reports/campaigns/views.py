"""The campaign pages, mounted at /bao-cao/dot/: thin doors onto selectors and services.

A campaign or report out of sight answers 404 like a missing one; an action not allowed
answers 403; a form a service refuses comes back on the report's page with HTTP 400,
what was typed kept and the message beside its field.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts import policies as access
from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http, paginate
from danvan.units import selectors as unit_selectors

from . import export, policies, restated, rollup, selectors, services
from .forms import (
    ApproveForm,
    DocumentForm,
    OpenForm,
    ReopenDecideForm,
    ReopenRequestForm,
    ReportForm,
    RestatedForm,
    ReturnForm,
    SubmitForm,
)
from .models import Report

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@login_required
@domain_http
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    if not access.has_perm_anywhere(request.user, policies.VIEW_PERM):
        raise PermissionDenied(_("Đợt báo cáo dành cho cán bộ thực hiện báo cáo định kỳ."))
    return render(
        request,
        "report_campaigns/campaign_list.html",
        {
            "campaigns": list(selectors.campaign_list(user=request.user)[:200]),
            "may_open": access.has_perm_anywhere(request.user, policies.OPEN_PERM),
        },
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def campaign_open(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not access.has_perm_anywhere(actor, policies.OPEN_PERM):
        raise PermissionDenied(_("Chỉ quản trị viên của đơn vị được mở đợt báo cáo."))
    posted = request.method == "POST"
    form = OpenForm(request.POST if posted else None, actor=actor)
    if posted and form.is_valid():
        campaign = apply_service(
            form, lambda: services.campaign_open(actor=actor, **form.cleaned_data)
        )
        if campaign is not None:
            messages.success(request, _("Đã mở đợt báo cáo và chốt số liệu."))
            return redirect(campaign.get_absolute_url())
    return render(
        request,
        "report_campaigns/campaign_open.html",
        {"form": form},
        status=form_status(form),
    )


@login_required
@domain_http
@require_GET
def campaign_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The submission board: per unit under the chosen root (default: the owner unit, or
    the user's own unit when they read only their part)."""
    actor = request.user
    campaign = selectors.campaign_get(user=actor, public_id=public_id)
    code = request.GET.get("unit", "").strip()
    own = selectors.own_reports(user=actor, campaign=campaign)
    if code:
        root = unit_selectors.unit_get(actor=actor, code=code)
        access.require(actor, policies.VIEW_PERM, root)
    elif policies.can_view_campaign(actor, campaign):
        root = campaign.owner_unit
    else:
        root = own[0].unit if own else campaign.owner_unit
        access.require(actor, policies.VIEW_PERM, root)
    board = selectors.board(campaign=campaign, root=root, today=services.today())
    reports = list(selectors.board_reports(campaign=campaign, root=root)[:500])
    return render(
        request,
        "report_campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "board": board,
            "reports": reports,
            "own": own,
            "today": services.today(),
            "may_close": campaign.is_open and policies.can_close(actor, campaign),
        },
    )


@login_required
@domain_http
@require_POST
def campaign_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, public_id=public_id)
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(campaign.get_absolute_url())
    messages.success(request, _("Đã kết thúc đợt báo cáo."))
    return redirect(campaign.get_absolute_url())


# -- one report --------------------------------------------------------------------------------


def _report_page(
    request: HttpRequest, report: Report, status: int = 200, **bound: forms.BaseForm
) -> HttpResponse:
    actor = request.user
    rows = selectors.value_rows(report)
    tables = selectors.value_tables(report)
    sections = selectors.sections_of(report)
    reviewer = selectors.reviewer_unit(report)
    may_edit = policies.can_edit(actor, report)
    may_review = policies.can_review(actor, report, reviewer)
    edit_form = bound.get("edit") or ReportForm(rows=rows, sections=sections, tables=tables)
    context = {
        "report": report,
        "campaign": report.campaign,
        "rows": rows,
        "sections": sections,
        "reviewer": reviewer,
        "warnings": selectors.warnings_for(report),
        "changes": selectors.changes_since_approval(report),
        "events": list(report.events.all()),
        "may_edit": may_edit and report.is_editable and report.campaign.is_open,
        "may_submit": may_edit and services.allowed("submit", report),
        "may_request_reopen": may_edit and services.allowed("reopen_request", report),
        "may_review": may_review and services.allowed("approve", report),
        "may_decide_reopen": may_review and services.allowed("reopen_grant", report),
        "edit_form": edit_form,
        "submit_form": bound.get("submit") or SubmitForm(),
        "approve_form": bound.get("approve") or ApproveForm(),
        "return_form": bound.get("return") or ReturnForm(),
        "reopen_request_form": bound.get("reopen_request") or ReopenRequestForm(),
        "reopen_decide_form": bound.get("reopen_decide") or ReopenDecideForm(),
        "document_form": bound.get("document") or DocumentForm(initial=_document_initial(report)),
        "word_missing": export.missing_for_word(report),
        "may_edit_document": may_edit,
        "table": _table(rows, edit_form),
        "value_tables": _value_tables(tables, edit_form),
        "narrative_fields": [
            edit_form[services.narrative_field(section.pk)] for section, _t in sections
        ],
    }
    context.update(_rollup_context(request, report, rows, tables))
    return render(request, "report_campaigns/report_detail.html", context, status=status)


# Children's lines per page of a parent's report: a province's hundred communes in pages,
# the page staying small (the totals above it cover them all).
CHILDREN_PER_PAGE = 30


def _rollup_context(
    request: HttpRequest,
    report: Report,
    rows: list[selectors.ValueRow],
    tables: list[selectors.TableBlock],
) -> dict[str, Any]:
    """The children's part of a parent's page: the totals by rule beside the children's
    sums, and each child's line, by pages (issue 13, item 3); each table row by row, with
    each child's rows on the same page of children."""
    entry = rollup.rollup_of(report)
    if entry is None:
        return {"rollup": None}
    indicators = [row.indicator for row in rows]
    # The lines whose figures count (approved) first, in the tree's order, then the others:
    # what adds up is on the first page.
    lines_all = sorted(rollup.contributions(report, entry), key=lambda line: not line.counted)
    page, query = paginate(request, lines_all, CHILDREN_PER_PAGE, param="don-vi")
    lines = page.object_list
    return {
        "children_page": page,
        "children_query": query,
        "rollup": entry,
        "rollup_rows": [
            {
                "indicator": i,
                "total": entry.totals.get(i.pk),
                "sum": entry.sums.get(i.pk),
                "disagrees": entry.disagrees(i.pk),
            }
            for i in indicators
        ],
        "rollup_broken": rollup.broken_totals(report, entry),
        "children": [
            {
                "line": line,
                "cells": [
                    {"value": line.values.get(i.pk), "disagrees": i.pk in line.disagreements}
                    for i in indicators
                ],
            }
            for line in lines
        ],
        "rollup_indicators": indicators,
        "missing_count": len(entry.missing),
        "rollup_tables": [_rollup_table(entry, block.indicator, list(lines)) for block in tables],
    }


def _rollup_table(
    entry: rollup.Rollup, indicator: Any, lines: Sequence[rollup.Contribution]
) -> dict[str, Any]:
    """One table of a parent's report: each row's total by the rule beside the children's
    sum, and each child's rows (those of this page), flagged where it overrode the snapshot."""
    keys = entry.table_rows(indicator.pk)
    totals = entry.cell_totals.get(indicator.pk, {})
    sums = entry.cell_sums.get(indicator.pk, {})
    return {
        "indicator": indicator,
        "rows": [
            {
                "key": key,
                "label": label,
                "total": totals.get(key),
                "sum": sums.get(key),
                "disagrees": entry.cell_disagrees(indicator.pk, key),
            }
            for key, label in keys
        ],
        "total": entry.table_total(indicator.pk),
        "children": [
            {
                "line": line,
                "cells": [
                    {
                        "value": line.cells.get(indicator.pk, {}).get(key),
                        "disagrees": (indicator.pk, key) in line.cell_disagreements,
                    }
                    for key, _label in keys
                ],
            }
            for line in lines
        ],
    }


def _table(rows: list[selectors.ValueRow], form: forms.BaseForm) -> list[dict[str, Any]]:
    """Each values row with its input fields (manual, or override and reason)."""
    table = []
    for row in rows:
        code = row.indicator.code
        if row.is_computed:
            main, reason = form[services.override_field(code)], form[services.reason_field(code)]
        else:
            main, reason = form[services.manual_field(code)], None
        table.append({"row": row, "field": main, "reason": reason})
    return table


def _value_tables(tables: list[selectors.TableBlock], form: forms.BaseForm) -> list[dict[str, Any]]:
    """Each table indicator with its rows' input fields (manual, or override and reason)."""
    found = []
    for block in tables:
        lines = []
        for row in block.rows:
            name = services.cell_code(block.indicator.code, row.key)
            if block.is_computed:
                main = form[services.override_field(name)]
                reason: forms.BoundField | None = form[services.reason_field(name)]
            else:
                main, reason = form[services.manual_field(name)], None
            lines.append({"row": row, "field": main, "reason": reason})
        found.append({"block": block, "lines": lines})
    return found


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The report: GET shows it; POST saves the figures and texts (the unit's officers)."""
    actor = request.user
    report = selectors.report_get(user=actor, public_id=public_id)
    if request.method == "GET":
        return _report_page(request, report)
    services.require_edit(actor, report)  # a parent or reader: 403 with the reason
    form = ReportForm(
        request.POST,
        rows=selectors.value_rows(report),
        sections=selectors.sections_of(report),
        tables=selectors.value_tables(report),
    )
    if form.is_valid():
        done = apply_service(
            form, lambda: services.report_save(actor=actor, report=report, **form.service_args())
        )
        if done is not None:
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect(report.get_absolute_url())
    return _report_page(request, report, status=form_status(form), edit=form)


def _action(
    request: HttpRequest,
    public_id: uuid.UUID,
    *,
    key: str,
    form_class: type[forms.Form],
    run: Callable[[Report, dict[str, Any]], Any],
    done_message: str,
) -> HttpResponse:
    report = selectors.report_get(user=request.user, public_id=public_id)
    form = form_class(request.POST)
    if form.is_valid():
        done = apply_service(form, lambda: run(report, form.cleaned_data))
        if done is not None:
            messages.success(request, done_message)
            return redirect(report.get_absolute_url())
    return _report_page(request, report, status=400, **{key: form})


def _action_view(
    *,
    key: str,
    form_class: type[forms.Form],
    run: Callable[[Any, Report, dict[str, Any]], Any],
    done: StrOrPromise,
) -> Callable[..., HttpResponse]:
    """A POST view of the report page: its small form checked, then *run*(actor, report,
    data) through the service; back to the report with *done*, or the page again with the
    form's message (400)."""

    @login_required
    @domain_http
    @require_POST
    def view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        actor = request.user
        return _action(
            request,
            public_id,
            key=key,
            form_class=form_class,
            run=lambda report, data: run(actor, report, data),
            done_message=str(done),
        )

    return view


report_refresh = _action_view(
    key="submit",
    form_class=SubmitForm,
    run=lambda actor, report, data: services.report_refresh(actor=actor, report=report),
    done=gettext_lazy("Đã cập nhật số liệu từ dữ liệu hiện có."),
)


report_submit = _action_view(
    key="submit",
    form_class=SubmitForm,
    run=lambda actor, report, data: services.report_submit(actor=actor, report=report, **data),
    done=gettext_lazy("Đã gửi báo cáo."),
)


report_approve = _action_view(
    key="approve",
    form_class=ApproveForm,
    run=lambda actor, report, data: services.report_approve(actor=actor, report=report, **data),
    done=gettext_lazy("Đã duyệt báo cáo; báo cáo đã khóa."),
)


report_return = _action_view(
    key="return",
    form_class=ReturnForm,
    run=lambda actor, report, data: services.report_return(actor=actor, report=report, **data),
    done=gettext_lazy("Đã trả lại báo cáo."),
)


report_reopen_request = _action_view(
    key="reopen_request",
    form_class=ReopenRequestForm,
    run=lambda actor, report, data: services.report_reopen_request(
        actor=actor, report=report, **data
    ),
    done=gettext_lazy("Đã gửi đề nghị mở lại báo cáo."),
)


report_reopen_decide = _action_view(
    key="reopen_decide",
    form_class=ReopenDecideForm,
    run=lambda actor, report, data: services.report_reopen_decide(
        actor=actor,
        report=report,
        grant=data["decision"] == "grant",
        message=data["message"],
    ),
    done=gettext_lazy("Đã ghi quyết định về đề nghị mở lại."),
)


# Type the children's totals into the parent's manual figures that add up.
report_fill = _action_view(
    key="submit",
    form_class=SubmitForm,
    run=lambda actor, report, data: services.report_fill_from_children(actor=actor, report=report),
    done=gettext_lazy("Đã điền số liệu tổng hợp từ báo cáo đã duyệt của đơn vị cấp dưới."),
)


def _document_initial(report: Report) -> dict[str, str]:
    """What the report's document says, or what it most likely says: the unit as the
    issuer, its parent as the superior body, the province's name as the place."""
    initial = {name: getattr(report, name) for name in services.DOCUMENT_FIELDS}
    unit = report.unit
    if not initial["issuer_body"]:
        initial["issuer_body"] = unit.name
    if not initial["superior_body"] and unit.parent_id is not None:
        initial["superior_body"] = unit.parent.name  # type: ignore[union-attr]
    if not initial["doc_place"]:
        top = (unit_selectors.unit_ancestors(unit) or [unit])[0]
        initial["doc_place"] = re.sub(r"^(Tỉnh|Thành phố)\s+", "", top.name)
    if not initial["recipients"]:
        initial["recipients"] = "\n".join(export.DEFAULT_RECIPIENTS)
    return initial


# Record how the report is issued as a document (number, heading, signer).
report_document = _action_view(
    key="document",
    form_class=DocumentForm,
    run=lambda actor, report, data: services.report_set_document(
        actor=actor, report=report, **data
    ),
    done=gettext_lazy("Đã lưu thông tin văn bản báo cáo."),
)


@login_required
@domain_http
@require_GET
def report_word(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The report as a Word file in its issuer's official layout; 400 with what is
    missing when the document's number, issuer or signer is not recorded yet."""
    report = selectors.report_get(user=request.user, public_id=public_id)
    missing = export.missing_for_word(report)
    if missing:
        messages.error(
            request,
            _("Chưa tải được tệp Word: cần nhập %(fields)s ở mục “Văn bản báo cáo”.")
            % {"fields": ", ".join(missing)},
        )
        return _report_page(request, report, status=400)
    data = export.word(report)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{export.file_name(report, "docx")}"'
    return response


@login_required
@domain_http
@require_GET
def report_excel(request: HttpRequest, public_id: uuid.UUID) -> StreamingHttpResponse:
    """The indicators of the report and of its children, one sheet per level, streamed."""
    report = selectors.report_get(user=request.user, public_id=public_id)
    response = StreamingHttpResponse(
        export.workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{export.file_name(report, "xlsx")}"'
    return response


@login_required
@domain_http
@require_GET
def report_restated(request: HttpRequest) -> HttpResponse:
    """A past year's approved reports counted under a unit of today (merged units
    included): Bắc Kạn's 2018 figures under Thái Nguyên."""
    form = RestatedForm(request.GET or None, actor=request.user)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = restated.restated(unit=data["unit"], regime=data["regime"], year=data["year"])
    context = {
        "form": form,
        "result": result,
        "rows": [{"indicator": i, "total": result.totals.get(i.pk)} for i in result.indicators]
        if result
        else [],
        "tables": [
            {
                "indicator": t,
                "rows": [
                    {"label": label, "total": result.cell_totals.get(t.pk, {}).get(key)}
                    for key, label in result.row_labels.get(t.pk, [])
                ],
            }
            for t in result.tables
        ]
        if result
        else [],
        "lines": [
            {
                "report": r,
                "historical": result.historical(r),
                "cells": [result.values[r.pk].get(i.pk) for i in result.indicators],
            }
            for r in result.reports
        ]
        if result
        else [],
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "report_campaigns/restated.html", context, status=status)
