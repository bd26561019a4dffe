"""Cross-agency projects: the team, the board, milestones, updates, decisions, risks and the
outcome measures they are judged by.

A project is **open** by default: everyone signed in reads all of it. A **restricted** project
keeps its existence, title, purpose, lead, organisations and the reason it is restricted public
(``Project.PUBLIC_FIELDS``); everything else is scoped ``project:<id>`` and reaches members only.
Every row that belongs to a project carries the project, so "may this person see it" is one
question about the project, answered by ``projects.permissions``.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from discussion.models import Decision as DecisionBase
from discussion.models import Discussable
from ideas.models import Idea, Problem
from people.models import Organisation

USER = settings.AUTH_USER_MODEL


class Project(Discussable):
    class Status(models.TextChoices):
        FORMING = "forming", "Forming"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    ENDS = ("completed", "stopped")  # closing asks for a closure report

    title = models.CharField(max_length=200)
    purpose = models.TextField(max_length=5000, help_text="What the project is for. Markdown.")
    lead = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="led_projects")
    organisations = models.ManyToManyField(Organisation, related_name="projects", blank=True)
    problems = models.ManyToManyField(Problem, related_name="projects", blank=True)
    ideas = models.ManyToManyField(Idea, related_name="projects", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.FORMING)
    status_changed = models.DateTimeField(default=timezone.now)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    restricted = models.BooleanField(default=False)
    restricted_reason = models.CharField(
        "why it is restricted",
        max_length=500,
        blank=True,
        help_text="Public: everyone sees why they cannot see inside.",
    )
    tags = TaggableManager(blank=True)
    # The tag names, comma-separated, kept by the services: lists show tags from it (taggit's
    # manager costs a query's worth of Python per row even when prefetched) and search reads it.
    tag_text = models.CharField(max_length=1000, blank=True)
    # Kept by the services from the active memberships: the portfolio filters on them.
    member_count = models.PositiveIntegerField(default=0)
    organisation_count = models.PositiveIntegerField(default=0)
    crosses_agencies = models.BooleanField(default=False)
    has_frontline = models.BooleanField(default=False)
    # The earliest of its ideas' posting times: "days from idea to project" on the dashboard.
    first_idea_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["-created", "-id"], name="project_newest"),
            models.Index(fields=["status", "-created", "-id"], name="project_status_newest"),
            models.Index(fields=["-updated", "-id"], name="project_recent"),
            models.Index(fields=["title", "id"], name="project_title"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "submission_key"],
                condition=~Q(submission_key=""),
                name="project_submitted_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def public_title(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("project_detail", kwargs={"pk": self.pk})

    @property
    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.tag_text.split(",") if t.strip()]

    @property
    def is_closed(self) -> bool:
        return self.status in self.ENDS


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"
        OBSERVER = "observer", "Observer"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="project_memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    # Their organisation and level when they joined (the portfolio's "crosses agencies").
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(max_length=20, blank=True)
    # A guest from an outside agency can be given an end date: from then on they are not a member.
    expires = models.DateField(null=True, blank=True)
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_once"),
        ]
        indexes = [models.Index(fields=["user", "project"], name="membership_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.project_id} ({self.role})"

    def is_current(self, today: date | None = None) -> bool:
        return self.expires is None or self.expires >= (today or timezone.localdate())


class Invitation(models.Model):
    """An invitation from a lead, or a request to join from someone (approved by a lead)."""

    class Kind(models.TextChoices):
        INVITE = "invite", "Invitation"
        REQUEST = "request", "Request to join"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="project_invitations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    role = models.CharField(
        max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    message = models.CharField(max_length=1000, blank=True)
    expires = models.DateField(null=True, blank=True)  # of the membership it would give
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"], condition=Q(state="pending"), name="invitation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} → {self.project_id} ({self.state})"


class Column(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(max_length=60)
    position = models.PositiveIntegerField(default=0)
    # Tasks in this column count as done (the last default column): progress and "overdue".
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="tasks")
    # A fractional index (``fractional_indexing``): a move writes one row, whatever the column's
    # length. Compared byte by byte (collation "C" on PostgreSQL, see migration 0002).
    rank = models.CharField(max_length=64)
    # Every move or edit adds one; a change made from an older version is refused.
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=10000, blank=True)
    assignee = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tasks"
    )
    due = models.DateField(null=True, blank=True)
    labels = models.CharField(max_length=200, blank=True, help_text="Comma-separated.")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    # The day the "due soon" reminder went out (so a second run that day sends nothing).
    reminded_on = models.DateField(null=True, blank=True)
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["column", "rank", "id"]
        indexes = [
            models.Index(fields=["column", "rank", "id"], name="task_column_order"),
            models.Index(fields=["due"], condition=Q(due__isnull=False), name="task_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "submission_key"],
                condition=~Q(submission_key=""),
                name="task_submitted_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("project_task", kwargs={"pk": self.project_id, "task": self.pk})

    @property
    def label_list(self) -> list[str]:
        return [x.strip() for x in self.labels.split(",") if x.strip()]


class ChecklistItem(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(max_length=300)
    done = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)
    due = models.DateField()
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done, 0–100.")
    weight = models.PositiveSmallIntegerField(
        default=1, help_text="How much it counts in the project's progress."
    )
    completed = models.DateField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["due"], condition=Q(completed__isnull=True), name="milestone_open")
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date | None = None) -> bool:
        return self.completed is None and self.due < (today or timezone.localdate())


class Update(Discussable):
    """A post to the team and the project's followers; discussed like anything else."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="project_updates")
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=10000, help_text="Markdown.")
    created = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="update_posted_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def public_title(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("project_update_detail", kwargs={"pk": self.pk})


class Decision(DecisionBase):
    """The project's decision log: a status change (``from_status`` → ``to_status``) or a
    decision the team made, with the options it weighed. ``reason`` is the rationale."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(max_length=200, blank=True)
    options = models.TextField("options considered", max_length=4000, blank=True)
    from_status = models.CharField(max_length=20, blank=True, choices=Project.Status.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=Project.Status.choices)

    FROM_TO = ("from_status", "to_status")

    class Meta(DecisionBase.Meta):
        pass

    @property
    def is_status_change(self) -> bool:
        return bool(self.to_status)

    @property
    def headline(self) -> str:
        if self.is_status_change:
            return f"Status: {self.get_from_status_display()} → {self.get_to_status_display()}"
        return self.title


class Risk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATING = "mitigating", "Being mitigated"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=4000, blank=True)
    likelihood = models.PositiveSmallIntegerField(help_text="1 (rare) to 5 (almost certain).")
    consequence = models.PositiveSmallIntegerField(help_text="1 (minor) to 5 (severe).")
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mitigation = models.TextField(max_length=4000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    review_by = models.DateField("review by", null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5"
            ),
            models.CheckConstraint(
                condition=Q(consequence__gte=1, consequence__lte=5), name="risk_consequence_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> int:
        return self.likelihood * self.consequence

    @property
    def level(self) -> str:
        return rating_level(self.rating)

    def needs_review(self, today: date | None = None) -> bool:
        return (
            self.status != self.Status.CLOSED
            and self.review_by is not None
            and self.review_by < (today or timezone.localdate())
        )


def rating_level(rating: int) -> str:
    """Low 1–4, medium 5–9, high 10–16, extreme 20–25 (a common 5 × 5 matrix)."""
    if rating >= 20:
        return "extreme"
    if rating >= 10:
        return "high"
    if rating >= 5:
        return "medium"
    return "low"


class Measure(models.Model):
    """An outcome measure the project aims to move: from a baseline towards a target."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, help_text="e.g. “%”, “days”, “families”.")
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_date = models.DateField()
    target = models.DecimalField(max_digits=14, decimal_places=2)
    target_date = models.DateField()
    current = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    current_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, help_text="Where the figures come from.")
    weight = models.PositiveSmallIntegerField(
        default=1, help_text="How much it counts in the project's progress."
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def progress(self) -> float | None:
        """How far from baseline to target the current value is, 0–1 (None before a reading)."""
        if self.current is None or self.target == self.baseline:
            return None
        share = float((self.current - self.baseline) / (self.target - self.baseline))
        return max(0.0, min(1.0, share))


class Reading(models.Model):
    """A value of a measure on a date: its history."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    date = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.value} on {self.date}"


class Closure(models.Model):
    """What a completed or stopped project achieved against each measure, and what was learned."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="closure")
    # One entry per measure at closing: {"measure": id, "name", "unit", "baseline", "target",
    # "final", "note"} — a record of that moment, kept if the measures change later.
    results = models.JSONField(default=list)
    achieved = models.TextField(max_length=10000, help_text="What changed, for whom.")
    learned = models.TextField(max_length=10000, help_text="What others should know.")
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Closure of {self.project_id}"
