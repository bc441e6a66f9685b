"""The periodic reports part of the demo (issue 13, item 8): three report campaigns.

- **A finished half-year campaign** of the State regime ``nd09-6-thang-dan-chu-co-so``
  (Decree 09/2019/NĐ-CP) for the latest half-year whose reports are all in: Thái
  Nguyên and eight of its communes each report; the demo commune's report is returned
  with a message, corrected and sent again; one commune sends after its deadline; the
  province approves every report and closes the campaign.
- **An open annual campaign** (``nd09-nam-dan-chu-co-so``) of the current year: every
  report has its snapshot; one commune has sent its report, the demo commune has saved
  a draft, the others have not started.
- **Bắc Kạn, 2018**: the annual report of the former province (merged into Thái Nguyên
  on 1 July 2025) holding the seed's figures (:data:`danvan.movement.demo.BAC_KAN_2018`),
  approved, so that a restated roll-up can count them under Thái Nguyên.

Everything is written through the campaigns' services, with the demo accounts as actors
where they hold the permission (``tinh.quantri`` opens and closes, ``tinh.canbo`` writes
the province's report and reviews the communes', ``xa.canbo`` writes the demo commune's)
and the system (``actor=None``) for the units no demo account belongs to. Two things are
not the services' doing:

- ``campaign_open`` refuses a campaign whose units have all ended (Bắc Kạn has, on
  30 June 2025): the 2018 campaign and its report are created here as the service
  would create them (audit rows and the "opened" event included); the snapshot, the
  figures, the submission, the approval and the closing then go through the services.
- The services stamp every step with ``timezone.now()``. The finished campaigns are
  dated back afterwards with queryset updates (the events' times, the report's sent,
  first sent and approved times, the snapshot's and the closing's): no demo module
  travels in time. The audit rows keep the day the demo was seeded.

Idempotent: a campaign (one per template, year and owner) that exists is left as it
is; each campaign is built in one transaction, so none is ever half built.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from danvan.accounts.models import User
from danvan.audit import services as audit
from danvan.core.errors import DomainError
from danvan.legal.workdays import WorkCalendar
from danvan.movement.demo import BAC_KAN_2018, BAC_KAN_CODE, BAC_KAN_YEAR
from danvan.reports.campaigns import policies, selectors
from danvan.reports.campaigns import services as campaigns
from danvan.reports.campaigns.models import Campaign, EventKind, Report, ReportEvent
from danvan.reports.models import Indicator, Regime, ReportTemplate, Section, Source
from danvan.units.demo import COMMUNE_CODES, PROVINCE_CODE
from danvan.units.models import Unit, UnitKind

HALF_YEAR_REGIME = "nd09-6-thang-dan-chu-co-so"
ANNUAL_REGIME = "nd09-nam-dan-chu-co-so"
# More communes of Thái Nguyên, so that the board has rows: two of the former Bắc Kạn
# (Phường Bắc Kạn, Xã Ba Bể) and three of the old Thái Nguyên (Định Hóa, Võ Nhai, Phổ Yên).
EXTRA_COMMUNE_CODES = ("01843", "01906", "05569", "05716", "05860")
# The demo commune (its officer xa.canbo sees the return and the open draft).
RETURNED_COMMUNE = COMMUNE_CODES[0]
LATE_COMMUNE = COMMUNE_CODES[1]
ANNUAL_SENT_COMMUNE = COMMUNE_CODES[2]
# The half-year's reports are all in and the campaign closed two weeks after the cut-off
# (14 June); before this day of the year the demo shows the previous year's half-year.
HALF_YEAR_SHOWN_FROM = (7, 15)
SEED = 20260614

# The reason of an override of a computed figure of Bắc Kạn's 2018 report.
BAC_KAN_REASON = "Số liệu báo cáo năm 2018"
# Movement indicators (data migration reports 0002) → the seed's Bắc Kạn 2018 figure.
BAC_KAN_FIGURES = {
    "mo-hinh-dang-ky": BAC_KAN_2018["registered"],
    "mo-hinh-cong-nhan": BAC_KAN_2018["recognized"],
    "mo-hinh-tieu-bieu": BAC_KAN_2018["exemplary"],
}
# Sent with every report: ignored unless a validation rule does not hold. The counts of a
# period are of the day each milestone was reached, so a commune may recognize in the
# half-year more models than it registered in it (registered the year before).
RULE_REASON = (
    "Mô hình được công nhận, tiêu biểu trong kỳ gồm cả mô hình đăng ký, công nhận từ các kỳ trước."
)

# The units' typed figures for a half-year, (commune range, province range); a year
# doubles them. Commune chairs receive citizens at least one day a week, province chairs
# one a month (Law on Citizen Reception 2013, art. 15; domain.md §5).
MANUAL_RANGES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "van-ban-chi-dao": ((3, 9), (12, 24)),
    "buoi-tiep-cong-dan": ((24, 27), (6, 7)),
    "hoi-nghi-doi-thoai": ((1, 3), (1, 2)),
    "cuoc-kiem-tra": ((1, 4), (4, 9)),
    "cong-khai-chua-thuc-hien": ((0, 2), (0, 1)),  # typed where a template still asks it
}
DEFAULT_RANGE = ((0, 5), (0, 10))

# A short text per section, in the template's order: (commune, province).
NARRATIVES: tuple[tuple[str, str], ...] = (
    (
        "Đảng ủy, UBND {unit} ban hành kế hoạch thực hiện dân chủ ở cơ sở trong kỳ; tổ chức"
        " quán triệt Luật Thực hiện dân chủ ở cơ sở tới 100% chi bộ, thôn, tổ dân phố.",
        "Ban Thường vụ Tỉnh ủy, UBND tỉnh ban hành các văn bản chỉ đạo thực hiện dân chủ ở cơ"
        " sở; các cấp ủy, chính quyền, Mặt trận Tổ quốc và đoàn thể triển khai đồng bộ.",
    ),
    (
        "Công khai dự toán, quyết toán ngân sách, kế hoạch sử dụng đất, các khoản đóng góp"
        " của Nhân dân tại trụ sở UBND và nhà văn hóa các thôn; giải quyết thủ tục hành chính"
        " đúng hạn.",
        "Các cơ quan, đơn vị công khai đầy đủ nội dung theo Luật; nâng tỉ lệ hồ sơ thủ tục"
        " hành chính giải quyết trực tuyến và đúng hạn.",
    ),
    (
        "Chủ tịch UBND tiếp công dân định kỳ hằng tuần; tổ chức đối thoại với Nhân dân về"
        " giải phóng mặt bằng, vệ sinh môi trường; các vụ việc được giải quyết đúng hạn.",
        "Chủ tịch UBND tỉnh tiếp công dân định kỳ hằng tháng; chỉ đạo giải quyết dứt điểm các"
        " vụ việc phức tạp, kéo dài.",
    ),
    (
        "Đăng ký mô hình “Dân vận khéo” trên các lĩnh vực kinh tế, văn hóa - xã hội; nhân"
        " rộng mô hình thu gom, phân loại rác thải tại nguồn.",
        "Phong trào thi đua “Dân vận khéo” tiếp tục lan tỏa; nhiều mô hình tiêu biểu được"
        " công nhận, biểu dương và nhân rộng.",
    ),
    (
        "Ban Thanh tra nhân dân giám sát việc xây dựng nhà văn hóa thôn và việc sử dụng các"
        " khoản đóng góp; không phát hiện sai phạm.",
        "Tổ chức kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở tại một số xã, phường;"
        " kiến nghị khắc phục hạn chế trong công khai thông tin.",
    ),
    (
        "Tiếp tục thực hiện Kế hoạch 771-KH/BDVTƯ; nâng chất lượng hội nghị thôn, tổ dân phố"
        " và đối thoại với Nhân dân.",
        "Tiếp tục thực hiện Kế hoạch 771-KH/BDVTƯ ngày 08/3/2017 và Kế hoạch 20-KH/TU ngày"
        " 12/8/2016; khắc phục các nhiệm vụ quá hạn.",
    ),
)
BAC_KAN_NARRATIVE = (
    "Số liệu của tỉnh Bắc Kạn năm 2018 (báo cáo tổng kết năm): hơn 1.200 mô hình, điển"
    " hình đăng ký, 303 được công nhận, 82 tiêu biểu. Tỉnh Bắc Kạn sáp nhập vào tỉnh Thái"
    " Nguyên từ ngày 01/7/2025; báo cáo giữ nguyên tên đơn vị tại thời điểm báo cáo."
)

RETURN_MESSAGE = (
    "Số buổi tiếp công dân định kỳ ({sessions} buổi) thấp hơn mức tối thiểu: Chủ tịch UBND"
    " cấp xã tiếp công dân ít nhất 01 ngày mỗi tuần (Luật Tiếp công dân 2013, Điều 15). Đề"
    " nghị kiểm tra lại số liệu; nếu đúng, giải trình lý do trong phần tiếp công dân."
)
CORRECTION = (
    " Số buổi tiếp công dân đã được rà soát lại theo sổ tiếp công dân (bổ sung các buổi do"
    " Phó Chủ tịch UBND được ủy quyền chủ trì)."
)
APPROVE_MESSAGE = "Đồng ý nội dung báo cáo."


@dataclass
class ReportsDemoResult:
    campaigns: int = 0
    reports: int = 0
    returned: int = 0
    late: int = 0

    @property
    def total_created(self) -> int:
        return self.campaigns


@dataclass
class _Cast:
    opener: User | None  # tinh.quantri: opens, closes, approves the province's own report
    officer: User | None  # tinh.canbo: writes the province's report, reviews the communes'
    commune_officer: User | None  # xa.canbo: writes the demo commune's report


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def demo_seed_reports(*, today: dt.date | None = None) -> ReportsDemoResult:
    """Build (or find again) the three campaigns; see the module docstring."""
    result = ReportsDemoResult()
    province = Unit.objects.filter(code=PROVINCE_CODE, kind=UnitKind.PROVINCE).first()
    if province is None:
        return result  # the unit tree is not loaded: units.demo reports it
    today = today or timezone.localdate()
    cast = _Cast(_user("tinh.quantri"), _user("tinh.canbo"), _user("xa.canbo"))
    communes = list(
        Unit.objects.filter(
            parent=province,
            code__in=(*COMMUNE_CODES, *EXTRA_COMMUNE_CODES),
            valid_to__isnull=True,
        ).order_by("path")
    )
    half_year = today.year if (today.month, today.day) >= HALF_YEAR_SHOWN_FROM else today.year - 1
    _half_year_campaign(province, communes, half_year, cast, result)
    _annual_campaign(province, communes, today.year, cast, result)
    bac_kan = Unit.objects.filter(code=BAC_KAN_CODE, kind=UnitKind.PROVINCE).first()
    if bac_kan is not None:
        _bac_kan_campaign(bac_kan, result)
    return result


# -- helpers ----------------------------------------------------------------------------------


def _template(regime_code: str) -> tuple[Regime, ReportTemplate] | None:
    regime = Regime.objects.filter(code=regime_code).first()
    if regime is None:
        return None
    template = (
        ReportTemplate.objects.filter(regime=regime, active=True).order_by("-version").first()
    )
    return (regime, template) if template is not None else None


def _exists(template: ReportTemplate, year: int, owner: Unit) -> bool:
    return Campaign.objects.filter(template=template, year=year, owner_unit=owner).exists()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local time of *day* (Asia/Ho_Chi_Minh, the project's time zone)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _last_event(report: Report) -> int:
    return ReportEvent.objects.filter(report=report).aggregate(m=Max("pk"))["m"] or 0


def _dated(report: Report, when: dt.datetime | None, step: Callable[[], Report]) -> Report:
    """Run a service *step* on *report*, then date its events, and the report's sent or
    approved time, back to *when* (None: leave them at now)."""
    mark = _last_event(report)
    first_submission = report.first_submitted_on is None
    report = step()
    if when is None:
        return report
    ReportEvent.objects.filter(report=report, pk__gt=mark).update(at=when)
    fields: dict[str, Any] = {}
    if report.status == campaigns.State.SUBMITTED:
        fields["submitted_at"] = when
        if first_submission:
            # On time is judged on the first submission (Report.first_submitted_on).
            fields["first_submitted_on"] = timezone.localtime(when).date()
    elif report.status == campaigns.State.APPROVED:
        fields["approved_at"] = when
    if fields:
        Report.objects.filter(pk=report.pk).update(**fields)
        for name, value in fields.items():
            setattr(report, name, value)
    return report


def _date_opening(campaign: Campaign, when: dt.datetime) -> None:
    """The opening and its snapshot, dated back to *when*."""
    Campaign.objects.filter(pk=campaign.pk).update(created_at=when)
    reports = Report.objects.filter(campaign=campaign)
    reports.update(snapshot_taken_at=when)
    ReportEvent.objects.filter(report__in=reports).update(at=when)


def _date_closing(campaign: Campaign, when: dt.datetime) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=when)


def _figures(
    report: Report, indicators: list[Indicator], rng: random.Random, *, factor: int = 1
) -> dict[str, str]:
    """Plausible typed figures for the report's manual indicators."""
    province = report.unit.kind == UnitKind.PROVINCE
    figures = {}
    for indicator in indicators:
        if indicator.source != Source.MANUAL or indicator.is_table:
            continue
        low, high = MANUAL_RANGES.get(indicator.code, DEFAULT_RANGE)[province]
        figures[indicator.code] = str(rng.randint(low, high) * factor)
    return figures


def _table_figures(
    report: Report, indicators: list[Indicator], rng: random.Random, *, factor: int = 1
) -> dict[str, dict[str, str]]:
    """Plausible typed rows for the report's manual tables (an administrator's own: the
    shipped templates' table is computed, and filled by the snapshot)."""
    low, high = DEFAULT_RANGE[report.unit.kind == UnitKind.PROVINCE]
    return {
        indicator.code: {key: str(rng.randint(low, high) * factor) for key, _l in rows}
        for indicator in indicators
        if indicator.is_table
        and indicator.source == Source.MANUAL
        and (rows := indicator.table_rows())
    }


def _narratives(report: Report, sections: list[Section]) -> dict[int, str]:
    province = report.unit.kind == UnitKind.PROVINCE
    return {
        section.pk: NARRATIVES[i][province].format(unit=report.unit.name)
        for i, section in enumerate(sections[: len(NARRATIVES)])
    }


def _writer(report: Report, cast: _Cast) -> User | None:
    """Who writes *report*: the demo officer of its unit, else the system."""
    for user in (cast.commune_officer, cast.officer):
        if user is not None and policies.can_edit(user, report):
            return user
    return None


def _reviewer(report: Report, cast: _Cast) -> User | None:
    """Who reviews *report*: the province's officer, or its administrator for the
    province's own report (so that it is not approved by who wrote it), else the system."""
    unit = selectors.reviewer_unit(report)
    users = (cast.opener,) if report.unit.kind == UnitKind.PROVINCE else (cast.officer,)
    for user in users:
        if user is not None and policies.can_review(user, report, unit):
            return user
    return None


def _opener(owner: Unit, cast: _Cast) -> User | None:
    if cast.opener is not None and policies.can_open(cast.opener, owner):
        return cast.opener
    return None


# -- the finished half-year -------------------------------------------------------------------


@transaction.atomic
def _half_year_campaign(
    province: Unit, communes: list[Unit], year: int, cast: _Cast, result: ReportsDemoResult
) -> None:
    """Every report sent and approved, one returned and sent again, one late; closed."""
    found = _template(HALF_YEAR_REGIME)
    if found is None or _exists(found[1], year, province):
        return
    regime, template = found
    opener = _opener(province, cast)
    campaign = campaigns.campaign_open(
        actor=opener,
        regime=regime,
        template=template,
        year=year,
        owner_unit=province,
        units=[province, *communes],
    )
    cal = WorkCalendar()

    def after(day: dt.date, n: int) -> dt.date:  # n working days after *day*
        return cal.add_working_days(day, n)

    opened = after(campaign.period_end, 1)
    _date_opening(campaign, _at(opened, 8))
    indicators = list(Indicator.objects.filter(template=template).order_by("order"))
    sections = list(Section.objects.filter(template=template).order_by("order"))
    rng = random.Random(SEED + year)  # noqa: S311 (demo figures, not a secret)
    reports = list(Report.objects.filter(campaign=campaign).select_related("unit", "campaign"))
    own = next(r for r in reports if r.unit_id == province.pk)
    for report in reports:
        if report is own:
            continue
        due = report.due_date  # RegimeDeadline of communes: a few working days after the cut-off
        writer, reviewer = _writer(report, cast), _reviewer(report, cast)
        manual = _figures(report, indicators, rng)
        texts = _narratives(report, sections)
        if report.unit.code == RETURNED_COMMUNE:
            # Sent on time with too few reception days; returned, corrected, sent again.
            manual["buoi-tiep-cong-dan"] = "18"
            report = _send(report, writer, manual, texts, saved=_at(opened, 9), sent=_at(due, 9))
            message = RETURN_MESSAGE.format(sessions=18)
            report = _return(report, reviewer, _at(after(due, 1), 10), message)
            result.returned += 1
            manual["buoi-tiep-cong-dan"] = "26"
            texts = {
                k: v + (CORRECTION if i == 2 else "") for i, (k, v) in enumerate(texts.items())
            }
            corrected = after(due, 1)
            report = _send(
                report, writer, manual, texts, saved=_at(corrected, 14), sent=_at(corrected, 16)
            )
            approved = after(due, 2)
        elif report.unit.code == LATE_COMMUNE:
            # Sent two working days after its deadline.
            late = after(due, 2)
            report = _send(report, writer, manual, texts, saved=_at(late, 8), sent=_at(late, 10))
            result.late += 1
            approved = after(late, 1)
        else:
            report = _send(report, writer, manual, texts, saved=_at(opened, 9), sent=_at(due, 10))
            approved = after(due, 1)
        _approve(report, reviewer, _at(approved, 9))
    # The province sends its own report on its deadline, its communes' reports approved.
    manual = _figures(own, indicators, rng)
    own = _send(
        own, _writer(own, cast), manual, _narratives(own, sections),
        saved=_at(own.due_date, 8), sent=_at(own.due_date, 15),
    )  # fmt: skip
    _approve(own, _reviewer(own, cast), _at(after(own.due_date, 1), 9))
    campaigns.campaign_close(actor=opener, campaign=campaign)
    _date_closing(campaign, _at(after(own.due_date, 5), 16))
    result.campaigns += 1
    result.reports += len(reports)


def _send(
    report: Report,
    writer: User | None,
    manual: dict[str, str],
    texts: dict[int, str],
    *,
    saved: dt.datetime | None,
    sent: dt.datetime | None,
) -> Report:
    rng = random.Random(SEED + report.pk)  # noqa: S311 (demo figures, not a secret)
    tables = _table_figures(report, _template_indicators(report), rng)
    report = _dated(
        report,
        saved,
        lambda: campaigns.report_save(
            actor=writer, report=report, manual=manual, narratives=texts, table_manual=tables
        ),
    )
    return _dated(
        report,
        sent,
        lambda: campaigns.report_submit(actor=writer, report=report, rule_reason=RULE_REASON),
    )


def _template_indicators(report: Report) -> list[Indicator]:
    return list(Indicator.objects.filter(template_id=report.campaign.template_id))


def _return(report: Report, reviewer: User | None, when: dt.datetime, message: str) -> Report:
    return _dated(
        report,
        when,
        lambda: campaigns.report_return(actor=reviewer, report=report, message=message),
    )


def _approve(report: Report, reviewer: User | None, when: dt.datetime | None) -> Report:
    return _dated(
        report,
        when,
        lambda: campaigns.report_approve(actor=reviewer, report=report, message=APPROVE_MESSAGE),
    )


# -- the open annual campaign -----------------------------------------------------------------


@transaction.atomic
def _annual_campaign(
    province: Unit, communes: list[Unit], year: int, cast: _Cast, result: ReportsDemoResult
) -> None:
    """Open now: snapshots taken, one commune sent, the demo commune's draft saved."""
    found = _template(ANNUAL_REGIME)
    if found is None or _exists(found[1], year, province):
        return
    regime, template = found
    campaign = campaigns.campaign_open(
        actor=_opener(province, cast),
        regime=regime,
        template=template,
        year=year,
        owner_unit=province,
        units=[province, *communes],
    )
    indicators = list(Indicator.objects.filter(template=template).order_by("order"))
    sections = list(Section.objects.filter(template=template).order_by("order"))
    rng = random.Random(SEED + year + 1)  # noqa: S311 (demo figures, not a secret)
    reports = list(Report.objects.filter(campaign=campaign).select_related("unit", "campaign"))
    for report in reports:
        if report.unit.code == ANNUAL_SENT_COMMUNE:
            manual = _figures(report, indicators, rng, factor=2)
            _send(report, _writer(report, cast), manual, _narratives(report, sections),
                  saved=None, sent=None)  # fmt: skip
        elif report.unit.code == RETURNED_COMMUNE:
            # A draft under way: the first two sections written, some figures typed.
            manual = dict(list(_figures(report, indicators, rng, factor=2).items())[:2])
            texts = dict(list(_narratives(report, sections).items())[:2])
            campaigns.report_save(
                actor=_writer(report, cast), report=report, manual=manual, narratives=texts
            )
    result.campaigns += 1
    result.reports += len(reports)


# -- Bắc Kạn, 2018 ----------------------------------------------------------------------------


def _historical_campaign(regime: Regime, template: ReportTemplate, owner: Unit) -> Campaign:
    """The campaign of an ended unit, created as campaign_open would create it (which
    refuses units that have ended): the campaign, the owner's report due N working days
    after the cut-off, their audit rows and the "opened" event; then the snapshot."""
    start, end = regime.period(BAC_KAN_YEAR)
    campaign = Campaign.objects.create(
        regime=regime,
        template=template,
        year=BAC_KAN_YEAR,
        period_start=start,
        period_end=end,
        owner_unit=owner,
        title=f"{regime.name} năm {BAC_KAN_YEAR} — {owner.name}",
        opened_by=None,
    )
    audit.record_create(actor=None, instance=campaign)
    days = campaigns.deadline_days(regime)[owner.kind]
    report = Report.objects.create(
        campaign=campaign, unit=owner, due_date=WorkCalendar().add_working_days(end, days)
    )
    audit.record_create(actor=None, instance=report)
    ReportEvent.objects.create(report=report, kind=EventKind.OPENED, at=timezone.now())
    campaigns.take_snapshot(campaign=campaign, actor=None)
    return campaign


@transaction.atomic
def _bac_kan_campaign(bac_kan: Unit, result: ReportsDemoResult) -> None:
    """Bắc Kạn's approved 2018 report with the seed's figures (domain.md §2, §4)."""
    found = _template(ANNUAL_REGIME)
    if found is None or _exists(found[1], BAC_KAN_YEAR, bac_kan):
        return
    regime, template = found
    try:
        campaign = campaigns.campaign_open(
            actor=None, regime=regime, template=template, year=BAC_KAN_YEAR, owner_unit=bac_kan
        )
    except DomainError:
        # Refused: no unit of an ended subtree may be asked to report (services._units_checks).
        campaign = _historical_campaign(regime, template, bac_kan)
    cal = WorkCalendar()

    def day(n: int) -> dt.date:
        return cal.add_working_days(campaign.period_end, n)

    _date_opening(campaign, _at(day(1), 8))
    report = Report.objects.select_related("unit", "campaign").get(campaign=campaign, unit=bac_kan)
    indicators = list(Indicator.objects.filter(template=template).order_by("order"))
    sections = list(Section.objects.filter(template=template).order_by("order"))
    computed = {v.indicator.code: v.computed for v in report.values.select_related("indicator")}
    # The seed's figures stand as the report's: where the snapshot counts otherwise (the
    # register does not hold every 2018 entry), an override with its reason.
    overrides = {
        code: (str(figure), BAC_KAN_REASON)
        for code, figure in BAC_KAN_FIGURES.items()
        if code in computed and computed[code] != Decimal(figure)
    }
    rng = random.Random(SEED + BAC_KAN_YEAR)  # noqa: S311 (demo figures, not a secret)
    manual = _figures(report, indicators, rng, factor=2)
    texts = dict.fromkeys([s.pk for s in sections[3:4]], BAC_KAN_NARRATIVE)
    report = _dated(
        report,
        _at(day(4), 15),
        lambda: campaigns.report_save(
            actor=None,
            report=report,
            manual=manual,
            overrides=overrides,
            narratives=texts,
            table_manual=_table_figures(report, indicators, rng, factor=2),
        ),
    )
    report = _dated(
        report,
        _at(day(5), 9),
        lambda: campaigns.report_submit(actor=None, report=report, rule_reason=RULE_REASON),
    )
    _approve(report, None, _at(day(7), 9))
    campaigns.campaign_close(actor=None, campaign=campaign)
    _date_closing(campaign, _at(day(10), 16))
    result.campaigns += 1
    result.reports += 1
