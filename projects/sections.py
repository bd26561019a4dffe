"""What projects shows on other apps' pages (``core/sections.py``): the projects that took up an
idea or answer a problem, and a person's or an organisation's projects. Titles, status and the
fact of restriction are every project's public face, so these lists are the same for everyone."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from core import sections
from projects import selectors


def register() -> None:
    sections.register("idea", "projects", idea_projects)
    sections.register("problem", "projects", problem_projects)
    sections.register("profile", "projects", profile_projects, order=50)
    sections.register("organisation", "projects", organisation_projects, order=50)


def _render(
    request: HttpRequest, projects: list[Any], heading: str, empty: str = "", start: str = ""
) -> str:
    if not projects and not empty:
        return ""
    return render_to_string(
        "projects/_section.html",
        {"projects": projects, "heading": heading, "empty": empty, "start": start},
        request=request,
    )


def idea_projects(request: HttpRequest, *, idea: Any) -> str:
    from django.urls import reverse

    start = ""
    if idea.stage != "merged" and not idea.is_hidden:
        start = reverse("project_create") + f"?idea={idea.pk}"
    return _render(
        request,
        selectors.projects_of_idea(idea_id=idea.pk),
        "Projects from this idea",
        empty="No project has taken this idea up yet.",
        start=start,
    )


def problem_projects(request: HttpRequest, *, problem: Any) -> str:
    return _render(
        request,
        selectors.projects_of_problem(problem_id=problem.pk),
        "Projects working on this problem",
    )


def profile_projects(request: HttpRequest, *, profile: Any) -> str:
    """The person's projects: who is in a restricted project is inside it, so those show only
    to its members."""
    rows = selectors.projects_of_user(user=profile.user)
    mine = set(selectors.member_project_ids(user=request.user)) if rows else set()
    shown = [m.project for m in rows if not m.project.restricted or m.project_id in mine]
    return _render(request, shown, "Projects")


def organisation_projects(request: HttpRequest, *, organisation: Any) -> str:
    page = selectors.portfolio(organisation=organisation.slug, size=20)
    return _render(request, page.items, "Projects")
