from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Real time"

    def ready(self) -> None:
        from realtime import registry, signals  # noqa: F401  (connects auth signal receivers)

        registry.register_builtin_scopes()
