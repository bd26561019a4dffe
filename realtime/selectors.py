"""Reads of the activity log, with visibility applied."""

from typing import Any

from django.conf import settings

from realtime.models import Activity
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


def latest_activity_id() -> int:
    return Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0


def last_id_before(epoch_seconds: float) -> int:
    """The id of the last activity created before a moment (0 if none)."""
    from datetime import UTC, datetime

    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return (
        Activity.objects.filter(created__lt=moment)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )
