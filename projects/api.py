"""JSON endpoints for projects: the portfolio, a project, its team, board, milestones, updates,
decision log, risks and outcome measures (``/api/v1/``).

Thin, like ``ideas/api.py``: a schema parses and bounds the input, ``projects.selectors`` reads
(visibility applied) and ``projects.services`` writes (permission first, validated, one
transaction); the functions at the bottom shape the JSON without queries of their own.

A restricted project's public face (``GET /projects``, ``GET /projects/{id}``) is everyone's;
every endpoint about its inside loads it through ``selectors.project_for_viewer``, so for anyone
who is not a current member — a removed member's token too — it does not exist (404), and a
write to it changes nothing. A card changed from an older ``version`` is a 409 with the card as
it is now, so a client can show where it went.
"""

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints, field_validator
from pydantic.json_schema import SkipJsonSchema

from core import idempotency
from core.markdown import render_markdown
from core.params import MAX_ID, BadCursor
from core.schemas import (
    BODY_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ConfirmNotIdentifying,
    Cursor,
    Id,
    Input,
    OrganisationOut,
    PageIn,
    PersonOut,
    Size,
    absolute,
    organisation_out,
    person_out,
    required,
)
from discussion import api as discussion_api
from ideas import selectors as ideas_selectors
from ideas import services as ideas_services
from ideas.models import Idea, Problem
from people import selectors as people_selectors
from people import services as people_services
from people.models import Organisation, User
from projects import permissions, selectors, services
from projects.models import (
    Column,
    Decision,
    Invitation,
    Measure,
    Membership,
    Milestone,
    Project,
    Risk,
    Task,
    Update,
)

router = Router()
# The POSTs that create something take an optional Idempotency-Key header (core/idempotency.py).
idempotent = idempotency.endpoint(people_services.idempotent)


def _text(n: int) -> Any:
    """Optional text: surrounding spaces trimmed, at most ``n`` characters."""
    return StringConstraints(strip_whitespace=True, max_length=n)


Title = Annotated[str, required(200)]
Purpose = Annotated[str, required(5000)]
Reason = Annotated[str, required(2000)]
Why = Annotated[str, _text(500)]
Message = Annotated[str, _text(1000)]
TagName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Tags = Annotated[list[TagName], Field(max_length=ideas_services.MAX_TAGS)]
Ids = Annotated[list[Id], Field(max_length=20)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
OrganisationRefs = Annotated[
    list[Id | Slug],
    Field(max_length=20, description="Organisations, each by id or by slug."),
]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)]
Labels = Annotated[list[Label], Field(max_length=10)]
ChecklistText = Annotated[str, required(300)]
Number = Annotated[Decimal, Field(max_digits=14, decimal_places=2, allow_inf_nan=False)]
Scale = Annotated[int, Field(ge=1, le=5)]
Percent = Annotated[int, Field(ge=0, le=100)]
Weight = Annotated[int, Field(ge=1, le=100)]
Version = Annotated[int, Field(ge=0, le=MAX_ID, description="The card's version you last saw.")]


# The models' choices under names of their own in the OpenAPI document (``Status`` is ideas'
# problem status already: two enums of one name would share one schema). Their values are the
# models' (tests/projects/test_api.py holds them to it). No docstrings: a docstring would become
# the schema's description.


class ProjectStatus(StrEnum):
    FORMING = "forming"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    STOPPED = "stopped"


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"


class MemberRole(StrEnum):
    LEAD = "lead"
    MEMBER = "member"
    OBSERVER = "observer"


class InvitationKind(StrEnum):
    INVITE = "invite"
    REQUEST = "request"


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# --- output schemas --------------------------------------------------------------------------


class ProjectOut(Schema):
    """A project's public face: what everyone signed in sees, restricted or not."""

    id: int
    title: str
    purpose: str = Field(description="Markdown.")
    purpose_html: str
    status: ProjectStatus
    status_label: str
    restricted: bool
    restricted_reason: str = Field(description="Public: why only members see inside.")
    lead: PersonOut
    organisations: list[OrganisationOut]
    tags: list[str]
    member_count: int
    crosses_agencies: bool
    has_frontline: bool
    start_date: date | None
    end_date: date | None
    url: str
    created: datetime
    updated: datetime


class ProjectPage(Schema):
    items: list[ProjectOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: end.")


class ViewerOut(Schema):
    can_view: bool = Field(description="Whether you may see inside the project.")
    can_write: bool
    is_lead: bool
    is_member: bool
    can_ask_to_join: bool


class PartOut(Schema):
    name: str
    weight: int
    share: float | None = Field(description="0–1; null before its first reading.")


class ProgressOut(Schema):
    percent: int | None
    basis: Literal["measures", "milestones", ""] = Field(
        description="What the progress is worked out from: the outcome measures with a "
        "reading, else the milestones; empty when there is neither."
    )
    parts: list[PartOut]


class LinkOut(Schema):
    id: int
    title: str
    url: str


class ResultOut(Schema):
    measure: int
    name: str
    unit: str
    baseline: str
    target: str
    final: str | None
    note: str


class ClosureOut(Schema):
    achieved: str
    learned: str
    results: list[ResultOut]
    created: datetime


class ProjectDetailOut(ProjectOut):
    viewer: ViewerOut
    progress: ProgressOut | None = Field(description="Null unless you may see inside.")
    ideas: list[LinkOut] | None = Field(description="Null unless you may see inside.")
    problems: list[LinkOut] | None = Field(description="Null unless you may see inside.")
    closure: ClosureOut | None = Field(
        description="What a completed or stopped project achieved; null unless you may see inside."
    )


class ProjectDecisionOut(Schema):
    id: int
    kind: Literal["status", "decision"]
    headline: str
    title: str
    options: str
    reason: str = Field(description="Why: the rationale.")
    from_status: ProjectStatus | Literal[""]
    to_status: ProjectStatus | Literal[""]
    decided_by: PersonOut
    created: datetime


class MemberOut(Schema):
    person: PersonOut
    profile_url: str
    role: MemberRole
    role_label: str
    expires: date | None
    joined: datetime
    current: bool = Field(description="False once an end date has passed.")


class InvitationOut(Schema):
    id: int
    project: int
    person: PersonOut
    kind: InvitationKind = Field(description="invite: from a lead; request: to join.")
    role: MemberRole
    state: InvitationState
    expires: date | None
    message: str
    created: datetime


class ColumnOut(Schema):
    id: int
    name: str
    position: int
    done: bool = Field(description="Cards here count as done.")
    task_count: int


class ChecklistItemOut(Schema):
    id: int
    text: str
    done: bool


class TaskOut(Schema):
    id: int
    project: int
    column: int
    rank: str = Field(description="Its place in the column: cards sort by rank, then id.")
    version: int = Field(description="Send it back with a change: an older one is a 409.")
    title: str
    description: str
    assignee: PersonOut | None
    due: date | None
    labels: list[str]
    checklist_total: int
    checklist_done: int
    created: datetime
    updated: datetime


class TaskDetailOut(TaskOut):
    checklist: list[ChecklistItemOut]


class TaskPage(Schema):
    items: list[TaskOut]
    next_cursor: str | None


class StaleOut(Schema):
    detail: str
    task: TaskDetailOut = Field(description="The card as it is now.")


class DoneOut(Schema):
    detail: str


class MilestoneOut(Schema):
    id: int
    title: str
    description: str
    due: date
    progress: int
    weight: int
    completed: date | None
    overdue: bool


class UpdateOut(Schema):
    id: int
    project: int
    title: str
    body: str = Field(description="Markdown.")
    body_html: str
    author: PersonOut
    comment_count: int
    created: datetime
    url: str


class UpdatePage(Schema):
    items: list[UpdateOut]
    next_cursor: str | None


class RiskOut(Schema):
    id: int
    title: str
    description: str
    likelihood: int
    consequence: int
    rating: int = Field(description="Likelihood × consequence, 1–25.")
    level: Literal["low", "medium", "high", "extreme"]
    owner: PersonOut | None
    mitigation: str
    status: RiskStatus
    review_by: date | None
    needs_review: bool = Field(description="Not closed, and its review date has passed.")
    created: datetime
    updated: datetime


class ReadingOut(Schema):
    id: int
    value: str
    date: date
    note: str
    created: datetime


class MeasureOut(Schema):
    id: int
    name: str
    unit: str
    baseline: str
    baseline_date: date
    target: str
    target_date: date
    current: str | None
    current_date: date | None
    source: str
    weight: int
    progress: float | None = Field(description="0–1 from baseline to target; null before.")
    readings: list[ReadingOut] = Field(description="Oldest first.")


# --- input schemas ---------------------------------------------------------------------------


class PortfolioFilters(PageIn):
    status: ProjectStatus | None = None
    organisation: Annotated[str, StringConstraints(max_length=160)] = Field(
        "", description="An organisation's slug."
    )
    tag: Annotated[str, StringConstraints(max_length=40)] = ""
    problem: Id | None = None
    idea: Id | None = None
    crosses: bool = Field(False, description="Only projects whose members span agencies.")
    frontline: bool = Field(False, description="Only projects with a frontline member.")
    q: Annotated[str, StringConstraints(max_length=200)] = ""
    sort: Literal["newest", "updated", "members", "oldest"] = "newest"


class ProjectIn(Input):
    title: Title
    purpose: Purpose
    lead: Id | None = Field(None, description="A person's id; leave out to lead it yourself.")
    organisations: OrganisationRefs = []
    problems: Ids = Field([], description="Problem ids.")
    ideas: Ids = Field([], description="Idea ids: each moves to “In a project”.")
    start_date: date | None = None
    end_date: date | None = None
    tags: Tags = []
    restricted: bool = False
    restricted_reason: Why = ""
    confirm_not_identifying: ConfirmNotIdentifying = False


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null: leave the field out to keep it as it is")
    return value


class ProjectPatch(Input):
    """Only the fields sent change (the project's leads)."""

    title: Title | SkipJsonSchema[None] = None
    purpose: Purpose | SkipJsonSchema[None] = None
    lead: Id | SkipJsonSchema[None] = Field(None, description="A current member's id.")
    organisations: OrganisationRefs | SkipJsonSchema[None] = None
    problems: Ids | SkipJsonSchema[None] = Field(None, description="Problem ids.")
    start_date: date | None = None
    end_date: date | None = None
    tags: Tags | SkipJsonSchema[None] = None

    _check = field_validator(
        "title", "purpose", "lead", "organisations", "problems", "tags", mode="before"
    )(_not_null)


class ResultIn(Input):
    measure: Id
    final: Number | None = Field(None, description="Leave out for its current value.")
    note: Annotated[str, _text(2000)] = ""


class StatusIn(Input):
    status: ProjectStatus
    reason: Reason
    achieved: Annotated[str, _text(10000)] = Field(
        "", description="Completing or stopping: what the project achieved."
    )
    learned: Annotated[str, _text(10000)] = Field(
        "", description="Completing or stopping: what others should know."
    )
    results: Annotated[list[ResultIn], Field(max_length=100)] = Field(
        [], description="Completing or stopping: one per outcome measure."
    )


class RestrictIn(Input):
    restricted: bool
    reason: Why = Field("", description="Public: why only members see inside.")


class InviteIn(Input):
    user: Id = Field(description="The person's id.")
    role: MemberRole = MemberRole.MEMBER
    expires: date | None = Field(None, description="When their membership ends, if it does.")
    message: Message = ""


class JoinIn(Input):
    message: Message = ""


class AnswerIn(Input):
    accept: bool


class MemberPatch(Input):
    role: MemberRole | SkipJsonSchema[None] = None
    expires: date | None = Field(None, description="Null: the membership does not end.")

    _check = field_validator("role", mode="before")(_not_null)


class ColumnIn(Input):
    name: Annotated[str, required(60)]


class ColumnPatch(Input):
    name: Annotated[str, required(60)] | SkipJsonSchema[None] = None
    done: bool | SkipJsonSchema[None] = None
    position: Annotated[int, Field(ge=0, le=100)] | SkipJsonSchema[None] = Field(
        None, description="0 is the first column."
    )

    _check = field_validator("name", "done", "position", mode="before")(_not_null)


class TaskFilters(Input):
    column: Id = Field(description="The column's id.")
    cursor: Cursor | None = None
    size: Size = 50


class TaskIn(Input):
    title: Title
    column: Id | None = Field(None, description="The column's id; the first column if left out.")
    description: Annotated[str, _text(10000)] = ""
    assignee: Id | None = Field(None, description="A member's id (not an observer).")
    due: date | None = None
    labels: Labels = []
    checklist: Annotated[list[ChecklistText], Field(max_length=services.MAX_CHECKLIST)] = []


class TaskPatch(Input):
    version: Version
    title: Title | SkipJsonSchema[None] = None
    description: Annotated[str, _text(10000)] | SkipJsonSchema[None] = None
    assignee: Id | None = Field(None, description="A member's id, or null for nobody.")
    due: date | None = None
    labels: Labels | SkipJsonSchema[None] = None

    _check = field_validator("title", "description", "labels", mode="before")(_not_null)


class VersionIn(Input):
    version: Version


class MoveIn(Input):
    version: Version
    column: Id = Field(description="The column it goes to.")
    after: Id | None = Field(None, description="The card it goes below; null: the top.")
    before: Id | None = Field(None, description="The card it goes above; null: the bottom.")


class ChecklistIn(Input):
    text: ChecklistText


class ChecklistPatch(Input):
    done: bool


class MilestoneIn(Input):
    title: Title
    due: date
    description: Annotated[str, _text(2000)] = ""
    progress: Percent = 0
    weight: Weight = 1
    completed: date | None = None


class MilestonePatch(Input):
    title: Title | SkipJsonSchema[None] = None
    due: date | SkipJsonSchema[None] = None
    description: Annotated[str, _text(2000)] | SkipJsonSchema[None] = None
    progress: Percent | SkipJsonSchema[None] = None
    weight: Weight | SkipJsonSchema[None] = None
    completed: date | None = None

    _check = field_validator("title", "due", "description", "progress", "weight", mode="before")(
        _not_null
    )


class UpdateIn(Input):
    title: Title
    body: Annotated[str, required(10000)]
    confirm_not_identifying: ConfirmNotIdentifying = False


class ProjectDecisionIn(Input):
    title: Title
    options: Annotated[str, _text(4000)] = Field("", description="The options considered.")
    reason: Reason = Field(description="The rationale.")


class RiskIn(Input):
    title: Title
    likelihood: Scale = Field(description="1 rare … 5 almost certain.")
    consequence: Scale = Field(description="1 minor … 5 severe.")
    description: Annotated[str, _text(4000)] = ""
    owner: Id | None = Field(None, description="A member's id.")
    mitigation: Annotated[str, _text(4000)] = ""
    status: RiskStatus = RiskStatus.OPEN
    review_by: date | None = None


class RiskPatch(Input):
    title: Title | SkipJsonSchema[None] = None
    likelihood: Scale | SkipJsonSchema[None] = None
    consequence: Scale | SkipJsonSchema[None] = None
    description: Annotated[str, _text(4000)] | SkipJsonSchema[None] = None
    owner: Id | None = Field(None, description="A member's id, or null for nobody.")
    mitigation: Annotated[str, _text(4000)] | SkipJsonSchema[None] = None
    status: RiskStatus | SkipJsonSchema[None] = None
    review_by: date | None = None

    _check = field_validator(
        "title", "likelihood", "consequence", "description", "mitigation", "status", mode="before"
    )(_not_null)


class MeasureIn(Input):
    name: Title
    unit: Annotated[str, required(40)]
    baseline: Number
    baseline_date: date
    target: Number
    target_date: date
    source: Annotated[str, required(300)] = Field(description="Where the figures come from.")
    weight: Weight = 1


class MeasurePatch(Input):
    name: Title | SkipJsonSchema[None] = None
    unit: Annotated[str, required(40)] | SkipJsonSchema[None] = None
    baseline: Number | SkipJsonSchema[None] = None
    baseline_date: date | SkipJsonSchema[None] = None
    target: Number | SkipJsonSchema[None] = None
    target_date: date | SkipJsonSchema[None] = None
    source: Annotated[str, required(300)] | SkipJsonSchema[None] = None
    weight: Weight | SkipJsonSchema[None] = None

    _check = field_validator(
        "name",
        "unit",
        "baseline",
        "baseline_date",
        "target",
        "target_date",
        "source",
        "weight",
        mode="before",
    )(_not_null)


class ReadingIn(Input):
    value: Number
    date: date
    note: Annotated[str, _text(500)] = ""


# --- the portfolio and a project --------------------------------------------------------------

TAGS = ["projects"]


@router.get("/projects", response={200: ProjectPage, **READ_ERRORS}, tags=TAGS)
def project_list(request: HttpRequest, filters: Query[PortfolioFilters]) -> dict[str, Any]:
    """Every project's public face, restricted ones too, filtered and sorted. Costs the same
    few queries whatever the page size."""
    page = selectors.portfolio(
        status=filters.status or "",
        organisation=filters.organisation,
        tag=filters.tag,
        problem=filters.problem,
        idea=filters.idea,
        crosses=filters.crosses,
        frontline=filters.frontline,
        q=filters.q,
        sort=filters.sort,
        cursor=filters.cursor,
        size=filters.size,
    )
    return {"items": [_project(request, p) for p in page.items], "next_cursor": page.next_cursor}


@router.post("/projects", response={201: ProjectDetailOut, **BODY_ERRORS}, tags=TAGS)
@idempotent
def project_create(request: HttpRequest, payload: ProjectIn) -> Status[dict[str, Any]]:
    """Start a project, from ideas or from scratch. Each idea moves to “In a project” through
    a public decision that links to it. You lead it unless you name a lead."""
    project = services.project_create(
        actor=_user(request),
        title=payload.title,
        purpose=payload.purpose,
        lead=_person(payload.lead, "lead") if payload.lead else None,
        organisations=_organisations(payload.organisations),
        problems=_problems(payload.problems),
        ideas=_ideas(payload.ideas),
        start_date=payload.start_date,
        end_date=payload.end_date,
        tags=payload.tags,
        restricted=payload.restricted,
        restricted_reason=payload.restricted_reason,
        confirm_not_identifying=payload.confirm_not_identifying,
    )
    return Status(201, _project_detail(request, project.pk))


@router.get("/projects/{project_id}", response={200: ProjectDetailOut, **READ_ERRORS}, tags=TAGS)
def project_detail(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    """The public face, and — for those who may see inside — its progress (with how it was
    worked out), the ideas and problems it answers and its closure report."""
    return _project_detail(request, project_id)


@router.patch("/projects/{project_id}", response={200: ProjectDetailOut, **BODY_ERRORS}, tags=TAGS)
def project_edit(request: HttpRequest, project_id: Id, payload: ProjectPatch) -> dict[str, Any]:
    """Edit the project (its leads). Fields left out keep their value."""
    project, _ = _inside(request, project_id)
    sent = payload.model_dump(exclude_unset=True)
    services.project_edit(
        actor=_user(request),
        project=project,
        title=sent.get("title", project.title),
        purpose=sent.get("purpose", project.purpose),
        organisations=_organisations(sent["organisations"])
        if "organisations" in sent
        else list(project.organisations.all()),
        problems=_problems(sent["problems"]) if "problems" in sent else project.problems.all(),
        start_date=sent.get("start_date", project.start_date),
        end_date=sent.get("end_date", project.end_date),
        tags=sent["tags"] if "tags" in sent else [t.name for t in project.tags.all()],
        lead=_person(sent["lead"], "lead") if "lead" in sent else None,
    )
    return _project_detail(request, project.pk)


@router.post(
    "/projects/{project_id}/status",
    response={201: ProjectDecisionOut, **BODY_ERRORS},
    tags=TAGS,
)
@idempotent
def project_status(
    request: HttpRequest, project_id: Id, payload: StatusIn
) -> Status[dict[str, Any]]:
    """Change the status (its leads): a public decision with its reason. Completing or stopping
    it needs what was achieved, what was learned and a result for each outcome measure."""
    project, _ = _inside(request, project_id)
    decision = services.project_set_status(
        actor=_user(request),
        project=project,
        status=payload.status,
        reason=payload.reason,
        achieved=payload.achieved,
        learned=payload.learned,
        results={r.measure: {"final": r.final, "note": r.note} for r in payload.results},
    )
    decision.decided_by = _user(request)
    return Status(201, _decision(decision))


@router.post(
    "/projects/{project_id}/restrict",
    response={200: ProjectDetailOut, **BODY_ERRORS},
    tags=TAGS,
)
def project_restrict(request: HttpRequest, project_id: Id, payload: RestrictIn) -> dict[str, Any]:
    """Restrict the project to its members (the reason is public), or open it (its leads)."""
    project, _ = _inside(request, project_id)
    services.project_restrict(
        actor=_user(request),
        project=project,
        restricted=payload.restricted,
        reason=payload.reason,
    )
    return _project_detail(request, project.pk)


discussion_api.endpoints_for(router, "project", "/projects")
discussion_api.endpoints_for(router, "project_update", "/projects/updates")


# --- the team --------------------------------------------------------------------------------

TEAM = ["project team"]


@router.get(
    "/projects/{project_id}/members", response={200: list[MemberOut], **READ_ERRORS}, tags=TEAM
)
def project_members(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    """Who is in the team: leads, members, observers (a restricted project's: members only)."""
    project, _ = _inside(request, project_id)
    return [_member(request, m) for m in selectors.team(project=project)]


@router.get(
    "/projects/{project_id}/invitations",
    response={200: list[InvitationOut], **WRITE_ERRORS},
    tags=TEAM,
)
def project_invitations(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    """Invitations and requests to join waiting for an answer (its leads)."""
    project, viewer = _inside(request, project_id)
    if not viewer.is_lead:
        raise PermissionDenied(permissions.LEADS_ONLY)
    return [_invitation(i) for i in selectors.pending_invitations(project=project)]


@router.post(
    "/projects/{project_id}/invitations",
    response={201: InvitationOut, **BODY_ERRORS},
    tags=TEAM,
)
@idempotent
def project_invite(
    request: HttpRequest, project_id: Id, payload: InviteIn
) -> Status[dict[str, Any]]:
    """Invite someone (its leads). If they had asked to join, this lets them in."""
    project, _ = _inside(request, project_id)
    invitation = services.invite(
        actor=_user(request),
        project=project,
        user=_person(payload.user, "user"),
        role=payload.role,
        expires=payload.expires,
        message=payload.message,
    )
    return Status(201, _invitation(invitation))


@router.post("/projects/{project_id}/join", response={201: InvitationOut, **BODY_ERRORS}, tags=TEAM)
@idempotent
def project_join(request: HttpRequest, project_id: Id, payload: JoinIn) -> Status[dict[str, Any]]:
    """Ask to join: its leads are told. If you were invited, this accepts."""
    project, _ = _face(request, project_id)
    invitation = services.request_to_join(
        user=_user(request), project=project, message=payload.message
    )
    return Status(201, _invitation(invitation))


@router.post(
    "/projects/{project_id}/invitations/{invitation_id}/answer",
    response={200: InvitationOut, **BODY_ERRORS},
    tags=TEAM,
)
def project_invitation_answer(
    request: HttpRequest, project_id: Id, invitation_id: Id, payload: AnswerIn
) -> dict[str, Any]:
    """Accept or decline an invitation (the person invited), or a request to join (its
    leads)."""
    project, viewer = _face(request, project_id)
    invitation = selectors.invitation_of(pk=invitation_id)
    user = _user(request)
    if (
        invitation is None
        or invitation.project_id != project.pk
        or not (invitation.user_id == user.pk or viewer.is_lead)
    ):
        raise Http404("No such invitation.")
    invitation.project = project
    answered = services.invitation_answer(actor=user, invitation=invitation, accept=payload.accept)
    return _invitation(answered)


@router.patch(
    "/projects/{project_id}/members/{user_id}",
    response={200: MemberOut, **BODY_ERRORS},
    tags=TEAM,
)
def project_member_change(
    request: HttpRequest, project_id: Id, user_id: Id, payload: MemberPatch
) -> dict[str, Any]:
    """Change someone's role or the end of their membership (its leads)."""
    project, _ = _inside(request, project_id)
    membership = _membership(project, user_id)
    sent = payload.model_dump(exclude_unset=True)
    services.member_set(
        actor=_user(request),
        membership=membership,
        role=sent.get("role", membership.role),
        expires=sent.get("expires", membership.expires),
    )
    return _member(request, membership)


@router.delete(
    "/projects/{project_id}/members/{user_id}",
    response={200: DoneOut, **WRITE_ERRORS},
    tags=TEAM,
)
def project_member_remove(request: HttpRequest, project_id: Id, user_id: Id) -> dict[str, Any]:
    """Remove someone (its leads), or leave (your own id)."""
    project, _ = _inside(request, project_id)
    membership = _membership(project, user_id)
    user = _user(request)
    services.member_remove(actor=user, membership=membership)
    return {"detail": "You left the project." if user.pk == user_id else "Removed from the team."}


# --- the board -------------------------------------------------------------------------------

BOARD = ["project board"]


@router.get(
    "/projects/{project_id}/columns", response={200: list[ColumnOut], **READ_ERRORS}, tags=BOARD
)
def project_columns(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    """The board's columns in order, with how many cards each holds."""
    project, _ = _inside(request, project_id)
    return [_column(c.column, c.total) for c in selectors.board(project=project, per_column=0)]


@router.post("/projects/{project_id}/columns", response={201: ColumnOut, **BODY_ERRORS}, tags=BOARD)
@idempotent
def project_column_add(
    request: HttpRequest, project_id: Id, payload: ColumnIn
) -> Status[dict[str, Any]]:
    """Add a column at the end of the board (its leads)."""
    project, _ = _inside(request, project_id)
    column = services.column_add(actor=_user(request), project=project, name=payload.name)
    return Status(201, _column(column, 0))


@router.patch(
    "/projects/{project_id}/columns/{column_id}",
    response={200: ColumnOut, **BODY_ERRORS},
    tags=BOARD,
)
def project_column_edit(
    request: HttpRequest, project_id: Id, column_id: Id, payload: ColumnPatch
) -> dict[str, Any]:
    """Rename a column, say whether its cards count as done, or move it (its leads)."""
    project, _ = _inside(request, project_id)
    column = _column_of(project, column_id)
    sent = payload.model_dump(exclude_unset=True)
    user = _user(request)
    with transaction.atomic():  # all of it or none
        if "name" in sent or "done" in sent:
            services.column_edit(
                actor=user, column=column, name=sent.get("name", column.name), done=sent.get("done")
            )
        if "position" in sent:
            services.column_move(actor=user, column=column, position=sent["position"])
    [found] = [
        c for c in selectors.board(project=project, per_column=0) if c.column.pk == column.pk
    ]
    return _column(found.column, found.total)


@router.delete(
    "/projects/{project_id}/columns/{column_id}",
    response={200: DoneOut, **WRITE_ERRORS},
    tags=BOARD,
)
def project_column_delete(request: HttpRequest, project_id: Id, column_id: Id) -> dict[str, Any]:
    """Remove an empty column (its leads)."""
    project, _ = _inside(request, project_id)
    services.column_delete(actor=_user(request), column=_column_of(project, column_id))
    return {"detail": "The column was removed."}


@router.get("/projects/{project_id}/tasks", response={200: TaskPage, **READ_ERRORS}, tags=BOARD)
def project_tasks(
    request: HttpRequest, project_id: Id, filters: Query[TaskFilters]
) -> dict[str, Any]:
    """A column's cards in board order (rank, then id), a page at a time."""
    project, _ = _inside(request, project_id)
    column = _column_of(project, filters.column)
    tasks, more = selectors.column_page(
        column=column, after=_task_cursor(filters.cursor), size=filters.size
    )
    return {
        "items": [_task(t) for t in tasks],
        "next_cursor": _next_task_cursor(tasks[-1]) if more else None,
    }


@router.post(
    "/projects/{project_id}/tasks", response={201: TaskDetailOut, **BODY_ERRORS}, tags=BOARD
)
@idempotent
def project_task_create(
    request: HttpRequest, project_id: Id, payload: TaskIn
) -> Status[dict[str, Any]]:
    """Add a card at the bottom of a column (members, not observers)."""
    project, _ = _inside(request, project_id)
    task = services.task_create(
        actor=_user(request),
        project=project,
        title=payload.title,
        column=_column_of(project, payload.column, field="column") if payload.column else None,
        description=payload.description,
        assignee=_assignee(payload.assignee),
        due=payload.due,
        labels=", ".join(payload.labels),
        checklist=payload.checklist,
    )
    return Status(201, _task_detail(project, task.pk))


@router.get(
    "/projects/{project_id}/tasks/{task_id}",
    response={200: TaskDetailOut, **READ_ERRORS},
    tags=BOARD,
)
def project_task(request: HttpRequest, project_id: Id, task_id: Id) -> dict[str, Any]:
    project, _ = _inside(request, project_id)
    return _task_detail(project, task_id)


@router.patch(
    "/projects/{project_id}/tasks/{task_id}",
    response={200: TaskDetailOut, 409: StaleOut, **BODY_ERRORS},
    tags=BOARD,
)
def project_task_edit(request: HttpRequest, project_id: Id, task_id: Id, payload: TaskPatch) -> Any:
    """Edit a card. Fields left out keep their value; ``version`` is the one you last saw
    (someone else's change since is a 409 with the card as it is now)."""
    project, _ = _inside(request, project_id)
    task = _task_of(project, task_id)
    sent = payload.model_dump(exclude_unset=True)
    try:
        services.task_edit(
            actor=_user(request),
            task=task,
            version=payload.version,
            title=sent.get("title", task.title),
            description=sent.get("description", task.description),
            assignee=_assignee(sent["assignee"]) if "assignee" in sent else task.assignee,
            due=sent.get("due", task.due),
            labels=", ".join(sent["labels"]) if "labels" in sent else task.labels,
        )
    except services.StaleTask as stale:
        return _stale(project, stale)
    return _task_detail(project, task.pk)


@router.delete(
    "/projects/{project_id}/tasks/{task_id}",
    response={200: DoneOut, 409: StaleOut, **WRITE_ERRORS},
    tags=BOARD,
)
def project_task_delete(
    request: HttpRequest, project_id: Id, task_id: Id, query: Query[VersionIn]
) -> Any:
    """Remove a card, if it is still the ``version`` you saw."""
    project, _ = _inside(request, project_id)
    try:
        services.task_delete(
            actor=_user(request), task=_task_of(project, task_id), version=query.version
        )
    except services.StaleTask as stale:
        return _stale(project, stale)
    return {"detail": "The card was removed."}


@router.post(
    "/projects/{project_id}/tasks/{task_id}/move",
    response={200: TaskDetailOut, 409: StaleOut, **BODY_ERRORS},
    tags=BOARD,
)
def project_task_move(request: HttpRequest, project_id: Id, task_id: Id, payload: MoveIn) -> Any:
    """Move a card to a column, between two cards (``after`` and ``before``; leave both out for
    the bottom). From an older ``version`` it is a 409 with the card where it is now."""
    project, _ = _inside(request, project_id)
    task = _task_of(project, task_id)
    try:
        services.task_move(
            actor=_user(request),
            task=task,
            version=payload.version,
            column=_column_of(project, payload.column, field="column"),
            after=_neighbour(project, payload.after, "after"),
            before=_neighbour(project, payload.before, "before"),
        )
    except services.StaleTask as stale:
        return _stale(project, stale)
    return _task_detail(project, task.pk)


@router.post(
    "/projects/{project_id}/tasks/{task_id}/checklist",
    response={201: TaskDetailOut, **BODY_ERRORS},
    tags=BOARD,
)
@idempotent
def project_checklist_add(
    request: HttpRequest, project_id: Id, task_id: Id, payload: ChecklistIn
) -> Status[dict[str, Any]]:
    """Add an item to a card's checklist."""
    project, _ = _inside(request, project_id)
    services.checklist_add(actor=_user(request), task=_task_of(project, task_id), text=payload.text)
    return Status(201, _task_detail(project, task_id))


@router.patch(
    "/projects/{project_id}/tasks/{task_id}/checklist/{item_id}",
    response={200: TaskDetailOut, **BODY_ERRORS},
    tags=BOARD,
)
def project_checklist_toggle(
    request: HttpRequest, project_id: Id, task_id: Id, item_id: Id, payload: ChecklistPatch
) -> dict[str, Any]:
    """Tick a checklist item, or untick it."""
    project, _ = _inside(request, project_id)
    task = selectors.task_for_viewer(project=project, task_id=task_id)
    task.project = project
    item = next((i for i in task.checklist.all() if i.pk == item_id), None)
    if item is None:
        raise Http404("No such checklist item.")
    item.task = task
    services.checklist_toggle(actor=_user(request), item=item, done=payload.done)
    return _task_detail(project, task_id)


# --- milestones, updates, decisions, risks, measures -----------------------------------------

PLAN = ["project plan"]


@router.get(
    "/projects/{project_id}/milestones",
    response={200: list[MilestoneOut], **READ_ERRORS},
    tags=PLAN,
)
def project_milestones(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    """The milestones, soonest first."""
    project, _ = _inside(request, project_id)
    return [_milestone(m) for m in selectors.milestones(project=project)]


@router.post(
    "/projects/{project_id}/milestones",
    response={201: MilestoneOut, **BODY_ERRORS},
    tags=PLAN,
)
@idempotent
def project_milestone_add(
    request: HttpRequest, project_id: Id, payload: MilestoneIn
) -> Status[dict[str, Any]]:
    project, _ = _inside(request, project_id)
    milestone = services.milestone_save(
        actor=_user(request), project=project, **payload.model_dump()
    )
    return Status(201, _milestone(milestone))


@router.patch(
    "/projects/{project_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, **BODY_ERRORS},
    tags=PLAN,
)
def project_milestone_edit(
    request: HttpRequest, project_id: Id, milestone_id: Id, payload: MilestonePatch
) -> dict[str, Any]:
    """Edit a milestone; fields left out keep their value. Progress 100 completes it; less than
    100 (without ``completed``) opens it again."""
    project, _ = _inside(request, project_id)
    milestone = selectors.milestone_of(project=project, pk=milestone_id)
    sent = payload.model_dump(exclude_unset=True)
    if sent.get("progress", 100) < 100:
        sent.setdefault("completed", None)
    fields = ("title", "due", "description", "progress", "weight", "completed")
    saved = services.milestone_save(
        actor=_user(request),
        project=project,
        milestone=milestone,
        **{f: sent.get(f, getattr(milestone, f)) for f in fields},
    )
    return _milestone(saved)


@router.get("/projects/{project_id}/updates", response={200: UpdatePage, **READ_ERRORS}, tags=PLAN)
def project_updates(request: HttpRequest, project_id: Id, page: Query[PageIn]) -> dict[str, Any]:
    """Updates posted to the team and the project's followers, newest first."""
    project, _ = _inside(request, project_id)
    result = selectors.updates_page(project=project, cursor=page.cursor, size=page.size)
    return {"items": [_update(request, u) for u in result.items], "next_cursor": result.next_cursor}


@router.post("/projects/{project_id}/updates", response={201: UpdateOut, **BODY_ERRORS}, tags=PLAN)
@idempotent
def project_update_post(
    request: HttpRequest, project_id: Id, payload: UpdateIn
) -> Status[dict[str, Any]]:
    """Post an update (members): the team and the project's followers are told."""
    project, _ = _inside(request, project_id)
    update = services.update_post(
        actor=_user(request),
        project=project,
        title=payload.title,
        body=payload.body,
        confirm_not_identifying=payload.confirm_not_identifying,
    )
    return Status(201, _update(request, selectors.update_for_page(pk=update.pk)))


@router.get(
    "/projects/{project_id}/decisions",
    response={200: list[ProjectDecisionOut], **READ_ERRORS},
    tags=PLAN,
)
def project_decisions(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    """The decision log, newest first: status changes and the team's decisions."""
    project, _ = _inside(request, project_id)
    return [_decision(d) for d in selectors.decisions(project=project)]


@router.post(
    "/projects/{project_id}/decisions",
    response={201: ProjectDecisionOut, **BODY_ERRORS},
    tags=PLAN,
)
@idempotent
def project_decide(
    request: HttpRequest, project_id: Id, payload: ProjectDecisionIn
) -> Status[dict[str, Any]]:
    """Record a decision (members): what was decided, the options weighed, and why."""
    project, _ = _inside(request, project_id)
    decision = services.decision_record(
        actor=_user(request),
        project=project,
        title=payload.title,
        options=payload.options,
        rationale=payload.reason,
    )
    decision.decided_by = _user(request)
    return Status(201, _decision(decision))


@router.get("/projects/{project_id}/risks", response={200: list[RiskOut], **READ_ERRORS}, tags=PLAN)
def project_risks(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    """The risk register, newest first, each rated likelihood × consequence."""
    project, _ = _inside(request, project_id)
    return [_risk(r) for r in selectors.risks(project=project)]


@router.post("/projects/{project_id}/risks", response={201: RiskOut, **BODY_ERRORS}, tags=PLAN)
@idempotent
def project_risk_add(
    request: HttpRequest, project_id: Id, payload: RiskIn
) -> Status[dict[str, Any]]:
    project, _ = _inside(request, project_id)
    values = payload.model_dump()
    values["owner"] = _person(values["owner"], "owner") if values["owner"] else None
    risk = services.risk_save(actor=_user(request), project=project, **values)
    return Status(201, _risk(selectors.risk_of(project=project, pk=risk.pk)))


@router.patch(
    "/projects/{project_id}/risks/{risk_id}",
    response={200: RiskOut, **BODY_ERRORS},
    tags=PLAN,
)
def project_risk_edit(
    request: HttpRequest, project_id: Id, risk_id: Id, payload: RiskPatch
) -> dict[str, Any]:
    """Edit a risk; fields left out keep their value."""
    project, _ = _inside(request, project_id)
    risk = selectors.risk_of(project=project, pk=risk_id)
    sent = payload.model_dump(exclude_unset=True)
    fields = (
        "title",
        "likelihood",
        "consequence",
        "description",
        "mitigation",
        "status",
        "review_by",
    )
    values = {f: sent.get(f, getattr(risk, f)) for f in fields}
    if "owner" in sent:
        values["owner"] = _person(sent["owner"], "owner") if sent["owner"] else None
    else:
        values["owner"] = risk.owner
    services.risk_save(actor=_user(request), project=project, risk=risk, **values)
    return _risk(selectors.risk_of(project=project, pk=risk_id))


@router.get(
    "/projects/{project_id}/measures",
    response={200: list[MeasureOut], **READ_ERRORS},
    tags=PLAN,
)
def project_measures(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    """The outcome measures, each with its readings: its history from the baseline."""
    project, _ = _inside(request, project_id)
    return [_measure(m) for m in selectors.measures(project=project)]


@router.post(
    "/projects/{project_id}/measures", response={201: MeasureOut, **BODY_ERRORS}, tags=PLAN
)
@idempotent
def project_measure_add(
    request: HttpRequest, project_id: Id, payload: MeasureIn
) -> Status[dict[str, Any]]:
    project, _ = _inside(request, project_id)
    measure = services.measure_save(actor=_user(request), project=project, **payload.model_dump())
    return Status(201, _measure(_one(selectors.measures(project=project), measure.pk, "measure")))


@router.patch(
    "/projects/{project_id}/measures/{measure_id}",
    response={200: MeasureOut, **BODY_ERRORS},
    tags=PLAN,
)
def project_measure_edit(
    request: HttpRequest, project_id: Id, measure_id: Id, payload: MeasurePatch
) -> dict[str, Any]:
    """Edit a measure; fields left out keep their value."""
    project, _ = _inside(request, project_id)
    measure = selectors.measure_of(project=project, pk=measure_id)
    sent = payload.model_dump(exclude_unset=True)
    fields = (
        "name",
        "unit",
        "baseline",
        "baseline_date",
        "target",
        "target_date",
        "source",
        "weight",
    )
    services.measure_save(
        actor=_user(request),
        project=project,
        measure=measure,
        **{f: sent.get(f, getattr(measure, f)) for f in fields},
    )
    return _measure(_one(selectors.measures(project=project), measure_id, "measure"))


@router.post(
    "/projects/{project_id}/measures/{measure_id}/readings",
    response={201: MeasureOut, **BODY_ERRORS},
    tags=PLAN,
)
@idempotent
def project_reading_add(
    request: HttpRequest, project_id: Id, measure_id: Id, payload: ReadingIn
) -> Status[dict[str, Any]]:
    """Record a value of the measure on a date (not in the future); the latest by date is its
    current value."""
    project, _ = _inside(request, project_id)
    measure = selectors.measure_of(project=project, pk=measure_id)
    measure.project = project
    services.reading_add(
        actor=_user(request),
        measure=measure,
        value=payload.value,
        on=payload.date,
        note=payload.note,
    )
    return Status(201, _measure(_one(selectors.measures(project=project), measure_id, "measure")))


# --- input helpers ---------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    """The person the auth classes in config/api.py found (session or token)."""
    return cast(User, request.auth)


def _face(request: HttpRequest, pk: int) -> tuple[Project, selectors.Viewer]:
    return selectors.project_for_page(pk=pk, viewer=_user(request))


def _inside(request: HttpRequest, pk: int) -> tuple[Project, selectors.Viewer]:
    """The project if this person may see inside it; else 404, whatever they asked."""
    return selectors.project_for_viewer(pk=pk, viewer=_user(request))


def _person(pk: int, field: str) -> User:
    user = people_selectors.active_users_by_ids([pk]).get(pk)
    if user is None:
        raise ValidationError({field: f"There is nobody with id {pk}."})
    return user


def _assignee(pk: int | None) -> User | None:
    if pk is None:
        return None
    user = people_selectors.active_users_by_ids([pk]).get(pk)
    if user is None:
        raise ValidationError(
            {"assignee": "Cards can be given only to members of the project (not observers)."}
        )
    return user


def _organisations(refs: list[int | str]) -> list[Organisation]:
    ids = [r for r in refs if isinstance(r, int)]
    found = people_selectors.organisations_by_ids(ids)
    missing: list[str] = [str(i) for i in sorted(set(ids) - {o.pk for o in found})]
    for slug in dict.fromkeys(r for r in refs if isinstance(r, str)):
        try:
            found.append(people_selectors.organisation_by_slug(slug))
        except Http404:
            missing.append(f"“{slug}”")
    if missing:
        raise ValidationError({"organisations": "No organisation " + ", ".join(missing) + "."})
    return found


def _problems(ids: list[int]) -> list[Problem]:
    found = []
    for pk in dict.fromkeys(ids):
        try:
            found.append(ideas_selectors.problem_for_page(pk=pk))
        except Http404:
            raise ValidationError({"problems": f"There is no problem with id {pk}."}) from None
    return found


def _ideas(ids: list[int]) -> list[Idea]:
    found = []
    for pk in dict.fromkeys(ids):
        try:
            found.append(ideas_selectors.idea_for_page(pk=pk))
        except Http404:
            raise ValidationError({"ideas": f"There is no idea with id {pk}."}) from None
    return found


def _membership(project: Project, user_id: int) -> Membership:
    membership = next((m for m in selectors.team(project=project) if m.user_id == user_id), None)
    if membership is None:
        raise Http404("No such member.")
    membership.project = project
    return membership


def _column_of(project: Project, column_id: int, field: str = "") -> Column:
    """The column of this project's board: a 404 in the address, a 422 naming ``field`` in a
    body."""
    column = selectors.column_of(project=project, column_id=column_id)
    if column is None:
        if field:
            raise ValidationError({field: "That column is not on this project's board."})
        raise Http404("No such column.")
    column.project = project
    return column


def _task_of(project: Project, task_id: int) -> Task:
    task = selectors.task_of(project=project, task_id=task_id)
    if task is None:
        raise Http404("No such card.")
    task.project = project
    return task


def _neighbour(project: Project, task_id: int | None, field: str) -> Task | None:
    if task_id is None:
        return None
    task = selectors.task_of(project=project, task_id=task_id)
    if task is None:
        raise ValidationError({field: "That card is not on this project's board."})
    return task


def _one(rows: list[Any], pk: int, noun: str) -> Any:
    found = next((r for r in rows if r.pk == pk), None)
    if found is None:
        raise Http404(f"No such {noun}.")
    return found


def _next_task_cursor(task: Task) -> str:
    """A card's place in its column (rank and id): the next page starts after it, even if the
    card itself moves or goes meanwhile."""
    return base64.urlsafe_b64encode(json.dumps([task.rank, task.pk]).encode()).decode()


def _task_cursor(raw: str | None) -> Task | None:
    if not raw:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error, RecursionError):
        raise BadCursor("cursor") from None
    if (
        not isinstance(values, list)
        or len(values) != 2
        or not isinstance(values[0], str)
        or not 0 < len(values[0]) <= 64
        or "\x00" in values[0]
        or type(values[1]) is not int
        or not 1 <= values[1] <= MAX_ID
    ):
        raise BadCursor("cursor")
    return Task(rank=values[0], pk=values[1])


# --- output shaping (no queries: the selectors fetched everything) ----------------------------


def _tags(project: Project) -> list[str]:
    return sorted(project.tag_names)


def _project(request: HttpRequest, project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "title": project.title,
        "purpose": project.purpose,
        "purpose_html": str(render_markdown(project.purpose)),
        "status": project.status,
        "status_label": project.get_status_display(),
        "restricted": project.restricted,
        "restricted_reason": project.restricted_reason,
        "lead": person_out(project.lead),
        "organisations": [organisation_out(o) for o in project.organisations.all()],
        "tags": _tags(project),
        "member_count": project.member_count,
        "crosses_agencies": project.crosses_agencies,
        "has_frontline": project.has_frontline,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "url": absolute(request, project.get_absolute_url()),
        "created": project.created,
        "updated": project.updated,
    }


def _project_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    project, viewer = _face(request, pk)
    out = {
        **_project(request, project),
        "viewer": {
            "can_view": viewer.can_view,
            "can_write": viewer.can_write,
            "is_lead": viewer.is_lead,
            "is_member": viewer.is_member,
            "can_ask_to_join": viewer.can_ask_to_join,
        },
        "progress": None,
        "ideas": None,
        "problems": None,
        "closure": None,
    }
    if not viewer.can_view:  # a restricted project's non-member: the public face only
        return out
    done = selectors.progress(
        measures=selectors.measures(project=project),
        milestones=selectors.milestones(project=project),
    )
    closure = selectors.closure(project=project)
    out.update(
        progress={
            "percent": done.percent,
            "basis": done.basis,
            "parts": [{"name": p.name, "weight": p.weight, "share": p.share} for p in done.parts],
        },
        ideas=[_link(request, i) for i in project.ideas.all()],
        problems=[_link(request, p) for p in project.problems.all()],
        closure=None
        if closure is None
        else {
            "achieved": closure.achieved,
            "learned": closure.learned,
            "results": closure.results,
            "created": closure.created,
        },
    )
    return out


def _link(request: HttpRequest, obj: Idea | Problem) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "title": obj.public_title,
        "url": absolute(request, obj.get_absolute_url()),
    }


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "kind": "status" if decision.is_status_change else "decision",
        "headline": decision.headline,
        "title": decision.title,
        "options": decision.options,
        "reason": decision.reason,
        "from_status": decision.from_status,
        "to_status": decision.to_status,
        "decided_by": person_out(decision.decided_by),
        "created": decision.created,
    }


def _member(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    # The person's public name and organisation and their profile's address: never an e-mail
    # address or anything else from their account.
    return {
        "person": person_out(membership.user),
        "profile_url": absolute(
            request, reverse("profile_detail", kwargs={"pk": membership.user_id})
        ),
        "role": membership.role,
        "role_label": membership.get_role_display(),
        "expires": membership.expires,
        "joined": membership.joined,
        "current": membership.is_current(),
    }


def _invitation(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "project": invitation.project_id,
        "person": person_out(invitation.user),
        "kind": invitation.kind,
        "role": invitation.role,
        "state": invitation.state,
        "expires": invitation.expires,
        "message": invitation.message,
        "created": invitation.created,
    }


def _column(column: Column, task_count: int) -> dict[str, Any]:
    return {
        "id": column.pk,
        "name": column.name,
        "position": column.position,
        "done": column.done,
        "task_count": task_count,
    }


def _task(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "project": task.project_id,
        "column": task.column_id,
        "rank": task.rank,
        "version": task.version,
        "title": task.title,
        "description": task.description,
        "assignee": person_out(task.assignee) if task.assignee_id else None,
        "due": task.due,
        "labels": task.label_list,
        "checklist_total": task.checklist_total,
        "checklist_done": task.checklist_done,
        "created": task.created,
        "updated": task.updated,
    }


def _task_detail(project: Project, task_id: int) -> dict[str, Any]:
    task = selectors.task_for_viewer(project=project, task_id=task_id)
    return {
        **_task(task),
        "checklist": [{"id": i.pk, "text": i.text, "done": i.done} for i in task.checklist.all()],
    }


def _stale(project: Project, stale: services.StaleTask) -> Status[dict[str, Any]]:
    return Status(
        409,
        {"detail": " ".join(stale.messages), "task": _task_detail(project, stale.task.pk)},
    )


def _milestone(milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "title": milestone.title,
        "description": milestone.description,
        "due": milestone.due,
        "progress": milestone.progress,
        "weight": milestone.weight,
        "completed": milestone.completed,
        "overdue": milestone.is_overdue(),
    }


def _update(request: HttpRequest, update: Update) -> dict[str, Any]:
    return {
        "id": update.pk,
        "project": update.project_id,
        "title": update.title,
        "body": update.body,
        "body_html": str(render_markdown(update.body)),
        "author": person_out(update.author),
        "comment_count": update.comment_count,
        "created": update.created,
        "url": absolute(request, update.get_absolute_url()),
    }


def _risk(risk: Risk) -> dict[str, Any]:
    return {
        "id": risk.pk,
        "title": risk.title,
        "description": risk.description,
        "likelihood": risk.likelihood,
        "consequence": risk.consequence,
        "rating": risk.rating,
        "level": risk.level,
        "owner": person_out(risk.owner) if risk.owner_id else None,
        "mitigation": risk.mitigation,
        "status": risk.status,
        "review_by": risk.review_by,
        "needs_review": risk.needs_review(),
        "created": risk.created,
        "updated": risk.updated,
    }


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _measure(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.pk,
        "name": measure.name,
        "unit": measure.unit,
        "baseline": str(measure.baseline),
        "baseline_date": measure.baseline_date,
        "target": str(measure.target),
        "target_date": measure.target_date,
        "current": _decimal(measure.current),
        "current_date": measure.current_date,
        "source": measure.source,
        "weight": measure.weight,
        "progress": measure.progress,
        "readings": [
            {
                "id": r.pk,
                "value": str(r.value),
                "date": r.date,
                "note": r.note,
                "created": r.created,
            }
            for r in measure.readings.all()  # prefetched by selectors.measures
        ],
    }
