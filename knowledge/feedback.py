"""Feedback on articles: anyone signed in says what is wrong, out of date or missing; the owner
is told and answers in public within ``FEEDBACK_DAYS`` (then the feedback is flagged overdue on
the article and on /knowledge/feedback/).

Who answers: the article's owner, and anyone the article's permissions already let moderate it
(stewards) — so feedback on an article whose owner has left is not stuck. An answer may also
resolve the feedback ("fixed in revision 5"); the person who gave it is told either way.

Feedback on an article linked to a restricted project is that project's business: only its
members may give it (a non-member is refused, nothing is written), and the activities about it
are scoped to the project.
"""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from core import identifying, ratelimit
from core.paging import Page, page
from knowledge import links, notifying, permissions
from knowledge.models import FEEDBACK_DAYS, MAX_FEEDBACK, Article, ArticleLink, Feedback

PAGE_SIZE = 20

RESTRICTED = (
    "This article is linked to a restricted project: only that project's members can give "
    "feedback on it."
)
ANSWERERS = "Only the article's owner or a steward can answer feedback on it."


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _text(value: str, field: str, what: str) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({field: f"Write {what}."})
    if len(text) > MAX_FEEDBACK:
        raise ValidationError(
            {field: f"Keep it under {MAX_FEEDBACK:,} characters (it has {len(text):,})."}
        )
    return text


def can_answer(user: Any, article: Article) -> bool:
    return _active(user) and (user.pk == article.owner_id or permissions.can_moderate(user))


@transaction.atomic
def feedback_post(
    *, actor: Any, article: Article, text: str, confirm_not_identifying: bool = False
) -> Feedback:
    """Feedback from ``actor`` on the revision of ``article`` they were shown (the current
    one), due to be answered in ``FEEDBACK_DAYS``; the owner is notified."""
    if not _active(actor):
        raise PermissionDenied("Sign in to give feedback.")
    if article.is_hidden:
        raise PermissionDenied("This article is hidden, so it takes no feedback.")
    links.refuse_if_restricted_for(actor, article, RESTRICTED)
    body = _text(text, "text", "your feedback")
    identifying.check({"text": body}, confirmed=confirm_not_identifying)
    ratelimit.check(user=actor, action="post")
    profile = getattr(actor, "profile", None)
    now = timezone.now()
    feedback = Feedback.objects.create(
        created=now,
        due=now + timedelta(days=FEEDBACK_DAYS),
        article=article,
        revision_id=article.current_id,
        author=actor,
        organisation_id=profile.organisation_id if profile is not None else None,
        text=body,
    )
    notifying.record_feedback(actor=actor, feedback=feedback, scope=links.scope_of(article))
    return feedback


@transaction.atomic
def feedback_respond(
    *,
    actor: Any,
    feedback: Feedback,
    response: str,
    resolve: bool = False,
    confirm_not_identifying: bool = False,
) -> Feedback:
    """Answer ``feedback`` in public (again, to change the answer), and resolve it if
    ``resolve``. The person who gave it is told."""
    article = feedback.article
    if not can_answer(actor, article):
        raise PermissionDenied(ANSWERERS)
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if locked.status == Feedback.Status.RESOLVED:
        raise ValidationError("This feedback is resolved already.")
    body = _text(response, "response", "your answer")
    identifying.check({"response": body}, confirmed=confirm_not_identifying)
    ratelimit.check(user=actor, action="post")
    locked.response = body
    locked.responded_by = actor
    locked.responded_at = timezone.now()
    locked.status = Feedback.Status.RESOLVED if resolve else Feedback.Status.ANSWERED
    locked.save(update_fields=["response", "responded_by", "responded_at", "status"])
    locked.article = article
    notifying.record_answer(actor=actor, feedback=locked, scope=links.scope_of(article))
    return locked


# --- reads ---------------------------------------------------------------------------------

OPEN_FIRST = Case(
    When(status=Feedback.Status.OPEN, then=Value(0)),
    When(status=Feedback.Status.ANSWERED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _feedback() -> QuerySet[Feedback]:
    return Feedback.objects.select_related(
        "author__profile", "organisation", "responded_by__profile", "revision"
    )


def feedback_on(*, article: Article) -> list[Feedback]:
    """An article's feedback: open first (the oldest due first), then answered, then resolved,
    newest first. One query."""
    return list(
        _feedback().filter(article=article).annotate(rank=OPEN_FIRST).order_by("rank", "due", "-id")
    )


def _visible_to(viewer: Any) -> QuerySet[Feedback]:
    """Feedback on articles that are not hidden and not linked to a restricted project the
    viewer is outside of."""
    outside = ArticleLink.objects.filter(project__restricted=True).exclude(
        project_id__in=links.member_project_ids(viewer)
    )
    return (
        _feedback()
        .select_related("article")
        .filter(article__hidden_at=None)
        .exclude(article_id__in=outside.values("article_id"))
    )


def open_page(*, viewer: Any, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """Open feedback the viewer may see, the oldest first: every item is due a fixed
    ``FEEDBACK_DAYS`` after it was given, so the oldest is the most overdue. One query."""
    qs = _visible_to(viewer).filter(status=Feedback.Status.OPEN)
    return page(qs, ("created", "id"), cursor, size)


def closed_page(*, viewer: Any, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """Answered and resolved feedback the viewer may see, the newest first. One query."""
    qs = _visible_to(viewer).exclude(status=Feedback.Status.OPEN)
    return page(qs, ("-created", "-id"), cursor, size)


def feedback_for(*, article: Article, pk: int) -> Feedback | None:
    return _feedback().filter(article=article, pk=pk).first()
