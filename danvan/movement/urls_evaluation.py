from django.urls import URLPattern, path

from .views_placeholder import not_ready

urlpatterns: list[URLPattern] = [
    path("danh-gia/", not_ready, name="rounds"),  # replaced by the evaluation pages
]
