"""Co-authored practice knowledge: articles and every revision of them.

An article's text lives in its revisions (1..n per article, never changed once written); the
article row keeps the newest one's title and summary for lists, and a foreign key to it
(``current``). "The revision readers are shown" is a separate question that verification will
answer later: it can get a foreign key of its own without touching ``current``.
"""

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
