"""Reads for the pages that show what a person or an organisation contributed, and what the
platform holds (the signed-out welcome page). Visibility applied — nothing hidden, deleted or
merged away — and a fixed number of queries whatever the numbers.

A person's contributions are what they wrote or decided: the ideas they posted (as author),
their problems, comments and decisions, and how many ideas they support. An organisation's are
its people's (by their organisation now).
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from core.paging import Page
from core.paging import page as _page
from core.params import BadCursor
from discussion.models import Comment, Reaction
from ideas.models import Decision, Idea, Problem
from ideas.selectors import SORTS, SUPPORT
from people import selectors as people_selectors

KINDS = ("ideas", "problems", "comments", "decisions")
SHOWN = 5  # of each kind on a profile or organisation page; the rest one click away
PAGE_SIZE = 20


@dataclass
class Contributions:
    counts: dict[str, int]  # ideas, problems, comments, supports, decisions
    latest: dict[str, list[Any]] = field(default_factory=dict)  # the newest SHOWN of each kind

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _by_person(user_id: int) -> dict[str, Q]:
    return {
        "ideas": Q(author_id=user_id),
        "problems": Q(author_id=user_id),
        "comments": Q(author_id=user_id),
        "decisions": Q(decided_by_id=user_id),
        "supports": Q(user_id=user_id),
    }


def _by_organisation(organisation_id: int) -> dict[str, Q]:
    member = {"author__profile__organisation_id": organisation_id}
    return {
        "ideas": Q(**member),
        "problems": Q(**member),
        "comments": Q(**member),
        "decisions": Q(decided_by__profile__organisation_id=organisation_id),
        "supports": Q(user__profile__organisation_id=organisation_id),
    }


def _visible(kind: str, who: Q) -> QuerySet:
    """What everyone may see of one kind of contribution, newest first."""
    if kind == "ideas":
        return (
            Idea.objects.filter(who, hidden_at__isnull=True)
            .exclude(stage=Idea.Stage.MERGED)
            .only("id", "title", "stage", "support_count", "comment_count", "created")
        )
    if kind == "problems":
        return Problem.objects.filter(who, hidden_at__isnull=True).only(
            "id", "title", "status", "comment_count", "created"
        )
    if kind == "comments":
        # …and not on something hidden: its discussion went with it. What it is on is joined
        # (through the generic relations), so a list costs one query.
        on_idea = Q(ideas_idea__isnull=False, ideas_idea__hidden_at__isnull=True)
        on_problem = Q(ideas_problem__isnull=False, ideas_problem__hidden_at__isnull=True)
        return (
            Comment.objects.filter(who, hidden_at__isnull=True, deleted__isnull=True)
            .filter(on_idea | on_problem)
            .annotate(
                on_title=Coalesce(F("ideas_idea__title"), F("ideas_problem__title")),
                on_page=Case(
                    When(ideas_idea__isnull=False, then=Value("idea_detail")),
                    default=Value("problem_detail"),
                ),
            )
            .only("id", "body", "created", "content_type_id", "object_id")
        )
    if kind == "decisions":
        return (
            Decision.objects.filter(who, idea__hidden_at__isnull=True)
            .select_related("idea")
            .only(
                "id", "from_stage", "to_stage", "reason", "created",
                "idea__id", "idea__title", "idea__hidden_at",
            )
        )  # fmt: skip
    if kind == "supports":
        return Reaction.objects.filter(who, kind=SUPPORT, ideas_idea__hidden_at__isnull=True)
    raise ValueError(kind)


class _Count(Subquery):
    """``(SELECT COUNT(*) FROM (<subquery>))``: a count as a column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def _contributions(anchor: QuerySet, who: dict[str, Q]) -> Contributions:
    """Five queries: every count at once (as columns of ``anchor``, one row), then the newest
    few of each kind."""
    row = anchor.values(
        **{
            f"n_{kind}": _Count(_visible(kind, q).order_by().values("pk"))
            for kind, q in who.items()
        }
    ).first()
    counts = {kind: row[f"n_{kind}"] if row else 0 for kind in who}
    latest = {
        kind: list(_visible(kind, who[kind]).order_by("-created", "-id")[:SHOWN]) for kind in KINDS
    }
    return Contributions(counts=dict(counts), latest=latest)


def person_contributions(*, profile: Any) -> Contributions:
    return _contributions(people_selectors.profile_row(profile.pk), _by_person(profile.user_id))


def organisation_contributions(*, organisation: Any) -> Contributions:
    return _contributions(
        people_selectors.organisation_row(organisation.pk), _by_organisation(organisation.pk)
    )


def contributions_page(
    *, kind: str, profile: Any = None, organisation: Any = None, cursor: str | None = None
) -> Page:
    """One kind of contribution, newest first, keyset-paged (one query). A cursor this list did
    not give out starts from the top."""
    who = _by_person(profile.user_id) if profile is not None else _by_organisation(organisation.pk)
    qs = _visible(kind, who[kind])
    try:
        return _page(qs, SORTS["newest"], cursor, PAGE_SIZE)
    except BadCursor:
        return _page(qs, SORTS["newest"], None, PAGE_SIZE)


# --- what the platform holds, for the signed-out welcome page --------------------------------


@dataclass
class Showcase:
    counts: dict[str, int]  # people, organisations, problems, ideas, decisions
    problems: list[Problem]
    ideas: list[Idea]
    decisions: list[Decision]


SHOWCASE_SECONDS = 60  # the welcome page is the one anyone (and any robot) may load


def welcome_showcase(*, size: int = 4) -> Showcase:
    """Real numbers and the newest public problems, ideas and decisions (with their reasons).
    Nothing hidden, nothing merged away; no one's name (the visitor is not signed in). Seven
    queries, kept for a minute."""
    key = f"ideas:welcome-showcase:{size}"
    showcase = cache.get(key)
    if showcase is None:
        showcase = _welcome_showcase(size)
        cache.set(key, showcase, SHOWCASE_SECONDS)
    return showcase


def _welcome_showcase(size: int) -> Showcase:
    ideas = Idea.objects.filter(hidden_at__isnull=True).exclude(stage=Idea.Stage.MERGED)
    problems = Problem.objects.filter(hidden_at__isnull=True)
    decisions = Decision.objects.filter(idea__hidden_at__isnull=True)
    counts = {
        **people_selectors.public_counts(),
        "problems": problems.count(),
        "ideas": ideas.count(),
        "decisions": decisions.count(),
    }
    return Showcase(
        counts=counts,
        problems=list(
            problems.only("id", "title", "status", "created").order_by("-created", "-id")[:size]
        ),
        ideas=list(
            ideas.only("id", "title", "stage", "support_count", "created").order_by(
                "-created", "-id"
            )[:size]
        ),
        decisions=list(
            decisions.select_related("idea", "decided_by__profile__organisation")
            .only(
                "id", "from_stage", "to_stage", "reason", "created", "idea__id", "idea__title",
                "idea__hidden_at", "decided_by__id", "decided_by__profile__id",
                "decided_by__profile__organisation__id",
                "decided_by__profile__organisation__name",
                "decided_by__profile__organisation__short_name",
            )
            .order_by("-created", "-id")[:size]
        ),
    )  # fmt: skip
