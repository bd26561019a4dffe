"""Reads of the activity log, with visibility applied."""

from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from realtime.models import Activity, Notification
from realtime.registry import scopes_for


def activities_visible_to(
    *, user: Any, before: int | None = None, limit: int | None = None
) -> list[Activity]:
    """Newest first; ``before`` is the id of the oldest item already shown (keyset paging).

    Returns up to ``limit + 1`` rows so the caller can tell whether an older page exists.
    """
    limit = limit or settings.FEED_PAGE_SIZE
    scopes = scopes_for(user)
    if not scopes:
        return []
    qs = Activity.objects.filter(scope__in=scopes)
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(qs.order_by("-id")[: limit + 1])


def activities_after(*, user: Any, after: int, limit: int) -> list[Activity]:
    """Oldest first: what a reconnecting client missed. Up to ``limit + 1`` rows."""
    scopes = scopes_for(user)
    if not scopes:
        return []
    return list(Activity.objects.filter(scope__in=scopes, id__gt=after).order_by("id")[: limit + 1])


def missed_activities(
    *, scopes: list[str], after: int, arrived: set[int], older_than: datetime, limit: int
) -> tuple[list[tuple[Activity, list[int]]], int]:
    """What a process's hub should have received through the channel layer but did not.

    Activities of ``scopes`` after ``after`` that are not in ``arrived`` and were written before
    ``older_than`` (so one still on its way through the layer is not taken for lost), each with
    the people of ``scopes`` (``user:<id>``) it notified. Also returns the new watermark: the
    last id up to which nothing is outstanding. Three queries at most (one when nothing
    was missed), whatever the number of sockets."""
    rows = Activity.objects.filter(scope__in=scopes, id__gt=after).order_by("id")
    watermark, missed_ids = after, []
    for activity_id, created in rows.values_list("id", "created")[:limit]:
        if activity_id not in arrived:
            if created > older_than:
                break  # may still be on its way: look again next time
            missed_ids.append(activity_id)
        watermark = activity_id
    missed = list(Activity.objects.filter(id__in=missed_ids).order_by("id")) if missed_ids else []
    users = [int(s.partition(":")[2]) for s in scopes if s.startswith("user:")]
    notified: dict[int, list[int]] = {a.id: [] for a in missed}
    if missed and users:
        for user_id, activity_id in Notification.objects.filter(
            activity_id__in=list(notified), user_id__in=users
        ).values_list("user_id", "activity_id"):
            notified[activity_id].append(user_id)
    return [(a, notified[a.id]) for a in missed], watermark


def missed_notifications(
    *,
    user_ids: list[int],
    after: int,
    arrived: set[tuple[int, int]],
    older_than: datetime,
    limit: int,
) -> tuple[list[tuple[int, int, datetime]], int]:
    """Bells the channel layer did not ring: notifications of ``user_ids`` with an id after
    ``after`` whose ``(user id, activity id)`` is not in ``arrived`` (the ``notified`` key of
    the live messages that did come) and that were written before ``older_than``.

    For a hub to watch beside :func:`missed_activities`: the worker writes the notifications of
    an audience (an idea's followers) after the activity itself was published, maybe after the
    hub took the activity as delivered, and from another process (whose in-memory layer no
    Daphne shares). Returns ``(user id, activity id, written)`` for each and the new watermark
    (the last notification id up to which nothing is outstanding). One query."""
    rows = (
        Notification.objects.filter(user_id__in=user_ids, id__gt=after)
        .order_by("id")
        .values_list("id", "user_id", "activity_id", "created")[:limit]
    )
    watermark, missed = after, []
    for notification_id, user_id, activity_id, created in rows:
        if (user_id, activity_id) not in arrived:
            if created > older_than:
                break  # may still be on its way: look again next time
            missed.append((user_id, activity_id, created))
        watermark = notification_id
    return missed, watermark


def last_notification_before(moment: datetime) -> int:
    """The id of the last notification written before ``moment`` (0 if none)."""
    return (
        Notification.objects.filter(created__lt=moment)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def latest_notification_id() -> int:
    return Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0


def latest_activity_id() -> int:
    return Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0


def last_id_before(epoch_seconds: float) -> int:
    """The id of the last activity created before a moment (0 if none)."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return (
        Activity.objects.filter(created__lt=moment)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )
