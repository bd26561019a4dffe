"""The one place that talks to the channel layer.

Services call :func:`record` inside their transaction: it writes the Activity row and hands it to
:func:`publish_on_commit`, which encodes the live message there and then (a bad payload fails the
transaction, not a browser) and sends it only after COMMIT. A rolled-back change never reaches a
browser. The message is the same bytes for every recipient: nothing in it depends on the viewer.
"""

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.template.loader import render_to_string

from realtime.models import Activity
from realtime.registry import (
    actor_of,
    control_group,
    describe,
    group_for_scope,
    session_group,
    target_type,
    user_scope,
)

logger = logging.getLogger(__name__)


def record(
    *,
    actor: Any,
    verb: str,
    target: Any,
    payload: dict[str, Any] | None = None,
    scope: str | None = None,
    title: str | None = None,
) -> Activity:
    """Write an Activity about ``target`` in the caller's transaction and publish it after
    commit.

    ``target`` is an object of a model registered with ``registry.register_target``: its type,
    id, title as everyone may see it, address and scope come from there; the actor's name,
    profile address and organisation (as they are now, kept as recorded) from the actor
    describer ``people`` registered. ``scope`` narrows who sees this one activity (an event
    for one person: ``user:<id>``); ``title`` names the target otherwise than its title."""
    kind = target_type(target)
    who = actor_of(actor)
    activity = Activity.objects.create(
        actor=actor,
        actor_name=who.name[:150],
        actor_url=who.url,
        actor_org=who.org[:150],
        actor_org_short=who.org_short[:40],
        verb=verb,
        target_type=kind.label,
        target_id=str(target.pk),
        target_title=(title if title is not None else kind.title(target))[:300],
        target_url=kind.url(target),
        scope=scope or kind.scope(target),
        payload=payload or {},
    )
    publish_on_commit(activity)
    return activity


def rewrite(
    *,
    target_type: str,
    target_id: Any,
    title: str | None = None,
    where: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
) -> int:
    """Make what the activities about a target say agree with the target as it is now.

    An activity refers to what it is about; the little text it carries (a title, an excerpt)
    must not outlive the source. So when text is hidden, deleted or edited away, the service
    that does it calls this in the same transaction: ``title`` replaces the title every activity
    of the target shows; ``payload`` sets keys (``None`` removes one) in the payloads of the
    target's activities that contain ``where``. The feed, replay, notifications, e-mails not yet
    sent and the API all read these rows, so the change reaches each of them. Returns how many
    rows changed."""
    rows = Activity.objects.filter(target_type=target_type, target_id=str(target_id))
    changed = 0
    if title is not None:
        changed += rows.exclude(target_title=title[:300]).update(target_title=title[:300])
    if payload:
        lookups = {f"payload__{key}": value for key, value in (where or {}).items()}
        edited = []
        for activity in rows.filter(**lookups).only("id", "payload"):
            new = {k: v for k, v in activity.payload.items() if payload.get(k, v) is not None}
            new.update({k: v for k, v in payload.items() if v is not None})
            if new != activity.payload:
                activity.payload = new
                edited.append(activity)
        Activity.objects.bulk_update(edited, ["payload"])
        changed += len(edited)
    return changed


def render_activity(activity: Activity) -> str:
    """The feed item: from the activity row alone, so it is the same for every viewer."""
    return render_to_string("realtime/_activity.html", {"activity": activity, **describe(activity)})


def encode_activity(activity: Activity) -> str:
    """The live frame for an activity: JSON text, identical for every recipient."""
    return json.dumps(
        {
            "type": "activity",
            "id": activity.id,
            "verb": activity.verb,
            "scope": activity.scope,
            "actor": {
                "name": activity.actor_name,
                "url": activity.actor_url,
                "org": activity.actor_org,
                "org_short": activity.actor_org_short,
            },
            "target": {
                "type": activity.target_type,
                "id": activity.target_id,
                "title": activity.target_title,
                "url": activity.target_url,
            },
            "payload": activity.payload,
            "created": activity.created.isoformat(),
            "html": render_activity(activity),
        },
        separators=(",", ":"),
    )


def _send_many(messages: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Send each ``(group, message)`` to the channel layer, all from one event loop (one
    connection, however many). Every live message leaves through here."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all() -> None:
        for group, message in messages:
            await layer.group_send(group, message)

    async_to_sync(send_all)()


def _send(group: str, message: dict[str, Any]) -> None:
    _send_many([(group, message)])


def publish_on_commit(activity: Activity) -> None:
    text = encode_activity(activity)  # inside the transaction: a bad payload fails here
    group = group_for_scope(activity.scope)
    message = {"type": "hub.activity", "group": group, "id": activity.id, "text": text}
    transaction.on_commit(lambda: _send(group, message), robust=True)


def encode_notification(activity_id: int) -> str:
    """The live frame that rings a person's bell: which activity touched them (the page fetches
    the rest). The same bytes for everyone it touched."""
    return json.dumps({"type": "notification", "activity_id": activity_id})


def notifications_on_commit(user_ids: Iterable[int], activity_id: int) -> None:
    """After commit, ring the bell of each of these people (their ``user:<id>`` group): one
    frame each, all sent together. Nothing is sent if the transaction rolls back."""
    text = encode_notification(activity_id)
    messages = []
    for user_id in user_ids:
        group = group_for_scope(user_scope(user_id))
        # "notified": which activity's bell this is, so a hub can tell which bells came
        # through the layer (its "id" would say the activity itself had arrived: not so).
        message = {"type": "hub.activity", "group": group, "text": text, "notified": activity_id}
        messages.append((group, message))
    if messages:
        transaction.on_commit(lambda: _send_many(messages), robust=True)


def _send_quietly(group: str, message: dict[str, Any], what: str) -> None:
    try:
        _send(group, message)
    except Exception:  # the channel layer being down must not break a logout or a save
        logger.exception("could not %s", what)


def close_user_connections(user_id: int) -> None:
    """Close every open socket of this person (their account was deactivated)."""
    group = control_group(user_id)
    _send_quietly(group, {"type": "hub.close", "group": group}, f"close sockets of {user_id}")


def end_session_connections(session_key: str) -> None:
    """Close the sockets of one browser session (it was signed out or deleted); the person's
    other sessions stay live."""
    group = session_group(session_key)
    _send_quietly(group, {"type": "hub.end_session", "group": group}, "close a session's sockets")


def recheck_user_connections_on_commit(user_id: int) -> None:
    """After commit, each open socket of this person checks that its session still signs them
    in (a password change ends the other sessions) and closes if not."""
    group = control_group(user_id)
    message = {"type": "hub.recheck", "group": group}
    transaction.on_commit(
        lambda: _send_quietly(group, message, f"recheck sockets of {user_id}"), robust=True
    )


def grant_scope_on_commit(user_id: int, scope: str) -> None:
    """After commit, this user's open sockets start receiving live events of ``scope`` (they
    joined a restricted project); each socket checks the registry before it joins."""
    group = control_group(user_id)
    message = {"type": "hub.grant", "group": group, "scope": scope}
    transaction.on_commit(
        lambda: _send_quietly(group, message, f"grant {scope} to {user_id}"), robust=True
    )


def rescope(*, target_type: str, target_ids: Iterable[Any], scope: str) -> int:
    """Give the activities about these targets a new scope (a project made restricted, or
    opened): feed, replay and notifications read the scope from the row, so who may see them
    changes with it. Call in the transaction that makes the change. Returns the rows changed."""
    ids = [str(i) for i in target_ids]
    if not ids:
        return 0
    return (
        Activity.objects.filter(target_type=target_type, target_id__in=ids)
        .exclude(scope=scope)
        .update(scope=scope)
    )


def revoke_scope_on_commit(user_id: int, scope: str) -> None:
    """After commit, stop live events of ``scope`` reaching this user's open sockets."""
    group = control_group(user_id)
    message = {"type": "hub.revoke", "group": group, "scope": scope}
    transaction.on_commit(lambda: _send(group, message), robust=True)
