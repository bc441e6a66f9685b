from django.urls import path

from . import views
from .kinds import views as kinds

app_name = "disclosure"

urlpatterns = [
    path("", views.index, name="list"),
    path("them/", views.create, name="create"),
    path("tuan-thu/", views.compliance, name="compliance"),
    path("danh-muc/", views.catalogue, name="catalogue"),
    path("danh-muc/them/", kinds.kind_add, name="kind_add"),
    path("danh-muc/<int:pk>/da-doi-chieu/", kinds.kind_verified, name="kind_verified"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/sua/", views.edit, name="edit"),
    path("<uuid:public_id>/hinh-thuc/", views.channel_add, name="channel_add"),
    path("<uuid:public_id>/hinh-thuc/<int:pk>/xoa/", views.channel_remove, name="channel_remove"),
    path("<uuid:public_id>/minh-chung/", views.evidence_add, name="evidence_add"),
    path("<uuid:public_id>/minh-chung/<int:pk>/", views.evidence_file, name="evidence_file"),
]
