"""Every write of report campaigns.

Each service checks the actor's permission (campaigns.policies), runs its checks
(every problem the user can fix, in one DomainError), writes in one transaction,
records the audit row and appends the report's event. A refused write raises and
writes nothing. A report's status moves only through TRANSITIONS, under its row lock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policies as access
from danvan.audit import services as audit
from danvan.audit.models import AuditEvent
from danvan.core import docnumber
from danvan.core.errors import Checks, DomainError, NotFound, PermissionDenied
from danvan.legal.workdays import WorkCalendar
from danvan.reports.indicators import get_query, get_table_query
from danvan.reports.models import (
    Aggregation,
    Indicator,
    IssuerKind,
    Regime,
    ReportTemplate,
    Section,
    Source,
)
from danvan.units.models import Unit

from . import policies, selectors
from .errors import CampaignError
from .models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    Campaign,
    CampaignStatus,
    EventKind,
    Report,
    ReportCell,
    ReportEvent,
    ReportNarrative,
    ReportStatus,
    ReportValue,
)
from .rollup import rollup_of

State = ReportStatus

# The one table of which action is allowed from which status, and the status it leads to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "save": ((State.DRAFT, State.RETURNED), None),
    "refresh": ((State.DRAFT, State.RETURNED), None),
    "submit": ((State.DRAFT, State.RETURNED), State.SUBMITTED),
    "approve": ((State.SUBMITTED,), State.APPROVED),
    "return": ((State.SUBMITTED,), State.RETURNED),
    "reopen_request": ((State.APPROVED,), State.REOPEN_REQUESTED),
    "reopen_grant": ((State.REOPEN_REQUESTED,), State.DRAFT),
    "reopen_refuse": ((State.REOPEN_REQUESTED,), State.APPROVED),
}

_ACTION_WORDS = {
    "save": _("sửa"),
    "refresh": _("cập nhật số liệu"),
    "submit": _("gửi"),
    "approve": _("duyệt"),
    "return": _("trả lại"),
    "reopen_request": _("đề nghị mở lại"),
    "reopen_grant": _("đồng ý mở lại"),
    "reopen_refuse": _("từ chối mở lại"),
}

# Years a campaign may be opened for: the regime's data are kept from 2000 on, and a
# period ends at most in the next year.
MIN_YEAR = 2000


def today() -> dt.date:
    return timezone.localdate()


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _error(code: CampaignError, message: str, field: str | None = None) -> DomainError:
    return DomainError(code.value, message, field=field)


def allowed(action: str, report: Report) -> bool:
    return report.status in TRANSITIONS[action][0]


def _check_state(action: str, report: Report) -> None:
    if allowed(action, report):
        return
    needed = ", ".join(f"“{State(s).label}”" for s in TRANSITIONS[action][0])
    if report.is_locked and action in ("save", "refresh", "submit"):
        message = _(
            "Báo cáo đã được duyệt và khóa: không thể %(action)s. Muốn sửa, gửi đề nghị mở lại"
            " để cấp trên xem xét."
        ) % {"action": _ACTION_WORDS[action]}
    else:
        message = _(
            "Báo cáo đang ở trạng thái “%(state)s”: không thể %(action)s. Chỉ %(action)s được"
            " khi báo cáo ở trạng thái %(needed)s."
        ) % {
            "state": report.get_status_display(),
            "action": _ACTION_WORDS[action],
            "needed": needed,
        }
    raise _error(CampaignError.BAD_STATE, message)


def _move(action: str, report: Report) -> None:
    _check_state(action, report)
    target = TRANSITIONS[action][1]
    if target is not None:
        report.status = target


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign", "campaign__owner_unit", "campaign__template")
        .get(pk=report.pk)
    )


def _event(
    report: Report, kind: str, actor: Any, *, message: str = "", data: dict[str, Any] | None = None
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=_user(actor),
        at=timezone.now(),
        message=message,
        data=data or {},
    )


def _refuse(actor: Any, allowed_: bool, unit: Unit, message: str | None = None) -> None:
    """actor None: the system itself (a command, the demo loader)."""
    if actor is None or allowed_:
        return
    if access.is_ended(unit):
        raise access.ended_refusal(unit)
    raise PermissionDenied(message) if message else PermissionDenied(unit=unit)


def _require_view(actor: Any, report: Report) -> None:
    if actor is not None and not policies.can_view(actor, report):
        raise NotFound()


def require_edit(actor: Any, report: Report) -> None:
    """Refuse unless *actor* writes *report* (its own unit's officers)."""
    _require_view(actor, report)
    _refuse(
        actor,
        policies.can_edit(actor, report),
        report.unit,
        _(
            "Chỉ cán bộ của “%(unit)s” được soạn, sửa và gửi báo cáo của đơn vị mình; cấp trên"
            " xem, duyệt hoặc trả lại báo cáo, không sửa thay."
        )
        % {"unit": report.unit.name},
    )


def _require_review(actor: Any, report: Report) -> None:
    _require_view(actor, report)
    reviewer = selectors.reviewer_unit(report)
    _refuse(
        actor,
        policies.can_review(actor, report, reviewer),
        reviewer,
        _("Báo cáo này do “%(unit)s” duyệt.") % {"unit": reviewer.name},
    )


def _require_open(campaign: Campaign) -> None:
    """After closing, nothing more is written or sent (the reason and the day)."""
    if campaign.is_open:
        return
    closed = timezone.localtime(campaign.closed_at).date() if campaign.closed_at else today()
    raise _error(
        CampaignError.CLOSED,
        _(
            "Đợt báo cáo “%(title)s” đã kết thúc ngày %(day)s: không nhận thêm, không sửa báo"
            " cáo. Cần gửi bổ sung, liên hệ “%(owner)s” (đơn vị mở đợt)."
        )
        % {"title": campaign.title, "day": _d(closed), "owner": campaign.owner_unit.name},
    )


def _reason(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise _error(CampaignError.NO_REASON, message, field)
    return text


# -- opening and closing ----------------------------------------------------------------------


def deadline_days(regime: Regime) -> dict[str, int]:
    """The working days after the cut-off per unit kind: the kinds that must report."""
    return {d.unit_kind: d.working_days for d in regime.deadlines.all()}


def _units_checks(
    checks: Checks, *, owner: Unit, kinds: Iterable[str], units: list[Unit] | None
) -> list[Unit]:
    """The units that must report: the given ones, each checked, or every live unit of
    the owner's subtree whose kind has a deadline in the regime."""
    kinds = set(kinds)
    if units is None:
        return list(
            Unit.objects.filter(
                access.subtree_q(owner), kind__in=kinds, valid_to__isnull=True
            ).order_by("path")
        )
    bad = [
        u.name
        for u in units
        if not u.is_descendant_of(owner) or u.kind not in kinds or u.valid_to is not None
    ]
    if bad:
        checks.refuse(
            CampaignError.BAD_UNITS,
            _(
                "Không thể yêu cầu báo cáo: %(names)s. Chỉ chọn đơn vị đang hoạt động thuộc"
                " “%(owner)s”, thuộc các cấp có hạn gửi trong chế độ báo cáo."
            )
            % {"names": ", ".join(bad), "owner": owner.name},
            field="units",
        )
    return units


@transaction.atomic
def _period_name(regime: Regime, year: int, number: int) -> str:
    """ "năm 2026", or "quý II năm 2026" / "tháng 3 năm 2026" for a regime with several
    periods a year."""
    label = regime.period_label(number)
    if label:
        return _("%(period)s năm %(year)s") % {"period": label, "year": year}
    return _("năm %(year)s") % {"year": year}


def campaign_open(
    *,
    actor: Any,
    regime: Regime,
    template: ReportTemplate,
    year: int,
    owner_unit: Unit,
    title: str = "",
    units: list[Unit] | None = None,
    period_number: int = 1,
) -> Campaign:
    """Open a campaign: one report per unit that must report, each due N working days
    after the cut-off as its level's deadline says (RegimeDeadline), and the snapshot of
    the computed figures taken now. *period_number* picks the quarter or the month of a
    quarterly or monthly regime (Regime.period); other regimes have one period a year."""
    _refuse(actor, actor is None or policies.can_open(actor, owner_unit), owner_unit)
    checks = Checks()
    if template.regime_id != regime.pk:
        checks.refuse(
            CampaignError.BAD_TEMPLATE,
            _("Mẫu “%(t)s” không thuộc chế độ “%(r)s”; chọn một mẫu của chế độ này.")
            % {"t": template.name, "r": regime.name},
            field="template",
        )
    elif not template.active:
        checks.refuse(
            CampaignError.BAD_TEMPLATE,
            _("Mẫu “%(t)s” không còn sử dụng; chọn mẫu đang sử dụng.") % {"t": template.name},
            field="template",
        )
    latest = today().year + 1
    if not MIN_YEAR <= year <= latest:
        checks.refuse(
            CampaignError.BAD_YEAR,
            _("Năm báo cáo phải từ %(low)s đến %(high)s.") % {"low": MIN_YEAR, "high": latest},
            field="year",
        )
    periods = regime.periods_per_year
    if not 1 <= period_number <= periods:
        checks.refuse(
            CampaignError.BAD_YEAR,
            _("Chế độ “%(r)s” có một kỳ báo cáo mỗi năm; để kỳ là 1.") % {"r": regime.name}
            if periods == 1
            else _("Kỳ báo cáo của chế độ “%(r)s” từ 1 đến %(n)s.")
            % {"r": regime.name, "n": periods},
            field="period_number",
        )
    days = deadline_days(regime)
    if not days:
        checks.refuse(
            CampaignError.BAD_UNITS,
            _("Chế độ “%(r)s” chưa có hạn gửi cho cấp nào; quản trị viên cần bổ sung trước.")
            % {"r": regime.name},
            field="regime",
        )
    chosen = _units_checks(checks, owner=owner_unit, kinds=days, units=units)
    if not checks and not chosen:
        checks.refuse(
            CampaignError.BAD_UNITS,
            _("Không có đơn vị nào thuộc “%(owner)s” phải gửi báo cáo theo chế độ này.")
            % {"owner": owner_unit.name},
            field="units",
        )
    if (
        not checks
        and Campaign.objects.filter(
            template=template, year=year, period_number=period_number, owner_unit=owner_unit
        ).exists()
    ):
        checks.refuse(
            CampaignError.DUPLICATE,
            _("“%(owner)s” đã mở đợt báo cáo theo mẫu này cho %(when)s.")
            % {"owner": owner_unit.name, "when": _period_name(regime, year, period_number)},
            field="year",
        )
    checks.raise_if_any()
    start, end = regime.period(year, period_number)
    campaign = Campaign.objects.create(
        regime=regime,
        template=template,
        year=year,
        period_number=period_number,
        period_start=start,
        period_end=end,
        owner_unit=owner_unit,
        title=(title or "").strip()
        or _("%(regime)s %(when)s — %(owner)s")
        % {
            "regime": regime.name,
            "when": _period_name(regime, year, period_number),
            "owner": owner_unit.name,
        },
        opened_by=_user(actor),
    )
    audit.record_create(actor=actor, instance=campaign)
    calendar = WorkCalendar()
    due = {kind: calendar.add_working_days(end, n) for kind, n in days.items()}
    reports = Report.objects.bulk_create(
        [Report(campaign=campaign, unit=u, due_date=due[u.kind]) for u in chosen]
    )
    if not all(r.pk for r in reports):  # backends that do not return ids (none here)
        reports = list(Report.objects.filter(campaign=campaign).select_related("unit"))
    audit.record_bulk_create(actor=actor, instances=reports)
    now = timezone.now()
    ReportEvent.objects.bulk_create(
        [ReportEvent(report=r, kind=EventKind.OPENED, actor=_user(actor), at=now) for r in reports]
    )
    take_snapshot(campaign=campaign, actor=actor)
    return campaign


@transaction.atomic
def campaign_close(*, actor: Any, campaign: Campaign) -> Campaign:
    _refuse(actor, actor is None or policies.can_close(actor, campaign), campaign.owner_unit)
    campaign = Campaign.objects.select_for_update().select_related("owner_unit").get(pk=campaign.pk)
    if not campaign.is_open:
        _require_open(campaign)
    before = audit.snapshot(campaign)
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save()
    audit.record_update(actor=actor, instance=campaign, before=before)
    return campaign


# -- the snapshot -----------------------------------------------------------------------------


def _indicators(template_id: int) -> list[Indicator]:
    return list(Indicator.objects.filter(template_id=template_id).order_by("order"))


def _numbers_and_tables(template_id: int) -> tuple[list[Indicator], list[Indicator]]:
    """The template's number indicators (a ReportValue each) and its tables (ReportCells)."""
    indicators = _indicators(template_id)
    return [i for i in indicators if not i.is_table], [i for i in indicators if i.is_table]


@transaction.atomic
def take_snapshot(
    *, campaign: Campaign, units: Iterable[Unit] | None = None, actor: Any = None
) -> int:
    """Compute the campaign's computed figures for its reports still being drafted (all,
    or those of *units*) and freeze them with the time they were taken; create the rows
    of the manual figures, left empty. Returns the number of reports snapshotted.

    Submitted and approved reports keep their figures. Each computed indicator is asked
    once for every report's unit (Query.compute_all: one grouped query where the query
    has a grouped form, else one per unit); the writes are in bulk (one read of the
    existing rows, one insert, one update).
    """
    reports = list(
        Report.objects.filter(campaign=campaign, status__in=TRANSITIONS["refresh"][0])
        .select_related("unit")
        .order_by("unit__path")
    )
    if units is not None:
        wanted = {u.pk for u in units}
        reports = [r for r in reports if r.unit_id in wanted]
    if not reports:
        return 0
    indicators, tables = _numbers_and_tables(campaign.template_id)
    roots = [r.unit for r in reports]
    figures: dict[int, dict[int, int]] = {}
    for indicator in indicators:
        query = get_query(indicator.query) if indicator.source == Source.COMPUTED else None
        if query is not None:
            figures[indicator.pk] = query.compute_all(
                roots, campaign.period_start, campaign.period_end
            )
    existing = {
        (v.report_id, v.indicator_id): v
        for v in ReportValue.objects.filter(report__in=reports, indicator__in=indicators)
    }
    new, changed = [], []
    for report in reports:
        for indicator in indicators:
            counted = figures.get(indicator.pk, {}).get(report.unit_id)
            figure = Decimal(counted) if counted is not None else None
            row = existing.get((report.pk, indicator.pk))
            if row is None:
                new.append(ReportValue(report=report, indicator=indicator, computed=figure))
            elif row.computed != figure:
                row.computed = figure
                changed.append(row)
    ReportValue.objects.bulk_create(new)
    ReportValue.objects.bulk_update(changed, ["computed"])
    if tables:
        _snapshot_cells(campaign, reports, tables)
    now = timezone.now()
    first = {r.pk for r in reports if r.snapshot_taken_at is None}
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(snapshot_taken_at=now)
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(
                report=r,
                kind=EventKind.SNAPSHOT if r.pk in first else EventKind.REFRESHED,
                actor=_user(actor),
                at=now,
            )
            for r in reports
        ]
    )
    return len(reports)


def _snapshot_cells(campaign: Campaign, reports: list[Report], tables: list[Indicator]) -> None:
    """The rows of the template's tables in *reports*: a computed table's rows and counts
    from its table query (asked once for every report's unit), a manual table's rows from
    the template, left empty. In bulk, like the figures: one read, one insert, one update.

    A row no longer counted (a retired field whose entries left the period) keeps its
    line with 0; a row is never deleted, so that no typed figure or override is lost."""
    roots = [r.unit for r in reports]
    # (indicator id → report's unit id → [(key, label, count or None)])
    wanted: dict[int, dict[int, list[tuple[str, str, int | None]]]] = {}
    for table in tables:
        query = get_table_query(table.query) if table.source == Source.COMPUTED else None
        if query is not None:
            categories = query.categories()
            counts = query.compute_all(roots, campaign.period_start, campaign.period_end)
            wanted[table.pk] = {
                unit_id: [(c.key, c.label, n) for c, n in query.rows_of(categories, found)]
                for unit_id, found in counts.items()
            }
        elif table.source == Source.MANUAL:
            rows: list[tuple[str, str, int | None]] = [
                (key, label, None) for key, label in table.table_rows()
            ]
            wanted[table.pk] = {root.pk: rows for root in roots}
    existing: dict[tuple[int, int], dict[str, ReportCell]] = {}
    for found in ReportCell.objects.filter(report__in=reports, indicator__in=tables):
        existing.setdefault((found.report_id, found.indicator_id), {})[found.row_key] = found
    new: list[ReportCell] = []
    changed: list[ReportCell] = []
    for report in reports:
        for table in tables:
            had = existing.get((report.pk, table.pk), {})
            rows = wanted.get(table.pk, {}).get(report.unit_id, [])
            for order, (key, label, counted) in enumerate(rows, start=1):
                label = label[:300]
                figure = Decimal(counted) if counted is not None else None
                cell = had.pop(key) if key in had else None
                if cell is None:
                    new.append(
                        ReportCell(
                            report=report,
                            indicator=table,
                            row_key=key,
                            row_label=label,
                            row_order=order,
                            computed=figure,
                        )
                    )
                elif (cell.computed, cell.row_label, cell.row_order) != (figure, label, order):
                    cell.computed, cell.row_label, cell.row_order = figure, label, order
                    changed.append(cell)
            if table.source != Source.COMPUTED:
                continue
            for cell in had.values():  # rows counted before, nothing now
                if cell.computed != 0:
                    cell.computed = Decimal(0)
                    changed.append(cell)
    ReportCell.objects.bulk_create(new)
    ReportCell.objects.bulk_update(changed, ["computed", "row_label", "row_order"])


@transaction.atomic
def report_refresh(*, actor: Any, report: Report) -> Report:
    """Take the snapshot again (only before submission): new records since are counted."""
    require_edit(actor, report)
    report = _locked(report)
    _require_open(report.campaign)
    _check_state("refresh", report)
    take_snapshot(campaign=report.campaign, units=[report.unit], actor=actor)
    report.refresh_from_db()
    return report


# -- editing ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def parse_value(text: Any, indicator: Indicator, field: str, label: str = "") -> Decimal | None:
    """A figure typed by a person: digits with at most one decimal comma (or point),
    negative only where the indicator allows it. Empty: None. *label* names the figure in
    the messages (a table's row: "table — row"), by default the indicator's label."""
    label = label or indicator.label
    raw = str(text) if isinstance(text, Decimal | int) else re.sub(r"\s+", "", str(text or ""))
    if raw == "":
        return None
    if not _NUMBER.fullmatch(raw):
        raise _error(
            CampaignError.BAD_VALUE,
            _(
                "“%(label)s”: “%(text)s” không phải là số. Nhập chữ số, phần thập phân sau dấu"
                " phẩy (ví dụ 12 hoặc 12,5), không dùng dấu phân cách hàng nghìn."
            )
            % {"label": label, "text": str(text)[:40]},
            field,
        )
    value = Decimal(raw.replace(",", "."))
    if value < 0 and not indicator.allow_negative:
        raise _error(
            CampaignError.BAD_VALUE,
            _("“%(label)s” không thể là số âm; nhập 0 hoặc số lớn hơn.") % {"label": label},
            field,
        )
    try:
        quantized = value.quantize(Decimal(1).scaleb(-VALUE_PLACES))
    except InvalidOperation:
        quantized = None
    if quantized != value or len(quantized.as_tuple().digits) > VALUE_DIGITS:
        raise _error(
            CampaignError.BAD_VALUE,
            _("“%(label)s”: nhập tối đa %(places)s chữ số sau dấu phẩy và không quá %(n)s chữ số.")
            % {"label": label, "places": VALUE_PLACES, "n": VALUE_DIGITS},
            field,
        )
    return value


def manual_field(code: str) -> str:
    return f"manual-{code}"


def override_field(code: str) -> str:
    return f"override-{code}"


def reason_field(code: str) -> str:
    return f"reason-{code}"


def narrative_field(section_id: int) -> str:
    return f"narrative-{section_id}"


def cell_code(code: str, row_key: str) -> str:
    """One row of a table, as the form fields and errors name it: "<indicator>.<row>" (a
    dot is in no slug, so the two never run into each other): manual-<code>.<row>."""
    return f"{code}.{row_key}"


def cell_label(indicator: Indicator, row_label: str) -> str:
    return f"{indicator.label} — {row_label}"


@transaction.atomic
def report_save(
    *,
    actor: Any,
    report: Report,
    manual: Mapping[str, Any] | None = None,
    overrides: Mapping[str, tuple[Any, str]] | None = None,
    narratives: Mapping[int, str] | None = None,
    table_manual: Mapping[str, Mapping[str, Any]] | None = None,
    table_overrides: Mapping[str, Mapping[str, tuple[Any, str]]] | None = None,
) -> Report:
    """Save the unit's figures and texts. *manual*: indicator code → typed figure (manual
    indicators); *overrides*: code → (figure, reason) for computed ones, an empty figure
    removing the override; *narratives*: section id → text. The rows of the tables alike:
    *table_manual*: table code → row key → typed figure (manual tables); *table_overrides*:
    table code → row key → (figure, reason) (computed tables). Every bad figure and every
    override without a reason is refused at once; nothing is written then."""
    require_edit(actor, report)
    report = _locked(report)
    _require_open(report.campaign)
    _check_state("save", report)
    manual, overrides, narratives = manual or {}, overrides or {}, narratives or {}
    rows = {v.indicator.code: v for v in report.values.select_related("indicator").order_by("pk")}
    checks = Checks()
    updates: list[ReportValue] = []
    for code, text in manual.items():
        row = rows.get(code)
        if row is None or row.indicator.source != Source.MANUAL:
            checks.refuse(
                CampaignError.BAD_VALUE,
                _("Chỉ tiêu “%(code)s” không phải chỉ tiêu đơn vị nhập của mẫu này.")
                % {"code": code},
                field=manual_field(code),
            )
            continue
        with checks.collect():
            row.manual = parse_value(text, row.indicator, manual_field(code))
            updates.append(row)
    for code, (text, why) in overrides.items():
        row = rows.get(code)
        if row is None or row.indicator.source != Source.COMPUTED:
            checks.refuse(
                CampaignError.BAD_VALUE,
                _("Chỉ tiêu “%(code)s” không phải chỉ tiêu tính từ dữ liệu của mẫu này.")
                % {"code": code},
                field=override_field(code),
            )
            continue
        with checks.collect():
            figure = parse_value(text, row.indicator, override_field(code))
            why = (why or "").strip()
            if figure is not None and not why:
                raise _error(
                    CampaignError.NO_REASON,
                    _(
                        "“%(label)s”: số liệu tính từ dữ liệu chỉ được điều chỉnh khi ghi rõ lý"
                        " do (lý do được lưu và hiển thị cho cấp duyệt)."
                    )
                    % {"label": row.indicator.label},
                    reason_field(code),
                )
            row.override = figure
            row.override_reason = why if figure is not None else ""
            updates.append(row)
    cell_updates = _cells_checked(report, checks, table_manual or {}, table_overrides or {})
    sections = set(
        Section.objects.filter(template_id=report.campaign.template_id).values_list("pk", flat=True)
    )
    for section_id in narratives:
        if section_id not in sections:
            checks.refuse(
                CampaignError.BAD_VALUE,
                _("Phần báo cáo không thuộc mẫu này."),
                field=narrative_field(section_id),
            )
    checks.raise_if_any()
    ReportValue.objects.bulk_update(updates, ["manual", "override", "override_reason"])
    ReportCell.objects.bulk_update(cell_updates, ["manual", "override", "override_reason"])
    existing = {n.section_id: n for n in report.narratives.all()}
    for section_id, text in narratives.items():
        text = (text or "").strip()
        if section_id in existing:
            if existing[section_id].text != text:
                existing[section_id].text = text
                existing[section_id].save(update_fields=["text"])
        elif text:
            ReportNarrative.objects.create(report=report, section_id=section_id, text=text)
    report.save(update_fields=["updated_at"])
    # The figures live in their own rows: the trail records them on the report, by code.
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=report,
        changes={
            "values": [None, {r.indicator.code: str(r.value) for r in updates}],
            "cells": [
                None,
                {cell_code(c.indicator.code, c.row_key): str(c.value) for c in cell_updates},
            ],
            "narratives": [None, sorted(narratives)],
        },
    )
    _event(report, EventKind.SAVED, actor)
    return report


def _cells_checked(
    report: Report,
    checks: Checks,
    manual: Mapping[str, Mapping[str, Any]],
    overrides: Mapping[str, Mapping[str, tuple[Any, str]]],
) -> list[ReportCell]:
    """The table rows *report_save* writes, each figure parsed and each override's reason
    checked as a number's (refusals into *checks*, named manual-<code>.<row> …)."""
    if not manual and not overrides:
        return []
    cells = {
        (c.indicator.code, c.row_key): c
        for c in report.cells.select_related("indicator").order_by("pk")
    }
    updates: list[ReportCell] = []
    for code, rows in manual.items():
        for key, text in rows.items():
            field = manual_field(cell_code(code, key))
            cell = cells.get((code, key))
            if cell is None or cell.indicator.source != Source.MANUAL:
                checks.refuse(
                    CampaignError.BAD_VALUE,
                    _("“%(code)s”: không có dòng “%(row)s” trong bảng đơn vị nhập của mẫu này.")
                    % {"code": code, "row": key},
                    field=field,
                )
                continue
            with checks.collect():
                label = cell_label(cell.indicator, cell.row_label)
                cell.manual = parse_value(text, cell.indicator, field, label)
                updates.append(cell)
    for code, rows in overrides.items():
        for key, (text, why) in rows.items():
            field = override_field(cell_code(code, key))
            cell = cells.get((code, key))
            if cell is None or cell.indicator.source != Source.COMPUTED:
                checks.refuse(
                    CampaignError.BAD_VALUE,
                    _("“%(code)s”: không có dòng “%(row)s” trong bảng tính từ dữ liệu của mẫu này.")
                    % {"code": code, "row": key},
                    field=field,
                )
                continue
            with checks.collect():
                label = cell_label(cell.indicator, cell.row_label)
                figure = parse_value(text, cell.indicator, field, label)
                why = (why or "").strip()
                if figure is not None and not why:
                    raise _error(
                        CampaignError.NO_REASON,
                        _(
                            "“%(label)s”: số liệu tính từ dữ liệu chỉ được điều chỉnh khi ghi rõ"
                            " lý do (lý do được lưu và hiển thị cho cấp duyệt)."
                        )
                        % {"label": label},
                        reason_field(cell_code(code, key)),
                    )
                cell.override = figure
                cell.override_reason = why if figure is not None else ""
                updates.append(cell)
    return updates


# -- submission and review --------------------------------------------------------------------


def _values(report: Report) -> list[ReportValue]:
    return list(report.values.select_related("indicator").order_by("indicator__order"))


@transaction.atomic
def report_submit(*, actor: Any, report: Report, rule_reason: str = "") -> Report:
    """The unit sends its report. Every manual figure must be filled in (0 when there is
    none). A validation rule that does not hold is a warning: the report goes only with a
    reason (kept, shown to the reviewer). After the campaign closed, refused."""
    require_edit(actor, report)
    report = _locked(report)
    _require_open(report.campaign)
    _check_state("submit", report)
    values = _values(report)
    checks = Checks()
    for v in values:
        if v.indicator.source == Source.MANUAL and v.manual is None:
            checks.refuse(
                CampaignError.MISSING_VALUE,
                _("Chưa nhập “%(label)s” (nhập 0 nếu không có).") % {"label": v.indicator.label},
                field=manual_field(v.indicator.code),
            )
    cells = list(report.cells.select_related("indicator").order_by("indicator__order", "row_order"))
    for c in cells:
        if c.indicator.source == Source.MANUAL and c.manual is None:
            checks.refuse(
                CampaignError.MISSING_VALUE,
                _("Chưa nhập “%(label)s” (nhập 0 nếu không có).")
                % {"label": cell_label(c.indicator, c.row_label)},
                field=manual_field(cell_code(c.indicator.code, c.row_key)),
            )
    current = {v.indicator.code: v.value for v in values}
    current.update(selectors.table_totals(cells))
    broken = selectors.broken_rules(report, current)
    rule_reason = (rule_reason or "").strip()
    if broken and not rule_reason:
        checks.refuse(
            CampaignError.RULE_BROKEN,
            _(
                "Số liệu chưa thỏa quy tắc kiểm tra: %(rules)s Sửa số liệu, hoặc ghi lý do để"
                " vẫn gửi (lý do được hiển thị cho cấp duyệt)."
            )
            % {"rules": " ".join(r.message for r in broken)},
            field="rule_reason",
        )
    checks.raise_if_any()
    before = audit.snapshot(report)
    _move("submit", report)
    now = timezone.now()
    report.submitted_at = now
    if report.first_submitted_on is None:
        report.first_submitted_on = timezone.localtime(now).date()
    report.rule_reason = rule_reason if broken else ""
    report.save()
    audit.record_update(actor=actor, instance=report, before=before)
    _event(
        report,
        EventKind.SUBMITTED,
        actor,
        message=report.rule_reason,
        data={"broken_rules": [r.message for r in broken]},
    )
    return report


def _approved_data(report: Report, values: list[ReportValue]) -> dict[str, Any]:
    cells = report.cells.select_related("indicator")
    return {
        "values": {v.indicator.code: None if v.value is None else str(v.value) for v in values},
        "overrides": {
            v.indicator.code: v.override_reason for v in values if v.override is not None
        },
        "cells": {
            cell_code(c.indicator.code, c.row_key): None if c.value is None else str(c.value)
            for c in cells
        },
        "narratives": {str(n.section_id): n.text for n in report.narratives.all()},
    }


@transaction.atomic
def report_approve(*, actor: Any, report: Report, message: str = "") -> Report:
    """The level above approves: the report is locked; the event keeps its figures and
    texts as approved."""
    _require_review(actor, report)
    report = _locked(report)
    before = audit.snapshot(report)
    _move("approve", report)
    report.approved_at = timezone.now()
    report.save()
    audit.record_update(actor=actor, instance=report, before=before)
    _event(
        report,
        EventKind.APPROVED,
        actor,
        message=(message or "").strip(),
        data=_approved_data(report, _values(report)),
    )
    return report


@transaction.atomic
def report_return(*, actor: Any, report: Report, message: str) -> Report:
    """The level above sends the report back with what to correct."""
    _require_review(actor, report)
    message = _reason(
        message, "message", _("Ghi nội dung cần bổ sung, sửa để đơn vị biết mà làm lại.")
    )
    report = _locked(report)
    before = audit.snapshot(report)
    _move("return", report)
    report.save()
    audit.record_update(actor=actor, instance=report, before=before)
    _event(report, EventKind.RETURNED, actor, message=message)
    return report


@transaction.atomic
def report_reopen_request(*, actor: Any, report: Report, reason: str) -> Report:
    """The unit asks to reopen its approved report; it stays locked until granted."""
    require_edit(actor, report)
    reason = _reason(reason, "reason", _("Ghi lý do đề nghị mở lại báo cáo đã duyệt."))
    report = _locked(report)
    _require_open(report.campaign)
    before = audit.snapshot(report)
    _move("reopen_request", report)
    report.save()
    audit.record_update(actor=actor, instance=report, before=before)
    _event(report, EventKind.REOPEN_REQUESTED, actor, message=reason)
    return report


@transaction.atomic
def report_reopen_decide(*, actor: Any, report: Report, grant: bool, message: str = "") -> Report:
    """The level above grants the request (the report is a draft again; what changes
    from now on is shown against the approved version) or refuses it (with a reason)."""
    _require_review(actor, report)
    message = (message or "").strip()
    if not grant:
        message = _reason(message, "message", _("Ghi lý do không đồng ý mở lại."))
    report = _locked(report)
    before = audit.snapshot(report)
    _move("reopen_grant" if grant else "reopen_refuse", report)
    report.save()
    audit.record_update(actor=actor, instance=report, before=before)
    _event(
        report,
        EventKind.REOPEN_GRANTED if grant else EventKind.REOPEN_REFUSED,
        actor,
        message=message,
    )
    return report


def report_fill_from_children(*, actor: Any, report: Report) -> Report:
    """Type into *report* the totals of its children's approved reports (rollup.py) for
    its manual figures that add up (sum, count distinct), and for the rows of its manual
    tables that add up, through report_save: the same checks, the same event. A figure
    no approved child reports is left as it is. The unit still reads, corrects and
    submits its report."""
    entry = rollup_of(report)
    if entry is None:
        raise _error(
            CampaignError.BAD_VALUE,
            _("Báo cáo của %(unit)s không có báo cáo của đơn vị cấp dưới để tổng hợp.")
            % {"unit": report.unit.name},
        )
    adding = {Aggregation.SUM, Aggregation.COUNT_DISTINCT}
    numbers, tables = _numbers_and_tables(report.campaign.template_id)
    manual = {
        indicator.code: str(entry.totals[indicator.pk])
        for indicator in numbers
        if indicator.source == Source.MANUAL
        and indicator.aggregation in adding
        and entry.totals.get(indicator.pk) is not None
    }
    # A manual table's rows alike, row by row: those of the parent's own table only.
    own_rows = {
        (c.indicator_id, c.row_key)
        for c in ReportCell.objects.filter(report=report, indicator__in=tables)
    }
    table_manual = {
        table.code: {
            key: str(total)
            for key, total in entry.cell_totals.get(table.pk, {}).items()
            if total is not None and (table.pk, key) in own_rows
        }
        for table in tables
        if table.source == Source.MANUAL and table.aggregation in adding
    }
    return report_save(
        actor=actor,
        report=report,
        manual=manual,
        table_manual={code: rows for code, rows in table_manual.items() if rows},
    )


DOCUMENT_FIELDS = (
    "doc_number",
    "superior_body",
    "issuer_body",
    "doc_place",
    "signing_authority",
    "signer_position",
    "signer_name",
    "recipients",
)


@transaction.atomic
def report_set_document(*, actor: Any, report: Report, **fields: str) -> Report:
    """Record how *report* is issued as a document (number-symbol, heading, place, signer,
    recipients). The figures are not touched, so it is allowed in every state: the number
    is often given once the report is approved. The number goes through the one parser
    and must be of the regime's family (a Party report has a Party number)."""
    require_edit(actor, report)
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    report = _locked(report)
    checks = Checks()
    cleaned = {
        name: str(fields.get(name, getattr(report, name)) or "").strip() for name in DOCUMENT_FIELDS
    }
    number = cleaned["doc_number"]
    if number:
        parsed = docnumber.try_parse(number)
        if parsed is None:
            checks.refuse(
                CampaignError.BAD_NUMBER, str(docnumber.diagnose(number)), field="doc_number"
            )
        else:
            party = report.campaign.regime.issuer_kind == IssuerKind.PARTY
            if party != (parsed.system == "party"):
                checks.refuse(
                    CampaignError.BAD_NUMBER,
                    _("Báo cáo theo chế độ của Đảng cần số, ký hiệu kiểu Đảng (ví dụ 12-BC/ĐU).")
                    if party
                    else _(
                        "Báo cáo theo chế độ của Nhà nước cần số, ký hiệu kiểu Nhà nước"
                        " (ví dụ 12/BC-UBND)."
                    ),
                    field="doc_number",
                )
            cleaned["doc_number"] = parsed.raw if parsed is not None else number
    checks.raise_if_any()
    changed = [name for name in DOCUMENT_FIELDS if getattr(report, name) != cleaned[name]]
    if changed:
        before = audit.snapshot(report)
        for name in changed:
            setattr(report, name, cleaned[name])
        report.save(update_fields=[*changed, "updated_at"])
        audit.record_update(actor=_user(actor), instance=report, before=before)
    return report
