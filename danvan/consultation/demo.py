"""Demo data of consultations ("dân bàn"): two drafts in the first demo commune, through
the real services.

- The commune's land-use plan: taken comments for a month, closed, every comment
  moderated (published, grouped or rejected), the published ones answered, and the
  report of how they were taken in published (state `reported`).
- A village charter of the commune's first village: open now, with one comment published
  and answered and one a citizen just sent on the portal, still pending moderation.

The services date closing, answers and the report today (that is their rule), so the
first consultation's period is made to end today. Idempotent: nothing is added when the
commune already has consultations. Run by `seed_demo` after the units and accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from danvan.accounts.models import User
from danvan.units.demo import COMMUNE_CODES
from danvan.units.models import Unit, UnitKind

from . import services
from .models import Comment, Consultation

Subject = Consultation.Subject

# (text, name, contact, show name)
_LAND_USE_COMMENTS = (
    (
        "Đề nghị bổ sung quỹ đất xây dựng nhà văn hóa cho tổ dân phố 3, hiện đang phải mượn"
        " nhà dân để họp.",
        "Nguyễn Văn Thắng",
        "0912 000 111",
        True,
    ),
    (
        "Nên công khai rõ diện tích đất công ích còn lại và phương án cho thuê.",
        "",
        "",
        False,
    ),
    (
        "Cần xây thêm nhà văn hóa tổ dân phố 3, đề nghị đưa vào kế hoạch năm tới.",
        "Trần Thị Hạnh",
        "hanh.tran@example.org",
        False,
    ),
    (
        "Tuyến đường vào khu dân cư mới cần mở rộng trước khi giao đất ở.",
        "Lê Quang Huy",
        "",
        True,
    ),
    ("Quảng cáo dịch vụ vay tiền nhanh, liên hệ ...", "", "", False),
)
_LAND_USE_ANSWERS = (
    "Tiếp thu: UBND bổ sung 800 m² đất tại khu đất công tổ dân phố 3 để xây nhà văn hóa.",
    "Tiếp thu: danh mục đất công ích và phương án cho thuê được niêm yết tại trụ sở.",
    "Giải trình: tuyến đường đã có trong kế hoạch đầu tư công trung hạn, thực hiện năm tới.",
)


@dataclass
class ConsultationDemoResult:
    consultations: int = 0
    comments: int = 0
    reported: int = 0
    pending: int = 0


def _land_use(actor: User | None, commune: Unit, today: dt.date) -> int:
    consultation = services.consultation_create(
        actor=actor,
        unit=commune,
        subject=Subject.LAND_USE,
        title=f"Dự thảo kế hoạch sử dụng đất năm {today.year + 1} của {commune.name}",
        draft=(
            "Dự thảo kế hoạch sử dụng đất: chỉ tiêu sử dụng đất, danh mục công trình, dự án,"
            " diện tích đất cần thu hồi và chuyển mục đích sử dụng trong năm."
        ),
    )
    consultation = services.consultation_open(
        actor=actor,
        consultation=consultation,
        opens_on=today - dt.timedelta(days=30),
        closes_on=today,
    )
    comments = [
        services.comment_submit(
            actor=None,
            consultation=consultation,
            text=text,
            commenter_name=name,
            contact=contact,
            show_name=show,
        )
        for text, name, contact, show in _LAND_USE_COMMENTS
    ]
    consultation = services.consultation_close(actor=actor, consultation=consultation)
    first, second, same_as_first, road, spam = comments
    published = []
    for comment in (first, second, road):
        published.append(services.comment_moderate(actor=actor, comment=comment, action="publish"))
    services.comment_moderate(actor=actor, comment=same_as_first, action="group", into=first)
    services.comment_moderate(
        actor=actor, comment=spam, action="reject", reason="Quảng cáo, không liên quan dự thảo."
    )
    for comment, answer in zip(published, _LAND_USE_ANSWERS, strict=True):
        services.comment_answer(actor=actor, comment=comment, answer=answer)
    services.consultation_report(
        actor=actor,
        consultation=consultation,
        report=(
            "UBND đã nhận 5 ý kiến: tiếp thu 2 ý kiến (1 ý kiến trùng nội dung được gộp),"
            " giải trình 1 ý kiến, không đăng 1 ý kiến quảng cáo. Dự thảo đã được chỉnh sửa"
            " trước khi trình Hội đồng nhân dân."
        ),
    )
    return len(comments)


def _charter(actor: User | None, village: Unit, today: dt.date) -> int:
    consultation = services.consultation_create(
        actor=actor,
        unit=village,
        subject=Subject.CHARTER,
        title=f"Dự thảo hương ước {village.name} (sửa đổi, bổ sung)",
        draft=(
            "Sửa đổi quy định về giữ gìn vệ sinh môi trường, tổ chức việc cưới, việc tang"
            " văn minh, tiết kiệm và mức đóng góp quỹ khuyến học của thôn."
        ),
    )
    consultation = services.consultation_open(
        actor=actor,
        consultation=consultation,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
    )
    first = services.comment_submit(
        actor=None,
        consultation=consultation,
        text="Đề nghị quy định rõ giờ thu gom rác và mức phạt khi đổ rác không đúng nơi.",
        commenter_name="Hoàng Thị Mai",
        show_name=True,
    )
    first = services.comment_moderate(actor=actor, comment=first, action="publish")
    services.comment_answer(
        actor=actor,
        comment=first,
        answer="Ban soạn thảo tiếp thu, bổ sung lịch thu gom rác vào Điều 8 của dự thảo.",
    )
    # A citizen's comment sent on the portal, waiting for moderation.
    services.comment_submit(
        actor=None,
        consultation=consultation,
        text="Mức đóng góp quỹ khuyến học nên giảm cho hộ nghèo, hộ cận nghèo.",
        contact="0987 000 222",
    )
    return 2


@transaction.atomic
def demo_seed_consultation() -> ConsultationDemoResult:
    """The two consultations of the module docstring (nothing if already there)."""
    result = ConsultationDemoResult()
    commune = Unit.objects.filter(code=COMMUNE_CODES[0], kind=UnitKind.COMMUNE).first()
    if commune is None:
        return result
    village = (
        Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE, valid_to__isnull=True)
        .order_by("code")
        .first()
    )
    if (
        village is None
        or Consultation.objects.filter(Q(unit=commune) | Q(unit__parent=commune)).exists()
    ):
        return result
    actor = User.objects.filter(username="xa.canbo").first()
    today = timezone.localdate()
    result.comments += _land_use(actor, commune, today)
    result.comments += _charter(actor, village, today)
    scope = Consultation.objects.filter(Q(unit=commune) | Q(unit__parent=commune))
    result.consultations = scope.count()
    result.reported = scope.filter(state=Consultation.State.REPORTED).count()
    result.pending = Comment.objects.filter(
        consultation__in=scope, status=Comment.Status.PENDING
    ).count()
    return result
