"""JSON endpoints for knowledge articles: articles, their revisions, and the word-level diff
between two revisions (``/api/v1/knowledge/…``).

Thin, like the views: a schema bounds the input, ``knowledge.selectors`` reads (the same
fixed-query reads as the pages) and the functions at the bottom shape the JSON without queries
of their own. A hidden article is listed nowhere; its own address says it is hidden and gives
no text. Comments on an article come from ``discussion`` (``endpoints_for``).
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from core.markdown import render_markdown
from core.schemas import (
    READ_ERRORS,
    Cursor,
    HiddenOut,
    Input,
    OrganisationOut,
    PageIn,
    Size,
    absolute,
    hidden_out,
    organisation_out,
)
from discussion import api as comments
from knowledge import diff, selectors
from knowledge.models import Article, Revision

router = Router()

# The largest revision number a column holds: a bigger one is a 422 naming the parameter.
Number = Annotated[int, Field(ge=1, le=2**31 - 1)]
ArticleId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ArticleKind(StrEnum):
    """Written out (so type checkers know it); a test keeps it equal to ``Article.Kind``."""

    practice_note = "practice_note"
    pathway = "pathway"
    lesson = "lesson"
    evidence = "evidence"


class AuthorOut(Schema):
    id: int
    name: str
    organisation: OrganisationOut | None = Field(
        description="The organisation they wrote it for, at the time."
    )


class RevisionSummaryOut(Schema):
    number: int
    edit_summary: str
    author: AuthorOut
    created: datetime
    restored_from: int | None = Field(description="The number of the revision it restored.")
    url: str


class RevisionOut(RevisionSummaryOut):
    title: str
    summary: str
    body: str = Field(description="Markdown.")
    body_html: str = Field(description="The body rendered and sanitised.")


class RevisionPage(Schema):
    items: list[RevisionSummaryOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: end.")


class ArticleOut(Schema):
    id: int
    kind: ArticleKind
    kind_label: str
    title: str
    summary: str | None = Field(description="Null when the article is hidden.")
    tags: list[str]
    organisation: OrganisationOut | None = Field(description="The owner's organisation.")
    review_interval_days: int
    current_revision: int | None
    last_edited: datetime | None
    last_edited_by: AuthorOut | None
    comment_count: int
    created: datetime
    hidden: HiddenOut | None
    url: str


class ArticleDetailOut(ArticleOut):
    body: str | None = Field(description="Markdown of the current revision; null if hidden.")
    body_html: str | None
    coauthors: list[AuthorOut] = Field(description="Everyone who wrote a revision.")


class ArticlePage(Schema):
    items: list[ArticleOut]
    next_cursor: str | None


class ArticleFilters(Input):
    kind: ArticleKind | None = None
    cursor: Cursor | None = None
    size: Size = 20


class DiffFilters(Input):
    from_revision: Number = Field(description="The revision to compare from.")
    to_revision: Number = Field(description="The revision to compare to.")


class OpOut(Schema):
    op: str = Field(description="equal, insert or delete")
    text: str


class DiffOut(Schema):
    from_revision: int
    to_revision: int
    title: list[OpOut]
    summary: list[OpOut]
    body: list[OpOut] = Field(
        description="Joining the equal and delete runs gives the old text; equal and insert, "
        "the new."
    )
    words_added: int
    words_removed: int


@router.get("/knowledge/articles", response={200: ArticlePage, **READ_ERRORS}, tags=["knowledge"])
def article_list(request: HttpRequest, filters: Query[ArticleFilters]) -> dict[str, Any]:
    """Articles that are not hidden, the newest first. One query a page."""
    page = selectors.articles_page(
        kind=filters.kind or "", cursor=filters.cursor, size=filters.size
    )
    return {"items": [_article(request, a) for a in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/knowledge/articles/{article_id}",
    response={200: ArticleDetailOut, **READ_ERRORS},
    tags=["knowledge"],
)
def article_detail(request: HttpRequest, article_id: ArticleId) -> dict[str, Any]:
    article = selectors.article_for_page(pk=article_id)
    hidden = article.is_hidden
    body = "" if hidden or article.current is None else article.current.body
    return {
        **_article(request, article),
        "body": None if hidden else body,
        "body_html": None if hidden else str(render_markdown(body)),
        "coauthors": [
            {
                "id": c["user_id"],
                "name": c["name"],
                "organisation": {
                    "id": c["organisation_id"],
                    "slug": c["organisation_slug"],
                    "name": c["organisation"],
                }
                if c["organisation_id"]
                else None,
            }
            for c in selectors.coauthors(article=article)
        ],
    }


comments.endpoints_for(router, "article", "/knowledge/articles")


def _visible(article_id: int) -> Article:
    """An article whose revisions may be read: a hidden one's are hidden with it (404)."""
    article = selectors.article_for_page(pk=article_id)
    if article.is_hidden:
        raise Http404
    return article


@router.get(
    "/knowledge/articles/{article_id}/revisions",
    response={200: RevisionPage, **READ_ERRORS},
    tags=["knowledge"],
)
def revision_list(
    request: HttpRequest, article_id: ArticleId, paging: Query[PageIn]
) -> dict[str, Any]:
    """The article's revisions, newest first (without their text: ask for one)."""
    article = _visible(article_id)
    page = selectors.revisions_page(article=article, cursor=paging.cursor, size=paging.size)
    return {
        "items": [_revision_summary(request, article, r) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/knowledge/articles/{article_id}/revisions/{number}",
    response={200: RevisionOut, **READ_ERRORS},
    tags=["knowledge"],
)
def revision_detail(request: HttpRequest, article_id: ArticleId, number: Number) -> dict[str, Any]:
    article = _visible(article_id)
    revision = selectors.revision(article=article, number=number)
    return {
        **_revision_summary(request, article, revision),
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "body_html": str(render_markdown(revision.body)),
    }


@router.get(
    "/knowledge/articles/{article_id}/diff",
    response={200: DiffOut, **READ_ERRORS},
    tags=["knowledge"],
)
def revision_diff(
    request: HttpRequest, article_id: ArticleId, which: Query[DiffFilters]
) -> dict[str, Any]:
    """The word-level difference between two revisions, as runs of equal, deleted and inserted
    text, field by field."""
    article = _visible(article_id)
    old = selectors.revision(article=article, number=which.from_revision)
    new = selectors.revision(article=article, number=which.to_revision)
    fields = selectors.compare(old=old, new=new)
    counted = diff.counts(fields["body"])
    return {
        "from_revision": old.number,
        "to_revision": new.number,
        **{name: [{"op": o.op, "text": o.text} for o in ops] for name, ops in fields.items()},
        "words_added": counted["added"],
        "words_removed": counted["removed"],
    }


# --- shaping (no queries: the selectors fetched what these read) ------------------------------


def _author(revision: Revision) -> dict[str, Any]:
    profile = getattr(revision.author, "profile", None)
    return {
        "id": revision.author_id,
        "name": profile.display_name if profile is not None else "Someone",
        "organisation": organisation_out(revision.organisation),
    }


def _revision_summary(request: HttpRequest, article: Article, revision: Revision) -> dict[str, Any]:
    restored = revision.restored_from
    return {
        "number": revision.number,
        "edit_summary": revision.edit_summary,
        "author": _author(revision),
        "created": revision.created,
        "restored_from": restored.number if restored is not None else None,
        "url": absolute(request, f"{article.get_absolute_url()}history/"),
    }


def _article(request: HttpRequest, article: Article) -> dict[str, Any]:
    hidden = article.is_hidden
    current = article.current
    return {
        "id": article.pk,
        "kind": article.kind,
        "kind_label": article.get_kind_display(),
        "title": article.public_title,
        "summary": None if hidden else article.summary,
        "tags": [t for t in article.tag_text.split(", ") if t],
        "organisation": organisation_out(article.organisation),
        "review_interval_days": article.review_interval_days,
        "current_revision": current.number if current is not None else None,
        "last_edited": current.created if current is not None else None,
        "last_edited_by": _author(current) if current is not None else None,
        "comment_count": article.comment_count,
        "created": article.created,
        "hidden": hidden_out(article),
        "url": absolute(request, article.get_absolute_url()),
    }


# --- verifications (knowledge.verification) ---------------------------------------------------


class VerificationOut(Schema):
    revision: int = Field(description="The number of the revision signed off.")
    by: AuthorOut = Field(description="Who verified it, with their organisation at the time.")
    comment: str = Field(description="What they checked.")
    at: datetime


class VerificationPage(Schema):
    items: list[VerificationOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: end.")


@router.get(
    "/knowledge/articles/{article_id}/verifications",
    response={200: VerificationPage, **READ_ERRORS},
    tags=["knowledge"],
)
def verification_list(
    request: HttpRequest, article_id: ArticleId, paging: Query[PageIn]
) -> dict[str, Any]:
    """Who signed off which revision and what they checked, newest first (a pathway's revision
    counts as verified once people from two organisations have signed it off)."""
    from knowledge import review_selectors

    article = _visible(article_id)
    page = review_selectors.verifications_page(
        article=article, cursor=paging.cursor, size=paging.size
    )
    return {
        "items": [
            {
                "revision": v.revision.number,
                "by": {
                    "id": v.by_id,
                    "name": getattr(getattr(v.by, "profile", None), "display_name", "")
                    or "Someone",
                    "organisation": organisation_out(v.organisation),
                },
                "comment": v.comment,
                "at": v.at,
            }
            for v in page.items
        ],
        "next_cursor": page.next_cursor,
    }
