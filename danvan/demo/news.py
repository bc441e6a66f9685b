"""The news part of the demo (issue 14, deliverable 2): articles of Thái Nguyên and two
of its communes, through the real services.

- Thái Nguyên (written by ``tinh.canbo``, approved by ``tinh.quantri``): the province's
  commendation of "Dân vận khéo" models, published also on the two demo communes' pages,
  with a cover picture drawn here with Pillow; the half-year review conference on
  grassroots democracy; and next year's communication plan, approved but scheduled three
  days ahead (not on the portal yet).
- The first demo commune (``xa.canbo`` writes, ``xa.quantri`` approves): a reminder of
  the budget disclosure, shown for 30 days, with one reader's feedback approved and one
  still waiting for moderation; a residents' group's road-widening model, waiting in
  review.
- The second demo commune (no demo account: the system): its tea cooperative's model.

Idempotent: nothing is added when the province or these communes already have articles;
everything is built in one transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from danvan.accounts.models import User
from danvan.news import services
from danvan.news.models import Article, Feedback
from danvan.units.demo import COMMUNE_CODES, PROVINCE_CODE
from danvan.units.models import Unit, UnitKind


@dataclass
class NewsDemoResult:
    articles: int = 0
    published: int = 0
    scheduled: int = 0
    in_review: int = 0
    feedback: int = 0

    @property
    def total_created(self) -> int:
        return self.articles + self.feedback


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _cover() -> SimpleUploadedFile:
    """A simple banner (green fields under a sky, a red flag), drawn in code."""
    image = Image.new("RGB", (1200, 630), (170, 210, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 1200, 630), fill=(70, 140, 60))
    for row in range(6):
        y = 400 + row * 38
        draw.line((0, y, 1200, y - 30), fill=(50, 110, 45), width=6)
    draw.rectangle((900, 120, 910, 400), fill=(90, 90, 90))
    draw.rectangle((910, 120, 1060, 220), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile("bia.jpg", out.getvalue(), content_type="image/jpeg")


def _publish(
    article: Article,
    *,
    writer: Any,
    editor: Any,
    publish_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
) -> Article:
    services.article_submit(actor=writer, article=article)
    return services.article_approve(
        actor=editor, article=article, publish_at=publish_at, expires_at=expires_at
    )


@transaction.atomic
def seed_news() -> NewsDemoResult:
    """The articles of the module docstring (nothing if already there)."""
    result = NewsDemoResult()
    province = Unit.objects.filter(code=PROVINCE_CODE, kind=UnitKind.PROVINCE).first()
    communes = [
        Unit.objects.filter(code=code, kind=UnitKind.COMMUNE).first() for code in COMMUNE_CODES[:2]
    ]
    if province is None or None in communes:
        return result
    first, second = communes[0], communes[1]
    assert first is not None
    assert second is not None
    if Article.objects.filter(unit__in=[province, first, second]).exists():
        return result
    now = timezone.now()
    p_writer, p_editor = _user("tinh.canbo"), _user("tinh.quantri")
    c_writer, c_editor = _user("xa.canbo"), _user("xa.quantri")

    models = services.article_create(
        actor=p_writer,
        unit=province,
        title="Thái Nguyên biểu dương 120 mô hình “Dân vận khéo” tiêu biểu năm 2026",
        lead=(
            "Ban Thường vụ Tỉnh ủy biểu dương 120 tập thể, cá nhân có mô hình “Dân vận khéo” "
            "tiêu biểu trên các lĩnh vực kinh tế, văn hóa - xã hội, quốc phòng - an ninh."
        ),
        body=(
            "<p>Năm 2026, toàn tỉnh đăng ký và thực hiện hơn 1.500 mô hình “Dân vận khéo”, "
            "trong đó nhiều mô hình được nhân rộng ra các xã, phường.</p>"
            "<h2>Những mô hình được biểu dương</h2>"
            "<ul><li>Hiến đất mở rộng đường giao thông nông thôn;</li>"
            "<li>Chè sạch liên kết chuỗi giá trị;</li>"
            "<li>Tổ dân phố tự quản về an ninh trật tự.</li></ul>"
            "<blockquote>“Dân vận khéo là làm cho dân hiểu, dân tin và dân cùng làm.”"
            "</blockquote>"
            '<p>Xem thêm tại <a href="https://thainguyen.gov.vn">Cổng thông tin tỉnh</a>.</p>'
        ),
        source="Ban Dân vận Tỉnh ủy Thái Nguyên",
        tags="Dân vận khéo, Biểu dương",
        also_on=[first, second],
    )
    services.article_photo_add(
        actor=p_writer,
        article=models,
        upload=_cover(),
        alt="Cánh đồng xanh và lá cờ đỏ dưới bầu trời",
        caption="Ảnh minh họa",
        cover=True,
    )
    _publish(models, writer=p_writer, editor=p_editor, publish_at=now - dt.timedelta(days=3))

    conference = services.article_create(
        actor=p_writer,
        unit=province,
        title="Hội nghị sơ kết 6 tháng thực hiện dân chủ ở cơ sở",
        lead=(
            "Hội nghị đánh giá kết quả thực hiện Luật Thực hiện dân chủ ở cơ sở 6 tháng đầu "
            "năm và đề ra nhiệm vụ trọng tâm 6 tháng cuối năm."
        ),
        body=(
            "<p>Các xã, phường đã tổ chức hội nghị đối thoại, công khai thông tin theo quy "
            "định; một số nơi còn chậm công khai dự toán ngân sách.</p>"
            "<h2>Nhiệm vụ 6 tháng cuối năm</h2>"
            "<ol><li>Công khai đầy đủ, đúng hạn các nội dung theo Điều 11 của Luật;</li>"
            "<li>Tăng cường lấy ý kiến Nhân dân trên cổng thông tin công dân.</li></ol>"
        ),
        source="Văn phòng UBND tỉnh",
        tags="Hội nghị, Dân chủ cơ sở",
    )
    _publish(conference, writer=p_writer, editor=p_editor, publish_at=now - dt.timedelta(days=1))

    plan = services.article_create(
        actor=p_writer,
        unit=province,
        title="Kế hoạch tuyên truyền Luật Thực hiện dân chủ ở cơ sở năm 2027",
        lead="Tỉnh ban hành kế hoạch tuyên truyền, phổ biến pháp luật về dân chủ ở cơ sở.",
        body="<p>Kế hoạch giao các xã, phường tổ chức tuyên truyền qua loa truyền thanh, "
        "hội nghị thôn, tổ dân phố và mạng xã hội.</p>",
        tags="Dân chủ cơ sở, Tuyên truyền",
    )
    _publish(plan, writer=p_writer, editor=p_editor, publish_at=now + dt.timedelta(days=3))
    result.scheduled += 1

    reminder = services.article_create(
        actor=c_writer,
        unit=first,
        title=f"Công khai dự toán ngân sách {first.name.lower()} năm 2027",
        lead=(
            "Dự toán ngân sách năm 2027 được niêm yết tại trụ sở và đăng trên cổng thông tin "
            "từ hôm nay; Nhân dân góp ý trong 30 ngày."
        ),
        body=(
            "<p>Thực hiện Điều 11 Luật Thực hiện dân chủ ở cơ sở, Ủy ban nhân dân công khai "
            "dự toán ngân sách năm 2027.</p>"
            "<p>Mọi ý kiến xin gửi qua mục Lấy ý kiến hoặc hòm thư góp ý tại trụ sở.</p>"
        ),
        tags="Công khai",
    )
    _publish(reminder, writer=c_writer, editor=c_editor, expires_at=now + dt.timedelta(days=30))
    kept = services.feedback_submit(
        actor=None,
        article=reminder,
        name="Người dân tổ 5",
        text="Đề nghị niêm yết thêm tại nhà văn hóa các tổ dân phố để bà con tiện xem.",
    )
    services.feedback_moderate(actor=c_editor, feedback=kept, action="approve")
    services.feedback_answer(
        actor=c_editor,
        feedback=kept,
        text="Cảm ơn ý kiến của bà con. Từ tuần sau, bản dự thảo được niêm yết thêm "
        "tại nhà văn hóa của 12 tổ dân phố.",
    )
    services.feedback_submit(
        actor=None, article=reminder, text="Cho hỏi bao giờ có quyết toán năm 2025?"
    )

    road = services.article_create(
        actor=c_writer,
        unit=first,
        title="Tổ dân phố 5 hiến đất mở rộng ngõ: một mô hình “Dân vận khéo”",
        lead="32 hộ dân tự nguyện hiến 450 m² đất để mở rộng ngõ lên 4 mét.",
        body="<p>Nhờ cán bộ tổ dân phố kiên trì vận động, 32 hộ đã đồng thuận hiến đất, "
        "tự tháo dỡ tường rào.</p>",
        tags="Dân vận khéo, Giao thông",
    )
    services.article_submit(actor=c_writer, article=road)
    result.in_review += 1

    tea = services.article_create(
        actor=None,
        unit=second,
        title="Xã Tân Cương: mô hình “Chè sạch — Dân vận khéo”",
        lead="Hợp tác xã chè liên kết 200 hộ sản xuất theo tiêu chuẩn VietGAP.",
        body="<p>Cán bộ xã cùng ăn, cùng ở, cùng làm với bà con, hướng dẫn ghi nhật ký "
        "sản xuất và bán chè qua sàn thương mại điện tử.</p>",
        byline="Ban biên tập xã Tân Cương",
        tags="Dân vận khéo",
    )
    _publish(tea, writer=None, editor=None, publish_at=now - dt.timedelta(hours=5))

    scope = Article.objects.filter(unit__in=[province, first, second])
    result.articles = scope.count()
    result.published = scope.filter(state=Article.State.PUBLISHED).count() - result.scheduled
    result.feedback = Feedback.objects.filter(article__in=scope).count()
    return result
