"""Reads for verification and the review cycle: which revision a reader is shown, how far the
newest is from being verified, and which articles are due for review. Each is one query."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from knowledge import verification
from knowledge.models import Article, Revision, Verification

NEWEST = "newest"  # ?revision=newest: read the newest revision, verified or not


def shown_revision(article: Article, wanted: str | None) -> Revision | None:
    """The revision a reader sees: the newest fully verified one, unless they ask for the
    newest (``?revision=newest``) or the article was never verified (then the newest). No
    query: both are joined by ``selectors.article_for_page``."""
    if wanted == NEWEST or article.verified is None:
        return article.current
    return article.verified


def status(*, article: Article) -> verification.Status | None:
    """Who has verified the newest revision, with their organisations: one query."""
    newest = article.current
    if newest is None:
        return None
    found = list(
        Verification.objects.filter(revision=newest)
        .select_related("by__profile", "organisation")
        .order_by("at", "id")
    )
    return verification.Status(
        newest=newest, verifications=found, needed=verification.organisations_needed(article)
    )


@dataclass
class Reviews:
    overdue: list[Article]
    soon: list[Article]
    suggested: list[Article]
    soon_days: int = verification.SOON_DAYS


def reviews(*, now: datetime | None = None) -> Reviews:
    """Articles overdue for review (the longest overdue first), those due in the next
    ``SOON_DAYS`` days, and those an event suggests reviewing: one query."""
    now = now or timezone.now()
    rows = list(
        Article.objects.filter(hidden_at=None)
        .annotate(due_at=verification.due_expression())
        .filter(
            Q(due_at__lt=now + timedelta(days=verification.SOON_DAYS)) | ~Q(review_suggested="")
        )
        .select_related("owner__profile", "organisation")
        .order_by("due_at", "id")
    )
    return Reviews(
        overdue=[a for a in rows if a.due_at < now],
        soon=[a for a in rows if now <= a.due_at < now + timedelta(days=verification.SOON_DAYS)],
        suggested=sorted(
            (a for a in rows if a.review_suggested),
            key=lambda a: a.review_suggested_at or a.created,
            reverse=True,
        ),
    )


def figures(*, now: Any = None) -> dict[str, int]:
    """For the dashboard: articles verified in the last year, and reviews overdue. One
    aggregate query."""
    now = now or timezone.now()
    return (
        Article.objects.filter(hidden_at=None)
        .annotate(due_at=verification.due_expression())
        .aggregate(
            verified_last_year=Count(
                "id", filter=Q(last_verified_at__gte=now - timedelta(days=365))
            ),
            overdue=Count("id", filter=Q(due_at__lt=now)),
        )
    )


def verifications_page(*, article: Article, cursor: str | None = None, size: int = 20) -> Any:
    """An article's verifications, the newest first, with who signed off and for which
    organisation: one query a page. Raises ``core.params.BadCursor`` for a foreign cursor."""
    from core.paging import page

    qs = Verification.objects.filter(article=article).select_related(
        "revision", "by__profile", "organisation"
    )
    # Only the newest revision can be verified, so by revision then id is by time, newest
    # first, in whole numbers the keyset cursor takes.
    return page(qs, ("-revision_id", "-id"), cursor, size)
