"""Every read the knowledge pages and API need, with the joins done, so that a page costs a
fixed number of queries however many revisions an article has: an article page reads its
current revision (a foreign key) and its co-authors (one grouped query), never the history."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core import finding
from core.paging import Page, page
from ideas import selectors as ideas_selectors
from knowledge import diff
from knowledge.models import Article, LocalVersion, Revision, UpstreamDecision

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


# --- one search across kinds (core.finding) ------------------------------------------------

ARTICLE_SEARCH_FIELDS = ("title", "summary", "tag_text", "search_text")
ARTICLE_SEARCH_VECTOR = '"knowledge_article"."search_vector"'  # PostgreSQL only, migration 0002


def _findable() -> QuerySet[Article]:
    """Articles are public; a hidden one is found by nobody."""
    return Article.objects.filter(hidden_at=None)


def find_articles(query: finding.Query, user: Any, *, limit: int, offset: int = 0) -> finding.Found:
    """Articles that answer the query, best first, as hits (one query): matched on the title,
    summary, tags and the newest revision's text, shown with the summary."""
    return ideas_selectors.found(
        _findable(), query, ARTICLE_SEARCH_FIELDS, ARTICLE_SEARCH_VECTOR, kind="article",
        text=lambda a: (a.summary,), only=("id", "title", "summary", "updated"),
        limit=limit, offset=offset,
    )  # fmt: skip


def count_articles(query: finding.Query, user: Any, *, cap: int) -> int:
    qs = ideas_selectors.matching(_findable(), query, ARTICLE_SEARCH_FIELDS, ARTICLE_SEARCH_VECTOR)
    return qs.order_by()[:cap].count()


# --- base and local versions ------------------------------------------------------------------


@dataclass
class LocalState:
    """What the article page says about base and local versions: ``version`` if this article
    is a local version (of ``version.base``), ``local_versions`` if it is a base, and the
    local version's decisions about base changes, newest first."""

    version: LocalVersion | None
    local_versions: list[LocalVersion]
    decisions: list[UpstreamDecision]

    @property
    def behind(self) -> bool:
        """The base has a newer revision than the one the local version follows (a hidden base
        offers nothing: its text is hidden with it)."""
        v = self.version
        return (
            v is not None
            and not v.base.is_hidden
            and v.base.current_id is not None
            and v.follows_id != v.base.current_id
        )


DECISIONS_SHOWN = 20


def local_state(*, article: Article) -> LocalState:
    """One query for an article that is neither a base nor a local version, or a base of any
    number of local versions; two for a local version (its decisions)."""
    rows = list(
        LocalVersion.objects.filter(Q(local_id=article.pk) | Q(base_id=article.pk)).select_related(
            "base__current", "local", "organisation", "follows"
        )
    )
    version = next((r for r in rows if r.local_id == article.pk), None)
    locals_ = [r for r in rows if r.base_id == article.pk and not r.local.is_hidden]
    return LocalState(
        version=version,
        local_versions=locals_,
        decisions=decisions(version=version) if version is not None else [],
    )


def decisions(*, version: LocalVersion, size: int = DECISIONS_SHOWN) -> list[UpstreamDecision]:
    """What the local version did with base changes, newest first, with who did it: one
    query."""
    return list(
        UpstreamDecision.objects.filter(local_version=version).select_related(
            "actor__profile__organisation", "base_revision", "local_revision"
        )[:size]
    )


def local_version(*, local: Article) -> LocalVersion:
    """The local version row of ``local``, with its base, the base's newest revision and the
    base revision it follows (their authors too): one query. 404 if it is not a local
    version."""
    found = (
        LocalVersion.objects.filter(local=local)
        .select_related(
            "base__current__author__profile", "follows__author__profile", "organisation"
        )
        .first()
    )
    if found is None:
        raise Http404("This article is not a local version of another.")
    found.local = local
    return found


def local_versions(*, base: Article) -> list[LocalVersion]:
    """The local versions of ``base`` that are not hidden, by who they are for: one query."""
    return list(
        LocalVersion.objects.filter(base=base, local__hidden_at=None).select_related(
            "local", "organisation", "follows", "base__current"
        )
    )
