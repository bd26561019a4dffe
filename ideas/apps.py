from typing import Any

from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Problems and ideas"

    def ready(self) -> None:
        from ideas import activity, sections

        activity.register()  # how our activities read, where they land, who they notify
        sections.register()  # the welcome page, profiles and organisation pages show ours
        _register_discussable()
        _register_searchable()


def _register_discussable() -> None:
    """Ideas and problems are discussed: comments, follows, reports, hiding (and support, on
    ideas) come from ``discussion`` by this registration."""
    from discussion import registry
    from discussion.services import contributed
    from ideas import activity, permissions, selectors, services, views
    from ideas.models import Idea, Problem

    def moderates(user: Any, obj: Any) -> bool:
        return permissions.can_moderate(user)

    registry.register(
        Idea,
        key="idea",
        page=views.idea_page,
        load=lambda pk: selectors.idea_for_page(pk=pk),
        can_moderate=moderates,
        reactions={selectors.SUPPORT: "support_count"},
        landing=activity.decision_landing,
    )
    registry.register(
        Problem,
        key="problem",
        page=views.problem_page,
        load=lambda pk: selectors.problem_for_page(pk=pk),
        can_moderate=moderates,
    )
    contributed.connect(services.count_contribution, dispatch_uid="ideas.participation")


def _register_searchable() -> None:
    """Ideas and problems are found by the one search across kinds (core.finding)."""
    from core import finding
    from ideas import selectors

    finding.register(
        "idea",
        label="Ideas",
        noun="Idea",
        find=selectors.find_ideas,
        count=selectors.count_ideas,
        order=10,
    )
    finding.register(
        "problem",
        label="Problems",
        noun="Problem",
        find=selectors.find_problems,
        count=selectors.count_problems,
        order=20,
    )
