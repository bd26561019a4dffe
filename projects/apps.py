from typing import Any

from django.apps import AppConfig


def project_scope(project_id: int) -> str:
    return f"project:{project_id}"


def scope_of(project: Any) -> str:
    """Who sees what is inside a project: everyone (open), or its members (restricted)."""
    from realtime.registry import PUBLIC

    return project_scope(project.pk) if project.restricted else PUBLIC


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from projects import notifying, sections

        notifying.register()  # how our activities read, where they land, whom they tell
        sections.register()  # idea, problem, profile and organisation pages show our projects
        _register_scope()
        _register_discussable()
        _register_searchable()


def _register_scope() -> None:
    """``project:<id>``: the current members of a restricted project (the consumer asks before
    every join and replay; notifications are written only for them)."""
    from projects import selectors
    from realtime.registry import register_scope

    def may_see(user: Any, argument: str) -> bool:
        try:
            return selectors.is_current_member(user=user, project_id=int(argument))
        except ValueError:
            return False

    def members(argument: str) -> list[int]:
        try:
            return selectors.current_member_ids(project_id=int(argument))
        except ValueError:
            return []

    register_scope(
        "project",
        arguments_for=lambda user: [str(i) for i in selectors.member_project_ids(user=user)],
        may_see=may_see,
        members=members,
    )


def _register_discussable() -> None:
    """Projects and their updates are discussed (comments, follows, reports) through
    ``discussion``; what is inside a restricted project reaches its members only."""
    from discussion import registry
    from projects import notifying, permissions, selectors, views
    from projects.models import Project, Update

    def viewer(user: Any, project: Project) -> Any:
        return selectors.membership_of(user=user, project=project)

    def can_view(user: Any, project: Project) -> bool:
        return permissions.can_view(user, project, viewer(user, project))

    def moderates(user: Any, project: Project | None) -> bool:
        if project is None:
            return False
        return permissions.is_lead(user, project, viewer(user, project))

    registry.register(
        Project,
        key="project",
        page=views.project_page,
        load=selectors.load_project,
        scope=scope_of,
        can_view=can_view,
        can_comment=can_view,
        can_moderate=moderates,
        landing=notifying.landing,
        hideable=False,
    )
    registry.register(
        Update,
        key="project_update",
        page=views.update_page,
        load=lambda pk: selectors.update_for_page(pk=pk),
        scope=lambda update: scope_of(update.project),
        can_view=lambda user, update: can_view(user, update.project),
        can_comment=lambda user, update: can_view(user, update.project),
        can_moderate=lambda user, update: moderates(user, update.project if update else None),
        hideable=False,
        noun="update",
    )


def _register_searchable() -> None:
    """Projects are found by the one search across kinds (core.finding); a restricted one only
    by its current members."""
    from core import finding
    from projects import selectors

    finding.register(
        "project",
        label="Projects",
        noun="Project",
        find=selectors.find_projects,
        count=selectors.count_projects,
        order=30,
    )
