from django.conf import settings
from django.db import models
from django.utils import timezone


class Activity(models.Model):
    """One meaningful change, written in the same transaction as the change itself.

    The feed pages, the live websocket stream and (later) notifications and the dashboard all read
    from this table. ``scope`` says who may see it: ``public``, ``project:<id>`` or ``user:<id>``.
    Actor and target are copied as they were at the time (name, title, URL), so history reads
    true even after a rename, and rendering an item needs no joins.
    """

    id = models.BigAutoField(primary_key=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    actor_name = models.CharField(max_length=150)
    actor_url = models.CharField(max_length=300, blank=True)
    # The actor's organisation when it happened (full name, and the short name feeds show with
    # the full one as its title): copied like the name, so feed lines need no joins and the
    # live frame is the same for everyone. A later rename does not rewrite history.
    actor_org = models.CharField(max_length=150, blank=True)
    actor_org_short = models.CharField(max_length=40, blank=True)
    verb = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    target_title = models.CharField(max_length=300)
    target_url = models.CharField(max_length=300, blank=True)
    scope = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-id"]
        indexes = [
            # "newest visible to this user" and "after id N", both as (scope IN ...) + id range.
            models.Index(fields=["scope", "id"], name="activity_scope_id"),
            models.Index(fields=["target_type", "target_id", "id"], name="activity_target_id"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.actor_name} {self.verb} {self.target_title}"


class Notification(models.Model):
    """An activity that touches one person: on something they follow, a decision on their idea,
    a reply to their comment, a mention. One row per person per activity.

    ``reason`` is a key a domain app registered (``notifications.register_reason``): realtime
    knows no reasons of its own. ``reason_label`` is how it reads ("it replies to you")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=40)
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="notify_once_per_activity")
        ]
        indexes = [
            models.Index(
                fields=["user", "-id"], name="notification_unread", condition=models.Q(read_at=None)
            ),
            models.Index(
                fields=["user", "id"],
                name="notification_unemailed",
                condition=models.Q(emailed_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.activity_id} ({self.reason})"

    @property
    def reason_label(self) -> str:
        from realtime.notifications import reason_label  # the registry lives there

        return reason_label(self.reason)


class NotificationSettings(models.Model):
    class Email(models.TextChoices):
        IMMEDIATELY = "immediately", "Immediately"
        DAILY = "daily", "Daily digest"
        WEEKLY = "weekly", "Weekly digest"
        NEVER = "never", "Never"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.CharField("e-mail me", max_length=20, choices=Email.choices, default=Email.DAILY)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"
