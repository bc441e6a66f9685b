"""The place search and the place pages, in the "portal" namespace."""

from django.urls import URLPattern, path, register_converter

from . import views


class UnitCodeConverter:
    """A unit code as services._CODE_PATTERN allows it: anything else is a 404 at once."""

    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnitCodeConverter, "unitcode")

urlpatterns: list[URLPattern] = [
    path("tim-noi/", views.place_search, name="place_search"),
    path("noi/<unitcode:code>/", views.place, name="place"),
]
