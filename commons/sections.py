"""What the commons shows on other apps' pages (``core/sections.py``): the outcome data cited
as evidence on a problem or an idea, and where a project's outcome measure takes its values
from (with the way to take them from an indicator, for the project's members)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from commons import links
from core import sections


def register() -> None:
    sections.register("idea", "commons", idea_evidence, order=60)
    sections.register("problem", "commons", problem_evidence, order=60)
    sections.register("measure", "commons", measure_source)


def _evidence(request: HttpRequest, citations: list[Any], query: str, can_cite: bool) -> str:
    return render_to_string(
        "commons/_evidence.html",
        {"citations": citations, "query": query, "can_cite": can_cite},
        request=request,
    )


def idea_evidence(request: HttpRequest, *, idea: Any) -> str:
    can_cite = not idea.is_hidden and idea.stage != "merged"
    return _evidence(request, links.citations_on(idea=idea), f"idea={idea.pk}", can_cite)


def problem_evidence(request: HttpRequest, *, problem: Any) -> str:
    return _evidence(request, links.citations_on(problem=problem), f"problem={problem.pk}", True)


def measure_source(request: HttpRequest, *, measure: Any, viewer: Any) -> str:
    # One query for the whole outcomes page, not one per measure: the project's sources are
    # read with its first measure and kept on the request for the others.
    cache: dict[int, dict[int, Any]] = request.__dict__.setdefault("_commons_sources", {})
    if measure.project_id not in cache:
        cache[measure.project_id] = links.sources_of(project=measure.project)
    source = cache[measure.project_id].get(measure.pk)
    if source is None and not viewer.can_write:
        return ""
    return render_to_string(
        "commons/_measure_source.html",
        {"source": source, "measure": measure, "can_write": viewer.can_write},
        request=request,
    )
