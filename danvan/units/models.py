from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel

from . import tree


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    VILLAGE = "village", _("Thôn, tổ dân phố")
    AGENCY = "agency", _("Cơ quan, sở, ban, ngành")
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy Đảng")
    PARTY_COMMISSION = "party_commission", _("Ban của cấp ủy")
    FRONT = "front", _("Mặt trận Tổ quốc")
    MASS_ORGANIZATION = "mass_organization", _("Tổ chức chính trị - xã hội")
    ARMED_FORCES = "armed_forces", _("Lực lượng vũ trang")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")


# Administrative levels: the two tiers of local government since 1 July 2025.
LEVEL_KINDS = (UnitKind.PROVINCE, UnitKind.COMMUNE)
ORGANIZATION_KINDS = (
    UnitKind.AGENCY,
    UnitKind.PARTY_COMMITTEE,
    UnitKind.FRONT,
    UnitKind.MASS_ORGANIZATION,
    UnitKind.ARMED_FORCES,
    UnitKind.PUBLIC_SERVICE,
    UnitKind.ENTERPRISE,
)

# Which kind of unit may hang under which. Administrative units come from the
# package (load_units); officers create the rest under a level.
ALLOWED_PARENT_KINDS: dict[str, tuple[str, ...]] = {
    UnitKind.PROVINCE: (),
    UnitKind.COMMUNE: (UnitKind.PROVINCE,),
    UnitKind.VILLAGE: (UnitKind.COMMUNE,),
    UnitKind.PARTY_COMMISSION: (UnitKind.PARTY_COMMITTEE,),
    **dict.fromkeys(ORGANIZATION_KINDS, LEVEL_KINDS),
}


class Unit(TimeStampedModel):
    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    # The name without diacritics, lower-cased ("đ" as "d"), for search.
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    division_type = models.CharField(
        _("loại hình"), max_length=64, blank=True, help_text=_("Ví dụ: tỉnh, phường, thôn, sở.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=tree.SEGMENT * tree.MAX_DEPTH, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    households = models.PositiveIntegerField(
        _("số hộ gia đình"), null=True, blank=True, help_text=_("Dùng khi biểu quyết theo hộ.")
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["kind", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:detail", kwargs={"code": self.code})

    @property
    def audit_unit(self) -> Unit:
        return self

    @property
    def is_historical(self) -> bool:
        return self.valid_to is not None

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def ancestor_ids(self) -> list[int]:
        return tree.ancestor_ids(self.path)

    def is_descendant_of(self, other: Unit) -> bool:
        """True when *self* lies in *other*'s subtree, *other* itself included."""
        return self.path.startswith(other.path)


class Succession(TimeStampedModel):
    """A merge (many → one) or split (one → many) of units on an effective date.

    Records of the old units keep pointing at them; a restated view follows the
    successions forward (see selectors.restated_units).
    """

    class Kind(models.TextChoices):
        MERGE = "merge", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")

    kind = models.CharField(_("hình thức"), max_length=10, choices=Kind.choices)
    effective_date = models.DateField(_("ngày có hiệu lực"))
    resolution_number = models.CharField(_("số nghị quyết, quyết định"), max_length=64)
    note = models.TextField(_("ghi chú"), blank=True)
    predecessors = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị trước"), related_name="successions_out"
    )
    successors = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị sau"), related_name="successions_in"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("sáp nhập, chia tách")
        verbose_name_plural = _("sáp nhập, chia tách")

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.resolution_number} ({self.effective_date:%d/%m/%Y})"
        )


class Official(TimeStampedModel):
    """A person holding a position (cán bộ) in a unit for a term."""

    full_name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức vụ"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="officials"
    )
    term_start = models.DateField(_("bắt đầu nhiệm kỳ"), null=True, blank=True)
    term_end = models.DateField(_("kết thúc nhiệm kỳ"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    class Meta:
        ordering = ["unit__path", "full_name"]
        verbose_name = _("cán bộ")
        verbose_name_plural = _("danh bạ cán bộ")

    def __str__(self) -> str:
        return f"{self.full_name} — {self.position}"

    @property
    def audit_unit(self) -> Unit:
        return self.unit


class SteeringCommitteeMember(TimeStampedModel):
    """Membership of the grassroots-democracy steering committee (BCĐ QCDC) of a level."""

    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng ban")
        DEPUTY = "deputy", _("Phó trưởng ban")
        STANDING = "standing", _("Thường trực")
        MEMBER = "member", _("Thành viên")

    level = models.ForeignKey(
        Unit,
        verbose_name=_("cấp"),
        on_delete=models.PROTECT,
        related_name="steering_members",
        limit_choices_to={"kind__in": LEVEL_KINDS},
    )
    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="steering_roles"
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    decision_number = models.CharField(_("quyết định thành lập"), max_length=64, blank=True)
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["level__path", "role", "official__full_name"]
        verbose_name = _("thành viên Ban Chỉ đạo")
        verbose_name_plural = _("Ban Chỉ đạo thực hiện QCDC")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "official"],
                condition=models.Q(end_date__isnull=True),
                name="steering_member_once_per_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.official.full_name} — {self.get_role_display()}"

    @property
    def audit_unit(self) -> Unit:
        return self.level


class FormerName(TimeStampedModel):
    """A province, district or commune as it was before 1 July 2025, and who covers it now.

    On 1 July 2025 provinces were merged (Resolution 202/2025/QH15), the district tier was
    abolished and communes were rearranged (Law on Organization of Local Government 2025):
    citizens still write their old commune or district. These rows let a search for an old
    name lead to the current units. Reference data loaded from the `vietnamadminunits`
    package (services.former_names_load), never edited by hand.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DISTRICT = "district", _("Quận, huyện, thị xã, thành phố thuộc tỉnh")
        COMMUNE = "commune", _("Xã, phường, thị trấn")

    kind = models.CharField(_("cấp"), max_length=10, choices=Kind.choices)
    # The official code the unit had (2 digits for a province, 3 for a district, 5 for a
    # commune); codes of different tiers may coincide, so the key is (kind, code).
    code = models.CharField(_("mã cũ"), max_length=8)
    name = models.CharField(_("tên cũ"), max_length=255)
    name_folded = models.CharField(
        _("tên không dấu"), max_length=255, db_index=True, editable=False
    )
    district_name = models.CharField(_("quận, huyện cũ"), max_length=255, blank=True)
    province_name = models.CharField(_("tỉnh, thành phố cũ"), max_length=255, blank=True)
    units: models.ManyToManyField[Unit, FormerNameUnit] = models.ManyToManyField(
        Unit,
        through="FormerNameUnit",
        verbose_name=_("đơn vị hiện nay"),
        related_name="former_names",
    )

    class Meta:
        ordering = ["name_folded", "id"]
        verbose_name = _("tên đơn vị trước 01/7/2025")
        verbose_name_plural = _("tên đơn vị trước 01/7/2025")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="former_name_kind_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """ "Phường Phan Đình Phùng, Quận Ba Đình, Hà Nội": the name with where it was."""
        return ", ".join(p for p in (self.name, self.district_name, self.province_name) if p)


class FormerNameUnit(models.Model):
    """A current unit that covers (part of) a former one, in the order to show them.

    A former commune divided among several new ones lists them all; the package names one
    default (where most of it went), flagged and put first.
    """

    former_name = models.ForeignKey(
        FormerName,
        verbose_name=_("tên trước 01/7/2025"),
        on_delete=models.CASCADE,
        related_name="coverage",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị hiện nay"), on_delete=models.CASCADE, related_name="+"
    )
    is_default = models.BooleanField(_("nơi nhận phần lớn"), default=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["former_name", "position"]
        verbose_name = _("đơn vị hiện nay của tên cũ")
        verbose_name_plural = _("đơn vị hiện nay của tên cũ")
        constraints = [
            models.UniqueConstraint(fields=["former_name", "unit"], name="former_name_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.former_name_id} → {self.unit_id}"
