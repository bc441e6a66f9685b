"""The API of citizens' cases (mounted under /api/v1/): thin doors onto danvan.cases'
selectors and services, with the same scoping and policy checks as the pages.

A case or unit the actor may not see answers 404 exactly like a missing one; an action
the actor may not take answers 403; input a rule refuses answers 400 (422 when it does
not even parse); a write made from an older version of the case answers 409 (code
``case_stale``): somebody saved it in between, and the client must reload. All errors
are problem+json (problems.py).

Who sent a case is never in any answer here except the identity endpoint's, which the
services open only to those who must know and audit on every read (Law on
Denunciations 2018, art. 8; domain.md §5, §7). Lists, details, statistics and action
answers show the case's pseudonym (``alias``).
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status as Answer

from danvan.accounts import policies
from danvan.accounts.models import User
from danvan.accounts.policies import Perm
from danvan.cases import selectors, services, workflow
from danvan.cases.errors import CaseError
from danvan.cases.identity import Identity
from danvan.cases.models import Case, ReceptionSession
from danvan.cases.paging import keyset_page
from danvan.core.errors import DomainError, NotFound
from danvan.legal import deadlines
from danvan.units import selectors as unit_selectors
from danvan.units.models import Unit

from .auth import request_actor
from .case_schemas import (
    ALERT_VALUES,
    CaseAcceptIn,
    CaseAssignIn,
    CaseClassifyIn,
    CaseDetailOut,
    CaseExtendIn,
    CaseFilters,
    CaseIn,
    CaseOut,
    CaseOverdueOut,
    CasePage,
    CasePauseIn,
    CaseRefuseIn,
    CaseResolveIn,
    CaseResumeIn,
    CaseStatisticsOut,
    CaseStatisticsQuery,
    CaseStepIn,
    CaseTransferIn,
    CaseUnitPageQuery,
    CaseWithdrawIn,
    DueDateOut,
    DueDateQuery,
    SenderIdentityOut,
)

router = Router(tags=["Vụ việc (khiếu nại, tố cáo, phản ánh, kiến nghị)"])

LEGAL_TAGS = ["Quy định pháp lý"]

# The actions of a case, in the order a client shows them; each is POST /cases/{id}/<name>.
ACTIONS = (
    "classify",
    "assign",
    "accept",
    "refuse",
    "transfer",
    "steps",
    "extend",
    "pause",
    "resume",
    "resolve",
    "withdraw",
)

_VERSION_NOTE = (
    " Gửi kèm `version` đã đọc; nếu vụ việc đã được người khác cập nhật sau đó, trả 409"
    " (`case_stale`) và không thay đổi gì."
)


def _case(actor: Any, public_id: uuid.UUID) -> Case:
    try:
        return selectors.case_get(actor, public_id)
    except NotFound:
        raise NotFound(_("Không tìm thấy vụ việc."), code="case_not_found") from None


def _unit(actor: Any, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=actor, code=code)
    except NotFound:
        raise NotFound(
            _("Không tìm thấy đơn vị mã “%(code)s”.") % {"code": code}, code="unit_not_found"
        ) from None


def _previous(actor: Any, ref: str | None) -> Case | None:
    """The first-time complaint a second one follows, by public_id or reference."""
    ref = (ref or "").strip()
    if not ref:
        return None
    found: Case | None
    try:
        found = selectors.case_get(actor, uuid.UUID(ref))
    except (ValueError, NotFound):
        found = selectors.cases_visible(actor).filter(reference=ref).first()
    if found is None:
        raise DomainError(
            CaseError.BAD_PREVIOUS.value,
            _("Không tìm thấy vụ việc lần đầu “%(ref)s”.") % {"ref": ref},
            field="previous",
        )
    return found


def _session(unit: Unit, pk: int | None) -> ReceptionSession | None:
    if pk is None:
        return None
    found = ReceptionSession.objects.filter(pk=pk, unit=unit).first()
    if found is None:
        raise DomainError(
            CaseError.BAD_SESSION.value,
            _("Đơn vị không có buổi tiếp công dân mã %(pk)s.") % {"pk": pk},
            field="reception_session",
        )
    return found


def _users(names: list[str], lead: str) -> tuple[list[User], User]:
    """The active users named (by username) for an assignment, and the lead among them."""
    lead = lead.strip()
    wanted = list(dict.fromkeys([*(n.strip() for n in names if n.strip()), lead]))
    found = {u.username: u for u in User.objects.filter(username__in=wanted, is_active=True)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise DomainError(
            CaseError.BAD_ASSIGNEE.value,
            _("Không có người dùng đang hoạt động: %(names)s.") % {"names": ", ".join(missing)},
            field="lead" if lead in missing else "users",
        )
    return [found[n] for n in wanted if n != lead], found[lead]


def _deadline(case: Case) -> dict[str, Any] | None:
    """The clock that runs now (or ran last), with its legal basis in words."""
    if case.rule is None or case.due_date is None:
        return None
    if case.resolve_rule is not None and case.accepted_on is not None:
        clock = services.current_deadline(case)
    else:
        clock = deadlines.Deadline(start=case.received_on, due=case.due_date, rule=case.rule)
    return {
        "start": clock.start,
        "due": clock.due,
        "explanation": clock.explain(),
        "citation": clock.rule.citation,
        "to_verify": clock.rule.to_verify,
        "extensions": list(clock.extensions),
    }


def allowed_actions(actor: Any, case: Case) -> list[str]:
    """The actions *actor* may take on *case* now: the workflow's, narrowed by the policy."""
    handle = policies.has_perm(actor, Perm.CASE_HANDLE, case.unit)
    possible = set(workflow.allowed_actions(case.status)) if handle else set()
    if case.is_open and handle:
        possible.add("steps")
    if case.is_open and policies.has_perm(actor, Perm.CASE_ASSIGN, case.unit):
        possible.add("assign")
    return [name for name in ACTIONS if name in possible]


def _detail(actor: Any, case: Case) -> dict[str, Any]:
    out = CaseOut.from_orm(case).model_dump()
    out.update(
        content=case.content,
        complex=case.complex,
        remote=case.remote,
        complexity=case.complexity,
        closed_on=case.closed_on,
        previous=case.previous,
        transferred_from=case.transferred_from,
        transferred_to=case.transferred_to,
        deadline=_deadline(case),
        assigned=[a.user.get_username() for a in case.assignments.select_related("user")],
        steps=list(case.steps.select_related("actor")),
        events=list(case.events.select_related("actor")),
        refusal_reason=case.refusal_reason,
        result_summary=case.result_summary,
        public_answer=case.public_answer,
        decision_number=case.decision_number,
        decision_date=case.decision_date,
        allowed_actions=allowed_actions(actor, case),
    )
    return out


def _page(rows: QuerySet[Case], *, after: str, limit: int) -> dict[str, Any]:
    page = keyset_page(rows.select_related("unit", "handler"), after=after, size=limit)
    return {"items": page.rows, "next_after": page.next_after or None}


# -- reading -----------------------------------------------------------------------
# /cases/statistics and /cases/overdue come before /cases/{public_id}, which would
# otherwise take "statistics" for an id.


@router.get(
    "/cases",
    response=CasePage,
    summary="Danh sách vụ việc",
    description=(
        "Các vụ việc bạn được xem, theo hạn xử lý sớm nhất trước. Phân trang theo khóa:"
        " gửi `next_after` của trang trước làm `after`; không có tổng số (danh sách có thể"
        " rất dài). Người gửi chỉ hiện bằng bí danh."
    ),
)
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    actor = request_actor(request)
    unit = _unit(actor, filters.unit) if filters.unit else None
    if filters.mine:
        rows = selectors.queue_for(actor)
        if unit is not None:
            rows = rows.filter(policies.subtree_q(unit, "unit__"))
    elif unit is not None:
        rows = selectors.cases_under(actor, unit)
    else:
        rows = selectors.cases_visible(actor)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.alert:
        rows = rows.filter(alert=ALERT_VALUES[filters.alert])
    if filters.received_from:
        rows = rows.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        rows = rows.filter(received_on__lte=filters.received_to)
    text = (filters.q or "").strip()
    if text:
        rows = rows.filter(Q(reference__icontains=text) | Q(subject__icontains=text))
    return _page(rows, after=filters.after, limit=filters.limit)


@router.get(
    "/cases/statistics",
    response=CaseStatisticsOut,
    summary="Thống kê vụ việc",
    description=(
        "Số vụ việc nhận trong khoảng `from`–`to` của một đơn vị (gồm đơn vị trực thuộc):"
        " theo loại, theo trạng thái, đúng hạn, trễ hạn, đang quá hạn, theo đơn vị xử lý."
        " Chỉ có số đếm, không có thông tin cá nhân."
    ),
)
def case_statistics(request: HttpRequest, query: Query[CaseStatisticsQuery]) -> dict[str, Any]:
    actor = request_actor(request)
    unit = _unit(actor, query.unit)
    today = services.today()
    end = query.end or today
    start = query.start or end.replace(month=1, day=1)
    if start > end:
        raise DomainError(
            CaseError.BAD_DATE.value,
            _("Ngày bắt đầu (from) phải trước hoặc bằng ngày kết thúc (to)."),
            field="from",
        )
    data = selectors.statistics(actor, unit, start=start, end=end, today=today)
    return {
        "unit": unit,
        "received_from": start,
        "received_to": end,
        "by_kind": data["by_kind"],
        "by_status": data["by_status"],
        "timing": data["timing"],
        "by_unit": [
            {"code": r["code"], "name": r["unit"], "count": r["n"]} for r in data["by_unit"]
        ],
    }


@router.get(
    "/cases/overdue",
    response=CaseOverdueOut,
    summary="Vụ việc quá hạn",
    description=(
        "Số vụ việc đang xử lý, sắp đến hạn, quá hạn của một đơn vị (gồm đơn vị trực thuộc)"
        " và trang đầu các vụ việc đã quá hạn (trừ vụ việc tạm đình chỉ), hạn sớm nhất trước."
    ),
)
def case_overdue(request: HttpRequest, query: Query[CaseUnitPageQuery]) -> dict[str, Any]:
    actor = request_actor(request)
    unit = _unit(actor, query.unit)
    rows = selectors.overdue_under(actor, unit, today=services.today())
    return {
        "unit": unit,
        "counts": selectors.alert_counts(actor, unit),
        **_page(rows, after=query.after, limit=query.limit),
    }


@router.get(
    "/cases/{public_id}",
    response=CaseDetailOut,
    summary="Chi tiết vụ việc",
    description=(
        "Vụ việc, thời hạn đang tính và căn cứ pháp lý, các bước xử lý, lịch sử trạng thái,"
        " kết quả và các thao tác bạn được thực hiện. Không có danh tính người gửi."
    ),
)
def case_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    return _detail(actor, _case(actor, public_id))


@router.get(
    "/cases/{public_id}/identity",
    response=SenderIdentityOut,
    summary="Danh tính người gửi",
    description=(
        "Họ tên, địa chỉ, số giấy tờ, liên hệ của người gửi. Với tố cáo, chỉ cán bộ được phân"
        " công xử lý và có vai trò xem danh tính mới được xem (Luật Tố cáo 2018, Điều 8);"
        " mỗi lần xem được ghi nhật ký. Không được lưu đệm (Cache-Control: no-store)."
    ),
)
def case_identity(
    request: HttpRequest, public_id: uuid.UUID, response: HttpResponse
) -> dict[str, str]:
    actor = request_actor(request)
    response["Cache-Control"] = "no-store"
    case = _case(actor, public_id)
    # The service checks policies.can_view_identity (403 otherwise) and audits the read.
    identity: Identity = services.identity_view(actor=actor, case=case)
    return dataclasses.asdict(identity)


# -- intake --------------------------------------------------------------------------


@router.post(
    "/cases",
    response={201: CaseDetailOut},
    summary="Tiếp nhận vụ việc",
    description=(
        "Ghi nhận một vụ việc đơn vị nhận được. Thông tin người gửi (`sender`) được mã hóa"
        " và lưu riêng, không bao giờ được trả lại trong câu trả lời; vụ việc mang bí danh."
        " Tố cáo phải có họ tên, địa chỉ người tố cáo; khiếu nại lần hai phải gắn với vụ"
        " việc lần đầu (`previous`)."
    ),
)
def case_create(request: HttpRequest, payload: CaseIn) -> Answer[dict[str, Any]]:
    actor = request_actor(request)
    unit = _unit(actor, payload.unit_code)
    # Refuse the not-allowed before saying anything about the unit's cases or sessions.
    policies.require(actor, Perm.CASE_INTAKE, unit)
    case = services.case_receive(
        actor=actor,
        unit=unit,
        kind=payload.kind,
        channel=payload.channel,
        subject=payload.subject,
        content=payload.content,
        sender=Identity(**payload.sender.model_dump()) if payload.sender else Identity(),
        received_on=payload.received_on,
        round=payload.round,
        complex=payload.complex,
        remote=payload.remote,
        complexity=payload.complexity,
        previous=_previous(actor, payload.previous),
        reception_session=_session(unit, payload.reception_session),
        address=payload.address,
        lat=payload.lat,
        long=payload.long,
    )
    return Answer(201, _detail(actor, _case(actor, case.public_id)))


# -- actions -------------------------------------------------------------------------


@router.post(
    "/cases/{public_id}/classify",
    response=CaseDetailOut,
    summary="Phân loại vụ việc",
    description="Xác định loại, lần khiếu nại, mức độ phức tạp; hạn thụ lý tính lại."
    + _VERSION_NOTE,
)
def case_classify(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseClassifyIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_classify(
        actor=actor,
        case=case,
        version=payload.version,
        kind=payload.kind,
        round=payload.round,
        complex=payload.complex,
        remote=payload.remote,
        complexity=payload.complexity,
        previous=_previous(actor, payload.previous),
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/assign",
    response=CaseDetailOut,
    summary="Phân công xử lý",
    description=(
        "Phân công các cán bộ xử lý (`users`) và cán bộ thụ lý chính (`lead`), theo tên"
        " đăng nhập. Với tố cáo, chỉ cán bộ được phân công và có vai trò xem danh tính mới"
        " xem được người tố cáo." + _VERSION_NOTE
    ),
)
def case_assign(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseAssignIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    policies.require(actor, Perm.CASE_ASSIGN, case.unit)
    users, lead = _users(payload.users, payload.lead)
    services.case_assign(actor=actor, case=case, version=payload.version, users=users, lead=lead)
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/accept",
    response=CaseDetailOut,
    summary="Thụ lý",
    description=(
        "Thụ lý vụ việc: thời hạn giải quyết bắt đầu tính theo quy định có hiệu lực ngày"
        " thụ lý." + _VERSION_NOTE
    ),
)
def case_accept(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseAcceptIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_accept(
        actor=actor, case=case, version=payload.version, accepted_on=payload.accepted_on
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/refuse",
    response=CaseDetailOut,
    summary="Không thụ lý",
    description="Không thụ lý, có lý do và số văn bản trả lời công dân." + _VERSION_NOTE,
)
def case_refuse(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseRefuseIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_refuse(
        actor=actor,
        case=case,
        version=payload.version,
        reason=payload.reason,
        answer_number=payload.answer_number,
        public_answer=payload.public_answer,
        decided_on=payload.decided_on,
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/transfer",
    response=CaseDetailOut,
    summary="Chuyển cơ quan có thẩm quyền",
    description=(
        "Chuyển vụ việc cho đơn vị có thẩm quyền trong hệ thống (`to_unit_code`): vụ việc kết"
        " thúc ở đây và được mở ở đơn vị nhận. Trả lại vụ việc gốc." + _VERSION_NOTE
    ),
)
def case_transfer(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseTransferIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_transfer(
        actor=actor,
        case=case,
        version=payload.version,
        to_unit_code=payload.to_unit_code,
        note=payload.note,
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/steps",
    response=CaseDetailOut,
    summary="Ghi bước xử lý",
    description="Ghi một bước xác minh, làm việc, văn bản hoặc ghi chú." + _VERSION_NOTE,
)
def case_step(request: HttpRequest, public_id: uuid.UUID, payload: CaseStepIn) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_add_step(
        actor=actor,
        case=case,
        kind=payload.kind,
        on=payload.on or services.today(),
        text=payload.text,
        document_number=payload.document_number,
        version=payload.version,
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/extend",
    response=CaseDetailOut,
    summary="Gia hạn giải quyết",
    description=(
        "Gia hạn bằng quyết định (Luật Tố cáo 2018, Điều 30 khoản 1): một lần nếu phức tạp,"
        " hai lần nếu đặc biệt phức tạp (`complexity`)." + _VERSION_NOTE
    ),
)
def case_extend(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseExtendIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_extend(
        actor=actor,
        case=case,
        version=payload.version,
        decision_number=payload.decision_number,
        complexity=payload.complexity,
        on=payload.on,
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/pause",
    response=CaseDetailOut,
    summary="Tạm đình chỉ",
    description="Tạm đình chỉ giải quyết, có lý do: thời hạn ngừng tính." + _VERSION_NOTE,
)
def case_pause(request: HttpRequest, public_id: uuid.UUID, payload: CasePauseIn) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_pause(
        actor=actor,
        case=case,
        version=payload.version,
        on=payload.on or services.today(),
        reason=payload.reason,
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/resume",
    response=CaseDetailOut,
    summary="Tiếp tục giải quyết",
    description="Tiếp tục giải quyết; hạn lùi thêm số ngày đã tạm dừng." + _VERSION_NOTE,
)
def case_resume(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseResumeIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_resume(
        actor=actor, case=case, version=payload.version, on=payload.on or services.today()
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/resolve",
    response=CaseDetailOut,
    summary="Ghi kết quả giải quyết",
    description=(
        "Kết quả: số quyết định, kết luận hoặc văn bản trả lời (bắt buộc), tóm tắt kết quả"
        " và nội dung trả lời công khai (không có thông tin cá nhân)." + _VERSION_NOTE
    ),
)
def case_resolve(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseResolveIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_resolve(
        actor=actor,
        case=case,
        version=payload.version,
        decision_number=payload.decision_number,
        result_summary=payload.result_summary,
        public_answer=payload.public_answer,
        decision_date=payload.decision_date,
    )
    return _detail(actor, _case(actor, public_id))


@router.post(
    "/cases/{public_id}/withdraw",
    response=CaseDetailOut,
    summary="Người gửi rút đơn",
    description="Ghi nhận người gửi rút đơn, có căn cứ (`note`)." + _VERSION_NOTE,
)
def case_withdraw(
    request: HttpRequest, public_id: uuid.UUID, payload: CaseWithdrawIn
) -> dict[str, Any]:
    actor = request_actor(request)
    case = _case(actor, public_id)
    services.case_withdraw(
        actor=actor,
        case=case,
        version=payload.version,
        on=payload.on or services.today(),
        note=payload.note,
    )
    return _detail(actor, _case(actor, public_id))


# -- the legal clock -----------------------------------------------------------------


@router.get(
    "/legal/due-date",
    response=DueDateOut,
    tags=LEGAL_TAGS,
    summary="Tính hạn theo quy định",
    description=(
        "Hạn của một việc (`action`) với một loại vụ việc (`case_kind`) khi thời hạn bắt đầu"
        " tính ngày `start`, theo phiên bản quy định có hiệu lực ngày đó, kèm căn cứ pháp lý."
    ),
)
def legal_due_date(request: HttpRequest, query: Query[DueDateQuery]) -> dict[str, Any]:
    request_actor(request)
    clock = deadlines.due_date(
        case_kind=query.case_kind,
        action=query.action,
        start=query.start or timezone.localdate(),
        round=query.round,
        complex=query.complex,
        remote=query.remote,
    )
    return {
        "start": clock.start,
        "due": clock.due,
        "rule": clock.rule,
        "explanation": clock.explain(),
    }
