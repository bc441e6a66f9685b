"""URLs of the evaluation rounds and criteria sets (evaluation.views)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("danh-gia/", views.rounds, name="rounds"),
    path("danh-gia/mo-dot/", views.round_create, name="round_create"),
    path("danh-gia/bo-tieu-chi/", views.criteria_list, name="criteria_list"),
    path("danh-gia/bo-tieu-chi/them/", views.criteria_create, name="criteria_create"),
    path("danh-gia/bo-tieu-chi/<int:pk>/", views.criteria_edit, name="criteria_edit"),
    path("danh-gia/<uuid:public_id>/", views.round_detail, name="round_detail"),
    path("danh-gia/<uuid:public_id>/cham/<uuid:entry_id>/", views.round_score, name="round_score"),
    path("danh-gia/<uuid:public_id>/nop-phieu/", views.round_submit, name="round_submit"),
    path("danh-gia/<uuid:public_id>/xac-nhan/", views.round_confirm, name="round_confirm"),
    path("danh-gia/<uuid:public_id>/huy/", views.round_cancel, name="round_cancel"),
]
