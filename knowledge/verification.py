"""Review and verification: separate from editing (issue 12).

Writing and signing off are different acts. Anyone with an organisation may edit; a revision
becomes what readers are shown by default only once someone other than its author has read it
and said what they checked. A pathway — assessment, management, referral across agencies —
needs people from two organisations to sign off, so one agency's view is never presented as
the shared one.

Review cycle: each article has an owner and an interval; a review is due ``interval`` days
after it was last verified (or started, if it never was). A verification is the review: it
resets the clock and clears a review suggested by an event elsewhere.

Every write here is keyword-only, atomic, checks who and what first, and records its activity
through ``knowledge.notifying``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from knowledge import notifying, permissions
from knowledge.models import MAX_REVIEW_DAYS, Article, Revision, Verification

MAX_COMMENT = 1000
PATHWAY_ORGANISATIONS = 2  # distinct organisations that must sign off a pathway revision
REMIND_DAYS = 7  # the owner is told this many days before a review is due
SOON_DAYS = 30  # the reviews page lists those due within this many days

STALE = "A newer revision was saved while you read; read it and verify that one."


def organisations_needed(article: Article) -> int:
    return PATHWAY_ORGANISATIONS if article.kind == Article.Kind.PATHWAY else 1


# ---------------------------------------------------------------------------------------------
# Review dates: one expression, so the page, the reviews list, the reminders and the dashboard
# all agree on when a review is due.


def due_expression() -> ExpressionWrapper:
    """``last verified (or created) + interval days`` as a database expression."""
    return ExpressionWrapper(
        Coalesce(F("last_verified_at"), F("created"))
        + ExpressionWrapper(
            # Cast: the column is a PositiveIntegerField, which SQLite's interval maths refuses.
            Cast("review_interval_days", IntegerField())
            * Value(timedelta(days=1), output_field=DurationField()),
            output_field=DurationField(),
        ),
        output_field=DateTimeField(),
    )


def review_due(article: Article) -> datetime:
    """When ``article``'s next review is due."""
    start = article.last_verified_at or article.created
    return start + timedelta(days=article.review_interval_days)


def overdue_days(article: Article, *, now: datetime | None = None) -> int:
    """Whole days past the due date (0 if not yet due)."""
    late = (now or timezone.now()) - review_due(article)
    return max(late.days, 0)


def long_overdue(article: Article, *, now: datetime | None = None) -> bool:
    """Overdue by more than a whole interval: its readers are warned it may no longer hold."""
    return (now or timezone.now()) > review_due(article) + timedelta(
        days=article.review_interval_days
    )


# ---------------------------------------------------------------------------------------------
# Verifying


def _signed_in_with_organisation(actor: Any) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Sign in to verify articles.")
    if not permissions.has_organisation(actor):
        raise PermissionDenied(
            "Add your organisation to your profile first: a verification is shown with the "
            "organisation that stands behind it."
        )


def _locked(article: Article) -> Article:
    """The article's row, locked: two verifications (or a save and a verification) of one
    article wait for each other, so "the newest revision" cannot change under this one."""
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def verify(*, actor: Any, article: Article, revision_number: int, comment: str) -> Verification:
    """Sign off revision ``revision_number`` of ``article`` — the one the actor was shown,
    which must still be the newest. Refused (nothing written) for its own author, for a
    revision that is no longer the newest, without a comment, twice by one person, and for a
    pathway, twice by one organisation."""
    _signed_in_with_organisation(actor)
    if article.is_hidden:
        raise PermissionDenied("This article is hidden, so it cannot be verified.")
    text = " ".join(str(comment or "").split())
    if not text:
        raise ValidationError(
            {"comment": "Say what you checked: the sources, the local services, the steps."}
        )
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {
                "comment": f"Keep the comment under {MAX_COMMENT:,} characters "
                f"(it has {len(text):,})."
            }
        )
    locked = _locked(article)
    current = Revision.objects.select_related("organisation").get(pk=locked.current_id)
    if revision_number != current.number:
        if revision_number < current.number and revision_number >= 1:
            raise ValidationError(STALE)
        raise ValidationError(f"This article has no revision {revision_number}.")
    if current.author_id == actor.pk:
        raise PermissionDenied(
            f"You wrote revision {current.number}, so someone else must verify it: a "
            "verification is a second person's check."
        )
    earlier = list(
        Verification.objects.filter(revision=current).select_related("organisation", "by")
    )
    if any(v.by_id == actor.pk for v in earlier):
        raise ValidationError(f"You have already verified revision {current.number}.")
    organisation_id = actor.profile.organisation_id
    needed = organisations_needed(article)
    if needed > 1 and not _fully_verified(earlier, needed):
        same = [v for v in earlier if v.organisation_id == organisation_id]
        if same:
            name = same[0].organisation.name if same[0].organisation else "Your organisation"
            raise ValidationError(
                f"{name} has already signed off this revision. A pathway needs sign-off from "
                f"people at {needed} organisations: someone from another organisation must "
                "verify it."
            )
    try:
        with transaction.atomic():
            verification = Verification.objects.create(
                article=article,
                revision=current,
                by=actor,
                organisation_id=organisation_id,
                comment=text,
            )
    except IntegrityError:  # the same person at the same moment, from two tabs
        raise ValidationError(f"You have already verified revision {current.number}.") from None
    earlier.append(verification)
    fully = _fully_verified(earlier, needed)
    if fully:
        article.verified = current
        article.last_verification = verification
        article.last_verified_at = verification.at
        article.review_suggested = article.review_suggested_url = ""
        article.review_suggested_at = None
        article.save(
            update_fields=[
                "verified",
                "last_verification",
                "last_verified_at",
                "review_suggested",
                "review_suggested_url",
                "review_suggested_at",
            ]
        )
    notifying.record_verification(
        actor=actor,
        article=article,
        revision=current,
        extra={
            "organisations": _organisation_count(earlier),
            "needed": needed,
            "verified": fully,
        },
    )
    return verification


def _organisation_count(verifications: Iterable[Verification]) -> int:
    return len({v.organisation_id for v in verifications if v.organisation_id is not None})


def _fully_verified(verifications: list[Verification], needed: int) -> bool:
    return _organisation_count(verifications) >= needed


@dataclass
class Status:
    """How far the newest revision is from being verified, for the page."""

    newest: Revision
    verifications: list[Verification]
    needed: int

    @property
    def organisations(self) -> int:
        return _organisation_count(self.verifications)

    @property
    def complete(self) -> bool:
        return self.organisations >= self.needed

    def verified_by(self, user: Any) -> bool:
        return any(v.by_id == getattr(user, "pk", None) for v in self.verifications)


# ---------------------------------------------------------------------------------------------
# The review cycle


@transaction.atomic
def set_review_interval(*, actor: Any, article: Article, days: Any) -> Article:
    """The owner sets how often the article is reviewed (1 to 3650 days)."""
    if not (actor is not None and actor.is_authenticated and actor.pk == article.owner_id):
        raise PermissionDenied("Only the article's owner can change how often it is reviewed.")
    try:
        number = int(str(days).strip())
    except (TypeError, ValueError):
        raise ValidationError(
            {"review_interval_days": "Give the number of days between reviews, such as 730."}
        ) from None
    if not 1 <= number <= MAX_REVIEW_DAYS:
        raise ValidationError(
            {
                "review_interval_days": f"Choose between 1 and {MAX_REVIEW_DAYS} days "
                "(ten years) between reviews."
            }
        )
    article.review_interval_days = number
    article.save(update_fields=["review_interval_days"])
    return article


def remind_reviews(*, today: date | None = None) -> int:
    """Tell each owner, once per article and due date, that a review is due within
    ``REMIND_DAYS`` days (or is already due and they were never told). Returns how many
    were told. Run daily (``manage.py knowledge_reminders``); running it again tells nobody
    twice."""
    from realtime import notifications, publish
    from realtime.registry import user_scope

    today = today or timezone.localdate()
    horizon = timezone.make_aware(
        datetime.combine(today + timedelta(days=REMIND_DAYS + 1), datetime.min.time())
    )
    candidates = (
        Article.objects.filter(hidden_at=None, owner__is_active=True)
        .annotate(due_at=due_expression())
        .filter(due_at__lt=horizon)
        .only(
            "pk",
            "owner_id",
            "title",
            "created",
            "last_verified_at",
            "review_interval_days",
            "review_reminded_for",
            "hidden_at",
        )
    )
    told = 0
    for article in candidates:
        due_on = timezone.localdate(review_due(article))
        if article.review_reminded_for == due_on:
            continue
        with transaction.atomic():
            # Claim the reminder first: a second run at the same moment updates nothing.
            claimed = (
                Article.objects.filter(pk=article.pk)
                .exclude(review_reminded_for=due_on)
                .update(review_reminded_for=due_on)
            )
            if not claimed:
                continue
            activity = publish.record(
                actor=None,
                verb=notifying.REVIEW_DUE,
                target=article,
                payload={"due": due_on.isoformat()},
                scope=user_scope(article.owner_id),
            )
            notifications.notify(
                activity=activity, recipients={article.owner_id: notifying.REVIEW_DUE_REASON}
            )
            told += 1
    return told


# ---------------------------------------------------------------------------------------------
# Reviews suggested by events elsewhere


@transaction.atomic
def suggest_review(*, article: Article, reason: str, url: str = "") -> Article:
    """Mark ``article`` as needing a review because of something that happened elsewhere
    (``reason``: plain words; ``url``: where to look). The notice stays until the next
    verification."""
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationError("Say why a review is suggested.")
    article.review_suggested = text[:300]
    article.review_suggested_url = str(url or "")[:500]
    article.review_suggested_at = timezone.now()
    article.save(update_fields=["review_suggested", "review_suggested_url", "review_suggested_at"])
    notifying.record_event(
        verb=notifying.REVIEW_SUGGESTED,
        article=article,
        payload={"reason": article.review_suggested, "url": article.review_suggested_url},
    )
    return article


def suggest_review_for(articles: Iterable[Article], *, reason: str, url: str = "") -> int:
    """Suggest a review of each of ``articles`` (the hidden ones left alone). Returns how many
    were marked."""
    marked = 0
    for article in articles:
        if article.is_hidden:
            continue
        suggest_review(article=article, reason=reason, url=url)
        marked += 1
    return marked


# The hooks the events call (``knowledge.events`` connects them to the signals of the commons
# and projects, and passes the linked articles).


def version_published(
    articles: Iterable[Article], *, dataset_title: str, version_number: int, url: str
) -> int:
    """A dataset whose indicators the articles cite published a new version: its figures may
    have changed."""
    return suggest_review_for(
        articles,
        reason=f"“{dataset_title}” published version {version_number}: check the figures this "
        "article cites from its indicators still hold.",
        url=url,
    )


def project_outcome_changed(articles: Iterable[Article], *, what: str, url: str) -> int:
    """A linked project completed or changed an outcome measure. ``what`` is the whole
    sentence ("“Safe at home” was completed"), written by the caller, which knows whether the
    project's name may be shown to every reader of the article."""
    return suggest_review_for(
        articles,
        reason=f"{what}: check what this article says about it.",
        url=url,
    )
