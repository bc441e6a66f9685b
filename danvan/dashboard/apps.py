from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "danvan.dashboard"
