"""How activities about discussions read, where opening one lands, and whom they touch:
followers (notified off the request path, by the worker), the person replied to, people
mentioned — registered with ``realtime``. Every line is made from the activity row alone (its
payload), so text hidden, deleted or edited away, which the services rewrite there, goes from
every line as well."""

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType

from core.text import quote, then
from realtime import notifications
from realtime.registry import register_verb

FOLLOWING, REPLY, MENTION = "following", "reply", "mention"
FOLLOWERS = "followers"  # the audience: everyone following an activity's target


def commented(payload: dict[str, Any]) -> str:
    # The excerpt is removed from the payload when the comment is hidden or deleted, and
    # rewritten when it is edited: the line follows.
    return then(quote(payload.get("excerpt")))


def hidden(payload: dict[str, Any]) -> str:
    kind = str(payload.get("kind") or "")
    what = "a comment" if kind == "comment" else f"the {kind}" if kind else ""
    because = quote(payload.get("reason"))
    return then(what + (f", because {because}" if because else ""))


def landing_with(otherwise: Callable[[Any], str] | None) -> Callable[[Any], str]:
    """Where opening an activity about a discussed object lands: the comment it is about
    (``#comment-<id>``, on the page that shows it), else where the kind says (``otherwise``),
    else the object's page."""

    def landing(activity: Any) -> str:
        from discussion.selectors import comment_landing

        payload = activity.payload or {}
        comment_id = payload.get("id") if payload.get("kind") == "comment" else None
        comment_id = payload.get("comment_id", comment_id)
        if isinstance(comment_id, int):
            return comment_landing(comment_id=comment_id) or activity.target_url
        return otherwise(activity) if otherwise else activity.target_url

    return landing


def register() -> None:
    register_verb("comment.posted", "commented on", detail=commented, noun=("comment", "comments"))
    register_verb("comment.edited", "edited a comment on")
    register_verb("comment.deleted", "deleted a comment on")
    register_verb("content.hidden", "hid content on", detail=hidden)
    notifications.register_reason(REPLY, "it replies to you", rank=20)
    notifications.register_reason(MENTION, "you were mentioned", rank=30)
    notifications.register_reason(FOLLOWING, "you follow it", rank=40)
    notifications.register_audience(FOLLOWERS, resolve=followers_of_target, reason=FOLLOWING)


def followers_of(obj: Any) -> tuple[str, str]:
    """The audience "the followers of ``obj``" (not the activity's own target), for
    ``notify(audiences=…)``: a new idea tells the followers of its problem."""
    return (FOLLOWERS, f"{obj._meta.label_lower}:{obj.pk}")


def followers_of_target(activity: Any, argument: str = "") -> Any:
    """The ids of everyone following what ``activity`` is about — or, with an argument
    ``"<app.model>:<id>"``, that object (a query, run by the worker)."""
    from django.apps import apps

    from discussion.models import Follow

    label, object_id = (
        argument.rsplit(":", 1) if argument else (activity.target_type, activity.target_id)
    )
    try:
        model = apps.get_model(label)
        object_id = int(object_id)
    except (LookupError, ValueError):
        return []
    content_type = ContentType.objects.get_for_model(model)
    return Follow.objects.filter(content_type=content_type, object_id=object_id).values_list(
        "user_id", flat=True
    )
