"""Co-authored practice knowledge: articles and every revision of them.

An article's text lives in its revisions (1..n per article, never changed once written); the
article row keeps the newest one's title and summary for lists, and a foreign key to it
(``current``). "The revision readers are shown" is a separate question that verification will
answer later: it can get a foreign key of its own without touching ``current``.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from discussion.models import Discussable, Hideable
from people.models import Organisation

USER = settings.AUTH_USER_MODEL

TWO_YEARS = 730  # days: the default review interval (issue 12), set per article
MAX_REVIEW_DAYS = 3650  # ten years: longer than that is not a review cycle
MAX_BODY = 100_000  # characters of Markdown in one revision


class Article(Hideable, Discussable):
    class Kind(models.TextChoices):
        PRACTICE_NOTE = "practice_note", "Practice note"
        PATHWAY = "pathway", "Pathway"
        LESSON = "lesson", "Lesson learned"
        EVIDENCE = "evidence", "Evidence summary"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The newest revision's title and summary, kept by the services: lists need no join.
    title = models.CharField(max_length=200)
    summary = models.CharField(
        "plain-language summary", max_length=500, help_text="What it says, in plain words."
    )
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="owned_articles")
    # The owner's organisation when the article was started (the profile may change later).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    review_interval_days = models.PositiveIntegerField(
        "review every (days)",
        default=TWO_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REVIEW_DAYS)],
    )
    tags = TaggableManager(blank=True)
    tag_text = models.CharField(max_length=1000, blank=True)  # the tag names, for the page
    # The newest revision. Its number is the base an edit must be made against.
    current = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    # The newest revision's text, kept by the services for the one search across kinds: a
    # stored (generated) search vector may only read its own row (migration 0002).
    search_text = models.TextField(blank=True, editable=False)
    # Verification (knowledge.verification keeps these): the newest revision fully verified,
    # which readers are shown by default, and the verification that last signed it off (the
    # page's "Last verified on … by …"). A review is due ``review_interval_days`` after
    # ``last_verified_at`` (or ``created`` if it never was).
    verified = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_verification = models.ForeignKey(
        "Verification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_verified_at = models.DateTimeField(null=True, blank=True)
    # A review suggested by an event elsewhere (an indicator's new version, a project's
    # outcome): why, where to look, when. Cleared by the next verification.
    review_suggested = models.CharField(max_length=300, blank=True)
    review_suggested_url = models.CharField(max_length=500, blank=True)
    review_suggested_at = models.DateTimeField(null=True, blank=True)
    # The due date the owner was last reminded of: one reminder per article and due date.
    review_reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["-created", "-id"], name="article_newest"),
            models.Index(fields=["kind", "-created", "-id"], name="article_kind_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article_detail", kwargs={"pk": self.pk})


class Revision(models.Model):
    """One saved version of an article's text, by one person, never changed afterwards."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    body = models.TextField(max_length=MAX_BODY, help_text="Markdown.")
    edit_summary = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="article_revisions")
    # Where the author worked when they wrote it: co-authors are shown with it.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_once"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="revision_number_1"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


# --- links to ideas, problems, projects and indicators ----------------------------------------


class ArticleLink(models.Model):
    """An article linked to the idea, problem, project or commons indicator it draws on or
    informs, shown on both pages.

    Four explicit nullable foreign keys, exactly one set (a check constraint), rather than a
    generic relation: the set of kinds is small and closed; the database keeps every link's
    target real (a deleted project takes its links with it, no dangling ids); and the reads on
    the other side ("knowledge that uses this project") are one indexed filter on one column,
    with the target's own visibility rules (a restricted project, a hidden idea) applied by
    joining the real table rather than by a per-kind lookup of ids.
    """

    class Kind(models.TextChoices):
        IDEA = "idea", "Idea"
        PROBLEM = "problem", "Problem"
        PROJECT = "project", "Project"
        INDICATOR = "indicator", "Outcome indicator"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    idea = models.ForeignKey(
        "ideas.Idea", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    problem = models.ForeignKey(
        "ideas.Problem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        "commons.Indicator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The link a lesson learned was written up from (the project's closure report): a project
    # has at most one, so the button on its page makes one draft however often it is pressed.
    from_closure = models.BooleanField(default=False)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    KINDS = ("idea", "problem", "project", "indicator")

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, problem=None, project=None, indicator=None)
                    | models.Q(idea=None, problem__isnull=False, project=None, indicator=None)
                    | models.Q(idea=None, problem=None, project__isnull=False, indicator=None)
                    | models.Q(idea=None, problem=None, project=None, indicator__isnull=False)
                ),
                name="article_link_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=["article", kind],
                    condition=models.Q(**{f"{kind}__isnull": False}),
                    name=f"article_link_{kind}_once",
                )
                for kind in ("idea", "problem", "project", "indicator")
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(from_closure=True),
                name="article_link_one_lesson_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.kind} {self.target_id}"

    @property
    def kind(self) -> str:
        return next(k for k in self.KINDS if getattr(self, f"{k}_id") is not None)

    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def target_id(self) -> int:
        return int(getattr(self, f"{self.kind}_id"))

    @property
    def target(self) -> models.Model:
        return getattr(self, self.kind)


# --- feedback ------------------------------------------------------------------------------

FEEDBACK_DAYS = 14  # the owner answers feedback within this many days (issue 12): then overdue
MAX_FEEDBACK = 5000  # characters of feedback, or of a response


def _due(days: int = FEEDBACK_DAYS) -> Any:
    return timezone.now() + timedelta(days=days)


class Feedback(models.Model):
    """What a reader says about an article (it is wrong, out of date, missing something),
    routed to its owner, who answers it in public within ``FEEDBACK_DAYS``."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        RESOLVED = "resolved", "Resolved"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    # The revision the reader was looking at: the answer may be "fixed in revision 5".
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="article_feedback")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=MAX_FEEDBACK)
    created = models.DateTimeField(default=timezone.now)
    due = models.DateTimeField(default=_due)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(max_length=MAX_FEEDBACK, blank=True)
    responded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["article", "-created", "-id"], name="feedback_article_newest"),
            models.Index(fields=["status", "due", "id"], name="feedback_status_due"),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.pk} on {self.article_id}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due < timezone.now()


class LocalVersion(models.Model):
    """An article localised from a shared base by one organisation (a region's pathway made
    from the national one), and the base revision it is in step with.

    A row of its own rather than fields on ``Article``: the local version is an ordinary
    article (its own revisions, history, discussion), and what makes it local — whose it is,
    for where, which base revision it follows — is one row with a database rule (one local
    version per base per organisation) that leaves ``Article`` as it is. ``follows`` moves on
    only when the local takes a base change in or declines it (``UpstreamDecision``).
    """

    base = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="local_versions")
    local = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="localised")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(
        "for", max_length=100, help_text="The region or organisation it is for."
    )
    # The base revision the local text is in step with: the ancestor of a three-way merge.
    follows = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "organisation"], name="local_version_once_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_id} ({self.label}) from {self.base_id}"


class UpstreamDecision(models.Model):
    """What a local version did with a base revision: took it in (with the local revision it
    made, if the text changed) or declined it with a public reason. Never changed."""

    class Action(models.TextChoices):
        TAKEN = "taken", "Taken in"
        DECLINED = "declined", "Declined"

    local_version = models.ForeignKey(
        LocalVersion, on_delete=models.CASCADE, related_name="decisions"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    base_revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    # The base revision followed before: what the decision was made against.
    previous = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    local_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="declined") | ~models.Q(reason=""),
                name="upstream_declined_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} r{self.base_revision_id} for {self.local_version_id}"


class Verification(models.Model):
    """Someone other than its author read revision ``revision`` and signed it off, with what
    they checked (``comment``), for the organisation they were at then. Kept for ever: the
    history of who stood behind which text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="verifications")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="verifications")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="article_verifications")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.CharField(max_length=1000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "by"], name="verification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.revision_id} by {self.by_id}"
