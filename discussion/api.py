"""JSON endpoints for the discussion of every registered kind (``/api/v1/``).

A domain app's ``api.py`` calls :func:`endpoints_for` on its router: the kind gets
``GET`` and ``POST <prefix>/{target_id}/comments`` (paged, oldest first; ``Idempotency-Key``
on the POST), with the same schemas, errors and rules as every other kind.
"""

import functools
import inspect
from datetime import datetime
from typing import Annotated, Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from core import idempotency
from core.markdown import render_markdown
from core.schemas import (
    BODY_ERRORS,
    READ_ERRORS,
    ConfirmNotIdentifying,
    HiddenOut,
    Id,
    Input,
    PageIn,
    PersonOut,
    Size,
    absolute,
    hidden_out,
    person_out,
    required,
)
from discussion import selectors, services
from discussion.models import Comment
from discussion.registry import kind_for_key
from people import services as people_services

idempotent = idempotency.endpoint(people_services.idempotent)
CommentBody = Annotated[str, required(10000)]


class CommentOut(Schema):
    id: int
    parent: int | None = Field(description="The thread's first comment, for a reply.")
    author: PersonOut
    body: str | None = Field(description="Markdown; null when deleted or hidden.")
    body_html: str | None
    created: datetime
    edited: datetime | None
    deleted: bool
    hidden: HiddenOut | None
    url: str


class CommentPage(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class CommentPageIn(PageIn):
    size: Size = 50


class CommentIn(Input):
    body: CommentBody
    parent: Id | None = Field(None, description="Reply to a comment.")
    confirm_not_identifying: ConfirmNotIdentifying = False


def _named(view: Any, param: str) -> Any:
    """``view`` with its ``target_id`` parameter called ``param`` (``idea_id``), as ninja reads
    it from the signature: the path says ``/ideas/{idea_id}/comments`` and an error names
    ``idea_id``, as for every other endpoint of the kind."""
    signature = inspect.signature(view)
    parameters = [
        p.replace(name=param) if p.name == "target_id" else p for p in signature.parameters.values()
    ]

    @functools.wraps(view)
    def named(request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["target_id"] = kwargs.pop(param)
        return view(request, **kwargs)

    named.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return named


def endpoints_for(router: Router, key: str, prefix: str) -> None:
    """Add the comment endpoints of kind ``key`` under ``prefix`` (``"/ideas"``), its id in the
    path called ``<key>_id``."""
    noun = kind_for_key(key).noun if _registered(key) else key
    param = f"{key}_id"

    def target(request: HttpRequest, target_id: int) -> Any:
        kind = kind_for_key(key)
        obj = kind.load(target_id)
        if not kind.can_view(request.auth, obj):
            raise Http404
        return obj

    def comments(request: HttpRequest, target_id: Id, page: Query[CommentPageIn]) -> dict[str, Any]:
        """Its comments, replies included, oldest first."""
        obj = target(request, target_id)
        result = selectors.comments_page(target=obj, cursor=page.cursor, size=page.size)
        base = absolute(request, obj.get_absolute_url())
        return {
            "items": [comment_out(c, base) for c in result.items],
            "next_cursor": result.next_cursor,
        }

    @idempotent
    def comment_create(
        request: HttpRequest, target_id: Id, payload: CommentIn
    ) -> Status[dict[str, Any]]:
        obj = target(request, target_id)
        comment = services.comment_create(
            author=cast(Any, request.auth),
            target=obj,
            body=payload.body,
            parent=_parent(payload.parent),
            confirm_not_identifying=payload.confirm_not_identifying,
        )
        return Status(201, comment_out(comment, absolute(request, obj.get_absolute_url())))

    router.get(
        f"{prefix}/{{{param}}}/comments",
        response={200: CommentPage, **READ_ERRORS},
        tags=["comments"],
        operation_id=f"{key}_comments",
        summary=f"The {noun}'s comments",
    )(_named(comments, param))
    router.post(
        f"{prefix}/{{{param}}}/comments",
        response={201: CommentOut, **BODY_ERRORS},
        tags=["comments"],
        operation_id=f"{key}_comment_create",
        summary=f"Comment on the {noun}",
    )(_named(comment_create, param))


def _registered(key: str) -> bool:
    try:
        kind_for_key(key)
    except KeyError:
        return False
    return True


def _parent(pk: int | None) -> Comment | None:
    if pk is None:
        return None
    try:
        return selectors.comment_for(pk=pk)
    except Http404:
        raise ValidationError({"parent": f"There is no comment with id {pk}."}) from None


def comment_out(comment: Comment, target_url: str) -> dict[str, Any]:
    hidden = hidden_out(comment)
    gone = bool(hidden) or comment.deleted is not None
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "author": person_out(comment.author),
        "body": None if gone else comment.body,
        "body_html": None if gone else str(render_markdown(comment.body)),
        "created": comment.created,
        "edited": comment.edited,
        "deleted": comment.deleted is not None,
        "hidden": hidden,
        "url": f"{target_url}#comment-{comment.pk}",
    }
