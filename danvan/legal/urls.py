from django.urls import path

from danvan.supervision.rules import views as supervision_rules

from . import views

app_name = "legal"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("them/", views.rule_add, name="rule_add"),
    path("<int:pk>/da-doi-chieu/", views.rule_verified, name="rule_verified"),
    path("nghia-vu/them/", views.duty_add, name="duty_add"),
    path("nghia-vu/<int:pk>/da-doi-chieu/", views.duty_verified, name="duty_verified"),
    path("giam-sat/them/", supervision_rules.rule_add, name="supervision_rule_add"),
    path(
        "giam-sat/<int:pk>/da-doi-chieu/",
        supervision_rules.rule_verified,
        name="supervision_rule_verified",
    ),
    path("the-thuc/them/", views.layout_add, name="layout_add"),
    path("the-thuc/<int:pk>/da-doi-chieu/", views.layout_verified, name="layout_verified"),
    path("ngay-nghi/them/", views.day_add, name="day_add"),
    path("ngay-nghi/<int:pk>/xoa/", views.day_remove, name="day_remove"),
]
