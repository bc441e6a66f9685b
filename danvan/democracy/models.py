"""Grassroots democracy (Law 10/2022/QH15): what citizens decide, and how they voted.

A matter (việc dân quyết định, or dân bàn và biểu quyết) goes to a community meeting, a
household ballot or an online vote. Each attempt is a `Vote` that keeps the village's
household count at the moment it opened (domain.md §3): the thresholds compare with that
number, exactly, never with a rounded share.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit


class MatterKind(models.TextChoices):
    # Law 10/2022/QH15, art. 15 (decide directly) and art. 20 (vote for the authority).
    CONTRIBUTION = "contribution", _("Đóng góp xây dựng công trình công cộng")
    COMMUNITY_FUND = "community_fund", _("Quỹ cộng đồng, việc tự quản")
    CHARTER = "charter", _("Hương ước, quy ước")
    VILLAGE_HEAD = "village_head", _("Bầu, cho thôi làm trưởng thôn, tổ trưởng tổ dân phố")
    BOARD_MEMBERS = "board_members", _("Bầu thành viên Ban Thanh tra nhân dân, Ban Giám sát")
    OTHER = "other", _("Việc khác")


class Method(models.TextChoices):
    MEETING = "meeting", _("Hội nghị cộng đồng dân cư")
    BALLOT = "ballot", _("Phát phiếu lấy ý kiến hộ gia đình")
    ONLINE = "online", _("Biểu quyết trực tuyến")


class Matter(TimeStampedModel):
    """Something the households of a village decide or vote on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("thôn, tổ dân phố"), on_delete=models.PROTECT, related_name="matters"
    )
    kind = models.CharField(_("loại việc"), max_length=20, choices=MatterKind.choices)
    title = models.CharField(_("nội dung cần quyết định"), max_length=300)
    description = models.TextField(_("thuyết minh"), blank=True)
    raised_on = models.DateField(_("ngày đưa ra"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("việc dân quyết định")
        verbose_name_plural = _("việc dân quyết định")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("democracy:matter", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class Outcome(models.TextChoices):
    PENDING = "pending", _("Đang biểu quyết")
    PASSED = "passed", _("Được thông qua")
    FAILED = "failed", _("Không được thông qua")
    INVALID = "invalid", _("Không hợp lệ (chưa quá nửa số hộ tham gia)")


class Vote(TimeStampedModel):
    """One attempt to decide a matter: a meeting, a household ballot or an online vote."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="votes")
    method = models.CharField(_("hình thức"), max_length=10, choices=Method.choices)
    # The village's household count when the vote opened (Law 10/2022/QH15, art. 22).
    households_total = models.PositiveIntegerField(_("tổng số hộ gia đình"))
    opened_on = models.DateField(_("ngày bắt đầu"))
    closes_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đã kết thúc lúc"), null=True, blank=True)
    # The tally: households taking part (represented at the meeting, ballots returned,
    # online votes), and those agreeing / disagreeing.
    households_present = models.PositiveIntegerField(_("số hộ tham gia"), default=0)
    agree = models.PositiveIntegerField(_("số hộ đồng ý"), default=0)
    disagree = models.PositiveIntegerField(_("số hộ không đồng ý"), default=0)
    outcome = models.CharField(
        _("kết quả"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    # An invalid meeting is followed by a reconvened meeting or a household ballot.
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups"
    )
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    # The short address of an online vote printed on its code slips (/cong-dan/bq/<code>/):
    # it names the vote, never a household. Given when the first codes are issued.
    short_code = models.CharField(
        _("mã ngắn trên phiếu"), max_length=8, unique=True, null=True, blank=True
    )
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chair = models.CharField(_("người chủ trì"), max_length=200, blank=True)
    secretary = models.CharField(_("thư ký"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("lần biểu quyết")
        verbose_name_plural = _("lần biểu quyết")
        constraints = [
            models.CheckConstraint(
                condition=Q(households_present__lte=F("households_total")),
                name="vote_present_le_total",
            ),
            models.CheckConstraint(
                condition=Q(agree__lte=F("households_present") - F("disagree")),
                name="vote_tally_le_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter.title} — {self.get_method_display()}"

    def get_absolute_url(self) -> str:
        return reverse("democracy:vote", args=[self.public_id])

    @property
    def audit_unit(self) -> Unit:
        return self.matter.unit

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class VoteCode(models.Model):
    """A one-time code for one household in an online vote, handed out by the village.

    Only a hash is stored: the printed code is the household's secret. Each code is
    bound to one household number and works once.
    """

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="codes")
    household = models.CharField(_("hộ gia đình (số hộ)"), max_length=40)
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "household"], name="vote_code_household")
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}/{self.household}"


class HouseholdBallot(models.Model):
    """A household's vote (online, or a returned paper ballot): one per household."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("Đồng ý")
        DISAGREE = "disagree", _("Không đồng ý")

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    household = models.CharField(max_length=40)
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One vote per household (Law 10/2022/QH15): the database refuses a second.
            models.UniqueConstraint(fields=["vote", "household"], name="ballot_one_per_household")
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}/{self.household}: {self.choice}"
