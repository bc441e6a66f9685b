"""Table indicators through the reports API: a report's values carry each table with its
rows (and each computed row's records list), a manual table's rows are typed and a
computed row overridden through the same service and policies as the page, every
refusal a problem+json naming the row's field, and a parent's roll-up adds the rows up.

The fixtures are the campaigns tests' own (frozen on Monday 15/06/2026); F811 is off
because the test arguments of the same names are those fixtures.
"""

# ruff: noqa: F811

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from danvan.accounts.models import User
from danvan.reports.campaigns.models import Campaign, Report, ReportCell
from danvan.reports.campaigns.tests.conftest import (  # noqa: F401 (fixtures)
    _frozen,
    commune_officer,
    province_admin,
    province_officer,
    regime,
    sibling_officer,
    template,
)
from danvan.reports.campaigns.tests.test_tables import (  # noqa: F401 (fixtures)
    BY_FIELD,
    TABLE,
    both_approved,
    manual_table,
    opened,
)
from danvan.reports.indicators import get_table_query
from danvan.reports.models import ReportTemplate
from danvan.units.models import Unit

from .helpers import assert_problem, bearer

pytestmark = pytest.mark.django_db

BASE = "/api/v1/reports"


def _url(report: Report, action: str = "") -> str:
    return f"{BASE}/{report.public_id}" + (f"/{action}" if action else "")


def _send(user: User, url: str, body: dict[str, Any], method: str = "patch") -> Any:
    call = getattr(Client(), method)
    return call(url, body, content_type="application/json", headers=bearer(user))


def _get(user: User, url: str) -> Any:
    return Client().get(url, headers=bearer(user))


def _mine(campaign: Campaign, unit: Unit) -> Report:
    return Report.objects.get(campaign=campaign, unit=unit)


def test_a_reports_values_carry_its_tables(
    opened: Campaign, commune: Unit, commune_officer: User
) -> None:
    report = _mine(opened, commune)
    response = _get(commune_officer, _url(report))
    assert response.status_code == 200, response.content
    values = {v["indicator"]: v for v in response.json()["values"]}
    assert values["mo-hinh-dang-ky"]["kind"] == "number"
    assert values["mo-hinh-dang-ky"]["cells"] == []
    table = values[BY_FIELD]
    assert table["kind"] == "table"
    assert table["source"] == "computed"
    rows = {c["row"]: c for c in table["cells"]}
    assert Decimal(rows["kinh-te"]["computed"]) == 2
    assert rows["kinh-te"]["label"] == "Kinh tế"
    query = get_table_query("movement_registered_by_field")
    assert query is not None
    campaign = report.campaign
    assert rows["kinh-te"]["records_url"] == query.records_url(
        commune, campaign.period_start, campaign.period_end, "kinh-te"
    )
    assert Decimal(table["value"]) == 2  # the table's total
    # In the template's order: the table right after the figures it details.
    codes = [v["indicator"] for v in response.json()["values"]]
    assert codes.index(BY_FIELD) == codes.index("mo-hinh-tieu-bieu") + 1
    manual = values[TABLE]
    assert [c["row"] for c in manual["cells"]] == ["truc-tiep", "truc-tuyen"]
    assert manual["value"] is None


def test_rows_are_typed_and_overridden(
    opened: Campaign, commune: Unit, commune_officer: User
) -> None:
    report = _mine(opened, commune)
    body = {
        "table_manual": [
            {"indicator": TABLE, "row": "truc-tiep", "value": "2"},
            {"indicator": TABLE, "row": "truc-tuyen", "value": 0},
        ],
        "table_overrides": [
            {"indicator": BY_FIELD, "row": "kinh-te", "value": 3, "reason": "Sổ của xã."}
        ],
    }
    response = _send(commune_officer, _url(report, "values"), body)
    assert response.status_code == 200, response.content
    values = {v["indicator"]: v for v in response.json()["values"]}
    assert {c["row"]: Decimal(c["value"]) for c in values[TABLE]["cells"]} == {
        "truc-tiep": 2,
        "truc-tuyen": 0,
    }
    row = next(c for c in values[BY_FIELD]["cells"] if c["row"] == "kinh-te")
    assert (Decimal(row["override"]), row["override_reason"]) == (3, "Sổ của xã.")


def test_bad_rows_answer_400_and_write_nothing(
    opened: Campaign, commune: Unit, commune_officer: User, province_officer: User
) -> None:
    report = _mine(opened, commune)
    body = {
        "table_manual": [
            {"indicator": TABLE, "row": "truc-tiep", "value": "hai"},
            {"indicator": TABLE, "row": "truc-tuyen", "value": "1"},
        ],
        "table_overrides": [{"indicator": BY_FIELD, "row": "kinh-te", "value": "5"}],
    }
    problem = assert_problem(
        _send(commune_officer, _url(report, "values"), body), 400, "campaign_bad_value"
    )
    assert {e["field"]: e["code"] for e in problem["errors"]} == {
        f"manual-{TABLE}.truc-tiep": "campaign_bad_value",
        f"reason-{BY_FIELD}.kinh-te": "campaign_no_reason",
    }
    assert not ReportCell.objects.filter(report=report, manual__isnull=False).exists()
    assert not ReportCell.objects.filter(report=report, override__isnull=False).exists()
    # The level above reads the rows but does not type them.
    good = {"table_manual": [{"indicator": TABLE, "row": "truc-tiep", "value": "1"}]}
    problem = assert_problem(
        _send(province_officer, _url(report, "values"), good), 403, "permission_denied"
    )
    assert "không sửa thay" in problem["detail"]
    assert not ReportCell.objects.filter(report=report, manual__isnull=False).exists()


def test_the_template_lists_a_manual_tables_rows(
    manual_table: Any, template: ReportTemplate, commune_officer: User
) -> None:
    response = _get(commune_officer, f"{BASE}/templates/{template.pk}")
    assert response.status_code == 200, response.content
    indicators = {i["code"]: i for i in response.json()["indicators"]}
    assert indicators[TABLE]["kind"] == "table"
    assert indicators[TABLE]["rows"] == [
        {"row": "truc-tiep", "label": "Trực tiếp"},
        {"row": "truc-tuyen", "label": "Trực tuyến"},
    ]
    assert indicators[BY_FIELD]["rows"] == []
    assert (
        indicators[BY_FIELD]["query_label"] == "Mô hình, điển hình đăng ký trong kỳ theo lĩnh vực"
    )


def test_a_parents_rollup_adds_the_rows_up(
    both_approved: Report, province_officer: User, sibling_commune: Unit
) -> None:
    response = _get(province_officer, _url(both_approved))
    assert response.status_code == 200, response.content
    rolled = response.json()["rollup"]
    totals = {t["indicator"]: t for t in rolled["totals"]}
    manual = totals[TABLE]
    assert manual["kind"] == "table"
    assert {r["row"]: Decimal(r["total"]) for r in manual["rows"]} == {
        "truc-tiep": 4,
        "truc-tuyen": 3,
    }
    assert Decimal(manual["total"]) == 7
    by_field = {r["row"]: r for r in totals[BY_FIELD]["rows"]}
    assert by_field["van-hoa-xa-hoi"]["disagrees"] is True
    assert totals[BY_FIELD]["disagrees"] is True
    sibling = next(c for c in rolled["children"] if c["unit"]["code"] == sibling_commune.code)
    cells = {v["indicator"]: v for v in sibling["values"]}[BY_FIELD]["cells"]
    assert {c["row"]: c["disagrees"] for c in cells}["van-hoa-xa-hoi"] is True
