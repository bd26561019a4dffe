"""Notifications: what touches a person, in-app (live bell) and by e-mail (now or in digests).

Domain apps decide *who* an activity touches (they know about follows, authors, replies) and
call :func:`notify` in the same transaction; everything after that lives here. E-mails are
grouped by what they are about, carry a signed unsubscribe link that works signed-out, and no
notification is e-mailed twice (``emailed_at`` is claimed with a conditional UPDATE).
"""

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from realtime.models import Activity, Notification, NotificationSettings
from realtime.publish import _send
from realtime.registry import (
    describe,
    group_for_scope,
    landing_url,
    user_scope,
    verb_detail,
    verb_noun,
    verb_phrase,
)

logger = logging.getLogger(__name__)


class Reason:
    """Why someone is notified (the values of ``Notification.Reason``), for domain services."""

    FOLLOWING = str(Notification.Reason.FOLLOWING)
    YOUR_IDEA = str(Notification.Reason.YOUR_IDEA)
    REPLY = str(Notification.Reason.REPLY)
    MENTION = str(Notification.Reason.MENTION)

    # When one activity touches a person in several ways, the most specific reason is the one
    # they are told: a reply that also mentions them is a reply.
    PRECEDENCE = (YOUR_IDEA, REPLY, MENTION, FOLLOWING)


def touched(*recipients: dict[int, str]) -> dict[int, str]:
    """Merge several ``user id → reason`` maps; for a person in more than one, the most
    specific reason wins (your idea > reply > mention > following), in whatever order."""
    rank = {reason: i for i, reason in enumerate(Reason.PRECEDENCE)}
    merged: dict[int, str] = {}
    for group in recipients:
        for uid, reason in group.items():
            if uid not in merged or rank.get(reason, 99) < rank.get(merged[uid], 99):
                merged[uid] = reason
    return merged


UNSUBSCRIBE_SALT = "realtime.unsubscribe"
DIGEST_WINDOW = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


# --- writes ------------------------------------------------------------------------------


def notify(*, activity: Activity, recipients: dict[int, str]) -> list[Notification]:
    """Notify each recipient (user id → reason) of ``activity``; never its own actor.

    Call inside the domain service's transaction. The live bell and immediate e-mails go out
    after commit."""
    recipients = {uid: r for uid, r in recipients.items() if uid and uid != activity.actor_id}
    if not recipients:
        return []
    rows = Notification.objects.bulk_create(
        [Notification(user_id=uid, activity=activity, reason=r) for uid, r in recipients.items()],
        ignore_conflicts=True,
    )
    frame = json.dumps({"type": "notification", "activity_id": activity.id})

    def after_commit() -> None:
        for uid in recipients:
            group = group_for_scope(user_scope(uid))
            _send(group, {"type": "hub.activity", "group": group, "text": frame})
        immediate = NotificationSettings.objects.filter(
            user_id__in=list(recipients), email=NotificationSettings.Email.IMMEDIATELY
        ).values_list("user_id", flat=True)
        for uid in immediate:
            send_pending_email(user_id=uid, subject_kind="immediately")

    transaction.on_commit(after_commit, robust=True)
    return rows


@transaction.atomic
def mark_read(*, user: Any, notification_id: int) -> int:
    return Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def mark_many_read(*, user: Any, notification_ids: Iterable[int]) -> int:
    """Mark several of this person's notifications read (a grouped line's); others' ids are
    ignored."""
    return Notification.objects.filter(
        user=user, pk__in=list(notification_ids)[:200], read_at__isnull=True
    ).update(read_at=timezone.now())


def open_notification(*, user: Any, notification_id: int) -> str | None:
    """Opening a notification marks it read and returns where it lands: the exact comment or
    decision (the target's page with its ``#anchor``), as the domain registered. ``None`` if
    it is not this person's."""
    notification = (
        Notification.objects.filter(user=user, pk=notification_id)
        .select_related("activity")
        .first()
    )
    if notification is None:
        return None
    if notification.read_at is None:
        mark_read(user=user, notification_id=notification.pk)
    return landing_url(notification.activity)


@transaction.atomic
def mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_email_frequency(*, user: Any, frequency: str) -> NotificationSettings:
    if frequency not in NotificationSettings.Email.values:
        from django.core.exceptions import ValidationError

        raise ValidationError({"email": "Choose how often to be e-mailed."})
    row, _ = NotificationSettings.objects.update_or_create(user=user, defaults={"email": frequency})
    return row


# --- signed unsubscribe links ------------------------------------------------------------


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT)


def user_id_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


@transaction.atomic
def unsubscribe(*, token: str) -> bool:
    user_id = user_id_from_token(token)
    if user_id is None or not get_user_model().objects.filter(pk=user_id).exists():
        return False
    NotificationSettings.objects.update_or_create(
        user_id=user_id, defaults={"email": NotificationSettings.Email.NEVER}
    )
    return True


# --- e-mail ------------------------------------------------------------------------------


def email_frequency(user_id: int) -> str:
    row = NotificationSettings.objects.filter(user_id=user_id).first()
    return str(row.email) if row else str(NotificationSettings.Email.DAILY)


def _claim(user_id: int) -> list[Notification]:
    """Take this person's not-yet-e-mailed notifications, so no one else sends them."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(user_id=user_id, emailed_at__isnull=True)
            .select_related("activity")
            .order_by("id")
        )
        if pending:
            Notification.objects.filter(
                pk__in=[n.pk for n in pending], emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
    return pending


def send_pending_email(*, user_id: int, subject_kind: str) -> bool:
    """E-mail one person what they have not been e-mailed yet, grouped by what it is about."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    pending = _claim(user_id)
    if not pending:
        return False
    groups: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"items": []})
    for n in pending:
        a = n.activity
        group = groups[(a.target_type, a.target_id)]
        group["title"], group["url"] = a.target_title, _absolute(a.target_url)
        group["items"].append(
            {"actor": a.actor_name, "when": a.created, "title": a.target_title,
             "reason": n.get_reason_display(), **describe(a)}
        )  # fmt: skip
    unsubscribe_url = _absolute(
        reverse("notifications_unsubscribe", kwargs={"token": unsubscribe_token(user_id)})
    )
    context = {
        "groups": list(groups.values()),
        "count": len(pending),
        "kind": subject_kind,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": _absolute(reverse("notifications")),
    }
    last = pending[-1].activity
    subject = (
        f"{len(pending)} update{'s' if len(pending) != 1 else ''} on Social Commons"
        if subject_kind != "immediately"
        else f"{last.actor_name} {verb_phrase(last.verb)} {last.target_title}"
        f"{verb_detail(last.verb, last.payload)}"
    )
    message = EmailMessage(
        subject=(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject)[:200],
        body=render_to_string("realtime/email/notifications.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:
        # Give them back, so the next digest run tries again: nothing is lost.
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=None)
        logger.exception("could not e-mail notifications to user %s", user_id)
        return False
    return True


def send_digests(*, frequency: str) -> int:
    """Send every ``daily`` or ``weekly`` digest that is due. Returns how many were sent."""
    if frequency not in DIGEST_WINDOW:
        raise ValueError("frequency must be 'daily' or 'weekly'")
    subscribed = NotificationSettings.objects.filter(email=frequency).values_list("user_id")
    users: Iterable[int] = (
        Notification.objects.filter(emailed_at__isnull=True)
        .filter(user_id__in=subscribed)
        .values_list("user_id", flat=True)
        .distinct()
    )
    if frequency == "daily":
        # Daily is the default: people without a settings row get daily digests too.
        users = set(users) | set(
            Notification.objects.filter(emailed_at__isnull=True)
            .exclude(user_id__in=NotificationSettings.objects.values_list("user_id"))
            .values_list("user_id", flat=True)
            .distinct()
        )
    sent = 0
    for user_id in sorted(set(users)):
        sent += send_pending_email(user_id=user_id, subject_kind=frequency)
    return sent


def _absolute(path: str) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{path}" if path.startswith("/") else path


# --- reads -------------------------------------------------------------------------------


def notifications_for(
    *, user: Any, limit: int = 50, before: int | None = None, unread_only: bool = False
) -> list[Any]:
    """Newest first, keyset-paged on id (``before``); up to ``limit + 1`` rows so the caller
    can tell whether there is an older page. One query."""
    qs: QuerySet[Notification] = Notification.objects.filter(user=user).select_related("activity")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)  # the partial index notification_unread
    if before:
        qs = qs.filter(id__lt=before)
    return list(qs.order_by("-id")[: limit + 1])


@dataclass
class NotificationLine:
    """One notification as a line: what happened, in words from its activity alone."""

    notification: Notification
    phrase: str
    detail: str


@dataclass
class NotificationGroup:
    """Consecutive notifications about the same thing, all unread or all read: one line
    ("5 new comments on …", "3 updates on …") that opens to the list. Often of one."""

    lines: list[NotificationLine] = field(default_factory=list)

    @property
    def first(self) -> NotificationLine:
        return self.lines[0]

    @property
    def unread(self) -> bool:
        return self.lines[0].notification.read_at is None

    @property
    def ids(self) -> list[int]:
        return [line.notification.pk for line in self.lines]

    @property
    def summary(self) -> str:
        """ "5 new comments on", "3 updates on" (the target's title follows)."""
        n = len(self.lines)
        verbs = {line.notification.activity.verb for line in self.lines}
        noun = verb_noun(verbs.pop()) if len(verbs) == 1 else None
        if noun is not None:
            new = "new " if self.unread else ""
            return f"{n} {new}{noun[0] if n == 1 else noun[1]} on"
        return f"{n} updates on"


def _group_key(n: Notification) -> tuple[str, str, bool]:
    return (n.activity.target_type, n.activity.target_id, n.read_at is None)


def group_notifications(items: Iterable[Notification]) -> list[NotificationGroup]:
    """Fold consecutive notifications about the same target (and equally read) into groups,
    keeping the order. Groups do not reach across a page: paging stays keyset on id."""
    groups: list[NotificationGroup] = []
    previous = None
    for n in items:
        key = _group_key(n)
        if not groups or key != previous:
            groups.append(NotificationGroup())
        groups[-1].lines.append(NotificationLine(n, **describe(n.activity)))
        previous = key
    return groups


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
