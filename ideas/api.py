"""JSON endpoints for problems, ideas, comments, supports and decisions (``/api/v1/``).

Thin, like the views: a schema parses and bounds the input, one selector reads (visibility
applied, fixed query count) or one service writes (permission first, validated, one
transaction), and the functions at the bottom shape the JSON. Errors are raised as Django's own
``ValidationError`` / ``PermissionDenied`` / ``Http404`` and turned into JSON in ``config/api.py``.
"""

from datetime import datetime
from typing import Annotated, Any, Literal, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints, field_validator
from pydantic.json_schema import SkipJsonSchema

from core import idempotency
from core.markdown import render_markdown
from core.schemas import (
    BODY_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ConfirmNotIdentifying,
    HiddenOut,
    Id,
    Input,
    OrganisationOut,
    PageIn,
    PersonOut,
    absolute,
    hidden_out,
    organisation_out,
    person_out,
    required,
)
from discussion import api as comments
from ideas import selectors, services
from ideas.models import Decision, Idea, Problem
from people import selectors as people_selectors
from people import services as people_services
from people.models import Organisation, Profile, User

router = Router()
# The POSTs that create something take an optional Idempotency-Key header: a retry with the same
# key and body gets the first response again and creates nothing (core/idempotency.py).
idempotent = idempotency.endpoint(people_services.idempotent)


Title = Annotated[str, required(200)]
Summary = Annotated[str, required(300)]
Affected = Annotated[str, required(500)]
Benefit = Annotated[str, required(1000)]
Reason = Annotated[str, required(2000)]
LongText = Annotated[str, required(20000)]
TagName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Tags = Annotated[list[TagName], Field(max_length=services.MAX_TAGS)]
Ids = Annotated[list[Id], Field(max_length=20)]


class IdeaOut(Schema):
    id: int
    title: str
    summary: str | None = Field(description="Null when the idea is hidden.")
    body: str | None = Field(description="Markdown; null when the idea is hidden.")
    body_html: str | None = Field(description="The body rendered and sanitised.")
    benefit: str | None = Field(description="Null when the idea is hidden.")
    stage: Idea.Stage
    stage_label: str
    tags: list[str]
    problem: int | None
    author: PersonOut
    support_count: int
    comment_count: int
    supported: bool = Field(description="Whether the person asking supports it.")
    created: datetime
    updated: datetime
    first_decision_at: datetime | None
    merged_into: int | None
    hidden: HiddenOut | None
    url: str


class IdeaDetailOut(IdeaOut):
    organisations: list[OrganisationOut]


class IdeaPage(Schema):
    items: list[IdeaOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: end.")


class ProblemOut(Schema):
    id: int
    title: str
    description: str | None = Field(description="Markdown; null when the problem is hidden.")
    description_html: str | None
    affected: str | None
    status: Problem.Status
    status_label: str
    status_reason: str
    tags: list[str]
    author: PersonOut
    comment_count: int
    follower_count: int
    created: datetime
    updated: datetime
    hidden: HiddenOut | None
    url: str


class ProblemDetailOut(ProblemOut):
    organisations: list[OrganisationOut]


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str | None


class DecisionOut(Schema):
    id: int
    from_stage: Idea.Stage
    from_stage_label: str
    to_stage: Idea.Stage
    to_stage_label: str
    reason: str
    decided_by: PersonOut
    merged_into: int | None
    created: datetime


class SupportOut(Schema):
    supported: bool
    support_count: int


# --- input schemas -----------------------------------------------------------------------


class ProblemFilters(PageIn):
    status: Problem.Status | None = None
    q: Annotated[str, StringConstraints(max_length=200)] = ""


class IdeaFilters(PageIn):
    sort: Literal["newest", "supported", "discussed", "waiting"] = "newest"
    stage: Idea.Stage | None = None
    tag: Annotated[str, StringConstraints(max_length=40)] = ""
    organisation: Annotated[str, StringConstraints(max_length=160)] = Field(
        "", description="An organisation's slug."
    )
    problem: Id | None = None
    level: Profile.Level | None = None
    q: Annotated[str, StringConstraints(max_length=200)] = ""


class ProblemIn(Input):
    title: Title
    description: LongText
    affected: Affected
    tags: Tags = []
    organisations: Ids = Field([], description="Organisation ids.")
    confirm_not_identifying: ConfirmNotIdentifying = False


class IdeaIn(Input):
    title: Title
    summary: Summary
    body: LongText
    benefit: Benefit
    tags: Tags = []
    problem: Id | None = Field(None, description="A problem's id.")
    organisations: Ids = Field([], description="Organisation ids.")
    confirm_not_identifying: ConfirmNotIdentifying = False


class IdeaPatch(Input):
    """Only the fields sent change. ``problem`` may be null (to unlink); the others may not (the
    schema says so: ``SkipJsonSchema[None]`` only lets "left out" be the default)."""

    title: Title | SkipJsonSchema[None] = None
    summary: Summary | SkipJsonSchema[None] = None
    body: LongText | SkipJsonSchema[None] = None
    benefit: Benefit | SkipJsonSchema[None] = None
    tags: Tags | SkipJsonSchema[None] = None
    problem: Id | None = Field(None, description="A problem's id, or null to unlink it.")
    organisations: Ids | SkipJsonSchema[None] = Field(None, description="Organisation ids.")
    confirm_not_identifying: ConfirmNotIdentifying = False

    @field_validator("title", "summary", "body", "benefit", "tags", "organisations", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null: leave the field out to keep it as it is")
        return value


class DecisionIn(Input):
    to_stage: Idea.Stage
    reason: Reason


# --- problems ----------------------------------------------------------------------------


@router.get("/problems", response={200: ProblemPage, **READ_ERRORS}, tags=["problems"])
def problem_list(request: HttpRequest, filters: Query[ProblemFilters]) -> dict[str, Any]:
    """Problems that are not hidden, newest first."""
    page = selectors.problems_page(
        status=filters.status or "", q=filters.q, cursor=filters.cursor, size=filters.size
    )
    return {"items": [_problem(request, p) for p in page.items], "next_cursor": page.next_cursor}


@router.post("/problems", response={201: ProblemDetailOut, **BODY_ERRORS}, tags=["problems"])
@idempotent
def problem_create(request: HttpRequest, payload: ProblemIn) -> Status[dict[str, Any]]:
    problem = services.problem_create(
        author=_user(request),
        title=payload.title,
        description=payload.description,
        affected=payload.affected,
        tags=payload.tags,
        organisations=_organisations(payload.organisations),
        confirm_not_identifying=payload.confirm_not_identifying,
    )
    return Status(201, _problem_detail(request, selectors.problem_for_page(pk=problem.pk)))


@router.get(
    "/problems/{problem_id}", response={200: ProblemDetailOut, **READ_ERRORS}, tags=["problems"]
)
def problem_detail(request: HttpRequest, problem_id: Id) -> dict[str, Any]:
    return _problem_detail(request, selectors.problem_for_page(pk=problem_id))


comments.endpoints_for(router, "problem", "/problems")


# --- ideas -------------------------------------------------------------------------------


@router.get("/ideas", response={200: IdeaPage, **READ_ERRORS}, tags=["ideas"])
def idea_list(request: HttpRequest, filters: Query[IdeaFilters]) -> dict[str, Any]:
    """Ideas that are not hidden. Costs the same few queries whatever the page size."""
    page = selectors.ideas_page(
        viewer=_user(request),
        sort=filters.sort,
        stage=filters.stage or "",
        tag=filters.tag,
        organisation=filters.organisation,
        problem=filters.problem,
        level=filters.level or "",
        q=filters.q,
        cursor=filters.cursor,
        size=filters.size,
    )
    supported: set[int] = page.extra["supported_ids"]
    return {
        "items": [_idea(request, i, supported=i.pk in supported) for i in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post("/ideas", response={201: IdeaDetailOut, **BODY_ERRORS}, tags=["ideas"])
@idempotent
def idea_create(request: HttpRequest, payload: IdeaIn) -> Status[dict[str, Any]]:
    idea = services.idea_create(
        author=_user(request),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        benefit=payload.benefit,
        tags=payload.tags,
        problem=_problem_ref(payload.problem),
        organisations=_organisations(payload.organisations),
        confirm_not_identifying=payload.confirm_not_identifying,
    )
    return Status(201, _idea_detail(request, selectors.idea_for_page(pk=idea.pk)))


@router.get("/ideas/{idea_id}", response={200: IdeaDetailOut, **READ_ERRORS}, tags=["ideas"])
def idea_detail(request: HttpRequest, idea_id: Id) -> dict[str, Any]:
    return _idea_detail(request, selectors.idea_for_page(pk=idea_id))


@router.patch("/ideas/{idea_id}", response={200: IdeaDetailOut, **BODY_ERRORS}, tags=["ideas"])
def idea_update(request: HttpRequest, idea_id: Id, payload: IdeaPatch) -> dict[str, Any]:
    """Edit an idea (its authors only). Fields left out keep their value."""
    idea = selectors.idea_for_page(pk=idea_id)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {
        f: sent[f] for f in ("title", "summary", "body", "benefit") if f in sent
    }
    if "problem" in sent:
        changes["problem"] = _problem_ref(sent["problem"])
    services.idea_update(
        actor=_user(request),
        idea=idea,
        tags=sent.get("tags"),
        organisations=_organisations(sent["organisations"]) if "organisations" in sent else None,
        confirm_not_identifying=payload.confirm_not_identifying,
        **changes,
    )
    return _idea_detail(request, selectors.idea_for_page(pk=idea.pk))


@router.put("/ideas/{idea_id}/support", response={200: SupportOut, **WRITE_ERRORS}, tags=["ideas"])
def idea_support(request: HttpRequest, idea_id: Id) -> dict[str, Any]:
    """Support an idea. Idempotent: supporting again changes nothing."""
    idea = services.idea_support(user=_user(request), idea=selectors.idea_for_page(pk=idea_id))
    return {"supported": True, "support_count": idea.support_count}


@router.delete(
    "/ideas/{idea_id}/support", response={200: SupportOut, **WRITE_ERRORS}, tags=["ideas"]
)
def idea_unsupport(request: HttpRequest, idea_id: Id) -> dict[str, Any]:
    """Withdraw support. Idempotent."""
    idea = services.idea_unsupport(user=_user(request), idea=selectors.idea_for_page(pk=idea_id))
    return {"supported": False, "support_count": idea.support_count}


comments.endpoints_for(router, "idea", "/ideas")


@router.get(
    "/ideas/{idea_id}/decisions",
    response={200: list[DecisionOut], **READ_ERRORS},
    tags=["decisions"],
)
def idea_decisions(request: HttpRequest, idea_id: Id) -> list[dict[str, Any]]:
    """Every stage change on the idea, oldest first, with who decided and why."""
    return [_decision(d) for d in selectors.idea_for_page(pk=idea_id).decisions.all()]


@router.post(
    "/ideas/{idea_id}/decisions",
    response={201: DecisionOut, **BODY_ERRORS},
    tags=["decisions"],
)
@idempotent
def idea_decide(request: HttpRequest, idea_id: Id, payload: DecisionIn) -> Status[dict[str, Any]]:
    """Move the idea to another stage, with a public reason (stewards and problem owners)."""
    decision = services.idea_decide(
        actor=_user(request),
        idea=selectors.idea_for_page(pk=idea_id),
        to_stage=payload.to_stage,
        reason=payload.reason,
    )
    return Status(201, _decision(decision))


# --- input helpers -----------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    """The person the auth classes in config/api.py found (session or token)."""
    return cast(User, request.auth)


def _problem_ref(pk: int | None) -> Problem | None:
    if pk is None:
        return None
    try:
        return selectors.problem_for_page(pk=pk)
    except Http404:
        raise ValidationError({"problem": f"There is no problem with id {pk}."}) from None


def _organisations(ids: list[int]) -> list[Organisation]:
    found = people_selectors.organisations_by_ids(ids)
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        raise ValidationError(
            {"organisations": "No organisation with id " + ", ".join(map(str, missing)) + "."}
        )
    return found


# --- output shaping (no queries: everything comes from the selectors) ---------------------


_absolute, _person, _organisation, _hidden = absolute, person_out, organisation_out, hidden_out


def _tags(tag_text: str) -> list[str]:
    return [t.strip() for t in tag_text.split(",") if t.strip()]


def _idea(request: HttpRequest, idea: Idea, *, supported: bool) -> dict[str, Any]:
    hidden = _hidden(idea)
    return {
        "id": idea.pk,
        "title": idea.public_title,
        "summary": None if hidden else idea.summary,
        "body": None if hidden else idea.body,
        "body_html": None if hidden else str(render_markdown(idea.body)),
        "benefit": None if hidden else idea.benefit,
        "stage": idea.stage,
        "stage_label": idea.get_stage_display(),
        "tags": _tags(idea.tag_text),  # kept by the services: no query per idea
        "problem": idea.problem_id,
        "author": _person(idea.author),
        "support_count": idea.support_count,
        "comment_count": idea.comment_count,
        "supported": supported,
        "created": idea.created,
        "updated": idea.updated,
        "first_decision_at": idea.first_decision_at,
        "merged_into": idea.merged_into_id,
        "hidden": hidden,
        "url": _absolute(request, idea.get_absolute_url()),
    }


def _idea_detail(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    supported = idea.pk in selectors.supported_ids(viewer=_user(request), ideas=[idea])
    return {
        **_idea(request, idea, supported=supported),
        "organisations": [_organisation(o) for o in idea.organisations.all()],
    }


def _problem(request: HttpRequest, problem: Problem) -> dict[str, Any]:
    hidden = _hidden(problem)
    return {
        "id": problem.pk,
        "title": problem.public_title,
        "description": None if hidden else problem.description,
        "description_html": None if hidden else str(render_markdown(problem.description)),
        "affected": None if hidden else problem.affected,
        "status": problem.status,
        "status_label": problem.get_status_display(),
        "status_reason": problem.status_reason,
        "tags": sorted(t.name for t in problem.tags.all()),  # prefetched by the selector
        "author": _person(problem.author),
        "comment_count": problem.comment_count,
        "follower_count": problem.follower_count,
        "created": problem.created,
        "updated": problem.updated,
        "hidden": hidden,
        "url": _absolute(request, problem.get_absolute_url()),
    }


def _problem_detail(request: HttpRequest, problem: Problem) -> dict[str, Any]:
    return {
        **_problem(request, problem),
        "organisations": [_organisation(o) for o in problem.organisations.all()],
    }


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "from_stage": decision.from_stage,
        "from_stage_label": decision.get_from_stage_display(),
        "to_stage": decision.to_stage,
        "to_stage_label": decision.get_to_stage_display(),
        "reason": decision.reason,
        "decided_by": _person(decision.decided_by),
        "merged_into": decision.merged_into_id,
        "created": decision.created,
    }
