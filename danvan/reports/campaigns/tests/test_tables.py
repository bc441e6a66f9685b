"""Table indicators in campaigns, end to end (issue 13, item 1: "numbers and small
tables"): the snapshot fills a computed table's rows, the unit types a manual table's and
overrides a computed row only with a reason, the refusals keep everything as it was, the
parent adds the children's rows up row by row by the table's rule, the restated view
counts them under today's unit, and the pages, the Word file (with its annex and the
layout checker) and the workbook show them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from danvan.accounts.models import Role, User
from danvan.accounts.testing import login_verified, make_user
from danvan.core.errors import DomainError
from danvan.legal.layoutcheck import assert_follows_layout
from danvan.movement import services as movement_services
from danvan.movement.models import Entry, Field
from danvan.reports import services as template_services
from danvan.reports.campaigns import export, restated, rollup, selectors, services
from danvan.reports.campaigns.errors import CampaignError
from danvan.reports.campaigns.models import (
    Campaign,
    EventKind,
    Report,
    ReportCell,
    ReportStatus,
)
from danvan.reports.exports.word import official_document
from danvan.reports.indicators import get_table_query
from danvan.reports.models import Aggregation, Indicator, Regime, ReportTemplate
from danvan.units.models import Unit, UnitKind

from .conftest import fill, travel

pytestmark = pytest.mark.django_db

TABLE = "hoi-nghi-theo-hinh-thuc"  # a manual table added by the tests
BY_FIELD = "mo-hinh-theo-linh-vuc"  # the seeded computed table (reports 0005)
START, END = dt.date(2025, 12, 15), dt.date(2026, 6, 14)
HEADER = {
    "doc_number": "Số: 125/BC-UBND",
    "issuer_body": "Ủy ban nhân dân tỉnh Thái Nguyên",
    "doc_place": "Thái Nguyên",
    "signing_authority": "TM. ỦY BAN NHÂN DÂN",
    "signer_position": "Chủ tịch",
    "signer_name": "Nguyễn Văn A",
    "recipients": "- Lưu: VT.",
}


def _entry(unit: Unit, field: str, day: dt.date) -> Entry:
    made = movement_services.entry_create(
        actor=None,
        unit=unit,
        kind="initiative",
        name=f"Mô hình {Entry.objects.count() + 1}",
        field=Field.objects.get(code=field),
        registration_year=2026,
    )
    Entry.objects.filter(pk=made.pk).update(registered_on=day)
    return made


def _cells(report: Report, code: str) -> dict[str, ReportCell]:
    return {
        c.row_key: c
        for c in ReportCell.objects.filter(report=report, indicator__code=code).order_by(
            "row_order"
        )
    }


def _values(report: Report, code: str) -> dict[str, Decimal | None]:
    return {key: cell.value for key, cell in _cells(report, code).items()}


@pytest.fixture
def manual_table(template: ReportTemplate) -> Indicator:
    section = template.sections.order_by("order")[2]  # citizens' reception and dialogue
    return template_services.indicator_create(
        actor=None,
        template=template,
        section=section,
        order=50,
        code=TABLE,
        label="Hội nghị đối thoại theo hình thức",
        unit_of_measure="cuộc",
        kind="table",
        source="manual",
        aggregation="sum",
        rows="Trực tiếp\nTrực tuyến",
    )


@pytest.fixture
def opened(
    manual_table: Indicator,
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    thai_nguyen: Unit,
    commune: Unit,
    sibling_commune: Unit,
) -> Campaign:
    """The half-year 2026 campaign, the template holding both tables; the communes hold
    entries registered in the period (2 economic ones here, 1 cultural there) and one
    before it."""
    _entry(commune, "kinh-te", dt.date(2026, 1, 10))
    _entry(commune, "kinh-te", dt.date(2026, 3, 2))
    _entry(sibling_commune, "van-hoa-xa-hoi", dt.date(2026, 2, 2))
    _entry(sibling_commune, "van-hoa-xa-hoi", dt.date(2025, 12, 1))  # before the period
    return services.campaign_open(
        actor=province_admin,
        regime=regime,
        template=template,
        year=2026,
        owner_unit=thai_nguyen,
        units=[thai_nguyen, commune, sibling_commune],
    )


def _report(campaign: Campaign, unit: Unit) -> Report:
    return Report.objects.get(campaign=campaign, unit=unit)


def _complete(
    report: Report, officer: User, reviewer: User, rows: dict[str, str] | None = None
) -> Report:
    """Type every manual figure and the manual table's rows, submit, approve."""
    fill(report, officer)
    services.report_save(
        actor=officer,
        report=report,
        table_manual={TABLE: rows or {"truc-tiep": "3", "truc-tuyen": "1"}},
    )
    services.report_submit(actor=officer, report=report, rule_reason="Giải trình.")
    return services.report_approve(actor=reviewer, report=report)


# -- the snapshot -------------------------------------------------------------------------


def test_the_snapshot_fills_the_computed_table_and_lays_out_the_manual_one(
    opened: Campaign, commune: Unit, sibling_commune: Unit, thai_nguyen: Unit
) -> None:
    fields = list(Field.objects.filter(is_active=True).order_by("order", "name"))
    mine = _report(opened, commune)
    cells = _cells(mine, BY_FIELD)
    # A row per active field, in the fields' order, the counts of the unit's subtree.
    assert list(cells) == [f.code for f in fields]
    assert [c.row_label for c in cells.values()] == [f.name for f in fields]
    assert _values(mine, BY_FIELD) == {
        "kinh-te": 2,
        "van-hoa-xa-hoi": 0,
        "quoc-phong-an-ninh": 0,
        "xay-dung-he-thong-chinh-tri": 0,
    }
    province = _values(_report(opened, thai_nguyen), BY_FIELD)
    assert (province["kinh-te"], province["van-hoa-xa-hoi"]) == (2, 1)
    # The rows add up to the figure they detail.
    registered = _report(opened, thai_nguyen).values.get(indicator__code="mo-hinh-dang-ky")
    assert sum(v for v in province.values() if v is not None) == registered.computed == 3
    # The manual table: its rows, empty, nothing computed.
    manual = _cells(mine, TABLE)
    assert [(k, c.row_label, c.computed, c.manual) for k, c in manual.items()] == [
        ("truc-tiep", "Trực tiếp", None, None),
        ("truc-tuyen", "Trực tuyến", None, None),
    ]
    # Refreshed before submission: a new entry counted, no row written twice.
    _entry(commune, "quoc-phong-an-ninh", dt.date(2026, 5, 5))
    services.report_refresh(actor=make_user("cb-xa-bang", Role.OFFICER, commune), report=mine)
    assert _values(mine, BY_FIELD)["quoc-phong-an-ninh"] == 1
    assert ReportCell.objects.filter(report=mine).count() == len(fields) + 2


# -- editing ----------------------------------------------------------------------------------


def test_rows_are_typed_and_overridden_through_the_service(
    opened: Campaign, commune: Unit, commune_officer: User
) -> None:
    report = _report(opened, commune)
    services.report_save(
        actor=commune_officer,
        report=report,
        table_manual={TABLE: {"truc-tiep": "4", "truc-tuyen": "0"}},
        table_overrides={BY_FIELD: {"kinh-te": ("3", "Một mô hình đăng ký bằng văn bản giấy.")}},
    )
    assert _values(report, TABLE) == {"truc-tiep": 4, "truc-tuyen": 0}
    row = _cells(report, BY_FIELD)["kinh-te"]
    assert (row.computed, row.override, row.value) == (2, 3, 3)
    assert row.override_reason == "Một mô hình đăng ký bằng văn bản giấy."
    assert row.disagrees
    # An empty figure takes the override away, and its reason with it.
    services.report_save(
        actor=commune_officer, report=report, table_overrides={BY_FIELD: {"kinh-te": ("", "")}}
    )
    row = _cells(report, BY_FIELD)["kinh-te"]
    assert (row.override, row.override_reason, row.value) == (None, "", 2)


def test_bad_rows_are_refused_all_at_once_and_nothing_is_written(
    opened: Campaign, commune: Unit, commune_officer: User
) -> None:
    report = _report(opened, commune)
    with pytest.raises(DomainError) as refused:
        services.report_save(
            actor=commune_officer,
            report=report,
            manual={"van-ban-chi-dao": "2"},  # good, but not written either
            table_manual={TABLE: {"truc-tiep": "ba", "truc-tuyen": "-1", "qua-thu": "1"}},
            table_overrides={BY_FIELD: {"kinh-te": ("5", "  "), "van-hoa-xa-hoi": ("1,555", "x")}},
        )
    problems = {p.field: (p.code, p.message) for p in refused.value.problems}
    assert set(problems) == {
        f"manual-{TABLE}.truc-tiep",
        f"manual-{TABLE}.truc-tuyen",
        f"manual-{TABLE}.qua-thu",
        f"reason-{BY_FIELD}.kinh-te",
        f"override-{BY_FIELD}.van-hoa-xa-hoi",
    }
    code, message = problems[f"manual-{TABLE}.truc-tiep"]
    assert code == CampaignError.BAD_VALUE
    assert "“Hội nghị đối thoại theo hình thức — Trực tiếp”: “ba” không phải là số" in message
    assert "không thể là số âm" in problems[f"manual-{TABLE}.truc-tuyen"][1]
    assert "không có dòng “qua-thu”" in problems[f"manual-{TABLE}.qua-thu"][1]
    assert problems[f"reason-{BY_FIELD}.kinh-te"][0] == CampaignError.NO_REASON
    assert "ghi rõ lý do" in problems[f"reason-{BY_FIELD}.kinh-te"][1]
    assert "tối đa 2 chữ số sau dấu phẩy" in problems[f"override-{BY_FIELD}.van-hoa-xa-hoi"][1]
    assert _values(report, TABLE) == {"truc-tiep": None, "truc-tuyen": None}
    assert all(c.override is None for c in _cells(report, BY_FIELD).values())
    assert report.values.get(indicator__code="van-ban-chi-dao").manual is None
    # A computed table's rows are not typed, a manual table's not overridden.
    with pytest.raises(DomainError) as refused:
        services.report_save(
            actor=commune_officer,
            report=report,
            table_manual={BY_FIELD: {"kinh-te": "1"}},
            table_overrides={TABLE: {"truc-tiep": ("1", "Lý do")}},
        )
    assert {p.field for p in refused.value.problems} == {
        f"manual-{BY_FIELD}.kinh-te",
        f"override-{TABLE}.truc-tiep",
    }


def test_a_parent_does_not_type_a_childs_rows(
    opened: Campaign, commune: Unit, province_officer: User
) -> None:
    report = _report(opened, commune)
    with pytest.raises(Exception, match="không sửa thay"):
        services.report_save(
            actor=province_officer, report=report, table_manual={TABLE: {"truc-tiep": "1"}}
        )
    assert _values(report, TABLE)["truc-tiep"] is None


def test_every_manual_row_is_filled_before_submission(
    opened: Campaign, commune: Unit, commune_officer: User
) -> None:
    report = _report(opened, commune)
    fill(report, commune_officer)
    services.report_save(
        actor=commune_officer, report=report, table_manual={TABLE: {"truc-tiep": "2"}}
    )
    with pytest.raises(DomainError) as refused:
        services.report_submit(actor=commune_officer, report=report, rule_reason="x")
    assert [(p.field, p.code) for p in refused.value.problems] == [
        (f"manual-{TABLE}.truc-tuyen", CampaignError.MISSING_VALUE)
    ]
    assert "Trực tuyến" in refused.value.message
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    services.report_save(
        actor=commune_officer, report=report, table_manual={TABLE: {"truc-tuyen": "0"}}
    )
    services.report_submit(actor=commune_officer, report=report, rule_reason="x")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_rule_compares_a_tables_total(
    opened: Campaign, commune: Unit, commune_officer: User, template: ReportTemplate
) -> None:
    table = template.indicators.get(code=BY_FIELD)
    registered = template.indicators.get(code="mo-hinh-dang-ky")
    template_services.validation_rule_create(
        actor=None,
        template=template,
        left=table,
        operator="eq",
        right=registered,
        message="Tổng mô hình theo lĩnh vực khác số mô hình đăng ký.",
    )
    report = _report(opened, commune)
    fill(report, commune_officer)
    services.report_save(
        actor=commune_officer,
        report=report,
        table_manual={TABLE: {"truc-tiep": "1", "truc-tuyen": "1"}},
    )
    assert [w.code for w in selectors.warnings_for(report)] == []
    services.report_save(
        actor=commune_officer,
        report=report,
        overrides={"mo-hinh-dang-ky": ("5", "Ba mô hình chưa nhập vào hệ thống.")},
    )
    warnings = selectors.warnings_for(report)
    assert [w.message for w in warnings if w.code == "rule"] == [
        "Tổng mô hình theo lĩnh vực khác số mô hình đăng ký."
    ]
    with pytest.raises(DomainError) as refused:
        services.report_submit(actor=commune_officer, report=report)
    assert refused.value.field == "rule_reason"


def test_a_row_far_from_the_previous_periods_is_flagged(
    manual_table: Indicator,
    regime: Regime,
    template: ReportTemplate,
    province_admin: User,
    thai_nguyen: Unit,
    commune: Unit,
    commune_officer: User,
    province_officer: User,
) -> None:
    Indicator.objects.filter(pk=manual_table.pk).update(outlier_pct=50)
    with travel(dt.date(2025, 6, 16)):
        before = services.campaign_open(
            actor=province_admin, regime=regime, template=template, year=2025,
            owner_unit=thai_nguyen, units=[commune],
        ).reports.get()  # fmt: skip
        _complete(before, commune_officer, province_officer, {"truc-tiep": "2", "truc-tuyen": "4"})
    now = services.campaign_open(
        actor=province_admin, regime=regime, template=template, year=2026,
        owner_unit=thai_nguyen, units=[commune],
    ).reports.get()  # fmt: skip
    services.report_save(
        actor=commune_officer,
        report=now,
        table_manual={TABLE: {"truc-tiep": "10", "truc-tuyen": "5"}},
    )
    outliers = [w.message for w in selectors.warnings_for(now) if w.code == "outlier"]
    assert outliers == [
        "“Hội nghị đối thoại theo hình thức — Trực tiếp”: 10 so với 2 kỳ trước (chênh 400%,"
        " quá 50%). Kiểm tra lại hoặc giải thích trong phần nội dung."
    ]


def test_what_changed_since_approval_names_the_row(
    opened: Campaign, commune: Unit, commune_officer: User, province_officer: User
) -> None:
    report = _complete(_report(opened, commune), commune_officer, province_officer)
    approval = report.events.get(kind=EventKind.APPROVED)
    assert approval.data["cells"][f"{TABLE}.truc-tiep"] == "3.00"
    services.report_reopen_request(actor=commune_officer, report=report, reason="Sai số.")
    services.report_reopen_decide(actor=province_officer, report=report, grant=True)
    services.report_save(
        actor=commune_officer, report=report, table_manual={TABLE: {"truc-tiep": "5"}}
    )
    report = selectors.report_get(user=commune_officer, public_id=report.public_id)
    changes = [(c.label, c.approved, c.now) for c in selectors.changes_since_approval(report)]
    assert changes == [("Hội nghị đối thoại theo hình thức — Trực tiếp", "3", "5")]


# -- the roll-up ------------------------------------------------------------------------------


@pytest.fixture
def both_approved(
    opened: Campaign,
    commune: Unit,
    sibling_commune: Unit,
    commune_officer: User,
    sibling_officer: User,
    province_officer: User,
) -> Report:
    """Both communes approved: 3 + 1 held directly, 1 + 2 online; the sibling overrode its
    cultural row (1 counted, 2 stated). Returns the province's report."""
    _complete(_report(opened, commune), commune_officer, province_officer)
    other = _report(opened, sibling_commune)
    services.report_save(
        actor=sibling_officer,
        report=other,
        table_overrides={BY_FIELD: {"van-hoa-xa-hoi": ("2", "Một mô hình nhập muộn.")}},
    )
    _complete(other, sibling_officer, province_officer, {"truc-tiep": "1", "truc-tuyen": "2"})
    return Report.objects.get(campaign=opened, unit__kind=UnitKind.PROVINCE)


def test_the_parent_adds_the_rows_up_by_the_tables_rule(
    both_approved: Report, template: ReportTemplate, commune: Unit, sibling_commune: Unit
) -> None:
    entry = rollup.rollup_of(both_approved)
    assert entry is not None
    manual = template.indicators.get(code=TABLE)
    by_field = template.indicators.get(code=BY_FIELD)
    # SUM: row by row.
    assert entry.cell_totals[manual.pk] == {"truc-tiep": 4, "truc-tuyen": 3}
    assert entry.table_rows(manual.pk) == [("truc-tiep", "Trực tiếp"), ("truc-tuyen", "Trực tuyến")]
    assert entry.table_total(manual.pk) == 7
    # RECOMPUTE: the province's own rows, counted over its subtree at its snapshot; the
    # children's sum beside it says where a child's figure differs from danvan's count.
    own = _values(both_approved, BY_FIELD)
    assert entry.cell_totals[by_field.pk] == own
    assert (own["kinh-te"], own["van-hoa-xa-hoi"]) == (2, 1)
    assert entry.cell_sums[by_field.pk]["van-hoa-xa-hoi"] == 2  # 0 + the sibling's 2
    assert entry.cell_disagrees(by_field.pk, "van-hoa-xa-hoi")
    assert not entry.cell_disagrees(by_field.pk, "kinh-te")
    lines = {line.report.unit_id: line for line in rollup.contributions(both_approved, entry)}
    assert (by_field.pk, "van-hoa-xa-hoi") in lines[sibling_commune.pk].cell_disagreements
    assert lines[commune.pk].cell_disagreements == frozenset()
    assert lines[sibling_commune.pk].cells[manual.pk] == {"truc-tiep": 1, "truc-tuyen": 2}


def test_count_distinct_counts_the_children_above_zero_per_row(
    both_approved: Report, template: ReportTemplate
) -> None:
    Indicator.objects.filter(template=template, code=TABLE).update(
        aggregation=Aggregation.COUNT_DISTINCT
    )
    entry = rollup.rollup_of(both_approved)
    assert entry is not None
    table = template.indicators.get(code=TABLE)
    assert entry.cell_totals[table.pk] == {"truc-tiep": 2, "truc-tuyen": 2}


def test_the_parent_fills_its_manual_table_from_its_children(
    both_approved: Report, province_officer: User
) -> None:
    services.report_fill_from_children(actor=province_officer, report=both_approved)
    assert _values(both_approved, TABLE) == {"truc-tiep": 4, "truc-tuyen": 3}


def test_restated_tables_add_up_under_todays_unit(
    both_approved: Report, regime: Regime, thai_nguyen: Unit, commune: Unit, province_officer: User
) -> None:
    # Under a commune: its own rows; under the province, the province's own report
    # (its communes are inside it, not added again).
    result = restated.restated(unit=commune, regime=regime, year=2026)
    table = next(t for t in result.tables if t.code == TABLE)
    assert result.cell_totals[table.pk] == {"truc-tiep": 3, "truc-tuyen": 1}
    assert result.row_labels[table.pk] == [("truc-tiep", "Trực tiếp"), ("truc-tuyen", "Trực tuyến")]
    assert all(i.code != TABLE for i in result.indicators)
    services.report_fill_from_children(actor=province_officer, report=both_approved)
    services.report_submit(actor=province_officer, report=both_approved, rule_reason="x")
    services.report_approve(
        actor=make_user("qt-tinh-2", Role.UNIT_ADMIN, thai_nguyen), report=both_approved
    )
    result = restated.restated(unit=thai_nguyen, regime=regime, year=2026)
    table = next(t for t in result.tables if t.code == TABLE)
    assert result.cell_totals[table.pk] == {"truc-tiep": 4, "truc-tuyen": 3}
    page = _client(province_officer).get(
        "/bao-cao/dot/quy-doi/",
        {"unit": thai_nguyen.code, "regime": str(regime.pk), "year": "2026"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="restated-table-{TABLE}"' in html
    assert '<th scope="row">Trực tuyến</th><td class="text-end fw-semibold">3</td>' in html


# -- the pages ----------------------------------------------------------------------------------


def _client(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_the_report_page_shows_the_tables_with_their_lists(
    opened: Campaign, commune: Unit, commune_officer: User
) -> None:
    report = _report(opened, commune)
    page = _client(commune_officer).get(report.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="table-{BY_FIELD}"' in html
    assert f'id="table-{TABLE}"' in html
    assert "Mô hình đăng ký theo lĩnh vực" in html  # the caption
    assert '<th scope="row">Kinh tế</th>' in html
    assert '<th scope="row">Trực tiếp</th>' in html
    # Each computed row opens the list of the entries it counts.
    query = get_table_query("movement_registered_by_field")
    assert query is not None
    url = query.records_url(commune, START, END, "kinh-te").replace("&", "&amp;")
    assert f'href="{url}"' in html
    # The inputs: an override and its reason per computed row, a figure per manual row.
    assert f'name="override-{BY_FIELD}.kinh-te"' in html
    assert f'name="reason-{BY_FIELD}.kinh-te"' in html
    assert f'name="manual-{TABLE}.truc-tuyen"' in html
    assert len(html.encode()) < 100_000


def test_a_refused_row_comes_back_with_what_was_typed(
    opened: Campaign, commune: Unit, commune_officer: User
) -> None:
    report = _report(opened, commune)
    client = _client(commune_officer)
    data = {
        f"manual-{TABLE}.truc-tiep": "hai",
        f"manual-{TABLE}.truc-tuyen": "1",
        f"override-{BY_FIELD}.kinh-te": "9",
        f"reason-{BY_FIELD}.kinh-te": "",
    }
    refused = client.post(report.get_absolute_url(), data)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "“hai” không phải là số" in html
    assert "ghi rõ lý do" in html
    assert 'value="hai"' in html  # what was typed is kept
    assert 'value="9"' in html
    assert f'href="#id_manual-{TABLE}.truc-tiep"' in html  # the summary links the box
    assert _values(report, TABLE) == {"truc-tiep": None, "truc-tuyen": None}
    data[f"manual-{TABLE}.truc-tiep"] = "2"
    data[f"reason-{BY_FIELD}.kinh-te"] = "Sổ theo dõi của xã."
    assert client.post(report.get_absolute_url(), data).status_code == 302
    assert _values(report, TABLE) == {"truc-tiep": 2, "truc-tuyen": 1}
    assert _values(report, BY_FIELD)["kinh-te"] == 9


def test_the_parents_page_adds_the_tables_up(both_approved: Report, province_officer: User) -> None:
    html = _client(province_officer).get(both_approved.get_absolute_url()).content.decode()
    assert f'id="rollup-table-{TABLE}"' in html
    assert f'id="children-table-{TABLE}"' in html
    assert f'id="rollup-table-{BY_FIELD}"' in html
    assert "khác số cấp dưới báo cáo" in html  # the cultural row: 1 counted, 2 added up


# -- the files ----------------------------------------------------------------------------------


def _rows_of(data: bytes) -> list[list[str]]:
    word = Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for t in word.tables for row in t.rows]


def test_the_word_file_holds_the_tables_in_place_and_their_rows_in_the_annex(
    both_approved: Report, province_officer: User, commune: Unit
) -> None:
    services.report_fill_from_children(actor=province_officer, report=both_approved)
    services.report_set_document(actor=province_officer, report=both_approved, **HEADER)
    both_approved.refresh_from_db()
    data = export.word(both_approved)
    assert_follows_layout(data, official_document(export.build(both_approved)))
    rows = _rows_of(data)
    # The manual table, row by row, its total last.
    assert ["1", "Trực tiếp", "4", ""] in rows
    assert ["2", "Trực tuyến", "3", ""] in rows
    assert ["", "Tổng cộng", "7", ""] in rows
    # The computed table: the province's own counts by field.
    assert ["1", "Kinh tế", "2", ""] in rows
    # The children's rows of each table, a column per row.
    assert any(r[1:] == [commune.name, "3", "1"] for r in rows)
    # The annex: every row with its code, its query and the records counted.
    annex = [r for r in rows if r[1].startswith(f"{BY_FIELD}.")]
    assert [r[1] for r in annex][:2] == [f"{BY_FIELD}.kinh-te", f"{BY_FIELD}.van-hoa-xa-hoi"]
    assert annex[0][3] == "movement_registered_by_field"
    assert (annex[0][5], annex[0][6]) == ("2", "2")
    manual = [r for r in rows if r[1] == f"{TABLE}.truc-tiep"]
    assert len(manual) == 1
    assert manual[0][7] == "đơn vị nhập"


def test_the_word_file_of_a_child_states_its_override(
    both_approved: Report, sibling_commune: Unit, sibling_officer: User
) -> None:
    child = _report(both_approved.campaign, sibling_commune)
    annex = {r[1]: r for r in _rows_of(export.word(_with_header(child, sibling_officer)))}
    row = annex[f"{BY_FIELD}.van-hoa-xa-hoi"]
    assert (row[5], row[6]) == ("2", "1")  # stated 2, counted 1
    assert row[7] == "điều chỉnh: Một mô hình nhập muộn."


def _with_header(report: Report, officer: User) -> Report:
    services.report_set_document(actor=officer, report=report, **HEADER)
    report.refresh_from_db()
    return report


def test_the_workbook_has_a_column_per_row(both_approved: Report, province_officer: User) -> None:
    services.report_fill_from_children(actor=province_officer, report=both_approved)
    data = b"".join(export.workbook(both_approved))
    book = load_workbook(io.BytesIO(data))
    province, communes = book["Tỉnh"], book["Xã"]
    heading = [c.value for c in next(province.iter_rows(max_row=1))]
    column = heading.index("Hội nghị đối thoại theo hình thức: Trực tiếp")
    assert heading[column + 1] == "Hội nghị đối thoại theo hình thức: Trực tuyến"
    assert "Mô hình đăng ký theo lĩnh vực: Kinh tế" in heading
    assert [c.value for c in next(province.iter_rows(min_row=3, max_row=3))][column] == 4
    stated = sorted(row[column] for row in communes.iter_rows(min_row=3, values_only=True))
    assert stated == [1, 3]


def test_the_background_export_still_writes_the_files(
    both_approved: Report, province_officer: User
) -> None:
    # The zip's writer reads the report afresh (no prefetched rows): the same tables.
    fresh = Report.objects.select_related("unit", "campaign").get(pk=both_approved.pk)
    services.report_set_document(actor=province_officer, report=fresh, **HEADER)
    fresh.refresh_from_db()
    assert any(r[1] == "Trực tiếp" for r in _rows_of(export.word(fresh)))
