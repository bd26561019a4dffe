"""Every read about projects a page or the API needs, with visibility applied and a fixed number
of queries whatever the length (pinned in tests/projects/test_queries.py).

Inner content (board, updates, decisions, risks, measures, milestones, team's invitations) is
read only through :func:`project_for_viewer`, which answers 404 for a restricted project's
non-members on the parts they may not see — the public face (:func:`project_for_page`) is
everyone's."""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from taggit.models import Tag

from core import finding
from core.paging import Page
from core.paging import page as _page
from ideas import selectors as ideas_selectors
from projects import permissions
from projects.models import (
    Column,
    Decision,
    Invitation,
    Measure,
    Membership,
    Milestone,
    Project,
    Reading,
    Risk,
    Task,
    Update,
)

COLUMN_PAGE = 50  # cards a column shows at first; the rest load in pages of this size


def _people() -> QuerySet:
    from people.models import User

    return User.objects.select_related("profile", "profile__organisation")


# --- membership and visibility ---------------------------------------------------------------


def membership_of(*, user: Any, project: Project) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(project=project, user=user).first()


def current_member_ids(*, project_id: int) -> list[int]:
    return list(
        Membership.objects.filter(project_id=project_id, user__is_active=True)
        .exclude(expires__lt=timezone.localdate())
        .values_list("user_id", flat=True)
    )


def member_project_ids(*, user: Any) -> list[int]:
    """The projects whose restricted content this person may see now."""
    return list(
        Membership.objects.filter(user=user)
        .exclude(expires__lt=timezone.localdate())
        .values_list("project_id", flat=True)
    )


def is_current_member(*, user: Any, project_id: int) -> bool:
    return (
        Membership.objects.filter(user=user, project_id=project_id)
        .exclude(expires__lt=timezone.localdate())
        .exists()
    )


@dataclass
class Viewer:
    """What one person may do in one project (answered without further queries)."""

    user: Any
    project: Project
    membership: Membership | None

    @property
    def can_view(self) -> bool:
        return permissions.can_view(self.user, self.project, self.membership)

    @property
    def can_write(self) -> bool:
        return permissions.can_write(self.user, self.project, self.membership)

    @property
    def is_lead(self) -> bool:
        return permissions.is_lead(self.user, self.project, self.membership)

    @property
    def is_member(self) -> bool:
        return permissions.is_member(self.user, self.membership)

    @property
    def can_ask_to_join(self) -> bool:
        return permissions.can_ask_to_join(self.user, self.project, self.membership)


def _project_qs() -> QuerySet[Project]:
    return Project.objects.select_related("lead__profile__organisation").prefetch_related(
        "organisations"
    )


def project_for_page(*, pk: int, viewer: Any) -> tuple[Project, Viewer]:
    """The project's public face and what ``viewer`` may do in it (404 if there is none)."""
    project = get_object_or_404(_project_qs(), pk=pk)
    return project, Viewer(viewer, project, membership_of(user=viewer, project=project))


def project_for_viewer(*, pk: int, viewer: Any) -> tuple[Project, Viewer]:
    """The project, if ``viewer`` may see inside it; else 404 (a restricted project's inside
    does not exist for a non-member — its public face is :func:`project_for_page`)."""
    project, who = project_for_page(pk=pk, viewer=viewer)
    if not who.can_view:
        raise Http404("No such page.")
    return project, who


def load_project(pk: int) -> Project:
    return get_object_or_404(_project_qs(), pk=pk)


# --- the board -------------------------------------------------------------------------------


def _checklist_count(**where: Any) -> Any:
    """A card's checklist items (``where``: those done), counted in a subquery per card: the
    cards' query needs no join and no GROUP BY over every column of the card and its
    assignee (a third of the 500-card board's time, bench/projects.py)."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from projects.models import ChecklistItem

    items = ChecklistItem.objects.filter(task=OuterRef("pk"), **where).order_by().values("task")
    counted = items.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _task_qs() -> QuerySet[Task]:
    return Task.objects.select_related("assignee__profile__organisation").annotate(
        checklist_total=_checklist_count(),
        checklist_done=_checklist_count(done=True),
    )


# What a card on the board shows (projects/_column.html#card): not its description, creator or
# the assignee's organisation — a third less to read and build per card (bench/projects.py).
CARD_FIELDS = (
    "project_id", "column_id", "rank", "version", "title", "due", "labels",
    "assignee__username", "assignee__profile__display_name",
)  # fmt: skip


def _card_qs() -> QuerySet[Task]:
    return _task_qs().select_related(None).select_related("assignee__profile").only(*CARD_FIELDS)


@dataclass
class BoardColumn:
    column: Column
    tasks: list[Task] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> bool:
        return self.total > len(self.tasks)


def board(*, project: Project, per_column: int = COLUMN_PAGE) -> list[BoardColumn]:
    """Each column with its first ``per_column`` cards and its size: three queries, whatever
    the number of cards (the cards of every column in one, numbered within their column)."""
    columns = {c.pk: BoardColumn(c) for c in project.columns.all()}
    for column_id, total in (
        Task.objects.filter(project=project)
        .values_list("column_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if column_id in columns:
            columns[column_id].total = total
    numbered = (
        Task.objects.filter(project=project)
        .annotate(
            n=Window(RowNumber(), partition_by=[F("column_id")], order_by=[F("rank"), F("id")])
        )
        .filter(n__lte=per_column)
        .values("pk")
    )
    # The project again outside: else the planner, not knowing the window keeps 50 a column,
    # reads every card of every project to find them (a seq scan; bench/projects.py).
    cards = _card_qs().filter(project=project, pk__in=numbered)
    for task in cards.order_by("column_id", "rank", "id"):
        if task.column_id in columns:
            columns[task.column_id].tasks.append(task)
    return list(columns.values())


def column_page(
    *, column: Column, after: Task | None, size: int = COLUMN_PAGE
) -> tuple[list[Task], bool]:
    """The cards after ``after`` in a column (the next page), and whether there are more. Whole
    cards: the API's task list shows every field of each."""
    qs = _task_qs().filter(column=column)
    if after is not None:
        qs = qs.filter(Q(rank__gt=after.rank) | Q(rank=after.rank, id__gt=after.pk))
    rows = list(qs.order_by("rank", "id")[: size + 1])
    return rows[:size], len(rows) > size


def task_for_viewer(*, project: Project, task_id: int) -> Task:
    task = (
        _task_qs()
        .select_related("column", "created_by__profile")
        .prefetch_related("checklist")
        .filter(project=project, pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("No such card.")
    return task


def task_of(*, project: Project, task_id: Any) -> Task | None:
    try:
        return Task.objects.filter(project=project, pk=int(task_id)).first()
    except (TypeError, ValueError):
        return None


def columns(*, project: Project) -> list[Column]:
    """The board's columns in order (one query)."""
    return list(project.columns.order_by("position", "id"))


def column_of(*, project: Project, column_id: Any) -> Column | None:
    try:
        return Column.objects.filter(project=project, pk=int(column_id)).first()
    except (TypeError, ValueError):
        return None


def assignable(*, project: Project) -> list[Any]:
    """Who a card can be given to: current members and leads (not observers)."""
    ids = (
        Membership.objects.filter(project=project, role__in=["lead", "member"])
        .exclude(expires__lt=timezone.localdate())
        .values("user_id")
    )
    return list(_people().filter(pk__in=ids, is_active=True).order_by("profile__display_name"))


# --- the team --------------------------------------------------------------------------------


def team(*, project: Project) -> list[Membership]:
    return list(
        project.memberships.select_related("user__profile__organisation", "organisation").order_by(
            "role", "joined"
        )  # lead, member, observer: alphabetical happens to fit
    )


def pending_invitations(*, project: Project) -> list[Invitation]:
    return list(
        project.invitations.filter(state="pending").select_related("user__profile__organisation")
    )


def invitations_for(*, user: Any) -> list[Invitation]:
    """Invitations waiting for this person's answer."""
    return list(
        Invitation.objects.filter(user=user, kind="invite", state="pending").select_related(
            "project", "created_by__profile"
        )
    )


def invitation_of(*, pk: Any) -> Invitation | None:
    try:
        return Invitation.objects.select_related("project").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


@dataclass
class Represented:
    organisation: Any
    members: int


def represented(memberships: list[Membership]) -> list[Represented]:
    """The organisations the current members come from, with how many each."""
    counts: dict[int, Represented] = {}
    for m in memberships:
        if m.organisation is not None and m.is_current():
            counts.setdefault(m.organisation.pk, Represented(m.organisation, 0)).members += 1
    return sorted(counts.values(), key=lambda r: (-r.members, r.organisation.name))


# --- milestones, updates, decisions, risks, measures, progress ---------------------------------


def milestones(*, project: Project) -> list[Milestone]:
    return list(project.milestones.order_by("due", "id"))


def updates(*, project: Project, limit: int = 20) -> list[Update]:
    return list(project.updates.select_related("author__profile__organisation")[:limit])


def updates_page(*, project: Project, cursor: str | None = None, size: int = 20) -> Page:
    """The project's updates, newest first, keyset-paged, with their authors: one query."""
    qs = project.updates.select_related("author__profile__organisation")
    return _page(qs, ("-created", "-id"), cursor, size)


def update_for_page(*, pk: int) -> Update:
    return get_object_or_404(
        Update.objects.select_related("project", "author__profile__organisation"), pk=pk
    )


def decisions(*, project: Project) -> list[Decision]:
    return list(
        project.decisions.select_related("decided_by__profile__organisation").order_by(
            "-created", "-id"
        )
    )


def risks(*, project: Project) -> list[Risk]:
    return list(project.risks.select_related("owner__profile__organisation").order_by("-id"))


def heat_map(risks: list[Risk]) -> list[list[dict[str, Any]]]:
    """Rows from likelihood 5 (top) to 1, columns consequence 1–5: each cell's open risks."""
    from projects.models import rating_level

    cells: dict[tuple[int, int], list[Risk]]
    cells = {(l, c): [] for l in range(1, 6) for c in range(1, 6)}  # noqa: E741
    for risk in risks:
        if risk.status != Risk.Status.CLOSED:
            cells[(risk.likelihood, risk.consequence)].append(risk)
    return [
        [
            {
                "likelihood": l,
                "consequence": c,
                "rating": l * c,
                "level": rating_level(l * c),
                "risks": cells[(l, c)],
            }
            for c in range(1, 6)
        ]
        for l in range(5, 0, -1)  # noqa: E741
    ]


def measures(*, project: Project) -> list[Measure]:
    readings = Reading.objects.select_related("recorded_by__profile").order_by("date", "id")
    return list(
        project.measures.prefetch_related(Prefetch("readings", queryset=readings)).order_by("id")
    )


def milestone_of(*, project: Project, pk: int) -> Milestone:
    return get_object_or_404(Milestone, project=project, pk=pk)


def risk_of(*, project: Project, pk: int) -> Risk:
    return get_object_or_404(
        Risk.objects.select_related("owner__profile__organisation"), project=project, pk=pk
    )


def measure_of(*, project: Project, pk: int) -> Measure:
    """One of the project's measures (its ``project`` the one given: no further query)."""
    measure = get_object_or_404(Measure, project=project, pk=pk)
    measure.project = project
    return measure


@dataclass
class Part:
    name: str
    weight: int
    share: float | None  # 0–1, None when there is no reading yet

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else round(self.share * 100, 6)

    @property
    def weighted(self) -> float | None:
        """Weight × share: the part's contribution to the sum."""
        return None if self.share is None else self.weight * self.share


@dataclass
class Progress:
    """A project's progress and how it was worked out, so anyone can redo the sum."""

    basis: str  # "measures", "milestones" or ""
    parts: list[Part]
    value: float | None

    @property
    def percent(self) -> int | None:
        return None if self.value is None else round(self.value * 100)

    @property
    def total_weight(self) -> int:
        return sum(p.weight for p in self.parts if p.share is not None)

    @property
    def weighted_sum(self) -> float:
        return sum(p.weighted or 0 for p in self.parts)

    @property
    def exact_percent(self) -> float | None:
        return None if self.value is None else round(self.value * 100, 6)


def progress(*, measures: list[Measure], milestones: list[Milestone]) -> Progress:
    """Weighted mean of the outcome measures' progress (those with a reading); with no such
    measure, of the milestones' progress. The parts and weights are returned to be shown."""
    parts = [Part(m.name, m.weight, m.progress) for m in measures]
    basis = "measures"
    if not any(p.share is not None for p in parts):
        parts = [Part(m.title, m.weight, m.progress / 100) for m in milestones]
        basis = "milestones" if parts else ""
    counted = [p for p in parts if p.share is not None]
    weight = sum(p.weight for p in counted)
    value = sum(p.weight * (p.share or 0) for p in counted) / weight if weight else None
    return Progress(basis, parts, value)


def closure(*, project: Project) -> Any:
    return getattr(project, "closure", None) if project.is_closed else None


# --- the portfolio ---------------------------------------------------------------------------

SORTS = {
    "newest": ("-created", "-id"),
    "updated": ("-updated", "-id"),
    "members": ("-member_count", "-id"),
    "oldest": ("created", "id"),
}
PROJECT_SEARCH_FIELDS = ("title", "purpose", "tag_text")
PROJECT_SEARCH_VECTOR = '"projects_project"."search_vector"'  # PostgreSQL only, migration 0003


def portfolio(
    *,
    status: str = "",
    organisation: str = "",
    tag: str = "",
    problem: int | None = None,
    idea: int | None = None,
    crosses: bool = False,
    frontline: bool = False,
    q: str = "",
    sort: str = "newest",
    cursor: str | None = None,
    size: int = 25,
) -> Page:
    """Every project (their public faces), filtered and sorted, keyset-paged: three queries
    (projects; their organisations; their tags) whatever the number of projects."""
    ordering = SORTS.get(sort, SORTS["newest"])
    qs = Project.objects.select_related("lead__profile__organisation")
    if status in Project.Status.values:
        qs = qs.filter(status=status)
    if organisation:
        qs = qs.filter(
            pk__in=Project.organisations.through.objects.filter(
                organisation__slug=organisation
            ).values("project_id")
        )
    if tag:
        tag_id = Tag.objects.filter(name=tag).values_list("pk", flat=True).first()
        qs = qs.filter(tags__id=tag_id) if tag_id is not None else qs.none()
    if problem:
        qs = qs.filter(problems__id=problem)
    if idea:
        qs = qs.filter(ideas__id=idea)
    if crosses:
        qs = qs.filter(crosses_agencies=True)
    if frontline:
        qs = qs.filter(has_frontline=True)
    if q:
        qs = ideas_selectors.search_filter(
            qs, q, PROJECT_SEARCH_FIELDS, stored_vector=PROJECT_SEARCH_VECTOR
        )
    result = _page(qs, ordering, cursor, size)
    if result.items:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(result.items, "organisations")
    return result


def ideas_of(*, project: Project) -> list[Any]:
    """The ideas a project grew from (the trail idea → project → outcomes, walked back)."""
    return list(project.ideas.order_by("created", "id"))


def projects_of_idea(*, idea_id: int) -> list[Project]:
    return list(Project.objects.filter(ideas__id=idea_id).order_by("created"))


def projects_of_problem(*, problem_id: int) -> list[Project]:
    return list(Project.objects.filter(problems__id=problem_id).order_by("created"))


def projects_of_user(*, user: Any) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .exclude(expires__lt=timezone.localdate())
        .select_related("project")
        .order_by("-project__updated")
    )


def status_counts() -> dict[str, int]:
    rows = dict(Project.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {s: rows.get(s, 0) for s in Project.Status.values}


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class Figures:
    by_status: dict[str, int]
    total: int
    crossing: int
    frontline: int
    ideas_in_projects: int
    ideas_total: int
    median_days_idea_to_project: float | None
    overdue: list[Milestone]  # in open projects (anyone may see them)
    overdue_restricted: int  # in restricted ones: counted, not shown

    @property
    def crossing_share(self) -> int | None:
        return round(100 * self.crossing / self.total) if self.total else None

    @property
    def frontline_share(self) -> int | None:
        return round(100 * self.frontline / self.total) if self.total else None

    @property
    def ideas_share(self) -> int | None:
        return round(100 * self.ideas_in_projects / self.ideas_total) if self.ideas_total else None


def dashboard_figures(*, overdue_limit: int = 10) -> Figures:
    """The dashboard's project figures: the same for everyone. Restricted projects count in the
    numbers; their milestones are counted, never listed."""
    from ideas.models import Idea

    # One aggregate each for projects and ideas (the dashboard pins its query count).
    totals = Project.objects.aggregate(
        total=Count("id"),
        crossing=Count("id", filter=Q(crosses_agencies=True)),
        frontline=Count("id", filter=Q(has_frontline=True)),
        **{s: Count("id", filter=Q(status=s)) for s in Project.Status.values},
    )
    by_status = {s: totals[s] for s in Project.Status.values}
    in_a_project = Exists(Project.ideas.through.objects.filter(idea_id=OuterRef("pk")))
    idea_counts = (
        Idea.objects.filter(hidden_at__isnull=True)
        .exclude(stage="merged")
        .aggregate(total=Count("id"), taken_up=Count("id", filter=Q(in_a_project)))
    )
    ideas_in, ideas_total = idea_counts["taken_up"], idea_counts["total"]
    days = [
        (created - first).total_seconds() / 86400
        for created, first in Project.objects.filter(first_idea_at__isnull=False).values_list(
            "created", "first_idea_at"
        )
    ]
    today = timezone.localdate()
    overdue_qs = Milestone.objects.filter(completed__isnull=True, due__lt=today).exclude(
        project__status__in=Project.ENDS
    )
    overdue = list(
        overdue_qs.filter(project__restricted=False)
        .select_related("project")
        .order_by("due", "id")[:overdue_limit]
    )
    return Figures(
        by_status=by_status,
        total=totals["total"],
        crossing=totals["crossing"],
        frontline=totals["frontline"],
        ideas_in_projects=ideas_in,
        ideas_total=ideas_total,
        median_days_idea_to_project=round(median(days), 1) if days else None,
        overdue=overdue,
        overdue_restricted=overdue_qs.filter(project__restricted=True).count(),
    )


def due_soon_tasks(*, user: Any, limit: int = 20) -> list[Task]:
    return list(
        Task.objects.filter(assignee=user, column__done=False, due__isnull=False)
        .select_related("project")
        .order_by("due", "id")[:limit]
    )


def numbers(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():,f}"


# --- one search across kinds (core.finding) ------------------------------------------------


def _findable(user: Any) -> QuerySet[Project]:
    """The projects a search may show this person: every open project, and the restricted ones
    of which they are a current member — a restricted project is never a hit (nor counted) for
    anyone else. One subquery, not a list of ids: the query count stays fixed."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return Project.objects.filter(restricted=False)
    member = Membership.objects.filter(project=OuterRef("pk"), user=user).exclude(
        expires__lt=timezone.localdate()
    )
    return Project.objects.filter(Q(restricted=False) | Exists(member))


def find_projects(query: finding.Query, user: Any, *, limit: int, offset: int = 0) -> finding.Found:
    """Projects this person may see that answer the query, best first, as hits (one query)."""
    return ideas_selectors.found(
        _findable(user), query, PROJECT_SEARCH_FIELDS, PROJECT_SEARCH_VECTOR, kind="project",
        text=lambda p: (p.purpose,), only=("id", "title", "purpose", "updated"),
        limit=limit, offset=offset,
    )  # fmt: skip


def count_projects(query: finding.Query, user: Any, *, cap: int) -> int:
    qs = ideas_selectors.matching(
        _findable(user), query, PROJECT_SEARCH_FIELDS, PROJECT_SEARCH_VECTOR
    )
    return qs.order_by()[:cap].count()
