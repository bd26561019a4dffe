"""The dashboard everyone sees: a few aggregate queries, each reading an index range.

At 100,000 ideas and 1,000,000 supports nothing here scans a whole table:
- the funnel, the frontline shares, the ideas waiting and the median wait come from one
  covering index (``idea_dashboard``: stage, author level, first decision, created);
- projects: one aggregate over projects, one over ideas, their start times, and the overdue
  milestones (``projects.selectors.dashboard_figures``: restricted projects' are counted only);
- the outcome data: one aggregate over datasets and indicators, the published versions, and
  the cells of each dataset's latest version by status — counted once per version and kept in
  the cache, since a published version never changes (``_commons``);
- knowledge: one aggregate over articles (verified in the last year, overdue for review);
- participation reads the daily rollup the services keep (``ParticipationDay``) and the
  profiles' last activity; the most active problems read only the last 30 days of ideas and
  comments, through their ``created`` indexes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from commons.models import AccessRequest, Dataset, Indicator, Observation, Version
from discussion.models import Comment
from ideas.models import OPEN_STAGES, STUCK_DAYS, Idea, ParticipationDay, Problem
from knowledge import review_selectors as knowledge
from people.models import Organisation, Profile
from projects import selectors as projects
from projects.models import Project

FUNNEL: list[str] = list(Idea.Stage.values)  # New … Merged, in order
REACHED = {str(Idea.Stage.PROJECT), str(Idea.Stage.IMPLEMENTED)}
FRONTLINE = "frontline"
WINDOW_DAYS = 30
STUCK_SHOWN = 8

IDEA, COMMENT = 1, 2
ACTIVE_PROBLEMS_SQL = f"""
    SELECT problem_id,
           COUNT(*) FILTER (WHERE kind = {IDEA}), COUNT(*) FILTER (WHERE kind = {COMMENT})
      FROM (SELECT problem_id, {IDEA} AS kind FROM {Idea._meta.db_table}
             WHERE created >= %(since)s AND hidden_at IS NULL AND problem_id IS NOT NULL
            UNION ALL
            SELECT object_id, {COMMENT} FROM {Comment._meta.db_table}
             WHERE content_type_id = %(problem_type)s AND created >= %(since)s) x
     GROUP BY problem_id
     ORDER BY COUNT(*) DESC, problem_id DESC
     LIMIT 5
"""  # noqa: S608
# The middle one or two waits, walking the ``idea_wait_to_decision`` index (migration 0010).
MIDDLE_WAITS_SQL = f"""
    SELECT EXTRACT(EPOCH FROM (first_decision_at - created)) / 86400.0
      FROM {Idea._meta.db_table}
     WHERE hidden_at IS NULL AND first_decision_at IS NOT NULL
     ORDER BY (first_decision_at - created)
     OFFSET %(offset)s LIMIT %(limit)s
"""  # noqa: S608


YEAR_DAYS = 365
# Plain strings: mypy reads a TextChoices member as its (value, label) tuple.
HIDDEN = tuple(
    str(s)
    for s in (
        Observation.Status.SUPPRESSED_PRIMARY,
        Observation.Status.SUPPRESSED_SECONDARY,
        Observation.Status.SUPPRESSED_PUBLISHER,
        Observation.Status.NOT_PUBLISHED,
    )
)
CELL_STATUSES: list[tuple[str, str]] = [
    (str(v), str(label)) for v, label in Observation.Status.choices
]


@dataclass
class Commons:
    """The outcome data in figures. Cells are those of each dataset's latest published version
    (what the pages show now), counted by status — never a value."""

    datasets: int
    published_datasets: int
    indicators: int
    versions_last_year: int
    cells: int
    hidden: int
    statuses: list[dict[str, Any]]
    # Restricted uses approved (the data-use register), those in force today, and those of
    # Māori data.
    uses: int = 0
    uses_current: int = 0
    uses_maori: int = 0

    @property
    def hidden_share(self) -> float | None:
        return _share(self.hidden, self.cells)


@dataclass
class Dashboard:
    funnel: list[dict[str, Any]]
    total: int
    frontline_share: float | None
    reached: int
    reached_frontline_share: float | None
    median_days_to_decision: float | None
    waiting_over_30: int
    participation: list[dict[str, Any]]
    active_problems: list[Problem]
    stuck: int
    stuck_longest: list[Idea]
    projects: projects.Figures
    project_statuses: list[dict[str, Any]]
    commons: Commons
    window_days: int = WINDOW_DAYS
    stuck_days: int = STUCK_DAYS
    # Knowledge articles verified in the last year, and those overdue for review (one query).
    knowledge: dict[str, int] = field(default_factory=dict)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _median_days_to_first_decision(decided: int) -> float | None:
    if not decided:
        return None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            middle = {"offset": (decided - 1) // 2, "limit": 2 - decided % 2}
            cursor.execute(MIDDLE_WAITS_SQL, middle)
            values = [float(v) for (v,) in cursor.fetchall()]
        return round(sum(values) / len(values), 1) if values else None
    waits = [
        (decided_at - created).total_seconds() / 86400
        for created, decided_at in Idea.objects.filter(
            hidden_at__isnull=True, first_decision_at__isnull=False
        ).values_list("created", "first_decision_at")
    ]
    return round(median(waits), 1) if waits else None


def _participation(since: Any) -> list[dict[str, Any]]:
    """Per organisation, in the window: people active, ideas, comments, supports — from the
    daily rollup (at most 30 rows an organisation) and the profiles' last activity."""
    rows = {
        o.pk: {"organisation": o, "people": 0, "ideas": 0, "comments": 0, "supports": 0}
        for o in Organisation.objects.order_by("name")
    }
    sums = (
        ParticipationDay.objects.filter(day__gte=timezone.localdate(since))
        .values_list("organisation")
        .annotate(Sum("ideas"), Sum("comments"), Sum("supports"))
        .order_by()
    )
    for org_id, ideas, comments, supports in sums:
        if org_id in rows:
            rows[org_id].update(ideas=ideas, comments=comments, supports=supports)
    active = (
        Profile.objects.filter(last_active__gte=since)
        .values_list("organisation")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, n in active:
        if org_id in rows:
            rows[org_id]["people"] = n
    return sorted(
        rows.values(),
        key=lambda r: (-(r["ideas"] + r["comments"] + r["supports"]), r["organisation"].name),
    )


def _active_problems(since: Any) -> list[Problem]:
    with connection.cursor() as cursor:
        problem_type = ContentType.objects.get_for_model(Problem).pk
        cursor.execute(ACTIVE_PROBLEMS_SQL, {"since": since, "problem_type": problem_type})
        ranked = cursor.fetchall()
    problems = Problem.objects.only("id", "title", "hidden_at").in_bulk([r[0] for r in ranked])
    result = []
    for pid, new_ideas, new_comments in ranked:
        if (problem := problems.get(pid)) is not None and problem.hidden_at is None:
            problem.recent_ideas, problem.recent_comments = new_ideas, new_comments
            result.append(problem)
    return result


@transaction.atomic  # one consistent snapshot of every figure
def build(*, now: Any = None) -> Dashboard:
    if connection.vendor == "postgresql":
        # Short index scans: parallel workers would cost more to start than they save, and
        # take the web server's cores.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    now = now or timezone.now()
    since = now - timedelta(days=WINDOW_DAYS)
    by_stage: dict[str, int] = dict.fromkeys(FUNNEL, 0)
    oldest_in: dict[str, Any] = {}
    total = frontline = reached = reached_frontline = waiting = decided = stuck = 0
    stuck_since = now - timedelta(days=STUCK_DAYS)
    for stage, level, n, waited, decided_here, stuck_here, oldest in (
        Idea.objects.filter(hidden_at__isnull=True)
        .values_list("stage", "author_level")
        .annotate(
            # Counting a column the index holds keeps the scan index-only.
            n=Count("stage"),
            waiting=Count(
                "stage",
                filter=Q(
                    first_decision_at__isnull=True,
                    stage=Idea.Stage.NEW,
                    created__lt=now - timedelta(days=30),
                ),
            ),
            decided=Count("stage", filter=Q(first_decision_at__isnull=False)),
            stuck=Count("stage", filter=Q(stage__in=OPEN_STAGES, stage_changed__lt=stuck_since)),
            oldest=Min("stage_changed"),
        )
        .order_by()
    ):
        by_stage[stage] = by_stage.get(stage, 0) + n
        stuck += stuck_here
        if stage in OPEN_STAGES and oldest is not None:
            oldest_in[stage] = min(oldest, oldest_in.get(stage, oldest))
        total += n
        waiting += waited
        decided += decided_here
        frontline += n if level == FRONTLINE else 0
        if stage in REACHED:
            reached += n
            reached_frontline += n if level == FRONTLINE else 0
    biggest = max(by_stage.values(), default=0)
    funnel = [
        {
            "stage": stage,
            "label": Idea.Stage(stage).label,
            "count": by_stage[stage],
            "percent": _share(by_stage[stage], total) or 0,
            "bar": round(100 * by_stage[stage] / biggest, 1) if biggest else 0,
            # The longest any idea has been in this stage (open stages only), in days.
            "longest_days": (now - oldest_in[stage]).days if stage in oldest_in else None,
        }
        for stage in FUNNEL
    ]
    figures = projects.dashboard_figures()
    return Dashboard(
        funnel=funnel,
        total=total,
        frontline_share=_share(frontline, total),
        reached=reached,
        reached_frontline_share=_share(reached_frontline, reached),
        median_days_to_decision=_median_days_to_first_decision(decided),
        waiting_over_30=waiting,
        participation=_participation(since),
        active_problems=_active_problems(since),
        stuck=stuck,
        stuck_longest=_stuck_longest(stuck_since, now) if stuck else [],
        projects=figures,
        project_statuses=_project_statuses(figures),
        commons=_commons(now),
        knowledge=knowledge.figures(now=now),
    )


def _stuck_longest(stuck_since: Any, now: Any) -> list[Idea]:
    """The ideas longest in a stage they can move on from (the ``idea_stuck`` index)."""
    ideas = list(
        Idea.objects.filter(
            hidden_at__isnull=True, stage__in=OPEN_STAGES, stage_changed__lt=stuck_since
        )
        .order_by("stage_changed", "id")
        .only("id", "title", "stage", "stage_changed", "hidden_at")[:STUCK_SHOWN]
    )
    for idea in ideas:
        idea.days_in_stage = (now - idea.stage_changed).days
    return ideas


def _project_statuses(figures: projects.Figures) -> list[dict[str, Any]]:
    """Projects by status, each with its bar (the longest is full width)."""
    biggest = max(figures.by_status.values(), default=0)
    return [
        {
            "status": status,
            "label": label,
            "count": figures.by_status.get(status, 0),
            "bar": round(100 * figures.by_status.get(status, 0) / biggest, 1) if biggest else 0,
        }
        for status, label in Project.Status.choices
    ]


def _status_counts(versions: list[tuple[int, Any]]) -> dict[int, dict[str, int]]:
    """Each version's published cells by status. A published version never changes, so its
    counts are read once (one query for all the versions not yet counted) and then cached,
    keyed by the version and its publication time."""
    keys = {pk: f"dashboard:commons-cells:{pk}:{at.timestamp()}" for pk, at in versions}
    found: dict[int, dict[str, int]] = {}
    cached = cache.get_many(list(keys.values()))
    for pk, key in keys.items():
        if key in cached:
            found[pk] = cached[key]
    missing = [pk for pk in keys if pk not in found]
    if missing:
        counted: dict[int, dict[str, int]] = {pk: {} for pk in missing}
        rows = (
            Observation.objects.filter(version_id__in=missing)
            .values_list("version_id", "status")
            .annotate(n=Count("version_id"))
            .order_by()
        )
        for pk, status, n in rows:
            counted[pk][str(status)] = n
        cache.set_many({keys[pk]: counted[pk] for pk in missing}, timeout=None)
        found.update(counted)
    return found


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """``COUNT(*)`` of a correlated subquery (0 when it has no rows)."""
    counted = queryset.order_by().values("dataset").annotate(c=Count("id")).values("c")
    return Coalesce(Subquery(counted), 0)


def _commons(now: Any) -> Commons:
    """Datasets, indicators, versions published in the last year, and how many cells of the
    current versions are hidden by the confidentiality rules (suppressed or not published)."""
    # One row a dataset (there are tens): its indicators, its latest published version and
    # how many were published in the last year — one query, whatever their number.
    published = Version.objects.filter(dataset=OuterRef("pk"), status=Version.Status.PUBLISHED)
    latest = published.order_by("-number")
    approved = AccessRequest.objects.filter(
        dataset=OuterRef("pk"), status=AccessRequest.Status.APPROVED
    )
    today = timezone.localdate(now)
    rows = list(
        Dataset.objects.annotate(
            n_indicators=_count(Indicator.objects.filter(dataset=OuterRef("pk"))),
            recent=_count(published.filter(published_at__gte=now - timedelta(days=YEAR_DAYS))),
            latest_id=Subquery(latest.values("id")[:1]),
            latest_at=Subquery(latest.values("published_at")[:1]),
            n_uses=_count(approved),
            n_current=_count(approved.filter(starts_on__lte=today, ends_on__gte=today)),
        )
        .values_list(
            "n_indicators",
            "recent",
            "latest_id",
            "latest_at",
            "n_uses",
            "n_current",
            "maori_data",
        )
        .order_by()
    )
    current = [(pk, at) for _, _, pk, at, *_ in rows if pk is not None]
    counts = _status_counts(current)
    by_status: dict[str, int] = defaultdict(int)
    for per_version in counts.values():
        for status, n in per_version.items():
            by_status[status] += n
    cells = sum(by_status.values())
    return Commons(
        datasets=len(rows),
        published_datasets=len(current),
        indicators=sum(row[0] for row in rows),
        versions_last_year=sum(row[1] for row in rows),
        uses=sum(row[4] for row in rows),
        uses_current=sum(row[5] for row in rows),
        uses_maori=sum(row[4] for row in rows if row[6]),
        cells=cells,
        hidden=sum(by_status[s] for s in HIDDEN),
        statuses=[
            {
                "status": status,
                "label": label,
                "count": by_status[status],
                "percent": _share(by_status[status], cells) or 0,
            }
            for status, label in CELL_STATUSES
            if by_status[status]
        ],
    )
