"""The dashboard everyone sees: aggregate queries only, a fixed handful of them.

Every figure here is computed in the database (GROUP BY / filtered COUNT / percentile), so the
cost does not grow with the number of ideas shown — only with the rows each index range holds.
"""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from ideas.models import Comment, Idea, Problem, Support
from people.models import Organisation, Profile

FUNNEL = [
    Idea.Stage.NEW, Idea.Stage.DISCUSSION, Idea.Stage.SHORTLISTED, Idea.Stage.PROJECT,
    Idea.Stage.IMPLEMENTED, Idea.Stage.NOT_PROGRESSED, Idea.Stage.MERGED,
]  # fmt: skip
REACHED = [Idea.Stage.PROJECT, Idea.Stage.IMPLEMENTED]
WINDOW_DAYS = 30
# {ids} is a Django-compiled subquery; its parameters are passed separately.
MEDIAN_WAIT_SQL = (
    "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "
    '(i."first_decision_at" - i."created")) / 86400.0) FROM "ideas_idea" i '
    'WHERE i."id" IN ({ids})'
)


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
    window_days: int = WINDOW_DAYS


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _median_days_to_first_decision() -> float | None:
    visible = Idea.objects.filter(hidden_at__isnull=True, first_decision_at__isnull=False)
    if connection.vendor == "postgresql":
        sql, params = visible.values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(MEDIAN_WAIT_SQL.format(ids=sql), params)
            value = cursor.fetchone()[0]
        return round(float(value), 1) if value is not None else None
    waits = [
        (decided - created).total_seconds() / 86400
        for created, decided in visible.values_list("created", "first_decision_at")
    ]
    return round(median(waits), 1) if waits else None


def _participation(since: Any) -> list[dict[str, Any]]:
    """Per organisation, in the window: people active, ideas, comments, supports."""
    rows: dict[int, dict[str, Any]] = {
        o.pk: {"organisation": o, "people": 0, "ideas": 0, "comments": 0, "supports": 0}
        for o in Organisation.objects.order_by("name")
    }
    for key, qs in (
        ("ideas", Idea.objects.filter(created__gte=since, hidden_at__isnull=True)),
        ("comments", Comment.objects.filter(created__gte=since, deleted__isnull=True)),
        ("supports", Support.objects.filter(created__gte=since)),
    ):
        author = "user" if key == "supports" else "author"
        for org_id, n in (
            qs.values_list(f"{author}__profile__organisation").annotate(n=Count("id")).order_by()
        ):
            if org_id in rows:
                rows[org_id][key] = n
    active = (
        Profile.objects.filter(
            Exists(Idea.objects.filter(author=OuterRef("user"), created__gte=since))
            | Exists(Comment.objects.filter(author=OuterRef("user"), created__gte=since))
            | Exists(Support.objects.filter(user=OuterRef("user"), created__gte=since))
        )
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


def build(*, now: Any = None) -> Dashboard:
    now = now or timezone.now()
    since = now - timedelta(days=WINDOW_DAYS)
    ideas = Idea.objects.filter(hidden_at__isnull=True)
    by_stage = dict(ideas.values_list("stage").annotate(n=Count("id")).order_by())
    counts = ideas.aggregate(
        total=Count("id"),
        frontline=Count("id", filter=Q(author_level="frontline")),
        reached=Count("id", filter=Q(stage__in=REACHED)),
        reached_frontline=Count("id", filter=Q(stage__in=REACHED, author_level="frontline")),
        waiting_over_30=Count(
            "id",
            filter=Q(
                first_decision_at__isnull=True,
                stage=Idea.Stage.NEW,
                created__lt=now - timedelta(days=30),
            ),
        ),
    )
    total = counts["total"]
    biggest = max(by_stage.values(), default=0)
    funnel = [
        {
            "stage": stage,
            "label": Idea.Stage(stage).label,
            "count": by_stage.get(stage, 0),
            "percent": _share(by_stage.get(stage, 0), total) or 0,
            "bar": round(100 * by_stage.get(stage, 0) / biggest, 1) if biggest else 0,
        }
        for stage in FUNNEL
    ]
    active_problems = list(
        Problem.objects.filter(hidden_at__isnull=True)
        .annotate(
            recent_ideas=Count("ideas", filter=Q(ideas__created__gte=since)),
        )
        .filter(Q(recent_ideas__gt=0) | Q(comment_count__gt=0))
        .order_by("-recent_ideas", "-comment_count", "-id")[:5]
    )
    return Dashboard(
        funnel=funnel,
        total=total,
        frontline_share=_share(counts["frontline"], total),
        reached=counts["reached"],
        reached_frontline_share=_share(counts["reached_frontline"], counts["reached"]),
        median_days_to_decision=_median_days_to_first_decision(),
        waiting_over_30=counts["waiting_over_30"],
        participation=_participation(since),
        active_problems=active_problems,
    )
