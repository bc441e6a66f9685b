"""The officers' news pages, under /tin-tuc/."""

from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("viet/", views.article_create, name="create"),
    path("cho-duyet/", views.review_queue, name="review"),
    path("y-kien-ban-doc/", views.feedback_queue, name="feedback"),
    path("y-kien-ban-doc/<int:pk>/", views.feedback_moderate, name="moderate"),
    path("y-kien-ban-doc/<int:pk>/tra-loi/", views.feedback_answer, name="answer"),
    path("<uuid:public_id>/", views.article_detail, name="detail"),
    path("<uuid:public_id>/sua/", views.article_edit, name="edit"),
    path("<uuid:public_id>/anh/", views.photo_add, name="photo_add"),
    path("<uuid:public_id>/gui-duyet/", views.article_submit, name="submit"),
    path("<uuid:public_id>/duyet/", views.article_approve, name="approve"),
    path("<uuid:public_id>/tra-lai/", views.article_return, name="return"),
    path("<uuid:public_id>/hen-gio/", views.article_schedule, name="schedule"),
    path("<uuid:public_id>/go-bai/", views.article_unpublish, name="unpublish"),
    path("<uuid:public_id>/soan-lai/", views.article_redraft, name="redraft"),
]
