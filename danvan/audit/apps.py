from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "danvan.audit"
    verbose_name = "Nhật ký"
