"""Thin views for every registered kind: comments, follows, reports and hiding.

URL patterns come from :func:`discussion.urls.for_kind`, so each view receives the kind's key
(``kind``) and the object's id; the kind's registration says who may do what and how its page
is drawn again after a refusal.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core import ratelimit
from core.params import positive_int
from core.views import attempt, is_htmx, refused
from discussion import forms, selectors, services
from discussion.models import Comment
from discussion.registry import Kind, kind_for_key, kind_of
from realtime.registry import may_see


def _kind(key: str) -> Kind:
    try:
        return kind_for_key(key)
    except KeyError:
        raise Http404 from None


def _load(request: HttpRequest, key: str, pk: int) -> tuple[Kind, Any]:
    kind = _kind(key)
    obj = kind.load(pk)
    if not kind.can_view(request.user, obj):
        raise Http404
    return kind, obj


def _limited(request: HttpRequest, exc: ratelimit.RateLimited, target: Any) -> HttpResponse:
    """A button's action refused by the rate limit: its page again, as a 429, saying why."""
    messages.error(request, str(exc))
    return ratelimit.too_many(kind_of(target).page(request, target), exc)


def reply_to(request: HttpRequest, target: Any) -> Comment | None:
    """The comment a "Reply" link (``?reply=<id>``) points at, if it is on this page's target."""
    pk = positive_int(request.GET.get("reply"))
    if pk is None:
        return None
    try:
        comment = selectors.comment_for(pk=pk)
    except Http404:
        return None
    return comment if comment.target == target and comment.deleted is None else None


def context_for(request: HttpRequest, target: Any, comment_form: Any = None) -> dict[str, Any]:
    """What a page showing ``target``'s discussion needs: its first threads, the comment form
    (replying, with ``?reply=``), the viewer's follow state and whether they moderate."""
    answering = reply_to(request, target)
    if comment_form is None:
        comment_form = forms.CommentForm(initial={"parent": answering.pk} if answering else None)
    kind = kind_of(target)
    return {
        "comments": selectors.comment_threads(target=target),
        "comment_form": comment_form,
        "reply_to": answering,
        "kind": kind.key,
        "target_url": target.get_absolute_url(),
        "can_moderate": request.user.is_authenticated and kind.can_moderate(request.user, target),
    }


# --- comments --------------------------------------------------------------------------------


@require_POST
def comment_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    registered, target = _load(request, kind, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = selectors.comment_for(pk=form.cleaned_data["parent"])
        ok, comment = attempt(
            request,
            form,
            lambda: services.comment_create(
                author=request.user,
                target=target,
                body=form.cleaned_data["body"],
                parent=parent,
                submission_key=form.cleaned_data["submission_key"],
                confirm_not_identifying=form.cleaned_data["confirm_not_identifying"],
            ),
        )
        if ok:
            # Where the new comment is shown: on a busy page its thread is past the first ones.
            return redirect(_landing(comment))
    page = registered.page(request, target, comment_form=form)
    page.status_code = 400
    return refused(request, page)


@require_GET
def discussion(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The next threads of a discussion (``?after=<last thread id shown>``)."""
    registered, target = _load(request, kind, pk)
    after = positive_int(request.GET.get("after"))
    context = {
        "comments": selectors.comment_threads(target=target, after=after),
        "after": after,
        "target": target,
        "target_url": target.get_absolute_url(),
        "kind": registered.key,
        "noun": registered.noun,
        "can_moderate": request.user.is_authenticated
        and registered.can_moderate(request.user, target),
    }
    if is_htmx(request):
        return render(request, "discussion/_comments.html#threads", context)
    return render(request, "discussion/discussion.html", context)


def _comment(request: HttpRequest, pk: int) -> Comment:
    """A comment this person may see: its row carries the scope of what it is on."""
    comment = selectors.comment_for(pk=pk)
    if not may_see(request.user, comment.scope):
        raise Http404
    return comment


def comment_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """One comment as the viewer sees it (with their own buttons), for live insertion."""
    comment = _comment(request, pk)
    return render(
        request,
        "discussion/_comment.html",
        {
            "comment": comment,
            "replies": [],
            "can_moderate": services.can_moderate(request.user, comment),
            "target_url": comment.target_url,
        },
    )


def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    if not services.can_edit_comment(request.user, comment):
        raise Http404
    form = forms.CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(
            request,
            form,
            lambda: services.comment_edit(
                actor=request.user,
                comment=comment,
                body=form.cleaned_data["body"],
                confirm_not_identifying=form.cleaned_data["confirm_not_identifying"],
            ),
        )
        if ok:
            return redirect(_landing(comment))
    context = {"form": form, "comment": comment}
    return refused(request, render(request, "discussion/comment_edit.html", context))


@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    if not services.can_edit_comment(request.user, comment):
        raise Http404
    try:
        services.comment_delete(actor=request.user, comment=comment)
    except ratelimit.RateLimited as exc:
        target = kind_of(comment.target).load(comment.object_id)
        return _limited(request, exc, target)
    messages.success(request, "Comment deleted. Replies to it stay readable.")
    return redirect(_landing(comment))


def comment_history(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    return render(
        request,
        "discussion/comment_history.html",
        {"comment": comment, "revisions": selectors.comment_revisions(comment=comment)},
    )


def _landing(comment: Comment) -> str:
    """The page that shows this comment (past the first page of a busy discussion)."""
    return selectors.comment_landing(comment_id=comment.pk) or comment.get_absolute_url()


# --- follows ---------------------------------------------------------------------------------


@require_POST
def follow_toggle(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Follow or unfollow. With htmx only the form comes back, its button saying the new state
    (focus stays on it); without, the page again with a message."""
    _, target = _load(request, kind, pk)
    htmx = is_htmx(request)
    try:
        if request.POST.get("action") == "follow":
            services.follow(user=request.user, target=target)
            done = "You are following this. Activity on it reaches you."
        else:
            services.unfollow(user=request.user, target=target)
            done = "You no longer follow this."
    except ratelimit.RateLimited as exc:
        if not htmx:
            return _limited(request, exc, target)
        return ratelimit.too_many(follow_part(request, target, error=str(exc)), exc)
    if htmx:
        return follow_part(request, target)
    messages.success(request, done)
    return redirect(target)


def follow_part(request: HttpRequest, target: Any, error: str = "") -> HttpResponse:
    state = selectors.viewer_state(viewer=request.user, target=target)
    context = {"target": target, "state": state, "error": error}
    return render(request, "discussion/_follow.html", context)


# --- reports and hiding ----------------------------------------------------------------------


def _item(request: HttpRequest, kind: str, pk: int) -> tuple[Any, str]:
    """What is reported or hidden: a registered object, or a comment; and its noun."""
    if kind == "comment":
        return _comment(request, pk), "comment"
    registered, obj = _load(request, kind, pk)
    if not registered.hideable:
        raise Http404
    return obj, registered.noun


def _where(item: Any) -> str:
    return _landing(item) if isinstance(item, Comment) else item.get_absolute_url()


def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item, noun = _item(request, kind, pk)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, filed = attempt(
            request,
            form,
            lambda: services.report(
                reporter=request.user, item=item, reason=form.cleaned_data["reason"]
            ),
        )
        if ok and filed.already_reported:
            messages.info(request, "You have already reported this. A steward will look at it.")
            return redirect(_where(item))
        if ok:
            messages.success(request, "Thank you. A steward will look at your report.")
            return redirect(_where(item))
    context = {"form": form, "item": item, "noun": noun, "action": "report"}
    return refused(request, render(request, "discussion/moderate.html", context))


def hide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item, noun = _item(request, kind, pk)
    if not services.can_moderate(request.user, item):
        raise PermissionDenied("Only stewards can hide content.")
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(
            request,
            form,
            lambda: services.hide(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            ),
        )
        if ok:
            messages.success(request, "Hidden, with your reason shown in its place.")
            return redirect(_where(item))
    context = {"form": form, "item": item, "noun": noun, "action": "hide"}
    return refused(request, render(request, "discussion/moderate.html", context))


def reports(request: HttpRequest) -> HttpResponse:
    """The open reports, for the people who may act on them (stewards)."""
    if not any(k.can_moderate(request.user, None) for k in _kinds()):
        raise Http404
    return render(
        request, "discussion/reports.html", {"reports": selectors.open_reports(viewer=request.user)}
    )


def _kinds() -> list[Kind]:
    from discussion.registry import kinds

    return kinds()
