"""JSON endpoints for knowledge articles: articles, their revisions, and the word-level diff
between two revisions (``/api/v1/knowledge/…``).

Thin, like the views: a schema bounds the input, ``knowledge.selectors`` reads (the same
fixed-query reads as the pages) and the functions at the bottom shape the JSON without queries
of their own. A hidden article is listed nowhere; its own address says it is hidden and gives
no text. Comments on an article come from ``discussion`` (``endpoints_for``).
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, cast

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from core import idempotency
from core.markdown import render_markdown
from core.schemas import (
    BODY_ERRORS,
    READ_ERRORS,
    ConfirmNotIdentifying,
    Cursor,
    HiddenOut,
    Input,
    OrganisationOut,
    PageIn,
    PersonOut,
    Size,
    absolute,
    hidden_out,
    organisation_out,
    person_out,
    required,
)
from discussion import api as comments
from knowledge import diff, links, selectors
from knowledge import feedback as feedback_services
from knowledge.models import (
    FEEDBACK_DAYS,
    MAX_FEEDBACK,
    Article,
    ArticleLink,
    Feedback,
    LocalVersion,
    Revision,
)
from people import services as people_services

router = Router()
idempotent = idempotency.endpoint(people_services.idempotent)

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


# --- links and feedback (knowledge.links, knowledge.feedback) ---------------------------------

FeedbackText = Annotated[str, required(MAX_FEEDBACK)]


class LinkOut(Schema):
    id: int
    kind: str = Field(description="idea, problem, project or indicator")
    kind_label: str
    target_id: int
    title: str
    restricted: bool = Field(description="A restricted project (listed to its members only).")
    from_closure: bool = Field(description="The lesson was written up from this project.")
    created: datetime
    url: str = Field(description="The linked page.")


class LinkList(Schema):
    items: list[LinkOut]


class FeedbackIn(Input):
    text: FeedbackText
    confirm_not_identifying: ConfirmNotIdentifying = False


class FeedbackOut(Schema):
    id: int
    author: AuthorOut = Field(description="With the organisation they gave it for.")
    revision: int | None = Field(description="The revision they were shown.")
    text: str
    created: datetime
    due: datetime = Field(description=f"Created + {FEEDBACK_DAYS} days: the owner answers by then.")
    overdue: bool
    status: str = Field(description="open, answered or resolved")
    response: str
    responded_by: str | None
    responded_at: datetime | None


class FeedbackList(Schema):
    items: list[FeedbackOut] = Field(description="Open first (the oldest due first).")


@router.get(
    "/knowledge/articles/{article_id}/links",
    response={200: LinkList, **READ_ERRORS},
    tags=["knowledge"],
)
def link_list(request: HttpRequest, article_id: ArticleId) -> dict[str, Any]:
    """What the article is linked to, as the caller may see it: a restricted project they are
    not in is neither listed nor counted."""
    article = _visible(article_id)
    shown = links.links_of(article=article, viewer=request.auth)
    return {"items": [_link(request, s.link) for s in shown]}


@router.get(
    "/knowledge/articles/{article_id}/feedback",
    response={200: FeedbackList, **READ_ERRORS},
    tags=["knowledge"],
)
def feedback_list(request: HttpRequest, article_id: ArticleId) -> dict[str, Any]:
    """The article's feedback and the owner's answers. An article linked to a restricted
    project the caller is not in: its feedback is that project's (404)."""
    article = _visible(article_id)
    if links.on_article(article=article, viewer=request.auth).outside:
        raise Http404
    return {"items": [_feedback(f) for f in feedback_services.feedback_on(article=article)]}


@router.post(
    "/knowledge/articles/{article_id}/feedback",
    response={201: FeedbackOut, **BODY_ERRORS},
    tags=["knowledge"],
)
@idempotent
def feedback_create(
    request: HttpRequest, article_id: ArticleId, payload: FeedbackIn
) -> Status[dict[str, Any]]:
    """Give feedback: the owner is notified and answers in public."""
    article = _visible(article_id)
    item = feedback_services.feedback_post(
        actor=cast(Any, request.auth),
        article=article,
        text=payload.text,
        confirm_not_identifying=payload.confirm_not_identifying,
    )
    return Status(201, _feedback(item))


def _link(request: HttpRequest, link: ArticleLink) -> dict[str, Any]:
    target = link.target
    if link.kind == "indicator":
        title = link.indicator.name
        path = reverse("commons_indicator", args=[link.indicator.dataset.slug, link.indicator.pk])
    else:
        title, path = target.public_title, target.get_absolute_url()
    return {
        "id": link.pk,
        "kind": link.kind,
        "kind_label": link.kind_label,
        "target_id": link.target_id,
        "title": title,
        "restricted": bool(link.project is not None and link.project.restricted),
        "from_closure": link.from_closure,
        "created": link.created,
        "url": absolute(request, path),
    }


def _feedback(item: Feedback) -> dict[str, Any]:
    profile = getattr(item.author, "profile", None)
    responder = getattr(item.responded_by, "profile", None) if item.responded_by_id else None
    return {
        "id": item.pk,
        "author": {
            "id": item.author_id,
            "name": profile.display_name if profile is not None else "Someone",
            "organisation": organisation_out(item.organisation),
        },
        "revision": item.revision.number if item.revision is not None else None,
        "text": item.text,
        "created": item.created,
        "due": item.due,
        "overdue": item.is_overdue,
        "status": item.status,
        "response": item.response,
        "responded_by": (responder.display_name if responder is not None else "Someone")
        if item.responded_by_id
        else None,
        "responded_at": item.responded_at,
    }


# --- base and local versions ------------------------------------------------------------------


class LocalVersionOut(Schema):
    id: int = Field(description="The local version's article id.")
    title: str
    label: str = Field(description="The region or organisation it is for.")
    organisation: OrganisationOut | None
    following_revision: int = Field(description="The base revision it is in step with.")
    base_newest_revision: int | None
    pending: bool = Field(description="The base has a newer revision it has not answered.")
    url: str


class DecisionOut(Schema):
    action: str = Field(description="taken or declined")
    base_revision: int
    local_revision: int | None = Field(description="The local revision made, when taken in.")
    reason: str = Field(description="Why it was declined ('' when taken in).")
    by: PersonOut
    created: datetime


class UpstreamOut(Schema):
    base_id: int
    base_url: str
    label: str
    organisation: OrganisationOut | None
    following_revision: int
    base_newest_revision: int | None
    pending: bool
    decisions: list[DecisionOut] = Field(description="Newest first (the last 20).")


@router.get(
    "/knowledge/articles/{article_id}/local-versions",
    response={200: list[LocalVersionOut], **READ_ERRORS},
    tags=["knowledge"],
)
def local_version_list(request: HttpRequest, article_id: ArticleId) -> list[dict[str, Any]]:
    """The local versions made from this article (hidden ones left out), by who they are
    for. One query."""
    base = _visible(article_id)
    return [_local_version(request, v) for v in selectors.local_versions(base=base)]


@router.get(
    "/knowledge/articles/{article_id}/upstream",
    response={200: UpstreamOut, **READ_ERRORS},
    tags=["knowledge"],
)
def upstream_state(request: HttpRequest, article_id: ArticleId) -> dict[str, Any]:
    """A local version's base, the base revision it follows, the base's newest, whether a
    change is waiting to be taken in or declined, and what it did with earlier ones. 404 if
    the article is not a local version."""
    local = _visible(article_id)
    version = selectors.local_version(local=local)
    newest = version.base.current
    return {
        "base_id": version.base_id,
        "base_url": absolute(request, version.base.get_absolute_url()),
        "label": version.label,
        "organisation": organisation_out(version.organisation),
        "following_revision": version.follows.number,
        "base_newest_revision": newest.number if newest is not None else None,
        "pending": newest is not None and newest.pk != version.follows_id,
        "decisions": [
            {
                "action": d.action,
                "base_revision": d.base_revision.number,
                "local_revision": d.local_revision.number if d.local_revision else None,
                "reason": d.reason,
                "by": person_out(d.actor),
                "created": d.created,
            }
            for d in selectors.decisions(version=version)
        ],
    }


def _local_version(request: HttpRequest, version: LocalVersion) -> dict[str, Any]:
    newest = version.base.current_id
    return {
        "id": version.local_id,
        "title": version.local.title,
        "label": version.label,
        "organisation": organisation_out(version.organisation),
        "following_revision": version.follows.number,
        "base_newest_revision": version.base.current.number if version.base.current else None,
        "pending": newest is not None and newest != version.follows_id,
        "url": absolute(request, version.local.get_absolute_url()),
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
