"""The API of grassroots democracy: matters and votes (mounted under /api/v1/).

Citizens decide (Law 10/2022/QH15; domain.md §3): a village's matter goes to a meeting, a
household ballot or an online vote; each vote keeps the village's household count taken
when it opened, and closes by the >50%-of-all-households rules. Thin doors onto
danvan.democracy.services, with the same policy checks as the pages: reads need
DEMOCRACY_VIEW on the village, writes DEMOCRACY_MANAGE. A matter or vote out of sight
answers 404 like a missing one; input a rule refuses answers 400 problem+json.

No answer carries a code hash or a household's ballot. The one-time codes of an online
vote are returned once, when issued, to be printed and handed out.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status as Answer

from danvan.accounts import policies
from danvan.accounts.policies import Perm
from danvan.core.errors import NotFound
from danvan.democracy import services
from danvan.democracy.models import Matter, Method, Vote
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .auth import request_actor
from .democracy_schemas import (
    CodesIn,
    MatterDetailOut,
    MatterFilters,
    MatterIn,
    MatterOut,
    MatterPage,
    TallyIn,
    VoteCodesOut,
    VoteOpenIn,
    VoteOut,
)

router = Router(tags=["Dân chủ ở cơ sở"])


def _unit(actor: Any, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None


def _matter(actor: Any, public_id: uuid.UUID) -> Matter:
    matter = Matter.objects.select_related("unit").filter(public_id=public_id).first()
    if matter is None or not policies.has_perm(actor, Perm.DEMOCRACY_VIEW, matter.unit):
        raise NotFound(_("Không tìm thấy việc dân quyết định."), code="matter_not_found")
    return matter


def _votes() -> QuerySet[Vote]:
    return Vote.objects.select_related("matter__unit", "follows").annotate(
        codes_issued=Count("codes"),
        codes_used=Count("codes", filter=Q(codes__used_at__isnull=False)),
    )


def _vote(actor: Any, public_id: uuid.UUID) -> Vote:
    vote = _votes().filter(public_id=public_id).first()
    if vote is None or not policies.has_perm(actor, Perm.DEMOCRACY_VIEW, vote.matter.unit):
        raise NotFound(_("Không tìm thấy lần biểu quyết."), code="vote_not_found")
    return vote


def _with_live_tally(vote: Vote) -> Vote:
    """An open online vote shows its ballots counted now (not saved: closing saves them)."""
    if vote.method == Method.ONLINE and vote.is_open:
        vote.households_present, vote.agree, vote.disagree = services.live_tally(vote)
        vote.tally_live = True  # type: ignore[attr-defined]
    return vote


def _reload(actor: Any, vote: Vote) -> Vote:
    return _with_live_tally(_vote(actor, vote.public_id))


# -- matters -------------------------------------------------------------------------


@router.get(
    "/democracy/matters",
    response=MatterPage,
    summary="Danh sách việc dân quyết định",
    description=(
        "Các việc đưa ra để hộ gia đình quyết định hoặc biểu quyết, ở các thôn, tổ dân phố"
        " bạn được xem (với `unit`: thuộc đơn vị đó), mới nhất trước."
    ),
)
def matter_list(request: HttpRequest, filters: Query[MatterFilters]) -> dict[str, Any]:
    actor = request_actor(request)
    rows = Matter.objects.filter(policies.scope_q(actor, Perm.DEMOCRACY_VIEW, "unit__"))
    if filters.unit:
        unit = _unit(actor, filters.unit)
        rows = unit_selectors.rows_under(rows, unit)
    found = list(
        rows.select_related("unit").order_by("-raised_on", "-id")[
            filters.offset : filters.offset + filters.limit + 1
        ]
    )
    more = len(found) > filters.limit
    return {
        "items": found[: filters.limit],
        "next_offset": filters.offset + filters.limit if more else None,
    }


@router.post(
    "/democracy/matters",
    response={201: MatterDetailOut},
    summary="Đưa ra việc dân quyết định",
    description="Đưa một việc ra để hộ gia đình của một thôn, tổ dân phố quyết định.",
)
def matter_create(request: HttpRequest, payload: MatterIn) -> Answer[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    policies.require(actor, Perm.DEMOCRACY_MANAGE, unit)
    matter = services.matter_raise(
        actor=actor,
        unit=unit,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        raised_on=payload.raised_on,
    )
    return Answer(201, _matter_detail(actor, matter.public_id))


def _matter_detail(actor: Any, public_id: uuid.UUID) -> dict[str, Any]:
    matter = _matter(actor, public_id)
    out = MatterOut.from_orm(matter).model_dump()
    votes = _votes().filter(matter=matter).order_by("opened_on", "id")
    out["votes"] = [_with_live_tally(v) for v in votes]
    return out


@router.get(
    "/democracy/matters/{public_id}",
    response=MatterDetailOut,
    summary="Chi tiết việc dân quyết định",
    description="Việc và các lần biểu quyết của nó (hội nghị, phát phiếu, trực tuyến).",
)
def matter_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    return _matter_detail(request_actor(request), public_id)


@router.post(
    "/democracy/matters/{public_id}/votes",
    response={201: VoteOut},
    summary="Mở biểu quyết",
    description=(
        "Mở một hội nghị, một đợt phát phiếu hoặc một cuộc biểu quyết trực tuyến. Tổng số"
        " hộ được lấy từ thôn lúc mở và giữ cùng lần biểu quyết."
    ),
)
def vote_create(request: HttpRequest, public_id: uuid.UUID, payload: VoteOpenIn) -> Answer[Vote]:
    actor = request_actor(request)
    matter = _matter(actor, public_id)
    follows = None
    if payload.follows is not None:
        follows = Vote.objects.filter(public_id=payload.follows, matter=matter).first()
        if follows is None:
            raise NotFound(_("Không tìm thấy lần biểu quyết trước."), code="vote_not_found")
    vote = services.vote_open(
        actor=actor,
        matter=matter,
        method=payload.method,
        opened_on=payload.opened_on,
        closes_on=payload.closes_on,
        follows=follows,
        place=payload.place,
        chair=payload.chair,
        secretary=payload.secretary,
    )
    return Answer(201, _reload(actor, vote))


# -- votes ---------------------------------------------------------------------------


@router.get(
    "/democracy/votes/{public_id}",
    response=VoteOut,
    summary="Chi tiết lần biểu quyết",
    description=(
        "Số liệu của lần biểu quyết; với biểu quyết trực tuyến đang mở, số phiếu được đếm"
        " trực tiếp (`tally_live`). Không có phiếu của từng hộ."
    ),
)
def vote_detail(request: HttpRequest, public_id: uuid.UUID) -> Vote:
    actor = request_actor(request)
    return _with_live_tally(_vote(actor, public_id))


@router.post(
    "/democracy/votes/{public_id}/tally",
    response=VoteOut,
    summary="Ghi số liệu biểu quyết",
    description=(
        "Số hộ tham gia, đồng ý, không đồng ý theo biên bản hội nghị hoặc phiếu thu về."
        " Biểu quyết trực tuyến được đếm tự động."
    ),
)
def vote_tally(request: HttpRequest, public_id: uuid.UUID, payload: TallyIn) -> Vote:
    actor = request_actor(request)
    vote = _vote(actor, public_id)
    services.vote_record_tally(
        actor=actor,
        vote=vote,
        present=payload.present,
        agree=payload.agree,
        disagree=payload.disagree,
    )
    return _reload(actor, vote)


@router.post(
    "/democracy/votes/{public_id}/codes",
    response={201: VoteCodesOut},
    summary="Phát mã biểu quyết trực tuyến",
    description=(
        "Tạo mã một lần cho từng hộ của cuộc biểu quyết trực tuyến đang mở. Mã chỉ được"
        " trả về một lần, để in và phát cho hộ; hệ thống chỉ lưu mã băm."
        " Không được lưu đệm (Cache-Control: no-store)."
    ),
)
def vote_codes(
    request: HttpRequest, public_id: uuid.UUID, payload: CodesIn, response: HttpResponse
) -> Answer[dict[str, Any]]:
    actor = request_actor(request)
    response["Cache-Control"] = "no-store"
    vote = _vote(actor, public_id)
    issued = services.vote_issue_codes(actor=actor, vote=vote, households=payload.households)
    return Answer(
        201,
        {
            "vote": vote.public_id,
            "codes": [{"household": h, "code": c} for h, c in issued],
        },
    )


@router.post(
    "/democracy/votes/{public_id}/close",
    response=VoteOut,
    summary="Kết thúc biểu quyết",
    description=(
        "Kết thúc và xác định kết quả: hợp lệ khi quá 1/2 tổng số hộ tham gia; thông qua"
        " khi quá 1/2 tổng số hộ đồng ý."
    ),
)
def vote_close(request: HttpRequest, public_id: uuid.UUID) -> Vote:
    actor = request_actor(request)
    vote = _vote(actor, public_id)
    services.vote_close(actor=actor, vote=vote)
    return _reload(actor, vote)


@router.post(
    "/democracy/votes/{public_id}/publish",
    response=VoteOut,
    summary="Công khai kết quả biểu quyết",
    description="Công khai kết quả đã kết thúc trên cổng thông tin công dân (chỉ số liệu).",
)
def vote_publish(request: HttpRequest, public_id: uuid.UUID) -> Vote:
    actor = request_actor(request)
    vote = _vote(actor, public_id)
    services.vote_publish(actor=actor, vote=vote)
    return _reload(actor, vote)
