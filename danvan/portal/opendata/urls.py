"""Open data, under /cong-dan/du-lieu-mo/."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("du-lieu-mo/", views.opendata, name="opendata"),
    path("du-lieu-mo/datapackage.json", views.datapackage, name="opendata_package"),
    path("du-lieu-mo/<slug:name>.csv", views.download_csv, name="opendata_csv"),
    path("du-lieu-mo/<slug:name>.json", views.download_json, name="opendata_json"),
]
