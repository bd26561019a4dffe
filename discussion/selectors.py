"""Every read about comments, follows, reactions and reports, at a fixed number of queries."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.paging import Page
from core.paging import page as keyset_page
from discussion.models import Comment, Follow, Reaction, Report
from discussion.registry import kind_for_content_type, kind_for_label, kinds, url_for
from realtime.registry import scopes_for

COMMENT_THREADS_PER_PAGE = 10
# What a discussion shows, and no more (no password hashes or e-mail addresses in memory).
COMMENT_FIELDS = (
    "id", "content_type_id", "object_id", "parent_id", "author_id", "body", "created",
    "edited", "deleted", "hidden_at", "hidden_reason", "hidden_by_name",
    "author__id", "author__profile__id", "author__profile__user_id",
    "author__profile__display_name",
)  # fmt: skip


def of(target: Any) -> dict[str, Any]:
    """The lookups for rows about ``target`` (its content type is cached: no query)."""
    return {
        "content_type": ContentType.objects.get_for_model(type(target)),
        "object_id": target.pk,
    }


def comment_threads(
    *, target: Any, after: int | None = None, limit: int = COMMENT_THREADS_PER_PAGE
) -> Page:
    """A page of discussion threads, oldest first: top-level comments (keyset on id), each with
    ``thread_replies``. Two queries whatever the page holds."""
    qs = Comment.objects.filter(**of(target)).select_related("author__profile")
    qs = qs.only(*COMMENT_FIELDS)
    top_qs = qs.filter(parent__isnull=True)
    if after:
        top_qs = top_qs.filter(id__gt=after)
    top = list(top_qs.order_by("id")[: limit + 1])
    more = len(top) > limit
    top = top[:limit]
    by_parent: dict[int, list[Comment]] = {c.pk: [] for c in top}
    if top:
        for reply in qs.filter(parent_id__in=list(by_parent)).order_by("id"):
            by_parent[reply.parent_id].append(reply)
    known = Comment._meta.get_field("target")
    for c in top:
        c.thread_replies = by_parent[c.pk]
        for reply in c.thread_replies:
            known.set_cached_value(reply, target)  # what it is on, without a query
        known.set_cached_value(c, target)
    return Page(top, str(top[-1].pk) if more else None)


def comment_landing(*, comment_id: int) -> str | None:
    """Where comment ``comment_id`` is shown with its ``#comment-<id>`` anchor: its target's
    page when its thread is among the first threads there, else the discussion page that
    starts at its thread. ``None`` if there is no such comment. Two queries."""
    row = (
        Comment.objects.filter(pk=comment_id)
        .values_list("parent_id", "content_type_id", "object_id")
        .first()
    )
    if row is None:
        return None
    parent_id, content_type_id, object_id = row
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    kind = kind_for_label(model._meta.label_lower) if model else None
    if kind is None:
        return None
    thread = parent_id or comment_id
    earlier = Comment.objects.filter(
        content_type_id=content_type_id, object_id=object_id, parent__isnull=True, id__lt=thread
    ).count()
    anchor = f"#comment-{comment_id}"
    if earlier < COMMENT_THREADS_PER_PAGE:
        return reverse(kind.url_name("detail"), kwargs={"pk": object_id}) + anchor
    discussion = reverse(kind.url_name("discussion"), kwargs={"pk": object_id})
    return f"{discussion}?after={thread - 1}{anchor}"


def comments_page(*, target: Any, cursor: str | None = None, size: int = 50) -> Page:
    """A page of a target's comments, replies included, oldest first (one query)."""
    qs = Comment.objects.filter(**of(target)).select_related("author__profile__organisation")
    return keyset_page(qs, ("created", "id"), cursor, size)


def comment_for(*, pk: int) -> Comment:
    """One comment (404 if there is none); what it is on is fetched only if asked for."""
    return get_object_or_404(Comment.objects.select_related("author__profile", "parent"), pk=pk)


def comment_revisions(*, comment: Comment) -> QuerySet:
    """Every version of a comment, newest first — none once it is deleted or hidden."""
    if comment.is_hidden or comment.deleted is not None:
        return comment.revisions.none()
    return comment.revisions.order_by("-created", "-id")


def viewer_state(*, viewer: Any, target: Any, reactions: tuple[str, ...] = ()) -> dict[str, bool]:
    """Whether the viewer follows ``target`` and has each of these reactions on it (one query;
    none for someone signed out)."""
    state = {"following": False, **dict.fromkeys(reactions, False)}
    if not getattr(viewer, "is_authenticated", False):
        return state
    where = of(target)
    model = type(target)
    checks = {
        "following": Exists(Follow.objects.filter(**where, user=viewer)),
        **{r: Exists(Reaction.objects.filter(**where, user=viewer, kind=r)) for r in reactions},
    }
    row = model.objects.filter(pk=target.pk).values_list(*checks.values()).first()
    return dict(zip(checks, row, strict=True)) if row else state


def reacted_ids(*, viewer: Any, objects: list[Any], kind: str) -> set[int]:
    """Which of these objects (of one model) the viewer has reacted to with ``kind``."""
    if not objects or not getattr(viewer, "is_authenticated", False):
        return set()
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    return set(
        Reaction.objects.filter(
            user=viewer, kind=kind, content_type=content_type,
            object_id__in=[o.pk for o in objects],
        ).values_list("object_id", flat=True)
    )  # fmt: skip


def follower_ids(*, target: Any) -> QuerySet:
    return Follow.objects.filter(**of(target)).values_list("user_id", flat=True)


def reactor_ids(*, target: Any, kind: str) -> QuerySet:
    return Reaction.objects.filter(**of(target), kind=kind).values_list("user_id", flat=True)


def open_reports(*, viewer: Any = None, limit: int = 100) -> list[Report]:
    """The open reports, newest first, each with what it reports: one query, whatever was
    reported — the title and hidden state of each registered kind, and of a comment what it is
    on, come joined (through the generic relations), never fetched row by row. With a
    ``viewer``, only reports about what they may see (a restricted project's comments are its
    members')."""
    qs = Report.objects.filter(resolved__isnull=True).select_related("reporter__profile")
    if viewer is not None:
        qs = qs.filter(scope__in=scopes_for(viewer))
    columns: dict[str, Any] = {
        "comment_on_type": F("comment__content_type_id"),
        "comment_on_id": F("comment__object_id"),
    }
    for kind in kinds():
        relation = f"{kind.model._meta.app_label}_{kind.model._meta.model_name}"
        columns[f"title_{kind.key}"] = F(f"{relation}__title")
        if kind.hideable:
            columns[f"hidden_{kind.key}"] = F(f"{relation}__hidden_at")
    reports = list(qs.annotate(**columns).order_by("-created", "-id")[:limit])
    comment_type = ContentType.objects.get_for_model(Comment).pk
    for r in reports:
        r.is_comment = r.content_type_id == comment_type
        if r.is_comment:
            r.url = f"{url_for(r.comment_on_type, r.comment_on_id)}#comment-{r.object_id}"
            r.kind = kind_for_content_type(r.comment_on_type)
            r.title = ""
        else:
            r.url = url_for(r.content_type_id, r.object_id)
            r.kind = kind_for_content_type(r.content_type_id)
            hidden = getattr(r, f"hidden_{r.kind.key}", None) if r.kind else None
            title = getattr(r, f"title_{r.kind.key}", "") if r.kind else ""
            r.title = f"Hidden {r.kind.noun} #{r.object_id}" if hidden else title
    return reports
