"""The gallery of the movement's good examples, under /cong-dan/dien-hinh/."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("dien-hinh/", views.gallery, name="gallery"),
    path("dien-hinh/<uuid:public_id>/", views.gallery_entry, name="gallery_entry"),
    path(
        "dien-hinh/<uuid:public_id>/anh/<int:pk>/<str:size>/",
        views.gallery_photo,
        name="gallery_photo",
    ),
]
