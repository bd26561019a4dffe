"""What every project view shares: loading the project as this person may see it, and the
context of the project's layout (header, tabs, what the viewer may do)."""

from typing import Any

from django.http import HttpRequest

from projects import selectors
from projects.models import Project

TABS = [
    ("overview", "Overview", "project_detail"),
    ("board", "Board", "project_board"),
    ("milestones", "Milestones", "project_milestones"),
    ("updates", "Updates", "project_updates"),
    ("decisions", "Decisions", "project_decisions"),
    ("risks", "Risks", "project_risks"),
    ("outcomes", "Outcomes", "project_outcomes"),
    ("team", "Team", "project_team"),
]
PUBLIC_TABS = {"overview", "team"}  # a restricted project's non-members see these


def inside(request: HttpRequest, pk: int) -> tuple[Project, selectors.Viewer]:
    """The project, if this person may see inside it (404 otherwise)."""
    return selectors.project_for_viewer(pk=pk, viewer=request.user)


def face(request: HttpRequest, pk: int) -> tuple[Project, selectors.Viewer]:
    """The project's public face, and what this person may do in it."""
    return selectors.project_for_page(pk=pk, viewer=request.user)


def layout(project: Project, viewer: selectors.Viewer, tab: str, **extra: Any) -> dict[str, Any]:
    tabs = [t for t in TABS if viewer.can_view or t[0] in PUBLIC_TABS]
    return {"project": project, "viewer": viewer, "tab": tab, "tabs": tabs, **extra}
