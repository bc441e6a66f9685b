from django.urls import path

from . import views

app_name = "worklist"

urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("da-xem/", views.notices_read, name="notices_read"),
    path("<int:pk>/", views.notice_open, name="notice_open"),
]
