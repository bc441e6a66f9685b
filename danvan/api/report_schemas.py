"""What the periodic-reports API reads in and writes out (routes in reports.py).

Field names are English snake_case like the rest of the API; the labels beside codes
(``status_label``, ``frequency_label`` …) are the Vietnamese ones the pages show.
Figures are decimals (18 digits, 2 after the point), written as JSON strings ("12.50")
as elsewhere in the API, so that no client rounds them through a float.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from danvan.api.text_limits import LongText
from danvan.reports.campaigns.models import Campaign, CampaignStatus

from .schemas import UnitRef

# A figure as a client sends it: a JSON number, or a string as a person types it ("12,5");
# the service parses both and refuses a bad one in Vietnamese. Empty or null: no figure.
FigureIn = Decimal | Annotated[str, Field(max_length=40)] | None
# One body entry per indicator or section: more than a template ever has is refused.
_MAX_ITEMS = 200

# -- regimes and templates ---------------------------------------------------------------


class RegimeFilters(Schema):
    year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="Năm báo cáo để tính kỳ số liệu và hạn gửi; mặc định năm nay.",
    )


class DeadlineOut(Schema):
    unit_kind: str
    unit_kind_label: str
    working_days: int = Field(description="Số ngày làm việc sau ngày chốt số liệu.")
    due_date: dt.date = Field(description="Hạn gửi báo cáo của năm được hỏi.")


class TemplateRef(Schema):
    id: int
    name: str
    version: int
    effective_from: dt.date
    active: bool


class RegimeOut(Schema):
    code: str
    name: str
    issuer_kind: str
    issuer_kind_label: str
    frequency: str
    frequency_label: str
    year: int = Field(description="Năm báo cáo của kỳ số liệu và các hạn gửi dưới đây.")
    period_start: dt.date = Field(description="Kỳ số liệu từ ngày.")
    period_end: dt.date = Field(description="Ngày chốt số liệu.")
    citation: str
    to_verify: bool = Field(description="Chế độ chưa được đối chiếu với văn bản gốc.")
    deadlines: list[DeadlineOut]
    templates: list[TemplateRef]


class RegimeDetailOut(RegimeOut):
    content: str
    reporters: str
    receivers: str
    sending_method: str
    note: str


class RegimeRef(Schema):
    code: str
    name: str


class SectionOut(Schema):
    id: int
    order: int
    title: str
    guidance: str


class TableRowRef(Schema):
    row: str = Field(description="Mã dòng (ổn định: mã lĩnh vực, loại vụ việc …).")
    label: str


class IndicatorOut(Schema):
    id: int
    order: int
    code: str
    label: str
    section_id: int | None
    unit_of_measure: str
    kind: str
    source: str = Field(description="computed (tính từ dữ liệu danvan) hoặc manual (đơn vị nhập).")
    query: str = Field(description="Truy vấn tính số liệu (chỉ tiêu computed).")
    query_label: str
    aggregation: str = Field(description="sum, count_distinct, recompute hoặc none.")
    aggregation_label: str
    rows: list[TableRowRef] = Field(
        description="Các dòng của bảng do đơn vị nhập (bảng tính từ dữ liệu: dòng theo truy vấn)."
    )
    allow_negative: bool
    outlier_pct: int | None = Field(
        description="Cảnh báo khi chênh lệch so với kỳ trước quá tỷ lệ này (%)."
    )


class RuleOut(Schema):
    id: int
    left: str = Field(description="Mã chỉ tiêu vế trái.")
    operator: str = Field(description="le, lt, eq hoặc ge.")
    operator_label: str
    right: str = Field(description="Mã chỉ tiêu vế phải.")
    message: str


class TemplateOut(TemplateRef):
    regime: RegimeRef
    sections: list[SectionOut]
    indicators: list[IndicatorOut]
    rules: list[RuleOut]


# -- campaigns ---------------------------------------------------------------------------


class CampaignFilters(Schema):
    status: CampaignStatus | None = Field(
        None, description="open (đang nhận báo cáo) hoặc closed (đã kết thúc)."
    )
    year: int | None = Field(None, ge=2000, le=2100, description="Năm báo cáo.")


class CampaignFields(Schema):
    public_id: uuid.UUID
    title: str
    regime: RegimeRef
    template_id: int
    year: int
    period_number: int = Field(description="Kỳ trong năm (1; quý hoặc tháng).")
    period_start: dt.date
    period_end: dt.date
    owner_unit: UnitRef
    status: str
    status_label: str
    closed_at: dt.datetime | None


class CampaignOut(CampaignFields):
    """A campaign read from a row of selectors.campaign_list (the list)."""

    expected: int = Field(description="Số báo cáo phải gửi trong đợt.")

    @staticmethod
    def resolve_status_label(obj: Campaign) -> str:
        return str(obj.get_status_display())


class BoardRowOut(Schema):
    unit: UnitRef | None
    expected: int
    submitted: int
    on_time: int
    late: int = Field(description="Gửi sau hạn, hoặc chưa gửi mà đã quá hạn.")
    returned: int
    approved: int
    reporting_pct: float = Field(description="Tỷ lệ đã gửi (%).")
    on_time_pct: float = Field(description="Tỷ lệ gửi đúng hạn (%).")


class BoardOut(Schema):
    root: UnitRef
    total: BoardRowOut
    rows: list[BoardRowOut] = Field(
        description="Theo từng đơn vị trực thuộc đơn vị gốc (báo cáo của chính đơn vị gốc"
        " đứng đầu)."
    )


class ReportRef(Schema):
    public_id: uuid.UUID
    unit: UnitRef
    status: str
    status_label: str
    due_date: dt.date
    submitted_at: dt.datetime | None


class CampaignDetailOut(CampaignFields):
    board: BoardOut
    reports: list[ReportRef] = Field(description="Báo cáo của các đơn vị thuộc đơn vị gốc.")
    own_reports: list[ReportRef] = Field(description="Báo cáo do đơn vị của bạn soạn.")
    may_close: bool


# -- one report --------------------------------------------------------------------------


class CampaignRef(Schema):
    public_id: uuid.UUID
    title: str
    year: int
    period_start: dt.date
    period_end: dt.date
    is_open: bool


class CellOut(Schema):
    """One row of a table indicator."""

    row: str = Field(description="Mã dòng.")
    label: str
    computed: Decimal | None = Field(description="Số liệu tính của dòng, chốt khi mở đợt.")
    manual: Decimal | None = Field(description="Số liệu đơn vị nhập (bảng đơn vị nhập).")
    override: Decimal | None = Field(description="Số liệu điều chỉnh thay số liệu tính.")
    override_reason: str
    value: Decimal | None = Field(description="Số liệu báo cáo của dòng.")
    records_url: str = Field(description="Danh sách hồ sơ được đếm ở dòng này (bảng tính).")


class ValueOut(Schema):
    indicator: str = Field(description="Mã chỉ tiêu.")
    label: str
    unit_of_measure: str
    section_id: int | None
    kind: str = Field(description="number (số liệu) hoặc table (bảng: xem `cells`).")
    source: str
    computed: Decimal | None = Field(description="Số liệu tính, chốt khi mở đợt (hoặc cập nhật).")
    manual: Decimal | None = Field(description="Số liệu đơn vị nhập.")
    override: Decimal | None = Field(description="Số liệu điều chỉnh thay số liệu tính.")
    override_reason: str
    value: Decimal | None = Field(
        description="Số liệu báo cáo: số điều chỉnh, nếu không thì số tính, nếu không thì số"
        " nhập; với bảng: tổng các dòng."
    )
    records_url: str = Field(description="Danh sách hồ sơ được đếm (chỉ tiêu computed).")
    cells: list[CellOut] = Field(description="Các dòng của chỉ tiêu dạng bảng (số liệu: rỗng).")


class NarrativeOut(Schema):
    section_id: int
    title: str
    guidance: str
    text: str


class ReportEventOut(Schema):
    kind: str
    kind_label: str
    actor: str | None
    at: dt.datetime
    message: str


class WarningOut(Schema):
    code: str = Field(description="rule (quy tắc kiểm tra) hoặc outlier (chênh lệch kỳ trước).")
    message: str


class ChangeOut(Schema):
    label: str
    approved: str
    now: str


class RowTotalOut(Schema):
    row: str
    label: str
    total: Decimal | None = Field(description="Tổng hợp của dòng theo cách tổng hợp của bảng.")
    sum: Decimal | None = Field(description="Tổng dòng này của các báo cáo cấp dưới đã duyệt.")
    disagrees: bool = Field(description="Số tự tính của cấp trên khác tổng của cấp dưới.")


class TotalOut(Schema):
    indicator: str
    kind: str = Field(description="number hoặc table (từng dòng ở `rows`).")
    total: Decimal | None = Field(description="Tổng hợp theo cách tổng hợp của chỉ tiêu.")
    sum: Decimal | None = Field(description="Tổng số liệu các báo cáo cấp dưới đã duyệt.")
    disagrees: bool = Field(description="Số tự tính của cấp trên khác tổng của cấp dưới.")
    rows: list[RowTotalOut] = Field(description="Với bảng: tổng hợp từng dòng.")


class ChildCellOut(Schema):
    row: str
    value: Decimal | None
    disagrees: bool = Field(description="Đơn vị cấp dưới điều chỉnh khác số liệu tính.")


class ChildValueOut(Schema):
    indicator: str
    value: Decimal | None = Field(description="Số liệu; với bảng: tổng các dòng.")
    disagrees: bool = Field(description="Đơn vị cấp dưới điều chỉnh khác số liệu tính.")
    cells: list[ChildCellOut] = Field(description="Với bảng: từng dòng.")


class ChildOut(Schema):
    report: uuid.UUID
    unit: UnitRef
    status: str
    counted: bool = Field(description="Đã duyệt: được tính vào tổng hợp.")
    values: list[ChildValueOut]


class RollupOut(Schema):
    totals: list[TotalOut]
    children: list[ChildOut]
    missing_count: int = Field(description="Số báo cáo cấp dưới chưa duyệt (chưa tính).")
    broken_rules: list[str] = Field(description="Quy tắc kiểm tra mà số tổng hợp không thỏa.")


class DocumentOut(Schema):
    """How the report is issued as a document (Decree 30/2020, or the Party layout)."""

    doc_number: str = Field(description="Số, ký hiệu văn bản, qua bộ phân tích số hiệu.")
    superior_body: str
    issuer_body: str
    doc_place: str
    signing_authority: str
    signer_position: str
    signer_name: str
    recipients: str = Field(description="Nơi nhận, mỗi dòng một nơi.")


class ReportDetailOut(Schema):
    public_id: uuid.UUID
    campaign: CampaignRef
    regime: RegimeRef
    unit: UnitRef
    reviewer_unit: UnitRef = Field(description="Đơn vị duyệt báo cáo (cấp trên trong đợt).")
    status: str
    status_label: str
    due_date: dt.date
    snapshot_taken_at: dt.datetime | None
    submitted_at: dt.datetime | None
    first_submitted_on: dt.date | None
    approved_at: dt.datetime | None
    rule_reason: str
    allowed_actions: list[str] = Field(
        description="Việc bạn làm được lúc này: save, submit, reopen_request, approve, return,"
        " reopen_decide."
    )
    document: DocumentOut
    values: list[ValueOut]
    narratives: list[NarrativeOut]
    warnings: list[WarningOut]
    changes_since_approval: list[ChangeOut]
    events: list[ReportEventOut]
    rollup: RollupOut | None = Field(
        description="Với báo cáo có báo cáo cấp dưới trong đợt: tổng hợp và từng đơn vị."
    )


class ManualIn(Schema):
    indicator: str = Field(max_length=64, description="Mã chỉ tiêu đơn vị nhập.")
    value: FigureIn = Field(description="Số liệu; rỗng hoặc null: xóa số đã nhập.")


class OverrideIn(Schema):
    indicator: str = Field(max_length=64, description="Mã chỉ tiêu tính từ dữ liệu.")
    value: FigureIn = Field(description="Số liệu điều chỉnh; rỗng hoặc null: bỏ điều chỉnh.")
    reason: LongText = Field("", description="Lý do điều chỉnh (bắt buộc khi có số liệu).")


class NarrativeIn(Schema):
    section_id: int
    text: LongText


class CellManualIn(Schema):
    indicator: str = Field(max_length=64, description="Mã chỉ tiêu dạng bảng đơn vị nhập.")
    row: str = Field(max_length=64, description="Mã dòng của bảng.")
    value: FigureIn = Field(description="Số liệu; rỗng hoặc null: xóa số đã nhập.")


class CellOverrideIn(Schema):
    indicator: str = Field(max_length=64, description="Mã chỉ tiêu dạng bảng tính từ dữ liệu.")
    row: str = Field(max_length=64, description="Mã dòng của bảng.")
    value: FigureIn = Field(description="Số liệu điều chỉnh; rỗng hoặc null: bỏ điều chỉnh.")
    reason: LongText = Field("", description="Lý do điều chỉnh (bắt buộc khi có số liệu).")


class ReportSaveIn(Schema):
    manual: list[ManualIn] = Field([], max_length=_MAX_ITEMS)
    overrides: list[OverrideIn] = Field([], max_length=_MAX_ITEMS)
    narratives: list[NarrativeIn] = Field([], max_length=_MAX_ITEMS)
    table_manual: list[CellManualIn] = Field([], max_length=_MAX_ITEMS)
    table_overrides: list[CellOverrideIn] = Field([], max_length=_MAX_ITEMS)


class SubmitIn(Schema):
    rule_reason: LongText = Field(
        "", description="Giải trình khi số liệu không thỏa quy tắc kiểm tra (khi đó bắt buộc)."
    )


class ApproveIn(Schema):
    message: LongText = Field("", description="Ý kiến khi duyệt (không bắt buộc).")


class ReturnIn(Schema):
    message: LongText = Field("", description="Nội dung cần bổ sung, sửa (bắt buộc).")


class ReopenRequestIn(Schema):
    reason: LongText = Field("", description="Lý do đề nghị mở lại (bắt buộc).")


class ReopenDecideIn(Schema):
    decision: Literal["grant", "refuse"] = Field(
        description="grant: đồng ý mở lại (báo cáo trở về bản nháp); refuse: không đồng ý."
    )
    message: LongText = Field("", description="Ý kiến; bắt buộc khi không đồng ý.")


# -- opening and closing campaigns, refreshing and filling reports, exports --------------


class CampaignOpenIn(Schema):
    regime: str = Field(max_length=64, description="Mã chế độ báo cáo.")
    template_id: int = Field(description="Mẫu báo cáo (đang sử dụng) của chế độ.")
    year: int = Field(ge=1, le=9999, description="Năm báo cáo.")
    period_number: int = Field(
        1,
        ge=1,
        le=12,
        description="Kỳ trong năm: 1; quý 1–4 hoặc tháng 1–12 với chế độ hằng quý, hằng tháng.",
    )
    owner_unit: str = Field(max_length=32, description="Mã đơn vị mở đợt (bạn quản trị).")
    title: str = Field("", max_length=300, description="Tên đợt; rỗng: tên tự đặt.")
    units: list[Annotated[str, Field(max_length=32)]] | None = Field(
        None,
        max_length=5000,
        description="Mã các đơn vị phải báo cáo; bỏ trống: mọi đơn vị thuộc đơn vị mở đợt có"
        " hạn gửi trong chế độ.",
    )


class DocumentIn(Schema):
    """Only the fields sent change; an empty text clears one."""

    doc_number: str | None = Field(None, max_length=60)
    superior_body: str | None = Field(None, max_length=200)
    issuer_body: str | None = Field(None, max_length=200)
    doc_place: str | None = Field(None, max_length=100)
    signing_authority: str | None = Field(None, max_length=60)
    signer_position: str | None = Field(None, max_length=100)
    signer_name: str | None = Field(None, max_length=100)
    recipients: LongText | None = None


class ExportIn(Schema):
    scope: Literal["unit", "subtree"] = Field(
        "unit",
        description="unit: tệp Word và Excel của báo cáo này; subtree: cả các báo cáo cấp"
        " dưới trong đợt.",
    )


class ExportOut(Schema):
    token: uuid.UUID
    scope: str
    state: str = Field(description="queued, running, succeeded, failed (như các việc nền khác).")
    state_label: str
    done: int = Field(description="Số tệp đã làm xong.")
    total: int = Field(description="Số tệp phải làm.")
    error: str = Field(description="Lỗi khi thất bại, và cách chạy lại (POST …/retry).")
    status_url: str = Field(description="Địa chỉ API để hỏi lại tiến độ.")
    download_url: str | None = Field(description="Tải tệp .zip khi đã xong.")
