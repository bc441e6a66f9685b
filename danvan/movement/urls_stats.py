from django.urls import URLPattern, path

from .views_placeholder import not_ready

urlpatterns: list[URLPattern] = [
    path("thong-ke/", not_ready, name="stats"),  # replaced by the stats pages
]
