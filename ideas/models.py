from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from discussion.models import Decision as DecisionBase
from discussion.models import Discussable, Hideable
from people.models import Organisation

USER = settings.AUTH_USER_MODEL


class Problem(Hideable, Discussable):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "Being worked on"
        SOLVED = "solved", "Solved"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20000, help_text="Markdown.")
    affected = models.CharField(
        "who is affected", max_length=500, help_text="Who feels this problem, and how."
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="problems")
    owners = models.ManyToManyField(USER, related_name="owned_problems", blank=True)
    organisations = models.ManyToManyField(Organisation, related_name="problems", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    status_reason = models.CharField(max_length=1000, blank=True)
    tags = TaggableManager(blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    # A key the posting form carries, so a double-submitted form creates one row, not two.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["-created", "-id"], name="problem_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="problem_submitted_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("problem_detail", kwargs={"pk": self.pk})


# Stages an idea can still move on from (the rest are ends: implemented, not progressed, merged).
OPEN_STAGES = ["new", "discussion", "shortlisted", "project"]
STUCK_DAYS = 30  # this long in an open stage without a decision: "stuck" (dashboard, waiting list)


class Idea(Hideable, Discussable):
    class Stage(models.TextChoices):
        NEW = "new", "New"
        DISCUSSION = "discussion", "Under discussion"
        SHORTLISTED = "shortlisted", "Shortlisted"
        PROJECT = "project", "In a project"
        IMPLEMENTED = "implemented", "Implemented"
        NOT_PROGRESSED = "not_progressed", "Not progressed"
        MERGED = "merged", "Merged"

    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One or two sentences.")
    body = models.TextField(max_length=20000, help_text="Markdown.")
    benefit = models.CharField(
        "expected benefit", max_length=1000, help_text="Who is better off, and how, if it works."
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="ideas")
    coauthors = models.ManyToManyField(USER, related_name="coauthored_ideas", blank=True)
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    organisations = models.ManyToManyField(Organisation, related_name="ideas", blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NEW)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    tags = TaggableManager(blank=True)
    # The tag names as text, kept by the services, so full-text search covers tags too.
    tag_text = models.CharField(max_length=1000, blank=True)
    # Kept equal to the number of Support rows by F() updates in the same transaction.
    support_count = models.PositiveIntegerField(default=0)
    # The author's level when posted, so "how much comes from the front line" is cheap to ask.
    author_level = models.CharField(max_length=20, blank=True)
    first_decision_at = models.DateTimeField(null=True, blank=True)
    # When it entered its current stage (posting, or the latest decision): "how long stuck".
    stage_changed = models.DateTimeField(default=timezone.now)
    # When an author last edited it (its history then has more than one version).
    edited = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    # A key the posting form carries, so a double-submitted form creates one row, not two.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["-created", "-id"], name="idea_newest"),
            models.Index(fields=["-support_count", "-id"], name="idea_most_supported"),
            models.Index(fields=["-comment_count", "-id"], name="idea_most_discussed"),
            models.Index(fields=["stage", "-created", "-id"], name="idea_stage_newest"),
            models.Index(
                fields=["created", "id"],
                name="idea_waiting",
                condition=Q(first_decision_at__isnull=True),
            ),
            models.Index(fields=["problem", "-created"], name="idea_problem_newest"),
            # The dashboard's funnel, shares, waiting and median read only this (index-only).
            models.Index(
                fields=["stage", "author_level"],
                include=["first_decision_at", "created", "stage_changed"],
                condition=Q(hidden_at__isnull=True),
                name="idea_dashboard",
            ),
            # Ideas longest in a stage that is not an end (the dashboard's "stuck" list).
            models.Index(
                fields=["stage_changed", "id"],
                condition=Q(hidden_at__isnull=True, stage__in=OPEN_STAGES),
                name="idea_stuck",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="idea_submitted_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("idea_detail", kwargs={"pk": self.pk})


class IdeaRevision(models.Model):
    """Every version of an idea, the first included: edits are never lost."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.TextField()
    benefit = models.CharField(max_length=1000)
    tags = models.CharField(max_length=1000, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.created:%Y-%m-%d %H:%M})"


class Decision(DecisionBase):
    """A stage change on an idea: who, when, from what to what, and why. Public."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="decisions")
    from_stage = models.CharField(max_length=20, choices=Idea.Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Idea.Stage.choices)
    merged_into = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the decision led to, when it is somewhere else (the project that took it up): a
    # title and an address, so ``ideas`` names no app above it.
    link_title = models.CharField(max_length=200, blank=True)
    link_url = models.CharField(max_length=200, blank=True)

    FROM_TO = ("from_stage", "to_stage")

    class Meta(DecisionBase.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_stage} → {self.to_stage}"


class ParticipationDay(models.Model):
    """How much each organisation's people posted, commented and supported on one day.

    Kept by the services in the same transaction as each action (and rebuilt from the source
    tables by ``ideas.services.participation_rebuild``), so the dashboard's 30-day figures read
    at most 30 rows per organisation instead of every support of the month.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="participation"
    )
    day = models.DateField()
    ideas = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    supports = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "organisation"], name="participation_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day}: {self.ideas}/{self.comments}/{self.supports}"
