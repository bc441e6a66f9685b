from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "danvan.legal"
    verbose_name = "Quy định pháp lý"
