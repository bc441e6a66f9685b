"""Issue 13, "done when": a half-year report campaign followed to the end, in a real browser.

The province's unit administrator opens the State half-year campaign of 2026 (Decree
09/2019/NĐ-CP art. 12: data period 15/12/2025 – 14/06/2026); two communes' drafts show
the figures already in the system (entries of "Dân vận khéo", citizens' cases); one
submits, the other is returned with a message, corrects a figure and resubmits; the
province approves both, its report adds them up, a computed figure opens the list it
counts, and the report downloads as a Word file in the State layout (Decree
30/2020/NĐ-CP), checked with python-docx and the layout checker.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document
from docx.oxml.ns import qn

from danvan.accounts.models import Role
from danvan.accounts.services import grant_create, user_create
from danvan.cases import services as case_services
from danvan.cases.identity import Identity
from danvan.cases.models import Channel
from danvan.legal.layoutcheck import assert_follows_layout, check_docx
from danvan.legal.layouts import layout_for
from danvan.movement import services as movement_services
from danvan.movement.models import Entry, Field
from danvan.reports.campaigns import export
from danvan.reports.campaigns.models import Campaign, Report, ReportStatus
from danvan.reports.exports.word import official_document
from danvan.reports.indicators import get_query, get_table_query
from danvan.reports.models import IndicatorKind, Regime, Source
from danvan.units.models import Unit

from .test_movement_flow import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
REGIME = "nd09-6-thang-dan-chu-co-so"
YEAR = 2026
START, END = dt.date(2025, 12, 15), dt.date(2026, 6, 14)
# The Monday after the cut-off (Sunday 14/06/2026): the communes' reports are due on
# Tuesday 16/06 (two working days), the province's on Friday 19/06 (five).
TODAY = dt.date(2026, 6, 15)
RETURN_MESSAGE = "Số buổi tiếp công dân chưa khớp sổ tiếp công dân; đề nghị xã kiểm tra lại."
# The manual figures each commune types (indicator code → figure); the second commune's
# reception sessions are corrected from 5 to 7 after the return.
FIRST = {"van-ban-chi-dao": 4, "buoi-tiep-cong-dan": 6, "hoi-nghi-doi-thoai": 2, "cuoc-kiem-tra": 1}
SECOND = {
    "van-ban-chi-dao": 3,
    "buoi-tiep-cong-dan": 5,
    "hoi-nghi-doi-thoai": 1,
    "cuoc-kiem-tra": 2,
}
CORRECTED = 7
# The shipped templates' table indicator (reports migration 0005): entries by field.
TABLE = "mo-hinh-theo-linh-vuc"
NUMBER = "125/BC-UBND"
# The province report's document, as typed in its "Văn bản báo cáo" form (label → text).
DOCUMENT = {
    "Số, ký hiệu văn bản": f"Số: {NUMBER}",
    "Cơ quan ban hành": "Ủy ban nhân dân tỉnh Thái Nguyên",
    "Địa danh": "Thái Nguyên",
    "Quyền hạn ký": "TM. ỦY BAN NHÂN DÂN",
    "Chức vụ người ký": "Chủ tịch",
    "Họ tên người ký": "Nguyễn Văn An",
    "Nơi nhận": "- Bộ Nội vụ;\n- Lưu: VT.",
}


@pytest.fixture
def frozen() -> Iterator[Any]:
    # tick: the live server's requests still see time pass (sessions, CSRF, timestamps).
    at = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=HCM)
    with time_machine.travel(at, tick=True) as traveller:
        yield traveller


def _post(page: Any, button: Any) -> None:
    """Press a form's *button* and wait for the answer; a form sent back (HTTP 400, the
    error summary or a field's message) fails with what it says."""
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()
    refused = page.locator("#error-summary, .invalid-feedback, .alert-danger").all()
    shown = [r.inner_text() for r in refused if r.is_visible()]
    assert not shown, f"{page.url}: {shown}"


def _entry(unit: Unit, **milestones: dt.date) -> Entry:
    """A movement entry with its milestone dates (what the movement queries count)."""
    made = movement_services.entry_create(
        actor=None,
        unit=unit,
        kind="initiative",
        name=f"Mô hình dân vận khéo {Entry.objects.count() + 1}",
        field=Field.objects.get(code="kinh-te"),
        registration_year=YEAR,
    )
    Entry.objects.filter(pk=made.pk).update(**milestones)
    return made


def _case(officer: Any, unit: Unit, received_on: dt.date) -> None:
    case_services.case_receive(
        actor=officer,
        unit=unit,
        kind="feedback",
        channel=Channel.LETTER,
        subject="Đường liên thôn xuống cấp",
        content="Đoạn đường từ thôn 3 đến thôn 5 có nhiều ổ gà.",
        sender=Identity(full_name="Trần Thị Bình", phone="0987000111"),
        received_on=received_on,
    )


def _user(username: str, role: str, unit: Unit) -> Any:
    user = user_create(actor=None, username=username, password=PASSWORD, full_name=username)
    grant_create(actor=None, user=user, role=role, unit=unit)
    return user


def _row(page: Any, table: str, label: str) -> Any:
    """The row of *table* (an id) whose header is *label*."""
    row = page.locator(f"#{table} tbody tr").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )
    assert row.count() == 1, (table, label, page.url)
    return row


def _table_row(page: Any, code: str, label: str) -> list[str]:
    """The cells of a table indicator's row of *label*: computed figure, typed figure,
    reason, reported figure."""
    return [t.strip() for t in _row(page, f"table-{code}", label).locator("td").all_inner_texts()]


def _values_row(page: Any, label: str) -> list[str]:
    """The cells of the values table's row of *label*: unit of measure, computed figure,
    typed figure (an input while editable), reason, reported figure."""
    return [t.strip() for t in _row(page, "values", label).locator("td").all_inner_texts()]


def _open_own_report(page: Any, campaign: Campaign) -> None:
    """From the campaigns' list, the campaign's board, then the unit's own report."""
    page.goto("/bao-cao/dot/")
    page.locator("#campaigns").get_by_role("link", name=campaign.title).click()
    page.wait_for_url(f"**{campaign.get_absolute_url()}")
    page.locator("#own-reports a").first.click()
    page.wait_for_url(re.compile(r"/bao-cao/dot/bao-cao/[0-9a-f-]{36}/$"))


def _type_figures(page: Any, figures: dict[str, int], narrative: str) -> None:
    for code, value in figures.items():
        page.locator(f"[name='manual-{code}']").fill(str(value))
    page.locator("#report-form textarea").first.fill(narrative)
    _post(page, page.locator("#report-form").get_by_role("button", name="Lưu bản nháp"))


def _submit(page: Any) -> None:
    _post(page, page.locator("#submit-form").get_by_role("button", name="Gửi báo cáo lên cấp trên"))
    assert "/gui/" not in page.url, page.url


def _docx_texts(data: bytes) -> tuple[list[str], list[str]]:
    """The paragraphs' texts, and each table row's cells joined by " | " (every table,
    nested ones included: the heading and signature are borderless tables)."""
    word = Document(io.BytesIO(data))
    paragraphs = [p.text for p in word.paragraphs]
    rows = []
    for tr in word.element.body.iter(qn("w:tr")):
        rows.append(
            " | ".join(
                "".join(t.text or "" for t in tc.iter(qn("w:t")))
                for tc in tr.iterchildren(qn("w:tc"))
            )
        )
    return paragraphs, rows


def test_a_half_year_campaign_from_opening_to_the_word_file(new_page: Any, frozen: Any) -> None:
    # -- setup, in Python ----------------------------------------------------------------
    province = Unit.objects.get(code="19")
    first, second = Unit.objects.filter(parent=province).order_by("code")[:2]
    admin = _user("tinh-quantri", Role.UNIT_ADMIN, province)
    TOTPDevice.objects.create(user=admin, name="default", confirmed=True)  # admins: 2FA
    _user("tinh-canbo", Role.OFFICER, province)
    first_officer = _user("xa1-canbo", Role.OFFICER, first)
    second_officer = _user("xa2-canbo", Role.OFFICER, second)
    # What the system already holds in the period: entries registered (one recognized),
    # cases received; and one entry and one case before the period, not counted.
    _entry(first, registered_on=dt.date(2026, 1, 10))
    _entry(first, registered_on=dt.date(2026, 3, 2), recognized_on=dt.date(2026, 5, 20))
    _entry(first, registered_on=dt.date(2026, 6, 14))
    _entry(first, registered_on=dt.date(2025, 12, 14))  # the day before the period
    _entry(second, registered_on=dt.date(2025, 12, 15))
    _entry(second, registered_on=dt.date(2026, 4, 8))
    _case(first_officer, first, dt.date(2026, 2, 3))
    _case(first_officer, first, dt.date(2026, 5, 11))
    _case(second_officer, second, dt.date(2026, 6, 1))
    _case(second_officer, second, dt.date(2025, 11, 30))  # before the period
    registered = {first: 3, second: 2}
    received = {first: 2, second: 1}
    regime = Regime.objects.get(code=REGIME)
    template = regime.templates.get(version=1, active=True)
    indicators = {i.code: i for i in template.indicators.all()}
    manual_codes = {c for c, i in indicators.items() if i.source == Source.MANUAL}
    assert manual_codes == set(FIRST) == set(SECOND), manual_codes  # the seed's manual ones

    # -- the province's administrator opens the campaign ----------------------------------
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, admin.username)
    page.goto("/bao-cao/dot/")
    page.get_by_role("link", name="Mở đợt báo cáo").click()
    page.wait_for_url("**/bao-cao/dot/mo/")
    page.get_by_label("Chế độ báo cáo").select_option(str(regime.pk))
    page.get_by_label("Mẫu báo cáo").select_option(str(template.pk))
    page.get_by_label("Năm báo cáo").fill(str(YEAR))
    combobox = page.get_by_role("combobox", name="Đơn vị mở đợt")
    combobox.click()
    combobox.press_sequentially("thai nguyen", delay=20)
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    listbox.locator(f"[role='option'][data-code='{province.code}']").click()
    assert page.locator("input[name='owner_unit_pick']").input_value() == province.code
    _post(page, page.get_by_role("button", name="Mở đợt", exact=True))
    campaign = Campaign.objects.get(template=template, year=YEAR, owner_unit=province)
    assert (campaign.period_start, campaign.period_end) == (START, END)
    assert page.url.endswith(campaign.get_absolute_url())
    reports = {r.unit_id: r for r in Report.objects.filter(campaign=campaign)}
    # Every commune of the province and the province itself report (the form picks no
    # units: the regime's levels decide).
    assert {first.pk, second.pk, province.pk} <= set(reports)
    assert reports[first.pk].due_date == dt.date(2026, 6, 16)
    assert reports[province.pk].due_date == dt.date(2026, 6, 19)

    # -- each commune: the figures in the system, the typed ones, the narrative, submit ----
    communes = {}
    for unit, username, figures in (
        (first, first_officer.username, FIRST),
        (second, second_officer.username, SECOND),
    ):
        commune_page = new_page()
        login(commune_page, username)
        _open_own_report(commune_page, campaign)
        assert commune_page.url.endswith(reports[unit.pk].get_absolute_url())
        shown = _values_row(commune_page, indicators["mo-hinh-dang-ky"].label)
        assert shown[1] == str(registered[unit]), shown
        shown = _values_row(commune_page, indicators["vu-viec-tiep-nhan"].label)
        assert shown[1] == str(received[unit]), shown
        # Every computed figure is what its query counts over the unit in the period.
        for code, indicator in indicators.items():
            if indicator.source != Source.COMPUTED or indicator.kind == IndicatorKind.TABLE:
                continue
            query = get_query(indicator.query)
            assert query is not None, indicator.query
            counted = query.compute(unit, START, END)
            assert _values_row(commune_page, indicator.label)[1] == str(counted), code
        # The table by field: a row per field, each what its table query counts, the
        # economic row holding every entry here; its total the figure it details.
        by_field = get_table_query(indicators[TABLE].query)
        assert by_field is not None
        by_row = by_field.compute(unit, START, END)
        for field in Field.objects.filter(is_active=True):
            cells = _table_row(commune_page, TABLE, field.name)
            assert cells[0] == str(by_row.get(field.code, 0)), (field.code, cells)
        assert by_row == {"kinh-te": registered[unit]}
        total = commune_page.locator(f"#table-{TABLE} tfoot [data-total]").inner_text()
        assert total.strip() == str(registered[unit])
        _type_figures(
            commune_page, figures, f"{unit.name} đã ban hành kế hoạch thực hiện dân chủ ở cơ sở."
        )
        assert _values_row(commune_page, indicators["buoi-tiep-cong-dan"].label)[-1] == str(
            figures["buoi-tiep-cong-dan"]
        )
        _submit(commune_page)
        communes[unit.pk] = commune_page
    for unit in (first, second):
        reports[unit.pk].refresh_from_db()
        assert reports[unit.pk].status == ReportStatus.SUBMITTED, unit

    # -- the province's officer returns the second, approves the first -------------------
    officer = new_page()
    login(officer, "tinh-canbo")

    def review(report: Report, button: str, message: str = "") -> None:
        officer.goto(report.get_absolute_url())
        if message:
            # The return form's own box, by its label (each form names its ids).
            officer.get_by_label("Nội dung cần bổ sung, sửa").fill(message)
        _post(officer, officer.locator("#review").get_by_role("button", name=button, exact=True))
        assert officer.url.endswith(report.get_absolute_url()), officer.url

    review(reports[second.pk], "Trả lại", RETURN_MESSAGE)
    review(reports[first.pk], "Duyệt và khóa báo cáo")
    reports[second.pk].refresh_from_db()
    assert reports[second.pk].status == ReportStatus.RETURNED

    # -- the second commune reads the message, corrects a figure, resubmits ---------------
    commune_page = communes[second.pk]
    commune_page.goto(reports[second.pk].get_absolute_url())
    assert RETURN_MESSAGE in commune_page.locator("#events").inner_text()
    assert "Bị trả lại" in commune_page.locator("#report-summary").inner_text()
    corrected = {**SECOND, "buoi-tiep-cong-dan": CORRECTED}
    _type_figures(commune_page, corrected, "Đã đối chiếu sổ tiếp công dân: 7 buổi.")
    _submit(commune_page)
    review(reports[second.pk], "Duyệt và khóa báo cáo")
    for unit in (first, second):
        reports[unit.pk].refresh_from_db()
        assert reports[unit.pk].status == ReportStatus.APPROVED, unit

    # -- the province's report adds them up ----------------------------------------------
    own = reports[province.pk]
    officer.goto(own.get_absolute_url())
    sessions = _row(officer, "rollup-totals", indicators["buoi-tiep-cong-dan"].label)
    cells = [t.strip() for t in sessions.locator("td").all_inner_texts()]
    expected_sessions = FIRST["buoi-tiep-cong-dan"] + CORRECTED
    # (rule, the children's sum, the total)
    assert cells[1:] == [str(expected_sessions), str(expected_sessions)], cells
    entries_row = _row(officer, "rollup-totals", indicators["mo-hinh-dang-ky"].label)
    cells = [t.strip() for t in entries_row.locator("td").all_inner_texts()]
    assert cells[1:] == [str(sum(registered.values()))] * 2, cells  # recounted = added up
    children = officer.locator("#children tbody tr")
    for unit in (first, second):
        line = children.filter(has=officer.get_by_role("link", name=unit.name, exact=True))
        assert line.count() == 1, unit.name
        assert "chưa cộng" not in line.inner_text()

    # The officer types the children's totals into the province's adding figures.
    _post(officer, officer.get_by_role("button", name=re.compile("^Điền số liệu tổng hợp")))
    assert officer.url.endswith(own.get_absolute_url()), officer.url
    for code in manual_codes:
        label = indicators[code].label
        want = FIRST[code] + (CORRECTED if code == "buoi-tiep-cong-dan" else SECOND[code])
        assert _values_row(officer, label)[-1] == str(want), (code, _values_row(officer, label))

    # The table by field adds up row by row (recounted over the province's subtree).
    economy = _row(officer, f"rollup-table-{TABLE}", "Kinh tế")
    cells = [t.strip() for t in economy.locator("td").all_inner_texts()]
    assert cells == [str(sum(registered.values()))] * 2, cells  # the children's sum, the total
    # A row of the table opens the list it counts, like a figure.
    link = _row(officer, f"table-{TABLE}", "Kinh tế").locator("td a").first
    assert link.inner_text().strip() == str(sum(registered.values()))
    assert "field=kinh-te" in (link.get_attribute("href") or "")

    # A computed figure opens the list it counts: as many entries as the figure says.
    label = indicators["mo-hinh-dang-ky"].label
    link = _row(officer, "values", label).locator("td a").first
    assert link.inner_text().strip() == str(sum(registered.values()))
    link.click()
    officer.wait_for_url(re.compile(r"/dan-van-kheo/"))
    count = officer.locator("#entry-count").inner_text()
    assert count.strip().startswith(f"{sum(registered.values())} mô hình"), count
    listed = officer.locator("#entries-table tbody tr")
    assert listed.count() == sum(registered.values())
    for entry in Entry.objects.filter(registered_on__range=(START, END)):
        assert officer.get_by_role("link", name=entry.name, exact=True).count() == 1, entry.name

    # -- the Word file --------------------------------------------------------------------
    # First the document's heading, number and signer ("Văn bản báo cáo"), then the file.
    officer.goto(own.get_absolute_url())
    document = officer.locator("#document-form")
    for label, text in DOCUMENT.items():
        document.get_by_label(label, exact=True).fill(text)
    _post(officer, document.get_by_role("button", name="Lưu thông tin văn bản"))
    with officer.expect_download() as download_info:
        officer.locator("#download-word").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    with open(download.path(), "rb") as handle:
        data = handle.read()
    paragraphs, rows = _docx_texts(data)
    word = Document(io.BytesIO(data))
    left = [p.text.strip() for p in word.tables[0].rows[0].cells[0].paragraphs]
    # The heading: the issuer as typed, in capitals, and the number line.
    assert "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN" in left, left
    assert f"Số: {NUMBER}" in left, left
    assert "BÁO CÁO" in paragraphs
    # The figures: the province's reception sessions, the two communes' added up, in its
    # section's table (STT | indicator | unit | this period | …); each commune's line.
    sessions_label = indicators["buoi-tiep-cong-dan"].label
    assert any(f" | {sessions_label} | buổi | {expected_sessions} | " in r for r in rows), [
        r for r in rows if sessions_label in r
    ]
    for unit in (first, second):
        assert any(r.split(" | ")[1:2] == [unit.name] for r in rows), unit.name
    # The annex, after the signature: each computed figure's source query by its name.
    assert "PHỤ LỤC: NGUỒN SỐ LIỆU CỦA CÁC CHỈ TIÊU" in paragraphs
    annex = [r for r in rows if " | movement_registered | " in r]
    assert len(annex) == 1, rows[-15:]
    assert f" | {sum(registered.values())} | " in annex[0], annex
    assert any(" | cases_received | " in r for r in rows)
    # The table by field in its section, row by row with its total; each of its rows in
    # the annex with the table query and the records counted.
    total = sum(registered.values())
    assert any(r.endswith(f" | Kinh tế | {total} | ") for r in rows), [
        r for r in rows if "Kinh tế" in r
    ]
    assert f" | Tổng cộng | {total} | " in rows
    annex = [r for r in rows if r.split(" | ")[1:2] == [f"{TABLE}.kinh-te"]]
    assert len(annex) == 1, annex
    assert f" | movement_registered_by_field | mô hình | {total} | {total} | " in annex[0]
    # The layout (Decree 30/2020/NĐ-CP as legal/layouts.py holds it): page, margins,
    # fonts, heading, number line, place and date, title, body, signature and annex.
    own.refresh_from_db()
    assert_follows_layout(data, official_document(export.build(own)))
    problems = check_docx(
        data,
        layout_for("state", TODAY),
        number=NUMBER,
        doc_type_title="BÁO CÁO",
        place=DOCUMENT["Địa danh"],
        issued_on=TODAY,
    )
    assert not problems, problems
    assert not errors, errors
