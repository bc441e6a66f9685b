import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from danvan.accounts.testing import make_user
from danvan.audit.context import client_ip
from danvan.audit.middleware import AuditContextMiddleware
from danvan.audit.models import AppendOnlyError, AuditEvent
from danvan.units import services
from danvan.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_create_update_record_who_what_where(commune: Unit) -> None:
    officer = make_user("officer", "officer", commune)
    token = client_ip.set("10.1.2.3")
    try:
        village = services.unit_create(
            actor=officer, parent=commune, kind=UnitKind.VILLAGE, name="Thôn Mới", households=50
        )
        services.unit_update(actor=officer, unit=village, households=55, name="Thôn Mới")
    finally:
        client_ip.reset(token)
    create, update = AuditEvent.objects.filter(
        model_label="units.unit", object_pk=str(village.pk)
    ).order_by("id")
    assert create.action == "create"
    assert create.actor == officer
    assert create.ip_address == "10.1.2.3"
    assert create.unit_path == village.path
    assert update.changes == {"households": [50, 55]}


def test_an_update_that_changes_nothing_writes_no_event(commune: Unit) -> None:
    village = services.unit_create(actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn B")
    n = AuditEvent.objects.count()
    services.unit_update(actor=None, unit=village, name="Thôn B")
    assert AuditEvent.objects.count() == n


def test_trail_is_append_only(commune: Unit) -> None:
    services.unit_create(actor=None, parent=commune, kind=UnitKind.VILLAGE, name="Thôn C")
    event = AuditEvent.objects.first()
    assert event is not None
    event.object_repr = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.object_repr != "sửa"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"], CLIENT_IP_HEADER="X-Forwarded-For")
def test_the_trail_records_the_client_behind_a_trusted_proxy_not_the_proxy() -> None:
    """The middleware takes the address from core.client_address, as the lock-out and the
    rate limits do: the proxy's header from the proxy, REMOTE_ADDR from anywhere else."""
    seen: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(client_ip.get())
        return HttpResponse()

    middleware = AuditContextMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.5"))
    middleware(factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.5"))
    assert seen == ["198.51.100.5", "203.0.113.9"]
    assert client_ip.get() is None
