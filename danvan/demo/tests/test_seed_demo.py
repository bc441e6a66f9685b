"""seed_demo and demo_totp: the whole demo through its commands, idempotent and reproducible."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts.models import Role, RoleGrant, User
from danvan.audit.models import AuditEvent
from danvan.demo import accounts
from danvan.units import demo as units_demo
from danvan.units import selectors
from danvan.units.models import Official, SteeringCommitteeMember, Unit, UnitKind

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "officials": Official.objects.count(),
        "steering": SteeringCommitteeMember.objects.count(),
        "users": User.objects.count(),
        "grants": RoleGrant.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_seed_demo_builds_thai_nguyen_and_is_idempotent(thai_nguyen: Unit) -> None:
    before = AuditEvent.objects.count()
    output = _seed()
    first = _counts()
    assert first["audit"] > before  # written through the services
    assert "danvan-demo-2025" in output
    assert accounts.demo_totp_secret("admin") in output

    # Every area's demo ran after the units and the accounts (danvan.demo.services).
    areas = (
        *("Dân vận khéo", "Tiếp dân", "Dân chủ ở cơ sở", "Công khai", "Lấy ý kiến", "Giám sát"),
        "Chỉ đạo, nhiệm vụ",
    )
    for area in areas:
        assert area in output, area

    _directives_demo(thai_nguyen)

    output = _seed()
    assert _counts() == first
    assert "không tạo thêm gì" in output
    assert "Tiếp dân" not in output
    assert "Chỉ đạo, nhiệm vụ" not in output

    under = selectors.units_under(thai_nguyen)
    for kind in UnitKind.values:
        if kind != UnitKind.PROVINCE:
            assert under.filter(kind=kind).exists(), kind
    assert under.get(code="19-TU-BTGDV").parent.code == "19-TU"  # type: ignore[union-attr]

    for code in units_demo.COMMUNE_CODES:
        commune = Unit.objects.get(code=code)
        villages = Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE)
        assert 5 <= villages.count() <= 8
        assert all(80 <= v.households <= 450 for v in villages if v.households is not None)
        assert not villages.filter(households__isnull=True).exists()
        assert SteeringCommitteeMember.objects.filter(level=commune, role="head").count() == 1
    assert SteeringCommitteeMember.objects.filter(level=thai_nguyen).count() >= 5


def test_every_role_at_province_and_commune_level(thai_nguyen: Unit) -> None:
    _seed()
    commune = Unit.objects.get(code=units_demo.COMMUNE_CODES[0])
    assert RoleGrant.objects.filter(role=Role.SYSTEM_ADMIN, unit=None).exists()
    for role in Role.values:
        if role == Role.SYSTEM_ADMIN:
            continue
        assert RoleGrant.objects.filter(role=role, unit=thai_nguyen).exists(), role
        assert RoleGrant.objects.filter(role=role, unit=commune).exists(), role
    user = User.objects.get(username="xa.canbo")
    assert user.check_password(accounts.DEMO_PASSWORD)
    admins = User.objects.filter(grants__role__in=[Role.SYSTEM_ADMIN, Role.UNIT_ADMIN]).distinct()
    for admin in admins:
        assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists(), admin.username


def test_demo_totp_prints_a_code_the_device_accepts() -> None:
    _seed()
    device = TOTPDevice.objects.get(user__username="admin")
    assert device.bin_key == accounts.demo_totp_key("admin")  # fixed, reproducible key
    out = StringIO()
    call_command("demo_totp", "admin", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6
    assert code.isdigit()
    assert device.verify_token(code)


def test_demo_totp_refuses_a_user_without_device() -> None:
    _seed()
    with pytest.raises(CommandError, match="không có thiết bị TOTP"):
        call_command("demo_totp", "xa.canbo", stdout=StringIO())


def test_seed_demo_refuses_without_debug() -> None:
    # The test settings run with DEBUG off, like production.
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_seed_demo_needs_the_unit_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units_demo, "PROVINCE_CODE", "99")
    with pytest.raises(CommandError, match="load_units"):
        _seed()
    assert not User.objects.filter(username="admin").exists()


def _directives_demo(province: Unit) -> None:
    """Issue 12's demo: the seeds' documents, a half-year review whose conclusion yields
    five tasks (one past its deadline, one done on time), an inspection with open
    recommendations, and last year's tasks for the board to compare with."""
    from django.utils import timezone

    from danvan.directives.conferences.models import Conference
    from danvan.directives.models import Document
    from danvan.directives.tasks.models import SourceKind, Task
    from danvan.directives.tasks.status import TaskStatus, soon_until, status_of

    numbers = set(Document.objects.filter(unit=province).values_list("number", flat=True))
    assert {"771-KH/BDVTƯ", "20-KH/TU", "60/2013/NĐ-CP", "145/2020/NĐ-CP"} <= numbers
    conference = Conference.objects.get(unit=province, kind="half_year_review")
    from_conclusion = list(Task.objects.filter(source_kind=SourceKind.CONFERENCE))
    assert len(from_conclusion) == 5
    assert all(t.source_id == conference.pk and t.source_paragraph for t in from_conclusion)
    today = timezone.localdate()
    statuses = [status_of(t, today, soon_until(today)) for t in from_conclusion]
    assert TaskStatus.OVERDUE in statuses
    assert TaskStatus.DONE_ON_TIME in statuses
    assert Task.objects.filter(source_kind=SourceKind.INSPECTION, state="open").exists()
    assert Task.objects.filter(assigner_unit=province, due_on__year=today.year - 1).count() > 100
