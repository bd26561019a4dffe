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
from realtime.registry import group_for_scope, user_scope, verb_phrase

logger = logging.getLogger(__name__)


class Reason:
    """Why someone is notified (the values of ``Notification.Reason``), for domain services."""

    FOLLOWING = str(Notification.Reason.FOLLOWING)
    YOUR_IDEA = str(Notification.Reason.YOUR_IDEA)
    REPLY = str(Notification.Reason.REPLY)
    MENTION = str(Notification.Reason.MENTION)


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
            {"actor": a.actor_name, "phrase": verb_phrase(a.verb), "when": a.created,
             "reason": n.get_reason_display(), "payload": a.payload}
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
    subject = (
        f"{len(pending)} update{'s' if len(pending) != 1 else ''} on Social Commons"
        if subject_kind != "immediately"
        else f"{pending[-1].activity.actor_name} {verb_phrase(pending[-1].activity.verb)} "
        f"{pending[-1].activity.target_title}"
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


def notifications_for(*, user: Any, limit: int = 50, before: int | None = None) -> list[Any]:
    qs: QuerySet[Notification] = Notification.objects.filter(user=user).select_related("activity")
    if before:
        qs = qs.filter(id__lt=before)
    return list(qs.order_by("-id")[: limit + 1])


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
