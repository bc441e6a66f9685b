"""The officers' forms for news: an article, a photo, the editor's decisions, moderation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policies import Perm
from danvan.core.forms import BootstrapMixin, DateField
from danvan.units import picker
from danvan.units.models import Unit, UnitKind

from . import services
from .models import Article


def end_of_day(day: dt.date | None) -> dt.datetime | None:
    """The start of the day after *day* (local time): an article "until 31/12" is shown
    on the whole of 31/12."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def start_of(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time()))


class ArticleForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=services.TITLE_MAX)
    lead = forms.CharField(
        label=_("Sapo"),
        max_length=services.LEAD_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Một, hai câu tóm tắt bài: hiện trong danh sách tin và khi chia sẻ."),
    )
    body = forms.CharField(
        label=_("Nội dung"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Viết từng đoạn trong thẻ <p>…</p>. Được dùng: tiêu đề <h2>–<h4>, <strong>, <em>, "
            'danh sách <ul>/<ol>/<li>, liên kết <a href="https://…">, <blockquote>, và ảnh '
            "của bài (mã ảnh hiện bên dưới sau khi tải lên). Các thẻ khác bị loại bỏ."
        ),
    )
    source = forms.CharField(
        label=_("Nguồn (không bắt buộc)"),
        max_length=services.SOURCE_MAX,
        required=False,
        help_text=_("Ví dụ: Báo Thái Nguyên; Ban Dân vận Tỉnh ủy."),
    )
    byline = forms.CharField(
        label=_("Tác giả (tên hiển thị)"),
        max_length=services.BYLINE_MAX,
        required=False,
        help_text=_("Để trống: tên của bạn."),
    )
    tags = forms.CharField(
        label=_("Chủ đề (không bắt buộc)"),
        max_length=700,
        required=False,
        help_text=_("Cách nhau dấu phẩy, ví dụ: Dân vận khéo, Công khai, Hội nghị."),
    )
    also_on = picker.UnitMultipleField(
        purpose=Perm.NEWS_WRITE,
        kinds=(UnitKind.COMMUNE,),
        required=False,
        label=_("Đăng cả trên trang của các xã, phường (không bắt buộc)"),
    )
    expires_on = DateField(
        label=_("Đăng đến hết ngày (không bắt buộc)"),
        required=False,
        help_text=_("Sau ngày này bài không còn hiện trên cổng thông tin."),
    )

    def __init__(self, *args: Any, actor: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit.kind == UnitKind.PROVINCE:
            picker.bind(self, actor)
            picker.narrow(self.fields["also_on"], unit)
            self.fields["also_on"].help_text = _(
                "Các xã, phường của %(unit)s mà bài được đăng kèm trên trang của họ; gõ tên "
                "(không cần dấu), nhiều xã cách nhau dấu “;”."
            ) % {"unit": unit.name}
        else:
            del self.fields["also_on"]

    def service_checks(self, data: dict[str, Any]) -> None:
        if "expires_on" in data:
            data["expires_at"] = end_of_day(data.pop("expires_on"))
        services.article_checks(data)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "lead": data["lead"],
            "body": data["body"],
            "source": data["source"],
            "byline": data["byline"],
            "tags": data["tags"],
            "also_on": data.get("also_on") or [],
            "expires_at": end_of_day(data["expires_on"]),
        }

    @classmethod
    def initial_of(cls, article: Article) -> dict[str, Any]:
        return {
            "title": article.title,
            "lead": article.lead,
            "body": article.body,
            "source": article.source,
            "byline": article.byline,
            "tags": ", ".join(t.name for t in article.tags.all()),
            "also_on": list(article.also_on.all()),
            "expires_on": (
                timezone.localtime(article.expires_at).date() - dt.timedelta(days=1)
                if article.expires_at
                else None
            ),
        }


class PhotoForm(BootstrapMixin, forms.Form):
    photo = forms.FileField(
        label=_("Ảnh"),
        help_text=_("JPG, PNG hoặc WebP, tối đa 10 MB; ảnh được thu nhỏ và xóa thông tin vị trí."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("Mô tả ảnh"),
        max_length=services.ALT_MAX,
        help_text=_("Bắt buộc: nội dung ảnh cho người không xem được ảnh."),
    )
    caption = forms.CharField(
        label=_("Chú thích (không bắt buộc)"), max_length=services.CAPTION_MAX, required=False
    )
    cover = forms.BooleanField(label=_("Dùng làm ảnh đại diện của bài"), required=False)


class ApproveForm(BootstrapMixin, forms.Form):
    publish_on = DateField(
        label=_("Đăng từ ngày (không bắt buộc)"),
        required=False,
        help_text=_("Để trống: đăng ngay. Chọn một ngày sau để hẹn giờ đăng."),
    )
    publish_time = forms.TimeField(
        label=_("Giờ đăng (không bắt buộc)"),
        required=False,
        input_formats=["%H:%M"],
        help_text=_("Dạng giờ:phút, ví dụ 07:30."),
        widget=forms.TimeInput(attrs={"placeholder": "07:30", "inputmode": "numeric"}),
        error_messages={"invalid": _("Giờ viết dạng giờ:phút, ví dụ 07:30.")},
    )
    expires_on = DateField(label=_("Đăng đến hết ngày (không bắt buộc)"), required=False)

    def publish_at(self) -> dt.datetime | None:
        return start_of(self.cleaned_data["publish_on"], self.cleaned_data["publish_time"])

    def expires_at(self) -> dt.datetime | None:
        return end_of_day(self.cleaned_data["expires_on"])


class MessageForm(BootstrapMixin, forms.Form):
    message = forms.CharField(
        label=_("Ý kiến, lý do"),
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", _("Đăng")), ("reject", _("Không đăng"))], widget=forms.HiddenInput
    )


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label=_("Trả lời"),
        max_length=services.FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Trả lời được đăng dưới ý kiến trên cổng thông tin, ai cũng đọc được."),
    )
