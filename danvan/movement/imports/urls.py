from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("nhap-excel/", views.import_list, name="imports"),
    path("nhap-excel/mau.xlsx", views.import_template, name="import_template"),
    path("nhap-excel/<uuid:public_id>/", views.import_detail, name="import_detail"),
    path("nhap-excel/<uuid:public_id>/ghi/", views.import_start, name="import_start"),
    path("nhap-excel/<uuid:public_id>/thu-lai/", views.import_retry, name="import_retry"),
    path(
        "nhap-excel/<uuid:public_id>/tien-do/",
        views.import_progress,
        name="import_progress",
    ),
]
