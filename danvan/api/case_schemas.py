"""What the cases API reads in and writes out. No queries here: resolvers only read loaded rows.

No schema carries who sent a case: the sender's identity goes in through `SenderIn` (the
service encrypts it) and comes out only through `SenderIdentityOut`, on the audited identity
endpoint. Everything else shows the case's pseudonym (`alias`).

Kinds, channels and step kinds are plain strings on input, not enums: the services check
them and answer 400 with a Vietnamese message naming the allowed values, as the pages do.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Field, Schema

from danvan.cases.models import KINDS, Alert, Case, CaseEvent, CaseStep
from danvan.legal.models import DeadlineRule

from .schemas import UnitRef

# Literals, not the models' enums: the movement's Status enum has the same name, and the
# OpenAPI components are keyed by name (tests check these match the models).
CaseKindValue = Literal["complaint", "denunciation", "feedback", "petition"]
CaseStatusValue = Literal[
    "received", "accepted", "paused", "refused", "transferred", "resolved", "withdrawn"
]
AlertValue = Literal["none", "due_soon", "overdue"]

# The API says "none" where the model stores "" (a query value cannot be empty).
ALERT_VALUES: dict[str, str] = {
    "none": Alert.NONE,
    "due_soon": Alert.DUE_SOON,
    "overdue": Alert.OVERDUE,
}
ALERT_NAMES = {value: name for name, value in ALERT_VALUES.items()}

LIMIT_MAX = 200


# -- filters -------------------------------------------------------------------------


class CaseFilters(Schema):
    unit: str | None = Field(
        None, max_length=32, description="Mã đơn vị: vụ việc của đơn vị này và đơn vị trực thuộc."
    )
    kind: CaseKindValue | None = Field(
        None, description="Loại: complaint, denunciation, feedback, petition."
    )
    status: CaseStatusValue | None = Field(None, description="Trạng thái hiện tại.")
    alert: AlertValue | None = Field(
        None, description="Cảnh báo hạn: none (trong hạn), due_soon, overdue."
    )
    received_from: dt.date | None = Field(None, description="Nhận từ ngày (YYYY-MM-DD).")
    received_to: dt.date | None = Field(None, description="Nhận đến ngày (YYYY-MM-DD).")
    mine: bool = Field(
        False, description="Chỉ các vụ việc đang xử lý mà bạn là cán bộ thụ lý chính."
    )
    q: str | None = Field(
        None, max_length=100, description="Tìm theo số hồ sơ hoặc tóm tắt nội dung."
    )
    after: str = Field(
        "", max_length=40, description="Mã trang tiếp theo (`next_after` của trang trước)."
    )
    limit: int = Field(50, ge=1, le=LIMIT_MAX, description="Số vụ việc mỗi trang (tối đa 200).")


class CaseUnitPageQuery(Schema):
    unit: str = Field(max_length=32, description="Mã đơn vị (gồm các đơn vị trực thuộc).")
    after: str = Field("", max_length=40, description="Mã trang tiếp theo.")
    limit: int = Field(50, ge=1, le=LIMIT_MAX, description="Số vụ việc mỗi trang (tối đa 200).")


class CaseStatisticsQuery(Schema):
    unit: str = Field(max_length=32, description="Mã đơn vị (gồm các đơn vị trực thuộc).")
    start: dt.date | None = Field(
        None, alias="from", description="Nhận từ ngày; mặc định ngày 1/1 năm nay."
    )
    end: dt.date | None = Field(None, alias="to", description="Nhận đến ngày; mặc định hôm nay.")


class DueDateQuery(Schema):
    case_kind: str = Field(
        max_length=16, description="complaint, denunciation, feedback, petition hoặc letter."
    )
    action: str = Field(
        max_length=16, description="limitation, accept, classify, resolve hoặc extend."
    )
    start: dt.date | None = Field(None, description="Ngày bắt đầu tính; mặc định hôm nay.")
    round: int = Field(0, ge=0, le=2, description="Lần khiếu nại (1, 2); 0 với loại khác.")
    complex: bool = Field(False, description="Vụ việc phức tạp.")
    remote: bool = Field(False, description="Vùng sâu, vùng xa, đi lại khó khăn.")


# -- out -----------------------------------------------------------------------------


class CaseRef(Schema):
    public_id: uuid.UUID
    reference: str


class CaseFields(Schema):
    """The columns of a case as the API shows them (no resolvers: see CaseOut)."""

    public_id: uuid.UUID
    reference: str
    kind: str
    kind_label: str
    round: int
    status: str
    status_label: str
    unit: UnitRef
    channel: str
    channel_label: str
    subject: str
    alias: str = Field(description="Bí danh người gửi (không bao giờ là họ tên thật).")
    received_on: dt.date
    accepted_on: dt.date | None
    due_date: dt.date | None
    alert: AlertValue
    alert_label: str
    handler: str | None = Field(description="Tên đăng nhập của cán bộ thụ lý chính.")
    version: int = Field(description="Gửi lại giá trị này trong mỗi thao tác (khóa lạc quan).")


class CaseOut(CaseFields):
    """A case read from a Case row (unit and handler loaded with select_related)."""

    @staticmethod
    def resolve_kind_label(obj: Case) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_channel_label(obj: Case) -> str:
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_alert(obj: Case) -> str:
        return ALERT_NAMES.get(obj.alert, "none")

    @staticmethod
    def resolve_alert_label(obj: Case) -> str:
        return str(obj.get_alert_display())

    @staticmethod
    def resolve_handler(obj: Case) -> str | None:
        return obj.handler.get_username() if obj.handler is not None else None


class CasePage(Schema):
    items: list[CaseOut]
    next_after: str | None = Field(
        description="Gửi làm `after` để lấy trang tiếp theo; null ở trang cuối."
    )


class CaseDeadlineOut(Schema):
    start: dt.date
    due: dt.date
    explanation: str
    citation: str
    to_verify: bool = Field(description="Quy định chưa được đối chiếu với văn bản chính thức.")
    extensions: list[str] = Field(description="Số quyết định gia hạn.")


class CaseStepOut(Schema):
    kind: str
    kind_label: str
    on: dt.date
    text: str
    document_number: str
    actor: str | None

    @staticmethod
    def resolve_kind_label(obj: CaseStep) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj: CaseStep) -> str | None:
        return obj.actor.get_username() if obj.actor is not None else None


class CaseEventOut(Schema):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    actor: str | None
    note: str

    @staticmethod
    def resolve_actor(obj: CaseEvent) -> str | None:
        return obj.actor.get_username() if obj.actor is not None else None


class CaseDetailOut(CaseFields):
    """A case with its clock and history; built from a mapping by the router (cases.py)."""

    content: str
    complex: bool
    remote: bool
    complexity: int = Field(description="0 thường, 1 phức tạp, 2 đặc biệt phức tạp (tố cáo).")
    closed_on: dt.date | None
    previous: CaseRef | None = Field(description="Vụ việc khiếu nại lần đầu.")
    transferred_from: CaseRef | None
    transferred_to: UnitRef | None
    deadline: CaseDeadlineOut | None
    assigned: list[str] = Field(description="Tên đăng nhập các cán bộ được phân công.")
    steps: list[CaseStepOut]
    events: list[CaseEventOut]
    refusal_reason: str
    result_summary: str
    public_answer: str
    decision_number: str
    decision_date: dt.date | None
    allowed_actions: list[str] = Field(
        description="Các thao tác bạn được thực hiện lúc này (tên như đường dẫn /cases/{id}/…)."
    )


class CaseCountByUnit(Schema):
    code: str
    name: str
    count: int


class CaseTimingOut(Schema):
    total: int
    on_time: int
    late: int
    open_overdue: int
    open_in_time: int


class CaseStatisticsOut(Schema):
    unit: UnitRef
    received_from: dt.date
    received_to: dt.date
    by_kind: dict[str, int]
    by_status: dict[str, int]
    timing: CaseTimingOut
    by_unit: list[CaseCountByUnit] = Field(
        description="Theo đơn vị xử lý (tối đa 50, nhiều nhất trước)."
    )


class CaseAlertCountsOut(Schema):
    overdue: int
    due_soon: int
    open: int


class CaseOverdueOut(Schema):
    unit: UnitRef
    counts: CaseAlertCountsOut
    items: list[CaseOut]
    next_after: str | None


class DeadlineRuleOut(Schema):
    id: int
    case_kind: str
    action: str
    round: int
    complex: bool
    remote: bool
    days: int
    day_kind: str
    day_kind_label: str
    citation: str
    to_verify: bool
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_day_kind_label(obj: DeadlineRule) -> str:
        return str(obj.get_day_kind_display())


class DueDateOut(Schema):
    start: dt.date
    due: dt.date
    rule: DeadlineRuleOut
    explanation: str


class SenderIdentityOut(Schema):
    full_name: str
    address: str
    id_number: str
    phone: str
    email: str


# -- in ------------------------------------------------------------------------------


class SenderIn(Schema):
    """Who sent the case: encrypted by the service, never shown back."""

    full_name: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    id_number: str = Field("", max_length=20)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)


class _Kind(Schema):
    kind: str = Field(
        max_length=16,
        description=f"Loại vụ việc: {', '.join(k.value for k in KINDS)}.",
    )
    round: int = Field(0, ge=0, le=2, description="Lần khiếu nại (1, 2).")
    complex: bool = False
    remote: bool = False
    complexity: int = Field(0, ge=0, le=2, description="Tố cáo: 1 phức tạp, 2 đặc biệt phức tạp.")
    previous: str | None = Field(
        None,
        max_length=40,
        description="Khiếu nại lần hai: public_id hoặc số hồ sơ của vụ việc lần đầu.",
    )


class CaseIn(_Kind):
    unit_code: str = Field(max_length=32, description="Mã đơn vị tiếp nhận.")
    channel: str = Field(
        max_length=16,
        description="Kênh: in_person, letter, portal, phone, transferred, open311.",
    )
    subject: str = Field(max_length=300)
    content: str = Field(max_length=20000)
    sender: SenderIn | None = Field(None, description="Người gửi; bỏ trống nếu không rõ.")
    received_on: dt.date | None = Field(None, description="Mặc định hôm nay.")
    reception_session: int | None = Field(None, description="Mã (id) buổi tiếp công dân.")
    address: str = Field("", max_length=300, description="Địa điểm phản ánh.")
    lat: float | None = Field(None, ge=-90, le=90)
    long: float | None = Field(None, ge=-180, le=180)


class _Versioned(Schema):
    version: int = Field(
        ge=1, description="Phiên bản vụ việc bạn đã đọc; khác phiên bản hiện tại thì trả 409."
    )


class CaseClassifyIn(_Versioned, _Kind):
    pass


class CaseAssignIn(_Versioned):
    users: list[Annotated[str, Field(max_length=150)]] = Field(
        default_factory=list, max_length=20, description="Tên đăng nhập các cán bộ xử lý."
    )
    lead: str = Field(
        min_length=1, max_length=150, description="Tên đăng nhập cán bộ thụ lý chính."
    )


class CaseAcceptIn(_Versioned):
    accepted_on: dt.date | None = Field(None, description="Mặc định hôm nay.")


class CaseRefuseIn(_Versioned):
    reason: str = Field(max_length=5000)
    answer_number: str = Field(max_length=60, description="Số văn bản trả lời, ví dụ 12/UBND-VP.")
    public_answer: str = Field("", max_length=5000)
    decided_on: dt.date | None = None


class CaseTransferIn(_Versioned):
    to_unit_code: str = Field(max_length=32, description="Mã đơn vị có thẩm quyền.")
    note: str = Field("", max_length=5000)


class CaseStepIn(_Versioned):
    kind: str = Field(max_length=12, description="verify, meeting, document hoặc note.")
    on: dt.date | None = Field(None, description="Mặc định hôm nay.")
    text: str = Field(max_length=10000)
    document_number: str = Field("", max_length=60)


class CaseExtendIn(_Versioned):
    decision_number: str = Field(max_length=60, description="Số quyết định gia hạn.")
    complexity: int | None = Field(None, ge=0, le=2)
    on: dt.date | None = None


class CasePauseIn(_Versioned):
    on: dt.date | None = None
    reason: str = Field(max_length=5000)


class CaseResumeIn(_Versioned):
    on: dt.date | None = None


class CaseResolveIn(_Versioned):
    decision_number: str = Field(
        max_length=60, description="Số quyết định, kết luận hoặc văn bản trả lời."
    )
    result_summary: str = Field(max_length=10000)
    public_answer: str = Field(max_length=10000, description="Không có thông tin cá nhân.")
    decision_date: dt.date | None = None


class CaseWithdrawIn(_Versioned):
    on: dt.date | None = None
    note: str = Field(max_length=5000)
