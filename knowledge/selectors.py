"""Every read the knowledge pages and API need, with the joins done, so that a page costs a
fixed number of queries however many revisions an article has: an article page reads its
current revision (a foreign key) and its co-authors (one grouped query), never the history."""

from typing import Any

from django.db.models import Min, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.paging import Page, page
from knowledge import diff
from knowledge.models import Article, Revision

NEWEST = ("-created", "-id")
NEWEST_REVISION = ("-number", "-id")
PAGE_SIZE = 20


def _articles() -> QuerySet[Article]:
    return Article.objects.select_related(
        "organisation", "current__author__profile", "current__organisation"
    )


def articles_page(*, kind: str = "", cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """Articles, the newest first, of one kind or all (hidden ones left out).
    One query. Raises ``core.params.BadCursor`` for a cursor this list did not give out."""
    qs = _articles().filter(hidden_at=None)
    if kind in Article.Kind.values:
        qs = qs.filter(kind=kind)
    return page(qs, NEWEST, cursor, size)


def article_for_page(*, pk: int) -> Article:
    """An article with its owner, organisation and current revision (its author and their
    organisation then): one query. 404 if there is none."""
    return get_object_or_404(
        _articles().select_related(
            "owner__profile",
            "hidden_by",
            # What readers are shown by default, and who last signed it off (verification).
            "verified",
            "last_verification__by__profile",
            "last_verification__organisation",
        ),
        pk=pk,
    )


def coauthors(*, article: Article) -> list[dict[str, Any]]:
    """Everyone who wrote a revision, with the organisation they wrote it for, in the order
    they first did: one grouped query, whatever the number of revisions."""
    rows = (
        Revision.objects.filter(article=article)
        .values(
            "author_id",
            "author__profile__display_name",
            "organisation_id",
            "organisation__name",
            "organisation__slug",
        )
        .annotate(first=Min("number"))
        .order_by("first")
    )
    return [
        {
            "user_id": r["author_id"],
            "name": r["author__profile__display_name"] or "Someone",
            "organisation": r["organisation__name"] or "",
            "organisation_slug": r["organisation__slug"] or "",
            "organisation_id": r["organisation_id"],
        }
        for r in rows
    ]


def revisions_page(*, article: Article, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """An article's revisions, newest first, with their authors: one query a page."""
    qs = Revision.objects.filter(article=article).select_related(
        "author__profile", "organisation", "restored_from"
    )
    return page(qs, NEWEST_REVISION, cursor, size)


def revision(*, article: Article, number: int) -> Revision:
    """Revision ``number`` of ``article`` (404 if it has none)."""
    found = (
        Revision.objects.filter(article=article, number=number)
        .select_related("author__profile", "organisation")
        .first()
    )
    if found is None:
        raise Http404(f"This article has no revision {number}.")
    return found


def compare(*, old: Revision, new: Revision) -> dict[str, list[diff.Op]]:
    """The word-level operations that turn ``old`` into ``new``, field by field."""
    return {
        f: diff.operations(getattr(old, f), getattr(new, f)) for f in ("title", "summary", "body")
    }
