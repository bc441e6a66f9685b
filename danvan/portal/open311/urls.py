"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): every path ends in
.json or .xml, which picks the format of the answer."""

from django.urls import re_path

from . import views

app_name = "open311"

_FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + _FORMAT, views.services, name="services"),
    re_path(
        r"^services/(?P<service_code>[\w-]{1,40})" + _FORMAT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^requests" + _FORMAT, views.requests, name="requests"),
    re_path(
        r"^requests/(?P<request_id>[\w-]{1,40})" + _FORMAT, views.request_detail, name="request"
    ),
]
