"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from danvan.accounts import policies
from danvan.core.http import domain_http
from danvan.units.models import Unit
from danvan.urls import handler400, handler403, handler404, handler500
from danvan.urls import urlpatterns as site

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("broken query")


@domain_http
def audit_of(request: HttpRequest, code: str) -> HttpResponse:
    # A unit-scoped refusal from the policy module, as every app's views raise it.
    policies.require(request.user, policies.Perm.AUDIT_VIEW, Unit.objects.get(code=code))
    return HttpResponse("ok")


urlpatterns = [
    path("api/v1/test-boom/", boom),
    path("test-boom/", boom),
    path("test-bad/", bad),
    path("test-audit/<str:code>/", audit_of),
    *site,
]
