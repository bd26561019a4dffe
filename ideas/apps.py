from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Problems and ideas"

    def ready(self) -> None:
        from realtime.registry import register_verb

        for verb, phrase in {
            "problem.posted": "posted a problem:",
            "problem.owner_added": "added an owner to",
            "problem.status_changed": "changed the status of",
            "idea.posted": "posted an idea:",
            "idea.edited": "edited",
            "idea.supported": "supported",
            "idea.unsupported": "withdrew support from",
            "idea.decided": "made a decision on",
            "idea.merged": "merged a duplicate:",
            "comment.posted": "commented on",
            "comment.edited": "edited a comment on",
            "comment.deleted": "deleted a comment on",
            "content.hidden": "hid content on",
        }.items():
            register_verb(verb, phrase)

        from ideas import sections

        sections.register()  # the welcome page, profiles and organisation pages show ours
