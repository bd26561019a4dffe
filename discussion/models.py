"""Comments, follows, reactions and reports on anything a domain app registers.

Each row carries its target's content type, a typed object id and the target's **scope**, so
"what may this person see" is one ``scope__in=…`` filter whatever the target, and a page's
reads stay at a fixed number of queries. Counters stay on the target tables
(``Discussable``), kept by the services with ``F()`` updates in the same transaction.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from realtime.registry import PUBLIC

USER = settings.AUTH_USER_MODEL


class Hideable(models.Model):
    """Moderation is visible, never silent: a hidden item shows who hid it and why."""

    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=500, blank=True)
    # Their name when they hid it: shown in its place, without a join.
    hidden_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def public_title(self) -> str:
        """The title as everyone may see it: a hidden item's title is hidden with it."""
        if self.is_hidden:
            return f"Hidden {self._meta.verbose_name} #{self.pk}"
        return str(getattr(self, "title", ""))


class Discussable(models.Model):
    """A kind of thing people discuss (registered in ``discussion.registry``): its counters,
    and its comments, follows, reactions and reports (deleted with it)."""

    comment_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)

    # Reverse lookups from the rows: ``Comment.objects.filter(ideas_idea__hidden_at=None)``.
    comments = GenericRelation("discussion.Comment", related_query_name="%(app_label)s_%(class)s")
    follows = GenericRelation("discussion.Follow", related_query_name="%(app_label)s_%(class)s")
    reactions = GenericRelation("discussion.Reaction", related_query_name="%(app_label)s_%(class)s")
    reports = GenericRelation("discussion.Report", related_query_name="%(app_label)s_%(class)s")

    class Meta:
        abstract = True


class Targeted(models.Model):
    """A row about one registered object: its content type, its id, and its scope."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    scope = models.CharField(max_length=64, default=PUBLIC)

    class Meta:
        abstract = True


class Comment(Hideable, Targeted):
    """A comment with one level of replies. Deleting leaves a tombstone; every version is
    kept (``CommentRevision``)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(max_length=10000)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)
    deleted = models.DateTimeField(null=True, blank=True)

    # A key the posting form carries, so a double-submitted form creates one row, not two.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    reports = GenericRelation("discussion.Report", related_query_name="comment")

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="comment_posted_once",
            ),
        ]
        indexes = [
            # A discussion's threads, in order; replies by parent use the FK's index.
            models.Index(fields=["content_type", "object_id", "id"], name="comment_target_order"),
            # Recent comments on one kind of thing (the dashboard's most active problems).
            models.Index(
                fields=["content_type", "created"], include=["object_id"], name="comment_recent_on"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id}"

    def get_absolute_url(self) -> str:
        return f"{self.target_url}#comment-{self.pk}"

    @property
    def target_url(self) -> str:
        """The page of what it is on, without fetching that."""
        from discussion.registry import url_for

        return url_for(self.content_type_id, self.object_id)


class CommentRevision(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id}"


class Follow(Targeted):
    """A person follows something: activity on it notifies them."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="follow_once"
            ),
        ]
        indexes = [models.Index(fields=["user", "content_type", "object_id"], name="follow_user")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.content_type_id}:{self.object_id}"


class Reaction(Targeted):
    """A person's reaction of one kind (``support`` on an idea; ``endorse`` on an article …),
    at most one of each kind per person per object."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=20)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "user"], name="react_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "kind", "content_type", "object_id"], name="reaction_user"
            ),
            models.Index(fields=["kind", "created"], include=["user"], name="reaction_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.content_type_id}:{self.object_id}"


class Report(Targeted):
    """Anyone may report a registered object or a comment; stewards see the open reports. A
    person has at most one open report of an item: reporting it again changes nothing."""

    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=1000)
    created = models.DateTimeField(default=timezone.now)
    resolved = models.DateTimeField(null=True, blank=True)

    # Set (not stored) by discussion.services.report when this person's open report existed.
    already_reported = False

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                condition=Q(resolved__isnull=True),
                name="report_one_open",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-created"], condition=Q(resolved__isnull=True), name="report_open"
            ),
            models.Index(fields=["content_type", "object_id"], name="report_target"),
        ]

    def __str__(self) -> str:
        return f"Report by {self.reporter_id}: {self.reason[:40]}"


class Decision(models.Model):
    """The shared shape of a public decision: who, when, from what to what, and why — the
    reason required. Each domain keeps real foreign keys on its own decisions (an idea's stage,
    a project's status, a review, a data-access approval) and says in ``FROM_TO`` which two of
    its fields hold "from" and "to"."""

    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)
    created = models.DateTimeField(default=timezone.now)

    FROM_TO: tuple[str, str] = ("from_state", "to_state")

    class Meta:
        abstract = True
        ordering = ["created", "id"]

    def __str__(self) -> str:
        before, after = (getattr(self, f) for f in self.FROM_TO)
        return f"{before} → {after}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not (self.reason or "").strip():
            raise ValidationError({"reason": "Write the reason for this decision."})
