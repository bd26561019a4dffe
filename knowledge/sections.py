"""What knowledge shows on other apps' pages (``core/sections.py``): "Knowledge that uses it"
on idea, problem, project and indicator pages, and, on a closed project's page, its lesson
learned (or, for its members, the button that writes it up from the closure report).

A restricted project's section is its members' only: to anyone else there is nothing, not
even a count (what uses a project is inside it).
"""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from core import sections
from knowledge import lessons, links

ORDER = 70  # after the projects (100 is the default) … before: beside the commons' evidence (60)


def register() -> None:
    sections.register("idea", "knowledge", idea_knowledge, order=ORDER)
    sections.register("problem", "knowledge", problem_knowledge, order=ORDER)
    sections.register("project", "knowledge", project_knowledge, order=ORDER)
    sections.register("indicator", "knowledge", indicator_knowledge, order=ORDER)


def _render(request: HttpRequest, target: Any, **extra: Any) -> str:
    articles = links.articles_using(target=target)
    return render_to_string(
        "knowledge/_uses.html",
        {"articles": articles, "kind": links.kind_of(target), **extra},
        request=request,
    )


def idea_knowledge(request: HttpRequest, *, idea: Any) -> str:
    return "" if idea.is_hidden else _render(request, idea)


def problem_knowledge(request: HttpRequest, *, problem: Any) -> str:
    return "" if problem.is_hidden else _render(request, problem)


def indicator_knowledge(request: HttpRequest, *, indicator: Any) -> str:
    return _render(request, indicator)


def project_knowledge(request: HttpRequest, *, project: Any, viewer: Any) -> str:
    if not viewer.can_view:
        return ""
    lesson = links.lesson_of(project=project)
    can_write_up = lesson is None and lessons.may_write_up(request.user, project)
    return _render(
        request,
        project,
        project=project,
        lesson=lesson,
        can_write_up=can_write_up,
        ask_public=can_write_up and project.restricted,
    )
