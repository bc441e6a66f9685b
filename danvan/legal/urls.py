from django.urls import path

from . import views

app_name = "legal"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("them/", views.rule_add, name="rule_add"),
    path("<int:pk>/da-doi-chieu/", views.rule_verified, name="rule_verified"),
    path("ngay-nghi/them/", views.day_add, name="day_add"),
    path("ngay-nghi/<int:pk>/xoa/", views.day_remove, name="day_remove"),
]
