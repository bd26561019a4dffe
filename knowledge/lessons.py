"""A closed project's closure report written up as a "lesson learned" article.

When a project is completed or stopped its lead writes a closure report (``projects``: what was
achieved against each measure, what was learned). Its members can turn that into a lesson
learned article in one step: the article starts with the report's text under a clear "draft:
edit before relying on it" note, the project's title, and links to the project, the ideas and
problems it came from, and the commons indicators its outcome measures take their values
from. A project has one such lesson (a database constraint): pressing the button again goes to
it. The article is public like every article, so for a restricted project the member must say
they have checked the text may be public.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from commons.models import MeasureSource
from ideas.models import Idea, Problem
from knowledge import links, services
from knowledge.models import Article, ArticleLink
from projects import permissions as project_permissions
from projects import selectors as project_selectors
from projects.models import Project

DRAFT_NOTE = (
    "> **Draft from the project's closure report — edit before relying on it.** "
    "Say what others should do differently, and take out anything that only made sense "
    "inside the project."
)
PUBLIC_CHECK = (
    "This project is restricted, and the article will be public: tick the box to say you have "
    "checked that its closure report may be shared beyond the project."
)


def may_write_up(user: Any, project: Project) -> bool:
    """Its members (not observers) may, once it is closed with a closure report."""
    membership = project_selectors.membership_of(user=user, project=project)
    return (
        project_permissions.can_write(user, project, membership)
        and project_selectors.closure(project=project) is not None
    )


def _measure_lines(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        final = r.get("final")
        unit = r.get("unit", "")
        reached = f"{final} {unit}" if final is not None else "no final value"
        note = f": {r['note']}" if r.get("note") else ""
        lines.append(
            f"- **{r.get('name', 'Measure')}** — from {r.get('baseline')} {unit} towards "
            f"{r.get('target')} {unit}, reached {reached}{note}"
        )
    return "\n".join(lines)


def draft_body(project: Project, closure: Any) -> str:
    parts = [
        DRAFT_NOTE,
        f"## What the project set out to do\n\n{project.purpose.strip()}",
        f"## What it achieved\n\n{closure.achieved.strip()}",
        f"## What was learned\n\n{closure.learned.strip()}",
    ]
    if closure.results:
        parts.append(f"## Against each outcome measure\n\n{_measure_lines(closure.results)}")
    return "\n\n".join(parts)


@transaction.atomic
def lesson_from_closure(*, actor: Any, project: Project, confirm_public: bool = False) -> Article:
    """Start a lesson learned article from ``project``'s closure report, linked to the project
    (the link marks it as this project's lesson), its ideas and problems (those not hidden),
    and its measures' indicators."""
    if not (actor is not None and actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Sign in to write up a lesson learned.")
    membership = project_selectors.membership_of(user=actor, project=project)
    if not project_permissions.can_write(actor, project, membership):
        raise PermissionDenied("Only the project's members can write up its lesson learned.")
    closure = project_selectors.closure(project=project)
    if closure is None:
        raise ValidationError(
            "The project has no closure report yet: it is written when the project is "
            "completed or stopped."
        )
    # Two members pressing at once: the second waits here, then finds the first's lesson.
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk").first()
    existing = links.lesson_of(project=project)
    if existing is not None:
        raise ValidationError(f"This project's lesson learned is written up already: "
                              f"“{existing.title}”.")  # fmt: skip
    if project.restricted and not confirm_public:
        raise ValidationError({"confirm_public": PUBLIC_CHECK})
    article = services.article_create(
        actor=actor,
        kind=Article.Kind.LESSON,
        title=f"Lessons from {project.title}"[:200],
        summary=f"What the project “{project.title}” learned, from its closure report."[:500],
        body=draft_body(project, closure),
        edit_summary="Started from the project's closure report",
        # The closure report is the project's own published record, checked when it was
        # written; the draft note asks the writer to take out what should not travel.
        confirm_not_identifying=True,
    )
    made = [ArticleLink(article=article, project=project, from_closure=True, added_by=actor)]
    for idea in project.ideas.filter(hidden_at=None).exclude(stage=Idea.Stage.MERGED):
        made.append(ArticleLink(article=article, idea=idea, added_by=actor))
    for problem in Problem.objects.filter(projects=project, hidden_at=None):
        made.append(ArticleLink(article=article, problem=problem, added_by=actor))
    indicator_ids = (
        MeasureSource.objects.filter(measure__project=project)
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    for indicator_id in sorted(set(indicator_ids)):
        made.append(ArticleLink(article=article, indicator_id=indicator_id, added_by=actor))
    ArticleLink.objects.bulk_create(made)
    return article
