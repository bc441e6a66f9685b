"""The task pages, mounted at /nhiem-vu/."""

from django.urls import URLPattern, path

from . import views
from .board import views as board_views
from .selectors import Tab

app_name = "directive_tasks"

urlpatterns: list[URLPattern] = [
    path("", views.task_list, {"tab": Tab.LEAD}, name="list"),
    path("phoi-hop/", views.task_list, {"tab": Tab.COORDINATE}, name="list_coordinate"),
    path("da-giao/", views.task_list, {"tab": Tab.ASSIGNED}, name="list_assigned"),
    path("them/", views.task_create, name="create"),
    path("ke-hoach/them/", views.plan_create, name="plan_create"),
    path("ke-hoach/<uuid:public_id>/", views.plan_detail, name="plan_detail"),
    path("<uuid:public_id>/", views.task_detail, name="detail"),
    path("<uuid:public_id>/giao-tiep/", views.task_delegate, name="delegate"),
    path("<uuid:public_id>/tien-do/", views.task_report, name="report"),
    path("<uuid:public_id>/nop-san-pham/", views.task_submit, name="submit"),
    path("<uuid:public_id>/nghiem-thu/", views.task_accept, name="accept"),
    path("<uuid:public_id>/tra-lai/", views.task_return, name="return"),
    path("<uuid:public_id>/mo-lai/", views.task_reopen, name="reopen"),
    path("<uuid:public_id>/huy/", views.task_cancel, name="cancel"),
    path("<uuid:public_id>/san-pham/", views.result_file, name="result_file"),
    path("<uuid:public_id>/minh-chung/<int:pk>/", views.evidence_file, name="evidence_file"),
    path(
        "<uuid:public_id>/yeu-cau-giai-trinh/",
        views.explanation_request,
        name="explanation_request",
    ),
    path("<uuid:public_id>/giai-trinh/", views.explanation_answer, name="explanation_answer"),
    path(
        "<uuid:public_id>/xem-xet-giai-trinh/",
        views.explanation_decide,
        name="explanation_decide",
    ),
    path("bang-theo-doi/", board_views.board, name="board"),
    path("bang-theo-doi/excel/", board_views.board_excel, name="board_excel"),
]
