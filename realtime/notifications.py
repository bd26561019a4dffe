"""Notifications: what touches a person, in-app (live bell) and by e-mail (now or in digests).

Domain apps decide *who* an activity touches and *why*; realtime knows no domain. In their
``AppConfig.ready()`` they register their reasons (:func:`register_reason`: a label and a rank,
lower wins when one activity touches a person in several ways) and their audiences
(:func:`register_audience`: a named, possibly large group such as an object's followers,
resolved to user ids later). A service calls :func:`notify` in its transaction with the few
people it names itself (authors, the person replied to, mentions) and the audiences to tell.

Only the named few cost anything on the request path: their rows are inserted there and their
bells ring after commit. Everything else is a task (``realtime.tasks``, Django's tasks framework
with the database backend, so the task row is part of the same transaction and a rollback
discards it): the worker resolves the audiences, inserts their rows in batches, rings their
bells, and sends every immediate e-mail. E-mails are grouped by what they are about, carry a
signed unsubscribe link that works signed-out, and no notification is e-mailed twice
(``emailed_at`` is claimed with a conditional UPDATE).
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
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

from realtime import publish
from realtime.models import Activity, Notification, NotificationSettings
from realtime.registry import (
    describe,
    landing_url,
    verb_detail,
    verb_noun,
    verb_phrase,
    who_may_see,
)

logger = logging.getLogger(__name__)


# --- reasons and audiences, registered by the domain apps ---------------------------------


@dataclass(frozen=True)
class RegisteredReason:
    key: str
    label: str  # how it reads after "because": "it replies to you"
    rank: int  # precedence: when one activity touches a person in several ways, lower wins


@dataclass(frozen=True)
class Audience:
    name: str
    reason: str
    # ``resolve(activity, argument)`` → the user ids it holds now (the actor and people already
    # notified are left out by the caller). ``argument`` is what ``notify`` was given with the
    # name ("" if only the name): e.g. which object's followers, when not the activity's target.
    resolve: Callable[[Activity, str], Iterable[int]]


_reasons: dict[str, RegisteredReason] = {}
_audiences: dict[str, Audience] = {}
UNREGISTERED_RANK = 1_000_000


def register_reason(key: str, label: str, *, rank: int) -> RegisteredReason:
    """Declare why someone may be notified: ``key`` is stored on each notification (at most 40
    characters), ``label`` completes "— because …", ``rank`` orders reasons (lower wins in
    :func:`touched`). Registering the same key again with the same label and rank is allowed;
    with different ones it is a mistake (two apps claiming one key) and raises."""
    if not key or len(key) > Notification._meta.get_field("reason").max_length:
        raise ValueError(f"A notification reason key must be 1-40 characters: {key!r}")
    reason = RegisteredReason(key, label, rank)
    if _reasons.setdefault(key, reason) != reason:
        raise ValueError(f"Notification reason {key!r} is already registered otherwise")
    return reason


def reason_label(key: str) -> str:
    """How a reason reads; an unregistered key (its app no longer registers it) reads as
    itself."""
    reason = _reasons.get(key)
    return reason.label if reason else key.replace("_", " ")


def reason_rank(key: str) -> int:
    reason = _reasons.get(key)
    return reason.rank if reason else UNREGISTERED_RANK


def register_audience(
    name: str, *, resolve: Callable[[Activity, str], Iterable[int]], reason: str
) -> Audience:
    """Declare a group of people a service can notify by name, resolved off the request path
    by the worker (``followers``: whoever follows what the activity is about). Its members are
    notified with ``reason`` (a registered reason key)."""
    audience = Audience(name, reason, resolve)
    _audiences[name] = audience
    return audience


def touched(*recipients: Mapping[int, str]) -> dict[int, str]:
    """Merge several ``user id → reason`` maps; for a person in more than one, the most
    specific reason wins (the lowest registered rank), in whatever order."""
    merged: dict[int, str] = {}
    for group in recipients:
        for uid, reason in group.items():
            if uid not in merged or reason_rank(reason) < reason_rank(merged[uid]):
                merged[uid] = reason
    return merged


UNSUBSCRIBE_SALT = "realtime.unsubscribe"
DIGEST_WINDOW = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


# --- writes ------------------------------------------------------------------------------


AudienceSpec = str | tuple[str, str]
FAN_OUT_BATCH = 1000  # audience members inserted (and their bells rung) per transaction
EMAIL_BATCH = 100  # people e-mailed per task


def _audience_args(audiences: Iterable[AudienceSpec]) -> list[list[str]]:
    specs = []
    for spec in audiences:
        name, argument = (spec, "") if isinstance(spec, str) else spec
        if name not in _audiences:
            raise LookupError(f"No notification audience {name!r} is registered")
        specs.append([name, str(argument)])
    return specs


_inline: ContextVar[bool] = ContextVar("notifications_inline", default=False)


@contextmanager
def fan_out_inline() -> Iterator[None]:
    """Within this block :func:`notify` fans out in the caller's transaction instead of
    queuing a task: for the demo seeder, which writes weeks of history in one go and should
    leave no backlog for the worker (its people's bells would otherwise fill up live, minutes
    after the site started)."""
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def notify(
    *,
    activity: Activity,
    recipients: Mapping[int, str],
    audiences: Iterable[AudienceSpec] = (),
) -> list[Notification]:
    """Notify people of ``activity``; never its own actor, and each person once.

    Call inside the domain service's transaction. ``recipients`` (user id → reason key) are the
    few people the service names itself: their rows are written here and their bells ring
    after commit. ``audiences`` are registered audience names, or ``(name, argument)`` pairs:
    their members are resolved, written and rung by a task after commit, in batches, and
    without those already notified here; where a member is also a recipient the more specific
    reason is kept. Every immediate e-mail, recipients' too, is sent by that task: no SMTP on
    the request path. A rollback discards the rows, the bells and the task alike."""
    from realtime import tasks  # tasks import this module

    explicit = {uid: r for uid, r in recipients.items() if uid and uid != activity.actor_id}
    allowed = who_may_see(activity.scope, explicit)  # nobody is told of what they may not see
    explicit = {uid: r for uid, r in explicit.items() if uid in allowed}
    specs = _audience_args(audiences)
    rows: list[Notification] = []
    if explicit:
        rows = Notification.objects.bulk_create(
            [Notification(user_id=uid, activity=activity, reason=r) for uid, r in explicit.items()],
            ignore_conflicts=True,
        )
        publish.notifications_on_commit(explicit, activity.id)
    if (explicit or specs) and _inline.get():
        fan_out(activity_id=activity.id, audiences=specs, notified=sorted(explicit))
    elif explicit or specs:
        tasks.fan_out.enqueue(activity.id, specs, sorted(explicit))
    return rows


def fan_out(*, activity_id: int, audiences: list[list[str]], notified: list[int]) -> int:
    """The worker's half of :func:`notify`: e-mail the recipients ``notify`` wrote who want
    it immediately, then resolve the audiences and notify their members who were not notified
    yet — rows inserted in batches, their bells rung after each batch commits, their immediate
    e-mails queued. Returns how many people it added."""
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:  # deleted since: nothing to tell anyone
        return 0
    _email_immediately_later(notified)
    wanted = touched(
        *(
            dict.fromkeys(_audiences[name].resolve(activity, argument), _audiences[name].reason)
            for name, argument in audiences
            if name in _audiences
        )
    )
    added = 0
    members = sorted(
        who_may_see(activity.scope, (uid for uid in wanted if uid and uid != activity.actor_id))
    )
    for start in range(0, len(members), FAN_OUT_BATCH):
        batch = members[start : start + FAN_OUT_BATCH]
        with transaction.atomic():
            already = dict(
                Notification.objects.filter(activity_id=activity_id, user_id__in=batch)
                .values_list("user_id", "reason")
            )  # fmt: skip
            fresh = [uid for uid in batch if uid not in already]
            Notification.objects.bulk_create(
                [Notification(user_id=uid, activity_id=activity_id, reason=wanted[uid])
                 for uid in fresh],
                ignore_conflicts=True,
            )  # fmt: skip
            # Someone named by the service for a less specific reason than an audience gives
            # them is told the more specific one (already told: no second bell or e-mail).
            upgrades: dict[str, list[int]] = defaultdict(list)
            for uid, reason in already.items():
                if reason_rank(wanted[uid]) < reason_rank(reason):
                    upgrades[wanted[uid]].append(uid)
            for reason, uids in upgrades.items():
                Notification.objects.filter(activity_id=activity_id, user_id__in=uids).update(
                    reason=reason
                )
            publish.notifications_on_commit(fresh, activity_id)
            _email_immediately_later(fresh)
        added += len(fresh)
    return added


def withdraw(*, scope: str, user_ids: Iterable[int] | None = None) -> int:
    """Take back the notifications about ``scope`` from those who may no longer see it: the
    people in ``user_ids`` (removed from a project), or everyone the scope's provider no longer
    counts in (a project made restricted). Returns how many went."""
    rows = Notification.objects.filter(activity__scope=scope)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    else:
        holders = set(rows.values_list("user_id", flat=True).distinct())
        rows = rows.filter(user_id__in=holders - who_may_see(scope, holders))
    return rows.delete()[0]


def _email_immediately_later(user_ids: list[int]) -> None:
    """Queue the immediate e-mails of those of these people who want them (in the caller's
    transaction)."""
    from realtime import tasks

    if not user_ids:
        return
    immediate = sorted(
        NotificationSettings.objects.filter(
            user_id__in=user_ids, email=NotificationSettings.Email.IMMEDIATELY
        ).values_list("user_id", flat=True)
    )
    for start in range(0, len(immediate), EMAIL_BATCH):
        tasks.email_immediately.enqueue(immediate[start : start + EMAIL_BATCH])


def email_immediately(user_ids: Iterable[int]) -> int:
    """E-mail each of these people what they have not been e-mailed yet. Returns how many
    e-mails were sent."""
    return sum(send_pending_email(user_id=uid, subject_kind="immediately") for uid in user_ids)


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
             "reason": reason_label(n.reason), **describe(a)}
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
