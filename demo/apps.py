from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (``manage.py seed_demo``): at the top of the house, so that it may use
    every app's services and no app below imports it."""

    name = "demo"
    verbose_name = "Demo data"
