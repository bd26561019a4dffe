from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Problems and ideas"

    def ready(self) -> None:
        from ideas import activity
        from realtime.registry import register_landing, register_verb

        comments = ("comment", "comments")
        for verb, phrase, detail, noun in [
            ("problem.posted", "posted a problem:", None, None),
            ("problem.owner_added", "added an owner to", activity.owner_added, None),
            ("problem.status_changed", "changed the status of", activity.status_changed, None),
            ("idea.posted", "posted an idea:", None, None),
            ("idea.edited", "edited", None, None),
            ("idea.supported", "supported", None, None),
            ("idea.unsupported", "withdrew support from", None, None),
            ("idea.decided", "moved", activity.decided, ("decision", "decisions")),
            ("idea.merged", "merged a duplicate:", activity.merged, None),
            ("comment.posted", "commented on", activity.commented, comments),
            ("comment.edited", "edited a comment on", None, None),
            ("comment.deleted", "deleted a comment on", None, None),
            ("content.hidden", "hid content on", activity.hidden, None),
        ]:
            register_verb(verb, phrase, detail=detail, noun=noun)
        for target_type in ("ideas.idea", "ideas.problem"):
            register_landing(target_type, activity.landing)

        from ideas import sections

        sections.register()  # the welcome page, profiles and organisation pages show ours
