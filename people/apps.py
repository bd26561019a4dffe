from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organisations"

    def ready(self) -> None:
        from realtime.registry import register_verb

        register_verb("person.joined", "joined")
        register_verb("profile.updated", "updated")
        register_verb("organisation.added", "added the organisation")
