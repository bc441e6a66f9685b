"""The document register's pages, mounted at /van-ban/."""

from django.urls import URLPattern, path

from . import views

app_name = "directives"

urlpatterns: list[URLPattern] = [
    path("", views.document_list, name="list"),
    path("vao-so/", views.document_create, name="create"),
    path("<uuid:public_id>/", views.document_detail, name="detail"),
    path("<uuid:public_id>/sua/", views.document_edit, name="edit"),
    path("<uuid:public_id>/tep/", views.document_file, name="file"),
    path("<uuid:public_id>/lien-ket/", views.link_add, name="link_add"),
    path("lien-ket/<int:pk>/go/", views.link_remove, name="link_remove"),
]
