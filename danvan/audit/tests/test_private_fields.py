"""Personal fields (a model's ``audit_private_fields``) never reach the audit trail: it
records that they were set, changed or cleared, not what they hold."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from danvan.accounts.testing import make_user
from danvan.audit.models import AuditEvent
from danvan.audit.services import MASK
from danvan.cases.reception import services as reception_services
from danvan.consultation import services as consultation
from danvan.units.models import Official, Unit

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def trail() -> str:
    return json.dumps(
        list(AuditEvent.objects.values_list("changes", flat=True)), ensure_ascii=False
    )


@time_machine.travel(dt.datetime(2026, 5, 10, 9, 0, tzinfo=HCM), tick=False)
def test_a_commenters_name_and_contact_stay_out_of_the_trail(commune: Unit) -> None:
    officer = make_user("audit-private", "officer", commune)
    draft = consultation.consultation_create(
        actor=officer, unit=commune, subject="land_use", title="Dự thảo", draft="Nội dung."
    )
    opened = consultation.consultation_open(
        actor=officer,
        consultation=draft,
        opens_on=dt.date(2026, 5, 9),
        closes_on=dt.date(2026, 5, 30),
    )
    comment = consultation.comment_submit(
        actor=None,
        consultation=opened,
        text="Đề nghị giữ lại 0,5 ha đất lúa.",
        commenter_name="Trần Thị Hoa",
        contact="0912 345 678",
    )
    event = AuditEvent.objects.get(model_label="consultation.comment", action="create")
    assert event.object_pk == str(comment.pk)
    assert event.changes["commenter_name"] == [None, MASK]
    assert event.changes["contact"] == [None, MASK]
    assert event.changes["text"] == [None, "Đề nghị giữ lại 0,5 ha đất lúa."]
    assert "Trần Thị Hoa" not in trail()
    assert "0912 345 678" not in trail()


@time_machine.travel(dt.datetime(2026, 3, 31, 9, 0, tzinfo=HCM), tick=False)
def test_the_citizens_received_stay_out_of_the_trail(commune: Unit) -> None:
    officer = make_user("audit-private-2", "officer", commune)
    chair = Official.objects.create(unit=commune, full_name="Chủ tịch Hà", position="Chủ tịch")
    fields: dict[str, Any] = {
        "unit": commune,
        "leader": chair,
        "held_on": dt.date(2026, 3, 30),
        "place": "Trụ sở",
        "citizens_count": 2,
        "content": "Đất đai",
    }
    session = reception_services.session_record(
        actor=officer, citizens="Nguyễn Văn An; Lê Thị Bích", **fields
    )
    fields.pop("unit")
    reception_services.session_update(
        actor=officer, session=session, citizens="Nguyễn Văn An", **fields
    )
    reception_services.session_update(actor=officer, session=session, citizens="", **fields)
    events = AuditEvent.objects.filter(model_label="cases.receptionsession").order_by("id")
    # Set, changed (still recorded, though both values are hidden), cleared.
    assert [e.changes["citizens"] for e in events] == [[None, MASK], [MASK, MASK], [MASK, ""]]
    assert "Nguyễn Văn An" not in trail()
