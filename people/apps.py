from typing import Any

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organisations"

    def ready(self) -> None:
        from people.models import Organisation, Profile
        from realtime.registry import register_actor, register_target, register_verb

        register_actor(_actor)
        register_target(Profile, title=str)
        register_target(Organisation, title=str)

        register_verb("person.joined", "joined")
        register_verb("profile.updated", "updated")
        register_verb("organisation.added", "added the organisation")


def _actor(user: Any) -> Any:
    """A person as activities name them: display name, profile, organisation (now)."""
    from people.selectors import profile_of
    from realtime.registry import Actor

    profile = profile_of(user)
    if profile is None:
        return Actor(name=user.get_username())
    organisation = profile.organisation
    return Actor(
        name=profile.display_name,
        url=profile.get_absolute_url(),
        org=organisation.name if organisation else "",
        org_short=organisation.short_name if organisation else "",
    )
