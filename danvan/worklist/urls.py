from django.urls import path

from . import views

app_name = "worklist"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("thong-bao/", views.notice_list, name="notices"),
    path("thong-bao/da-xem/", views.notices_read, name="notices_read"),
    path("thong-bao/<int:pk>/", views.notice_open, name="notice_open"),
]
