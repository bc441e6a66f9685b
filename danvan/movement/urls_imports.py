from django.urls import URLPattern, path

from .views_placeholder import not_ready

urlpatterns: list[URLPattern] = [
    path("nhap-excel/", not_ready, name="imports"),  # replaced by the imports pages
]
