from django.urls import URLPattern, path

from .views_placeholder import not_ready

urlpatterns: list[URLPattern] = [
    path("mo-hinh/", not_ready, name="list"),  # replaced by the entries pages
]
