from django.apps import AppConfig


class MovementConfig(AppConfig):
    name = "danvan.movement"
    verbose_name = "Phong trào “Dân vận khéo”"

    def ready(self) -> None:
        from . import worklist  # noqa: F401 — registers its sources of the list of what needs doing
