from django.urls import URLPattern, path

from . import views_imports

urlpatterns: list[URLPattern] = [
    path("nhap-excel/", views_imports.import_list, name="imports"),
    path("nhap-excel/mau.xlsx", views_imports.import_template, name="import_template"),
    path("nhap-excel/<uuid:public_id>/", views_imports.import_detail, name="import_detail"),
    path("nhap-excel/<uuid:public_id>/ghi/", views_imports.import_start, name="import_start"),
    path(
        "nhap-excel/<uuid:public_id>/tien-do/",
        views_imports.import_progress,
        name="import_progress",
    ),
]
