from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    """Installed for its migrations (PostgreSQL's search functions, extensions and lexicon; no
    models) and to give every SQLite connection the search functions."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="core.search")
