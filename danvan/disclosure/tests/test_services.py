"""The disclosure services: each rule, bad input (nothing written), audit, uploads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.models import Role, User
from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.disclosure import services
from danvan.disclosure.models import (
    Disclosure,
    DisclosureChannel,
    DisclosureEvidence,
    DisclosureForm,
    DisclosureKind,
)
from danvan.disclosure.services import ChannelSpec
from danvan.units.models import Unit

from .conftest import kind

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def _nothing_written() -> None:
    assert not Disclosure.objects.exists()
    assert not DisclosureChannel.objects.exists()
    assert not AuditEvent.objects.filter(model_label__startswith="disclosure.").exists()


def test_create_records_the_disclosure_its_forms_and_the_audit(
    officer: User, commune: Unit
) -> None:
    disclosure = services.disclosure_create(
        actor=officer,
        unit=commune,
        kind=kind(7),
        title="  Mức thu phí chợ năm 2026 ",
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        channels=[
            ChannelSpec(DisclosureForm.POSTING, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
            ChannelSpec(DisclosureForm.LOUDSPEAKER, dt.date(2026, 3, 2), dt.date(2026, 3, 4)),
        ],
    )
    assert disclosure.title == "Mức thu phí chợ năm 2026"
    assert disclosure.created_by == officer
    assert disclosure.channels.count() == 2
    events = AuditEvent.objects.filter(model_label__startswith="disclosure.")
    assert events.count() == 3
    assert {e.unit_id for e in events} == {commune.pk}


@pytest.mark.parametrize(
    ("start", "end", "channels", "code", "field"),
    [
        (dt.date(2026, 3, 10), dt.date(2026, 3, 9), [], "disclosure_bad_date", "end"),
        (
            dt.date(2026, 3, 1),
            None,
            [ChannelSpec(DisclosureForm.LOUDSPEAKER, dt.date(2026, 3, 5), dt.date(2026, 3, 4))],
            "disclosure_bad_date",
            "end",
        ),
        (
            dt.date(2026, 3, 1),
            None,
            [ChannelSpec(DisclosureForm.POSTING, dt.date(2026, 2, 27))],
            "disclosure_bad_date",
            "start",
        ),
        (
            dt.date(2026, 3, 1),
            None,
            [ChannelSpec("smoke_signals", dt.date(2026, 3, 1))],
            "disclosure_bad_channel",
            "form",
        ),
    ],
)
def test_ending_before_starting_is_refused_and_nothing_written(
    commune: Unit,
    start: dt.date,
    end: dt.date | None,
    channels: list[ChannelSpec],
    code: str,
    field: str,
) -> None:
    with pytest.raises(DomainError) as exc:
        services.disclosure_create(
            actor=None,
            unit=commune,
            kind=kind(1),
            title="Kế hoạch",
            start=start,
            end=end,
            channels=channels,
        )
    assert exc.value.code == code
    assert exc.value.field == field
    _nothing_written()


def test_a_kind_of_another_unit_kind_is_refused(commune: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        services.disclosure_create(
            actor=None,
            unit=commune,
            kind=kind(1, "enterprise"),
            title="Tình hình sản xuất",
            start=dt.date(2026, 3, 1),
        )
    assert exc.value.code == "disclosure_bad_kind"
    assert exc.value.field == "kind"
    _nothing_written()


def test_a_kind_not_in_force_on_the_start_is_refused(commune: Unit) -> None:
    before_the_law = dt.date(2023, 6, 30)
    with pytest.raises(DomainError) as exc:
        services.disclosure_create(
            actor=None, unit=commune, kind=kind(1), title="Kế hoạch", start=before_the_law
        )
    assert exc.value.code == "disclosure_bad_kind"
    ended = DisclosureKind.objects.create(
        unit_kind="commune",
        number=15,
        title="Đã hết hiệu lực",
        citation="thử",
        valid_from=dt.date(2023, 7, 1),
        valid_to=dt.date(2025, 12, 31),
    )
    with pytest.raises(DomainError):
        services.disclosure_create(
            actor=None, unit=commune, kind=ended, title="X", start=dt.date(2026, 1, 1)
        )
    _nothing_written()


def test_a_province_records_no_disclosure(thai_nguyen: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        services.disclosure_create(
            actor=None, unit=thai_nguyen, kind=kind(1), title="X", start=dt.date(2026, 1, 1)
        )
    assert exc.value.code == "disclosure_bad_unit"
    _nothing_written()


def test_an_empty_title_is_refused(commune: Unit) -> None:
    with pytest.raises(DomainError) as exc:
        services.disclosure_create(
            actor=None, unit=commune, kind=kind(1), title="  ", start=dt.date(2026, 1, 1)
        )
    assert exc.value.field == "title"
    _nothing_written()


def test_writes_need_democracy_manage(commune: Unit, sibling_commune: Unit) -> None:
    reviewer = make_user("nguoi-xem", Role.INSPECTOR, commune)
    stranger = make_user("xa-khac", Role.OFFICER, sibling_commune)
    args = {"unit": commune, "kind": kind(1), "title": "X", "start": dt.date(2026, 1, 1)}
    with pytest.raises(PermissionDenied):
        services.disclosure_create(actor=reviewer, **args)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        services.disclosure_create(actor=stranger, **args)  # type: ignore[arg-type]
    _nothing_written()


def test_update_checks_the_same_rules_and_writes_nothing_on_error(
    record: Callable[..., Disclosure], officer: User
) -> None:
    disclosure = record(
        channels=[ChannelSpec(DisclosureForm.POSTING, dt.date(2026, 1, 5), dt.date(2026, 2, 5))]
    )
    events = AuditEvent.objects.count()
    for bad in (
        {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 2, 1)},
        {"start": dt.date(2026, 1, 10)},  # after the posting began
        {"kind": kind(2, "agency")},
    ):
        params = {"kind": kind(1), "title": "Sửa", "start": dt.date(2026, 1, 5), **bad}
        with pytest.raises(DomainError):
            services.disclosure_update(actor=officer, disclosure=disclosure, **params)  # type: ignore[arg-type]
    disclosure.refresh_from_db()
    assert disclosure.title.startswith("Kế hoạch")
    assert AuditEvent.objects.count() == events
    done = services.disclosure_update(
        actor=officer,
        disclosure=disclosure,
        kind=kind(1),
        title="Kế hoạch (sửa)",
        start=dt.date(2026, 1, 5),
        end=dt.date(2026, 3, 1),
        is_public=False,
    )
    assert done.title == "Kế hoạch (sửa)"
    assert not done.is_public
    assert AuditEvent.objects.count() == events + 1


def test_channel_add_and_remove(record: Callable[..., Disclosure], officer: User) -> None:
    disclosure = record()
    with pytest.raises(DomainError):
        services.channel_add(
            actor=officer,
            disclosure=disclosure,
            form=DisclosureForm.LOUDSPEAKER,
            start=dt.date(2026, 1, 9),
            end=dt.date(2026, 1, 8),
        )
    assert not disclosure.channels.exists()
    channel = services.channel_add(
        actor=officer,
        disclosure=disclosure,
        form=DisclosureForm.LOUDSPEAKER,
        start=dt.date(2026, 1, 6),
        end=dt.date(2026, 1, 8),
        place="Đài truyền thanh xã",
    )
    services.channel_remove(actor=officer, channel=channel)
    assert not disclosure.channels.exists()
    assert AuditEvent.objects.filter(action="delete", model_label="disclosure.disclosurechannel")


def test_evidence_is_checked_by_content(
    record: Callable[..., Disclosure], officer: User, media_root: Path
) -> None:
    disclosure = record()
    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00 not an image", "image/png")
    with pytest.raises(DomainError) as exc:
        services.evidence_add(actor=officer, disclosure=disclosure, file=fake)
    assert exc.value.code == "disclosure_bad_file"
    assert not DisclosureEvidence.objects.exists()
    good = SimpleUploadedFile("bang-tin.pdf", PDF, "application/pdf")
    item = services.evidence_add(
        actor=officer, disclosure=disclosure, file=good, caption="Ảnh bảng tin"
    )
    assert item.content_type == "application/pdf"
    assert item.original_name == "bang-tin.pdf"
    assert item.file.read().startswith(b"%PDF")
