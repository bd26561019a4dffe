from django.apps import AppConfig


class CommonsConfig(AppConfig):
    """The commons outcome data: datasets, their structure and versions, imports (and, wired in
    on top, the one confidentialisation door, access requests and the register of use)."""

    name = "commons"
    verbose_name = "Commons outcome data"

    def ready(self) -> None:
        from commons import notifying, sections

        notifying.register()  # how a published version reads in the feed, and where it lands
        sections.register()
