"""Pages of the report regimes and their templates.

Every officer who reads the rule data (policies.can_view_regimes) reads the regimes;
system administrators (policies.can_manage_regimes) change them here, without a deploy
(issue 13, item 1): a regime and its deadlines per level, a template, its sections,
indicators and validation rules, a template's deactivation and its next version. The
pages are thin: the services check, write and audit; a refusal comes back beside its
field with what was typed, answered 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.core.forms import apply_service, form_status
from danvan.core.http import domain_http

from . import policies, selectors, services
from .forms import (
    DeadlinesForm,
    IndicatorForm,
    NewVersionForm,
    RegimeForm,
    RuleForm,
    SectionForm,
    TemplateForm,
)
from .indicators import queries, table_queries
from .models import ReportTemplate


def _require_view(request: HttpRequest) -> None:
    if not policies.can_view_regimes(request.user):
        raise HttpForbidden(
            _("Chế độ báo cáo dành cho cán bộ thực hiện, tổng hợp báo cáo định kỳ.")
        )


def _require_manage(request: HttpRequest) -> None:
    if not policies.can_manage_regimes(request.user):
        raise HttpForbidden(_("Chỉ quản trị viên hệ thống được sửa chế độ báo cáo và mẫu báo cáo."))


@login_required
def regime_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    regimes = list(selectors.regime_list())
    return render(
        request,
        "reports/regime_list.html",
        {
            "regimes": regimes,
            "to_verify_count": sum(1 for r in regimes if r.to_verify),
            "can_manage": policies.can_manage_regimes(request.user),
        },
    )


@login_required
@domain_http
def regime_detail(request: HttpRequest, code: str) -> HttpResponse:
    _require_view(request)
    regime = selectors.regime_get(code=code)
    year = timezone.localdate().year
    start, end = regime.period(year)
    labels = {q.name: q.label for q in queries()}
    labels.update({q.name: q.label for q in table_queries()})
    templates = list(regime.templates.all())
    for template in templates:
        for indicator in template.indicators.all():
            indicator.query_label = labels.get(indicator.query, "")  # type: ignore[attr-defined]
    return render(
        request,
        "reports/regime_detail.html",
        {
            "regime": regime,
            "year": year,
            "period_start": start,
            "period_end": end,
            # A quarterly or monthly regime: each period of the year (the first above).
            "periods": [
                (regime.period_label(n), *regime.period(year, n))
                for n in range(1, regime.periods_per_year + 1)
            ]
            if regime.periods_per_year > 1
            else [],
            "deadlines": selectors.deadlines_for(regime, year),
            "templates": templates,
            "can_manage": policies.can_manage_regimes(request.user),
        },
    )


# -- the edit pages -------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    done: str,
    back: str,
    next_url: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """Show *form*; on a valid POST run *call* (a service) with its data, then go to
    *next_url(result)* (default *back*). A refusal stays on the form, answered 400."""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        result = apply_service(form, lambda: call(data))
        if result is not None:
            messages.success(request, done)
            return redirect(next_url(result) if next_url else back)
    return render(
        request,
        "reports/form.html",
        {"form": form, "title": title, "cancel_url": back},
        status=form_status(form),
    )


def _initial(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def _template_url(template: ReportTemplate) -> str:
    return f"{template.regime.get_absolute_url()}#mau-{template.pk}"


def _next_order(rows: Any) -> int:
    return int(rows.aggregate(n=Max("order"))["n"] or 0) + 1


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def regime_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = RegimeForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.regime_create(actor=request.user, **data),
        title=_("Thêm chế độ báo cáo"),
        done=_("Đã thêm chế độ báo cáo."),
        back=reverse("reports:regime_list"),
        next_url=lambda regime: regime.get_absolute_url(),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def regime_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_manage(request)
    regime = selectors.regime_get(code=code)
    form = RegimeForm(request.POST or None, initial=_initial(regime, services.REGIME_FIELDS))
    return _form_page(
        request,
        form,
        lambda data: services.regime_update(actor=request.user, regime=regime, **data),
        title=_("Sửa chế độ báo cáo: %(name)s") % {"name": regime.name},
        done=_("Đã lưu chế độ báo cáo."),
        back=regime.get_absolute_url(),
        next_url=lambda saved: saved.get_absolute_url(),
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def regime_deadlines(request: HttpRequest, code: str) -> HttpResponse:
    _require_manage(request)
    regime = selectors.regime_get(code=code)
    form = DeadlinesForm(request.POST or None, regime=regime)
    return _form_page(
        request,
        form,
        lambda data: services.regime_deadlines_set(
            actor=request.user, regime=regime, days=form.days()
        ),
        title=_("Hạn gửi báo cáo theo cấp: %(name)s") % {"name": regime.name},
        done=_("Đã lưu hạn gửi báo cáo theo cấp."),
        back=f"{regime.get_absolute_url()}#han-gui",
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest, code: str) -> HttpResponse:
    _require_manage(request)
    regime = selectors.regime_get(code=code)
    form = TemplateForm(request.POST or None, initial={"active": True, "name": regime.name})

    def create(data: dict[str, Any]) -> ReportTemplate:
        version = int(
            ReportTemplate.objects.filter(regime=regime).aggregate(v=Max("version"))["v"] or 0
        )
        return services.template_create(
            actor=request.user, regime=regime, version=version + 1, **data
        )

    return _form_page(
        request,
        form,
        create,
        title=_("Thêm mẫu báo cáo cho %(name)s") % {"name": regime.name},
        done=_("Đã thêm mẫu báo cáo."),
        back=regime.get_absolute_url(),
        next_url=_template_url,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    template = selectors.template_get(pk=pk)
    form = TemplateForm(request.POST or None, initial=_initial(template, services.TEMPLATE_FIELDS))
    return _form_page(
        request,
        form,
        lambda data: services.template_update(actor=request.user, template=template, **data),
        title=_("Sửa mẫu báo cáo: %(name)s") % {"name": template},
        done=_("Đã lưu mẫu báo cáo."),
        back=_template_url(template),
    )


@login_required
@domain_http
@require_POST
def template_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    template = selectors.template_get(pk=pk)
    services.template_deactivate(actor=request.user, template=template)
    messages.success(request, _("Mẫu báo cáo đã ngừng sử dụng."))
    return redirect(_template_url(template))


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def template_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    template = selectors.template_get(pk=pk)
    form = NewVersionForm(request.POST or None, initial={"name": template.name})
    return _form_page(
        request,
        form,
        lambda data: services.template_new_version(actor=request.user, template=template, **data),
        title=_("Phiên bản mới của mẫu báo cáo: %(name)s") % {"name": template},
        done=_(
            "Đã tạo phiên bản mới (chép các phần, chỉ tiêu và quy tắc). Sửa phiên bản mới, "
            "rồi ngừng sử dụng phiên bản cũ."
        ),
        back=_template_url(template),
        next_url=_template_url,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    _require_manage(request)
    template = selectors.template_get(pk=pk)
    back = _template_url(template)
    if section_pk is None:
        form = SectionForm(
            request.POST or None, initial={"order": _next_order(template.sections.all())}
        )
        return _form_page(
            request,
            form,
            lambda data: services.section_create(actor=request.user, template=template, **data),
            title=_("Thêm phần báo cáo"),
            done=_("Đã thêm phần báo cáo."),
            back=back,
        )
    section = selectors.section_get(template=template, pk=section_pk)
    form = SectionForm(request.POST or None, initial=_initial(section, services.SECTION_FIELDS))
    return _form_page(
        request,
        form,
        lambda data: services.section_update(actor=request.user, section=section, **data),
        title=_("Sửa phần báo cáo: %(title)s") % {"title": section.title},
        done=_("Đã lưu phần báo cáo."),
        back=back,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int, indicator_pk: int | None = None) -> HttpResponse:
    _require_manage(request)
    template = selectors.template_get(pk=pk)
    back = _template_url(template)
    if indicator_pk is None:
        form = IndicatorForm(
            request.POST or None,
            template=template,
            initial={"order": _next_order(template.indicators.all())},
        )
        return _form_page(
            request,
            form,
            lambda data: services.indicator_create(actor=request.user, template=template, **data),
            title=_("Thêm chỉ tiêu"),
            done=_("Đã thêm chỉ tiêu."),
            back=back,
        )
    indicator = selectors.indicator_get(template=template, pk=indicator_pk)
    form = IndicatorForm(
        request.POST or None,
        template=template,
        initial=_initial(indicator, services.INDICATOR_FIELDS),
    )
    return _form_page(
        request,
        form,
        lambda data: services.indicator_update(actor=request.user, indicator=indicator, **data),
        title=_("Sửa chỉ tiêu: %(label)s") % {"label": indicator.label},
        done=_("Đã lưu chỉ tiêu."),
        back=back,
    )


@login_required
@domain_http
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int, rule_pk: int | None = None) -> HttpResponse:
    _require_manage(request)
    template = selectors.template_get(pk=pk)
    back = _template_url(template)
    if rule_pk is None:
        form = RuleForm(request.POST or None, template=template)
        return _form_page(
            request,
            form,
            lambda data: services.validation_rule_create(
                actor=request.user, template=template, **data
            ),
            title=_("Thêm quy tắc kiểm tra số liệu"),
            done=_("Đã thêm quy tắc kiểm tra số liệu."),
            back=back,
        )
    rule = selectors.rule_get(template=template, pk=rule_pk)
    form = RuleForm(
        request.POST or None, template=template, initial=_initial(rule, services.RULE_FIELDS)
    )
    return _form_page(
        request,
        form,
        lambda data: services.validation_rule_update(actor=request.user, rule=rule, **data),
        title=_("Sửa quy tắc kiểm tra số liệu"),
        done=_("Đã lưu quy tắc kiểm tra số liệu."),
        back=back,
    )


@login_required
@domain_http
@require_POST
def row_delete(request: HttpRequest, pk: int, what: str, row_pk: int) -> HttpResponse:
    """Remove a section, an indicator or a rule of a template (a button, POST only)."""
    _require_manage(request)
    template = selectors.template_get(pk=pk)
    if what == "phan":
        section = selectors.section_get(template=template, pk=row_pk)
        services.section_delete(actor=request.user, section=section)
    elif what == "chi-tieu":
        indicator = selectors.indicator_get(template=template, pk=row_pk)
        services.indicator_delete(actor=request.user, indicator=indicator)
    else:
        rule = selectors.rule_get(template=template, pk=row_pk)
        services.validation_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Đã xoá."))
    return redirect(_template_url(template))
