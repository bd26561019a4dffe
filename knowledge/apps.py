from typing import Any

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge"

    def ready(self) -> None:
        from knowledge import events, notifying, sections

        notifying.register()  # how our activities read in the feed
        events.connect()  # reviews suggested when a linked dataset or project changes
        sections.register()  # "knowledge that uses it" on idea, problem, project, indicator pages
        _register_discussable()
        _register_findable()


def _register_discussable() -> None:
    """Articles are discussed (comments, follows, reports, visible hiding) through
    ``discussion``: a registration, no comment code of our own. Articles are public: the
    activities, comments and follows about them have the public scope (the default)."""
    from discussion import registry
    from knowledge import permissions, selectors, views
    from knowledge.models import Article

    def moderates(user: Any, article: Any) -> bool:
        return permissions.can_moderate(user)

    registry.register(
        Article,
        key="article",  # URL names article_comment, article_follow …
        page=views.article_page,
        load=lambda pk: selectors.article_for_page(pk=pk),
        can_moderate=moderates,
        noun="article",
    )


def _register_findable() -> None:
    """Articles are found by the one search across kinds (core.finding), after projects."""
    from core import finding
    from knowledge import selectors

    finding.register(
        "article",
        label="Articles",
        noun="Article",
        find=selectors.find_articles,
        count=selectors.count_articles,
        order=40,
    )
