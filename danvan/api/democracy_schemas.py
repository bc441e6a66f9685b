"""What the democracy API reads in and writes out. No queries here: resolvers only read
loaded rows, and the views pass the live tally in.

No schema carries a code hash or a household's ballot: the one-time codes come out once,
in `VoteCodesOut`, when they are issued; votes show only their counts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema

from danvan.democracy.models import Matter, Vote

from .schemas import UnitRef

LIMIT_MAX = 200


class MatterFilters(Schema):
    unit: str | None = Field(
        None,
        max_length=32,
        description="Mã đơn vị: các việc của thôn, tổ dân phố thuộc đơn vị này.",
    )
    offset: int = Field(0, ge=0, description="Bỏ qua bao nhiêu việc đầu danh sách.")
    limit: int = Field(50, ge=1, le=LIMIT_MAX, description="Số việc mỗi trang (tối đa 200).")


class MatterIn(Schema):
    unit_code: str = Field(max_length=32, description="Mã thôn, tổ dân phố.")
    kind: str = Field(
        max_length=20,
        description=(
            "Loại việc: contribution, community_fund, charter, village_head, board_members, other."
        ),
    )
    title: str = Field(max_length=300, description="Nội dung cần quyết định.")
    description: str = Field("", max_length=10000, description="Thuyết minh.")
    raised_on: dt.date = Field(description="Ngày đưa ra (YYYY-MM-DD).")


class VoteOpenIn(Schema):
    method: str = Field(
        max_length=10, description="Hình thức: meeting (hội nghị), ballot (phát phiếu), online."
    )
    opened_on: dt.date = Field(description="Ngày bắt đầu; không trước ngày đưa ra việc.")
    closes_on: dt.date | None = Field(
        None, description="Ngày kết thúc; bắt buộc với biểu quyết trực tuyến."
    )
    follows: uuid.UUID | None = Field(
        None, description="Lần biểu quyết đã kết thúc mà lần này tổ chức lại."
    )
    place: str = Field("", max_length=200)
    chair: str = Field("", max_length=200)
    secretary: str = Field("", max_length=200)


class TallyIn(Schema):
    present: int = Field(description="Số hộ tham gia (có mặt hoặc nộp phiếu).")
    agree: int = Field(description="Số hộ đồng ý.")
    disagree: int = Field(description="Số hộ không đồng ý.")


class CodesIn(Schema):
    households: list[Annotated[str, Field(max_length=200)]] = Field(
        max_length=5000, description="Số hộ (hoặc tên chủ hộ) cần phát mã, không trùng nhau."
    )


class VoteOut(Schema):
    public_id: uuid.UUID
    matter_id: uuid.UUID
    method: str
    method_label: str
    households_total: int = Field(description="Tổng số hộ của thôn khi mở biểu quyết.")
    opened_on: dt.date
    closes_on: dt.date | None
    closed_at: dt.datetime | None
    is_open: bool
    households_present: int
    agree: int
    disagree: int
    tally_live: bool = Field(
        False, description="Số liệu đếm trực tiếp từ phiếu trực tuyến (biểu quyết đang mở)."
    )
    codes_issued: int = 0
    codes_used: int = 0
    outcome: str
    outcome_label: str
    published_at: dt.datetime | None
    follows: uuid.UUID | None
    place: str
    chair: str
    secretary: str

    @staticmethod
    def resolve_matter_id(obj: Vote) -> uuid.UUID:
        return obj.matter.public_id

    @staticmethod
    def resolve_method_label(obj: Vote) -> str:
        return str(obj.get_method_display())

    @staticmethod
    def resolve_outcome_label(obj: Vote) -> str:
        return str(obj.get_outcome_display())

    @staticmethod
    def resolve_follows(obj: Vote) -> uuid.UUID | None:
        return obj.follows.public_id if obj.follows is not None else None


class MatterFields(Schema):
    """The columns of a matter as the API shows them (no resolvers: see MatterOut)."""

    public_id: uuid.UUID
    unit: UnitRef
    kind: str
    kind_label: str
    title: str
    description: str
    raised_on: dt.date
    created_at: dt.datetime


class MatterOut(MatterFields):
    """A matter read from a Matter row (unit loaded with select_related)."""

    @staticmethod
    def resolve_kind_label(obj: Matter) -> str:
        return str(obj.get_kind_display())


class MatterDetailOut(MatterFields):
    votes: list[VoteOut]


class MatterPage(Schema):
    items: list[MatterOut]
    next_offset: int | None = Field(
        description="Gửi làm `offset` để lấy trang tiếp theo; null ở trang cuối."
    )


class HouseholdCodeOut(Schema):
    household: str
    code: str


class VoteCodesOut(Schema):
    vote: uuid.UUID
    codes: list[HouseholdCodeOut] = Field(
        description="Mã một lần của từng hộ: chỉ trả về một lần, hệ thống chỉ lưu mã băm."
    )
