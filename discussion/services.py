"""Every write about comments, follows, reactions, reports and hiding, on any registered kind.

Keyword-only, atomic, permission first (the kind's rules, ``discussion.registry``), validated,
rate-limited, and each records one Activity through :func:`record` — the one path from a
discussion write to the feed, the live layer and notifications.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core import identifying, ratelimit, submission
from discussion import notifying
from discussion.models import Comment, CommentRevision, Follow, Reaction, Report
from discussion.registry import Kind, kind_for_content_type, kind_of
from people import selectors as people_selectors
from realtime import notifications, publish
from realtime.registry import actor_of, may_see

EXCERPT_LENGTH = 140  # of a comment, in its activity (feed lines and e-mails quote it)

# Sent (in the transaction) when a person adds a comment or a reaction, with ``user`` and
# ``what`` ("comments", or the reaction's kind): the dashboard's participation counts listen.
contributed = Signal()


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _where(target: Any) -> dict[str, Any]:
    return {
        "content_type": ContentType.objects.get_for_model(type(target)),
        "object_id": target.pk,
    }


def _count(target: Any, field: str, by: int) -> None:
    type(target).objects.filter(pk=target.pk).update(**{field: F(field) + by})


# --- activities and notifications ----------------------------------------------------------


def mentions(text: str) -> dict[int, str]:
    """People ``@mentioned`` in a text, to notify (reason: mention)."""
    return {u.pk: notifying.MENTION for u in people_selectors.mentioned_users(text)}


def record(
    *,
    actor: Any,
    verb: str,
    target: Any,
    payload: dict[str, Any] | None = None,
    notify: dict[int, str] | None = None,
    audiences: Iterable[notifications.AudienceSpec] = (notifying.FOLLOWERS,),
    quiet: bool = False,
) -> Any:
    """Record an activity about ``target`` and notify: the people in ``notify`` (user id →
    reason, merged by ``notifications.touched``) now, in this transaction, and the
    ``audiences`` (its followers, by default) by the worker after commit — nobody if
    ``quiet``. Domain services call this for their own verbs too."""
    activity = publish.record(actor=actor, verb=verb, target=target, payload=payload)
    if not quiet:
        notifications.notify(activity=activity, recipients=notify or {}, audiences=audiences)
    return activity


def retitle(target: Any) -> None:
    """Every activity about ``target`` shows its title as it is now (edited, or hidden)."""
    publish.rewrite(
        target_type=target._meta.label_lower, target_id=target.pk, title=target.public_title
    )


def _excerpt(text: str) -> str:
    return text[:EXCERPT_LENGTH]


def _comment_text_changed(comment: Comment) -> None:
    """The excerpt that activities about ``comment`` carry follows its text: the new text after
    an edit, nothing once it is deleted or hidden (e-mails not yet sent included)."""
    gone = comment.deleted is not None or comment.is_hidden
    publish.rewrite(
        target_type=comment.content_type.model_class()._meta.label_lower,
        target_id=comment.object_id,
        where={"comment_id": comment.pk},
        payload={"excerpt": None if gone else _excerpt(comment.body)},
    )


def rescope(*, target: Any) -> int:
    """Give every comment, follow, reaction and report about ``target`` the scope it has now
    (a project made restricted): call in the transaction that changes it, so no row says
    otherwise once it commits. Returns how many rows changed."""
    scope = kind_of(target).scope(target)
    where = _where(target)
    changed = 0
    for model in (Comment, Follow, Reaction, Report):
        changed += model.objects.filter(**where).exclude(scope=scope).update(scope=scope)
    comment_type = ContentType.objects.get_for_model(Comment)
    on_comments = Comment.objects.filter(**where).values("pk")
    changed += (
        Report.objects.filter(content_type=comment_type, object_id__in=on_comments)
        .exclude(scope=scope)
        .update(scope=scope)
    )
    return changed


# --- comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *,
    author: Any,
    target: Any,
    body: str,
    parent: Comment | None = None,
    submission_key: str = "",
    confirm_not_identifying: bool = False,
) -> Comment:
    kind = kind_of(target)
    if not _active(author) or not kind.can_comment(author, target):
        raise PermissionDenied("Sign in to comment.")
    if existing := submission.already_submitted(Comment, author, submission_key):
        return existing
    where = _where(target)
    if parent is not None:
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: answer the thread
        if (parent.content_type_id, parent.object_id) != (where["content_type"].pk, target.pk):
            raise ValidationError({"parent": "That comment is on something else."})
    comment = Comment(
        author=author, body=body.strip(), parent=parent, scope=kind.scope(target), **where
    )
    comment.full_clean()
    identifying.check({"body": comment.body}, confirmed=confirm_not_identifying)
    ratelimit.check(user=author, action="post")
    comment, created = submission.save_once(comment, submission_key)
    if not created:
        return comment
    contributed.send(sender=Comment, user=author, what="comments")
    CommentRevision.objects.create(comment=comment, body=comment.body)
    _count(target, "comment_count", +1)
    auto_follow(author, target)
    # A reply that also mentions the person replied to is a reply (touched() ranks them).
    replied = {parent.author_id: notifying.REPLY} if parent is not None else {}
    record(
        actor=author, verb="comment.posted", target=target,
        payload={"comment_id": comment.pk, "parent_id": comment.parent_id,
                 "excerpt": _excerpt(comment.body)},
        notify=notifications.touched(replied, mentions(comment.body)),
    )  # fmt: skip
    return comment


def can_edit_comment(user: Any, comment: Comment) -> bool:
    return _active(user) and comment.author_id == user.pk and comment.deleted is None


@transaction.atomic
def comment_edit(
    *, actor: Any, comment: Comment, body: str, confirm_not_identifying: bool = False
) -> Comment:
    if not can_edit_comment(actor, comment):
        raise PermissionDenied("Only the comment's author can edit it.")
    body = body.strip()
    if body == comment.body:
        return comment
    before = {"body": comment.body}
    comment.body = body
    comment.edited = timezone.now()
    comment.full_clean()
    identifying.check({"body": body}, before=before, confirmed=confirm_not_identifying)
    ratelimit.check(user=actor, action="edit")
    comment.save(update_fields=["body", "edited"])
    CommentRevision.objects.create(comment=comment, body=body)
    _comment_text_changed(comment)  # the excerpt feeds and e-mails quote is the new text
    record(
        actor=actor, verb="comment.edited", target=comment.target,
        payload={"comment_id": comment.pk},
    )  # fmt: skip
    return comment


@transaction.atomic
def comment_delete(*, actor: Any, comment: Comment) -> Comment:
    """Delete leaves a tombstone so replies stay readable. The history is kept."""
    if not can_edit_comment(actor, comment):
        raise PermissionDenied("Only the comment's author can delete it.")
    if comment.deleted is not None:
        return comment
    ratelimit.check(user=actor, action="edit")
    comment.deleted = timezone.now()
    comment.save(update_fields=["deleted"])
    _comment_text_changed(comment)
    record(
        actor=actor, verb="comment.deleted", target=comment.target,
        payload={"comment_id": comment.pk},
    )  # fmt: skip
    return comment


# --- follows ---------------------------------------------------------------------------------


def _follow(user: Any, target: Any) -> bool:
    """Follow without error if already following. Returns whether a follow was added."""
    try:
        with transaction.atomic():
            Follow.objects.create(user=user, scope=kind_of(target).scope(target), **_where(target))
    except IntegrityError:
        return False
    _count(target, "follower_count", +1)
    return True


def auto_follow(user: Any, target: Any) -> None:
    """Follow what one posts, comments on or supports — unless one said not to."""
    profile = getattr(user, "profile", None)
    if profile is None or profile.auto_follow:
        _follow(user, target)


@transaction.atomic
def follow(*, user: Any, target: Any) -> bool:
    kind = kind_of(target)
    if not _active(user) or not kind.can_view(user, target):
        raise PermissionDenied("Sign in to follow.")
    added = _follow(user, target)
    if added:
        ratelimit.check(user=user, action="follow")  # a refusal rolls the follow back
    return added


@transaction.atomic
def unfollow(*, user: Any, target: Any) -> bool:
    deleted, _ = Follow.objects.filter(user=user, **_where(target)).delete()
    if deleted:
        ratelimit.check(user=user, action="follow")  # a refusal rolls the delete back
        _count(target, "follower_count", -1)
    return bool(deleted)


# --- reactions -------------------------------------------------------------------------------


def _counter(kind: Kind, reaction: str) -> str:
    try:
        return kind.reactions[reaction]
    except KeyError:
        raise ValueError(f"{kind.key} takes no “{reaction}” reaction") from None


def react(*, user: Any, target: Any, kind: str) -> bool:
    """Add this person's reaction of ``kind`` (the domain service checked who may). Returns
    whether it is new; the counter on the target moves with it. Call inside a transaction."""
    counter = _counter(kind_of(target), kind)
    try:
        with transaction.atomic():
            Reaction.objects.create(
                user=user, kind=kind, scope=kind_of(target).scope(target), **_where(target)
            )
    except IntegrityError:
        return False
    _count(target, counter, +1)
    contributed.send(sender=Reaction, user=user, what=kind)
    return True


def unreact(*, user: Any, target: Any, kind: str) -> bool:
    counter = _counter(kind_of(target), kind)
    deleted, _ = Reaction.objects.filter(user=user, kind=kind, **_where(target)).delete()
    if deleted:
        _count(target, counter, -deleted)
    return bool(deleted)


def drop_reactions(*, target: Any, kind: str, users: Iterable[int]) -> int:
    """Remove these people's reactions of ``kind`` (they became its authors)."""
    counter = _counter(kind_of(target), kind)
    dropped, _ = Reaction.objects.filter(
        kind=kind, user_id__in=list(users), **_where(target)
    ).delete()
    if dropped:
        _count(target, counter, -dropped)
    return dropped


def move_to(
    *, source: Any, target: Any, reaction: str, exclude_reactions: Iterable[int] = ()
) -> None:
    """A duplicate merged into ``target``: its followers and ``reaction`` reactions move there
    (nobody counted twice; people in ``exclude_reactions`` — the target's authors — never
    react to it), the rest are removed, and both objects' counters are set from the rows."""
    src, dst = _where(source), _where(target)
    counter = _counter(kind_of(target), reaction)
    reacted = set(Reaction.objects.filter(kind=reaction, **dst).values_list("user_id", flat=True))
    reacted |= set(exclude_reactions)
    Reaction.objects.filter(kind=reaction, **src).exclude(user_id__in=reacted).update(
        object_id=target.pk
    )
    Reaction.objects.filter(kind=reaction, **src).delete()
    following = set(Follow.objects.filter(**dst).values_list("user_id", flat=True))
    Follow.objects.filter(**src).exclude(user_id__in=following).update(object_id=target.pk)
    Follow.objects.filter(**src).delete()
    setattr(target, counter, Reaction.objects.filter(kind=reaction, **dst).count())
    target.follower_count = Follow.objects.filter(**dst).count()
    target.save(update_fields=[counter, "follower_count"])


# --- reports and hiding ----------------------------------------------------------------------


def _kind_of_item(item: Any) -> tuple[Kind, Any]:
    """The registered kind an item belongs to, and its discussed object (a comment's target,
    fetched only if a rule or a write looks at it)."""
    if isinstance(item, Comment):
        kind = kind_for_content_type(item.content_type_id)
        if kind is None:
            raise PermissionDenied("That comment is on something that is no longer here.")
        return kind, SimpleLazyObject(lambda: item.target)
    return kind_of(item), item


@transaction.atomic
def report(*, reporter: Any, item: Any, reason: str) -> Report:
    """Report a registered object or a comment to its moderators. Idempotent: while this
    person's report of the item is open, reporting it again returns that report
    (``already_reported``)."""
    kind, _ = _kind_of_item(item)
    if isinstance(item, Comment):  # the comment's row carries its scope: nothing to fetch
        scope, visible = item.scope, may_see(reporter, item.scope)
    else:
        scope, visible = kind.scope(item), _active(reporter) and kind.can_view(reporter, item)
    if not _active(reporter) or not visible:
        raise PermissionDenied("Sign in to report.")
    filed = Report(reporter=reporter, reason=reason.strip(), scope=scope, **_where(item))
    if existing := _open_report(filed):
        return existing
    filed.full_clean()
    ratelimit.check(user=reporter, action="report")
    try:
        with transaction.atomic():
            filed.save()
    except IntegrityError:  # the same person's report of it, sent twice at once
        if existing := _open_report(filed):
            return existing
        raise
    return filed


def _open_report(item: Report) -> Report | None:
    existing = Report.objects.filter(
        reporter=item.reporter, content_type=item.content_type, object_id=item.object_id,
        resolved__isnull=True,
    ).first()  # fmt: skip
    if existing is not None:
        existing.already_reported = True
    return existing


def can_moderate(user: Any, item: Any) -> bool:
    kind, owner = _kind_of_item(item)
    return _active(user) and kind.can_moderate(user, owner)


@transaction.atomic
def hide(*, actor: Any, item: Any, reason: str) -> Any:
    """A moderator hides a registered object or a comment, publicly: "hidden by … because …".
    What activities copied of its text goes with it, wherever it was shown or queued."""
    kind, _ = _kind_of_item(item)
    if not can_moderate(actor, item) or (not isinstance(item, Comment) and not kind.hideable):
        raise PermissionDenied("Only stewards can hide content.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the reason is shown to everyone."})
    ratelimit.check(user=actor, action="moderate")
    if item.is_hidden:
        return item
    item.hidden_at, item.hidden_by, item.hidden_reason = timezone.now(), actor, reason[:500]
    item.hidden_by_name = actor_of(actor).name
    item.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_by_name"])
    Report.objects.filter(resolved__isnull=True, **_where(item)).update(resolved=timezone.now())
    is_comment = isinstance(item, Comment)
    if is_comment:
        _comment_text_changed(item)
    else:
        retitle(item)
    record(
        actor=actor, verb="content.hidden", target=item.target if is_comment else item,
        payload={"kind": "comment" if is_comment else kind.key, "id": item.pk, "reason": reason},
    )  # fmt: skip
    return item
