"""Every write about projects: keyword-only, atomic, permission first, validated, and each
records one Activity (published after commit) through ``discussion.services.record``.

Comments, follows and reports on projects and their updates are ``discussion``'s: both are
registered with it in ``ProjectsConfig.ready()``.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.utils import timezone
from fractional_indexing import generate_key_between

from core import identifying, ratelimit
from core.state import StateChanged, change_state
from discussion import notifying
from discussion import services as discussion
from ideas import services as ideas_services
from ideas.models import Idea, Problem
from people.models import Organisation, Profile, User
from projects import permissions, selectors, signals
from projects.apps import project_scope, scope_of
from projects.models import (
    ChecklistItem,
    Closure,
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
from projects.notifying import ASSIGNED, DUE_SOON, JOIN_REQUEST, YOUR_PROJECT, team_of
from realtime import notifications, publish
from realtime.registry import PUBLIC, user_scope

# Django ships no types, and mypy reads a TextChoices member as the (value, label) tuple it is
# written as, not the str Django makes of it: where one is passed as a str, the ignore says so.
ROLE = Membership.Role
DEFAULT_COLUMNS = (("To do", False), ("Doing", False), ("Done", True))
MAX_COLUMNS = 12
MAX_CHECKLIST = 50
DUE_SOON_DAYS = 2


class StaleTask(ValidationError):
    """A change made from an older version of a task. ``task`` is the task as it is now."""

    def __init__(self, task: Task) -> None:
        super().__init__(
            {
                "version": "Someone changed this card a moment ago: it is shown where it is now. "
                "Move it again if you still want to."
            }
        )
        self.task = task


# --- helpers ---------------------------------------------------------------------------------


def membership_of(user: Any, project: Project) -> Membership | None:
    return selectors.membership_of(user=user, project=project)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _viewer(user: Any, project: Project) -> Membership | None:
    membership = membership_of(user, project)
    _require(permissions.can_view(user, project, membership), permissions.RESTRICTED)
    return membership


def _writer(user: Any, project: Project) -> Membership:
    membership = _viewer(user, project)
    if membership is not None and membership.is_current() and membership.role == ROLE.OBSERVER:
        raise PermissionDenied(permissions.OBSERVER)
    _require(permissions.can_write(user, project, membership), permissions.NOT_A_MEMBER)
    assert membership is not None
    return membership


def _lead(user: Any, project: Project) -> Membership:
    membership = membership_of(user, project)
    _require(permissions.is_lead(user, project, membership), permissions.LEADS_ONLY)
    assert membership is not None
    return membership


def _text(value: str, field: str, label: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"Write {label}."})
    if len(value) > limit:
        raise ValidationError({field: f"Keep {label} under {limit:,} characters."})
    return value


def _record(
    actor: User,
    verb: str,
    project: Project,
    payload: dict[str, Any] | None = None,
    notify: dict[int, str] | None = None,
    team: bool = True,
    target: Any = None,
    quiet: bool = False,
) -> Any:
    """Record an activity about the project (or one of its updates): its followers and, with
    ``team``, its members are told by the worker."""
    audiences: list[Any] = [notifying.FOLLOWERS]
    if target is not None and target is not project:
        audiences = [notifying.followers_of(project)]
    if team:
        audiences.append(team_of(project))
    return discussion.record(
        actor=actor,
        verb=verb,
        target=target or project,
        payload=payload,
        notify=notify,
        audiences=audiences,
        quiet=quiet,
    )


def _refresh_team(project: Project) -> None:
    """Recount who the project's current members are and where they come from."""
    today = timezone.localdate()
    rows = list(
        project.memberships.exclude(expires__lt=today).values_list("organisation_id", "level")
    )
    organisations = {org for org, _ in rows if org is not None}
    project.member_count = len(rows)
    project.organisation_count = len(organisations)
    project.crosses_agencies = len(organisations) > 1
    project.has_frontline = any(level == Profile.Level.FRONTLINE for _, level in rows)
    Project.objects.filter(pk=project.pk).update(
        member_count=project.member_count,
        organisation_count=project.organisation_count,
        crosses_agencies=project.crosses_agencies,
        has_frontline=project.has_frontline,
    )
    if organisations:
        project.organisations.add(*organisations)


def _add_member(project: Project, user: User, role: str, expires: date | None = None) -> Membership:
    profile = Profile.objects.filter(user=user).only("organisation_id", "level").first()
    membership, created = Membership.objects.get_or_create(
        project=project,
        user=user,
        defaults={
            "role": role,
            "expires": expires,
            "organisation_id": profile.organisation_id if profile else None,
            "level": profile.level if profile else "",
        },
    )
    if not created:  # an expired guest coming back
        membership.role, membership.expires = role, expires
        membership.save(update_fields=["role", "expires"])
    _refresh_team(project)
    discussion.auto_follow(user, project)
    publish.grant_scope_on_commit(user.pk, project_scope(project.pk))
    return membership


def _dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": "The end date is before the start date."})


# --- projects --------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: User,
    title: str,
    purpose: str,
    lead: User | None = None,
    organisations: Iterable[Organisation] = (),
    problems: Iterable[Problem] = (),
    ideas: Iterable[Idea] = (),
    start_date: date | None = None,
    end_date: date | None = None,
    tags: Sequence[str] = (),
    restricted: bool = False,
    restricted_reason: str = "",
    submission_key: str = "",
    confirm_not_identifying: bool = False,
) -> Project:
    """Start a project, from ideas or from scratch. Each idea moves to "In a project" through
    a public decision that links here (its followers are told, and asked to join)."""
    _require(bool(actor.is_authenticated and actor.is_active), "Sign in to start a project.")
    if submission_key:
        existing = Project.objects.filter(created_by=actor, submission_key=submission_key).first()
        if existing is not None:
            return existing
    title = _text(title, "title", "a title", limit=200)
    purpose = _text(purpose, "purpose", "what the project is for", limit=5000)
    restricted_reason = _text(
        restricted_reason,
        "restricted_reason",
        "why the project is restricted",
        limit=500,
        required=restricted,
    )
    _dates(start_date, end_date)
    identifying.check({"title": title, "purpose": purpose}, confirmed=confirm_not_identifying)
    ideas = list(ideas)
    for idea in ideas:
        if idea.stage == Idea.Stage.MERGED or idea.is_hidden:
            raise ValidationError({"ideas": f"“{idea.public_title}” cannot start a project."})
    tag_names = ideas_services.clean_tags(actor=actor, names=tags)
    ratelimit.check(user=actor, action="post")
    lead = lead or actor
    project = Project(
        title=title,
        purpose=purpose,
        lead=lead,
        start_date=start_date,
        end_date=end_date,
        restricted=restricted,
        restricted_reason=restricted_reason if restricted else "",
        created_by=actor,
        tag_text=", ".join(tag_names),
        submission_key=submission_key,
        first_idea_at=min((i.created for i in ideas), default=None),
    )
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        existing = Project.objects.filter(created_by=actor, submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    if tag_names:
        project.tags.set(tag_names)
    project.organisations.set(list(organisations))
    project.problems.set(list(problems))
    project.ideas.set(ideas)
    Column.objects.bulk_create(
        Column(project=project, name=name, position=n, done=done)
        for n, (name, done) in enumerate(DEFAULT_COLUMNS)
    )
    _add_member(project, lead, ROLE.LEAD)  # type: ignore[arg-type]
    if actor.pk != lead.pk:
        _add_member(project, actor, ROLE.MEMBER)  # type: ignore[arg-type]
    _record(actor, "project.started", project, {"ideas": [i.pk for i in ideas]}, team=False)
    for idea in ideas:
        ideas_services.idea_enter_project(
            actor=actor,
            idea=idea,
            project_title=project.title,
            project_url=project.get_absolute_url(),
            reason=f"Taken up by the project “{project.title}”. Followers of this idea are "
            "welcome to ask to join it.",
        )
    return project


@transaction.atomic
def project_edit(
    *,
    actor: User,
    project: Project,
    title: str,
    purpose: str,
    organisations: Iterable[Organisation] = (),
    problems: Iterable[Problem] = (),
    start_date: date | None = None,
    end_date: date | None = None,
    tags: Sequence[str] = (),
    lead: User | None = None,
) -> Project:
    _lead(actor, project)
    project.title = _text(title, "title", "a title", limit=200)
    project.purpose = _text(purpose, "purpose", "what the project is for", limit=5000)
    _dates(start_date, end_date)
    tag_names = ideas_services.clean_tags(actor=actor, names=tags)
    ratelimit.check(user=actor, action="edit")
    project.start_date, project.end_date = start_date, end_date
    project.tag_text = ", ".join(tag_names)
    if lead is not None and lead.pk != project.lead_id:
        membership = membership_of(lead, project)
        if membership is None or not membership.is_current():
            raise ValidationError({"lead": "The lead must be a member of the project."})
        if membership.role != ROLE.LEAD:
            membership.role = ROLE.LEAD
            membership.save(update_fields=["role"])
        project.lead = lead
    project.save(
        update_fields=["title", "purpose", "start_date", "end_date", "tag_text", "lead", "updated"]
    )
    project.tags.set(tag_names)
    project.organisations.set(list(organisations))
    project.problems.set(list(problems))
    discussion.retitle(project)
    _record(actor, "project.edited", project, team=False, quiet=True)
    return project


def _measure_results(project: Project, results: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """What a closing lead wrote against each measure, with the measure as it stood."""
    rows = []
    for measure in project.measures.all():
        given = results.get(measure.pk, {})
        note = _text(
            str(given.get("note") or ""),
            f"result_{measure.pk}",
            f"what was achieved against “{measure.name}”",
            limit=2000,
        )
        final = given.get("final")
        final = (
            measure.current
            if final in (None, "")
            else _number(final, f"final_{measure.pk}", "final value")
        )
        rows.append(
            {
                "measure": measure.pk,
                "name": measure.name,
                "unit": measure.unit,
                "baseline": str(measure.baseline),
                "target": str(measure.target),
                "final": None if final is None else str(final),
                "note": note,
            }
        )
    return rows


def _closure_parts(
    project: Project, achieved: str, learned: str, results: dict[int, dict[str, Any]]
) -> tuple[str, str, list[dict[str, Any]]]:
    errors: dict[str, Any] = {}
    parts: list[Any] = []
    checks: list[Callable[[], Any]] = [
        lambda: _text(achieved, "achieved", "what the project achieved", limit=10000),
        lambda: _text(learned, "learned", "what was learned", limit=10000),
        lambda: _measure_results(project, results),
    ]
    for check in checks:
        try:
            parts.append(check())
        except ValidationError as exc:
            errors.update(exc.message_dict)
            parts.append(None)
    if errors:
        raise ValidationError(errors)
    return parts[0], parts[1], parts[2]


@transaction.atomic
def project_set_status(
    *,
    actor: User,
    project: Project,
    status: str,
    reason: str,
    achieved: str = "",
    learned: str = "",
    results: dict[int, dict[str, Any]] | None = None,
) -> Decision:
    """Change a project's status: a public decision with its reason. Completing or stopping it
    asks for what was achieved against each measure and what was learned (the closure report,
    public)."""
    _lead(actor, project)
    reason = _text(reason, "reason", "the reason for this decision", limit=2000)
    if status not in Project.Status.values:
        raise ValidationError({"status": "Choose a status."})
    project.refresh_from_db(fields=["status"])
    before = project.status
    if status == before:
        raise ValidationError(
            {"status": f"The project is already “{project.get_status_display()}”."}
        )
    closure = None
    if status in Project.ENDS:  # the closure report: every missing part is named at once
        achieved, learned, closure = _closure_parts(project, achieved, learned, results or {})
    ratelimit.check(user=actor, action="decide")
    now = timezone.now()
    try:
        change_state(
            project, field="status", expected=before, new=status, also={"status_changed": now}
        )
    except StateChanged:
        raise ValidationError(
            {"status": "Someone changed the status a moment ago: look at it again."}
        ) from None
    decision = Decision.objects.create(
        project=project,
        decided_by=actor,
        from_status=before,
        to_status=status,
        reason=reason,
        created=now,
    )
    if closure is not None:
        Closure.objects.update_or_create(
            project=project,
            defaults={
                "results": closure,
                "achieved": achieved,
                "learned": learned,
                "written_by": actor,
                "created": now,
            },
        )
    _record(
        actor,
        "project.status_changed",
        project,
        {
            "from": before,
            "to": status,
            "to_label": project.get_status_display(),
            "decision_id": decision.pk,
            "reason": reason,
        },
    )
    if status == Project.Status.COMPLETED:
        signals.outcome_changed.send(
            sender=Project, project=project, change=signals.COMPLETED, measure=None
        )
    return decision


@transaction.atomic
def project_restrict(
    *, actor: User, project: Project, restricted: bool, reason: str = ""
) -> Project:
    """Restrict an open project (the reason is public) or open a restricted one. Everything
    about it — comments, follows, activities — takes the new scope in this transaction; people
    who are not members stop receiving its live events at once, and open pages are told."""
    _lead(actor, project)
    reason = _text(
        reason, "restricted_reason", "why the project is restricted", limit=500, required=restricted
    )
    if restricted == project.restricted and (not restricted or reason == project.restricted_reason):
        return project
    project.restricted = restricted
    project.restricted_reason = reason if restricted else ""
    project.save(update_fields=["restricted", "restricted_reason", "updated"])
    rescope(project)
    # Public either way: that it happened and why is part of the project's public face (and
    # pages open on it hear it live, and reload into what they may see now).
    activity = publish.record(
        actor=actor,
        verb="project.restricted" if restricted else "project.opened",
        target=project,
        payload={"reason": reason} if restricted else {},
        scope=PUBLIC,
    )
    notifications.notify(
        activity=activity, recipients={}, audiences=[notifying.FOLLOWERS, team_of(project)]
    )
    if restricted:
        notifications.withdraw(scope=scope_of(project))
    return project


def rescope(project: Project) -> None:
    """Give every row about ``project`` (and its updates) the project's scope now."""
    scope = scope_of(project)
    discussion.rescope(target=project)
    publish.rescope(target_type="projects.project", target_ids=[project.pk], scope=scope)
    update_ids = list(project.updates.values_list("pk", flat=True))
    for update in project.updates.all():
        discussion.rescope(target=update)
    publish.rescope(target_type="projects.update", target_ids=update_ids, scope=scope)


# --- the team --------------------------------------------------------------------------------


def _invitee(project: Project, user: User) -> None:
    membership = membership_of(user, project)
    if membership is not None and membership.is_current():
        raise ValidationError({"user": "They are already a member of this project."})
    if not user.is_active:
        raise ValidationError({"user": "That account is no longer active."})


@transaction.atomic
def invite(
    *,
    actor: User,
    project: Project,
    user: User,
    role: str = ROLE.MEMBER,  # type: ignore[assignment]
    expires: date | None = None,
    message: str = "",
) -> Invitation:
    _lead(actor, project)
    if role not in ROLE.values:
        raise ValidationError({"role": "Choose lead, member or observer."})
    _invitee(project, user)
    if expires is not None and expires < timezone.localdate():
        raise ValidationError({"expires": "The end of the membership is in the past."})
    message = _text(message, "message", "a message", limit=1000, required=False)
    ratelimit.check(user=actor, action="post")
    pending = Invitation.objects.filter(project=project, user=user, state="pending").first()
    if pending is not None:
        if pending.kind == Invitation.Kind.REQUEST:  # they asked already: this says yes
            return _accept(pending, actor, role=role, expires=expires)
        raise ValidationError({"user": "They have been invited already."})
    invitation = Invitation.objects.create(
        project=project,
        user=user,
        kind=Invitation.Kind.INVITE,
        role=role,
        expires=expires,
        message=message,
        created_by=actor,
    )
    discussion.record(
        actor=actor,
        verb="project.invited",
        target=project,
        payload={"invitation_id": invitation.pk, "role": role},
        notify={user.pk: YOUR_PROJECT},
        audiences=(),
    )
    return invitation


@transaction.atomic
def request_to_join(*, user: User, project: Project, message: str = "") -> Invitation:
    membership = membership_of(user, project)
    _require(
        permissions.can_ask_to_join(user, project, membership),
        "You are a member already, or the project has closed.",
    )
    message = _text(message, "message", "a message", limit=1000, required=False)
    pending = Invitation.objects.filter(project=project, user=user, state="pending").first()
    if pending is not None:
        if pending.kind == Invitation.Kind.INVITE:  # they were invited: asking is accepting
            return _accept(pending, user)
        return pending
    ratelimit.check(user=user, action="post")
    invitation = Invitation.objects.create(
        project=project, user=user, kind=Invitation.Kind.REQUEST, message=message, created_by=user
    )
    leads = project.memberships.filter(role=ROLE.LEAD).exclude(expires__lt=timezone.localdate())
    discussion.record(
        actor=user,
        verb="project.join_requested",
        target=project,
        payload={"invitation_id": invitation.pk},
        notify=dict.fromkeys(leads.values_list("user_id", flat=True), JOIN_REQUEST),
        audiences=(),
    )
    return invitation


def _accept(
    invitation: Invitation, actor: User, *, role: str | None = None, expires: date | None = None
) -> Invitation:
    updated = Invitation.objects.filter(pk=invitation.pk, state="pending").update(
        state=Invitation.State.ACCEPTED, decided_by=actor, decided=timezone.now()
    )
    if not updated:
        raise ValidationError({"invitation": "This was answered a moment ago."})
    invitation.state = Invitation.State.ACCEPTED
    project = invitation.project
    membership = _add_member(
        project, invitation.user, role or invitation.role, expires or invitation.expires
    )
    _record(
        invitation.user,
        "project.joined",
        project,
        {"role": membership.role},
        notify={invitation.created_by_id: YOUR_PROJECT}
        if actor.pk == invitation.user_id
        else {invitation.user_id: YOUR_PROJECT},
    )
    return invitation


@transaction.atomic
def invitation_answer(*, actor: User, invitation: Invitation, accept: bool) -> Invitation:
    """The invited person accepts or declines; a lead approves or declines a request."""
    project = invitation.project
    if invitation.kind == Invitation.Kind.INVITE:
        _require(actor.pk == invitation.user_id, "Only the person invited can answer.")
    else:
        _lead(actor, project)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError({"invitation": "This was answered already."})
    if accept:
        return _accept(invitation, actor)
    Invitation.objects.filter(pk=invitation.pk, state="pending").update(
        state=Invitation.State.DECLINED, decided_by=actor, decided=timezone.now()
    )
    invitation.state = Invitation.State.DECLINED
    return invitation


def _leads_left(project: Project, without: Membership) -> bool:
    return (
        project.memberships.filter(role=ROLE.LEAD)
        .exclude(pk=without.pk)
        .exclude(expires__lt=timezone.localdate())
        .exists()
    )


@transaction.atomic
def member_set(
    *, actor: User, membership: Membership, role: str, expires: date | None = None
) -> Membership:
    """A lead changes someone's role or the end of their membership."""
    project = membership.project
    _lead(actor, project)
    if role not in ROLE.values:
        raise ValidationError({"role": "Choose lead, member or observer."})
    if membership.role == ROLE.LEAD and role != ROLE.LEAD and not _leads_left(project, membership):
        raise ValidationError({"role": "A project needs a lead: make someone else lead first."})
    if expires is not None and expires < timezone.localdate() and membership.role == ROLE.LEAD:
        raise ValidationError({"expires": "A lead's membership cannot end in the past."})
    membership.role, membership.expires = role, expires
    membership.save(update_fields=["role", "expires"])
    _refresh_team(project)
    if not membership.is_current():
        _lost_access(project, membership.user_id)
    else:
        publish.grant_scope_on_commit(membership.user_id, project_scope(project.pk))
    _record(
        actor,
        "project.role_changed",
        project,
        {"role": role, "member_id": membership.user_id},
        notify={membership.user_id: YOUR_PROJECT},
        team=False,
    )
    return membership


def _lost_access(project: Project, user_id: int) -> None:
    publish.revoke_scope_on_commit(user_id, project_scope(project.pk))
    notifications.withdraw(scope=project_scope(project.pk), user_ids=[user_id])
    # They stop being assigned: cards do not name people who can no longer see them.
    Task.objects.filter(project=project, assignee_id=user_id).update(
        assignee=None, version=F("version") + 1
    )


@transaction.atomic
def member_remove(*, actor: User, membership: Membership) -> None:
    """A lead removes someone, or someone leaves. Their live view of a restricted project ends
    at once (their sockets leave its scope after commit)."""
    project = membership.project
    if actor.pk != membership.user_id:
        _lead(actor, project)
    if membership.role == ROLE.LEAD and not _leads_left(project, membership):
        raise ValidationError({"member": "A project needs a lead: make someone else lead first."})
    user_id = membership.user_id
    membership.delete()
    _refresh_team(project)
    _lost_access(project, user_id)
    if project.restricted:
        discussion.unfollow(user=membership.user, target=project)
    if project.lead_id == user_id:
        other = project.memberships.filter(role=ROLE.LEAD).order_by("joined").first()
        if other is not None:
            Project.objects.filter(pk=project.pk).update(lead=other.user_id)
    verb = "project.left" if actor.pk == user_id else "project.member_removed"
    _record(actor, verb, project, {"member_id": user_id}, team=False, quiet=True)


# --- the board -------------------------------------------------------------------------------


def _column(project: Project, column_id: int) -> Column:
    column = Column.objects.filter(project=project, pk=column_id).first()
    if column is None:
        raise ValidationError({"column": "That column is not on this project's board."})
    return column


@transaction.atomic
def column_add(*, actor: User, project: Project, name: str) -> Column:
    _lead(actor, project)
    name = _text(name, "name", "the column's name", limit=60)
    count = project.columns.count()
    if count >= MAX_COLUMNS:
        raise ValidationError({"name": f"A board has at most {MAX_COLUMNS} columns."})
    column = Column.objects.create(project=project, name=name, position=count)
    _record(actor, "board.changed", project, {"column_id": column.pk}, team=False, quiet=True)
    return column


@transaction.atomic
def column_edit(*, actor: User, column: Column, name: str, done: bool | None = None) -> Column:
    _lead(actor, column.project)
    column.name = _text(name, "name", "the column's name", limit=60)
    if done is not None:
        column.done = done
    column.save(update_fields=["name", "done"])
    _record(
        actor, "board.changed", column.project, {"column_id": column.pk}, team=False, quiet=True
    )
    return column


@transaction.atomic
def column_move(*, actor: User, column: Column, position: int) -> Column:
    """Put a column at ``position`` (0 is first); the others keep their order."""
    project = column.project
    _lead(actor, project)
    columns = list(project.columns.select_for_update().order_by("position", "id"))
    if not 0 <= position < len(columns):
        raise ValidationError({"position": f"Choose a position from 1 to {len(columns)}."})
    columns = [c for c in columns if c.pk != column.pk]
    columns.insert(position, column)
    for n, c in enumerate(columns):
        c.position = n
    Column.objects.bulk_update(columns, ["position"])
    _record(actor, "board.changed", project, {"column_id": column.pk}, team=False, quiet=True)
    return column


@transaction.atomic
def column_delete(*, actor: User, column: Column) -> None:
    project = column.project
    _lead(actor, project)
    if column.tasks.exists():
        raise ValidationError({"column": "Move the cards out of this column before removing it."})
    if project.columns.count() <= 1:
        raise ValidationError({"column": "A board needs at least one column."})
    column.delete()
    _record(actor, "board.changed", project, {}, team=False, quiet=True)


def _assignee(project: Project, user: User | None) -> User | None:
    if user is None:
        return None
    membership = membership_of(user, project)
    if not (
        user.is_active
        and membership
        and membership.is_current()
        and membership.role != ROLE.OBSERVER
    ):
        raise ValidationError(
            {"assignee": "Cards can be given only to members of the project (not observers)."}
        )
    return user


def _labels(labels: str) -> str:
    names = [x.strip() for x in (labels or "").split(",") if x.strip()]
    joined = ", ".join(dict.fromkeys(names))
    if len(joined) > 200 or any(len(x) > 30 for x in names):
        raise ValidationError({"labels": "Keep labels short: at most 30 characters each."})
    return joined


def _last_rank(column: Column) -> str | None:
    return Task.objects.filter(column=column).aggregate(r=Max("rank"))["r"]


@transaction.atomic
def task_create(
    *,
    actor: User,
    project: Project,
    title: str,
    column: Column | None = None,
    description: str = "",
    assignee: User | None = None,
    due: date | None = None,
    labels: str = "",
    checklist: Sequence[str] = (),
    submission_key: str = "",
) -> Task:
    """Add a card at the bottom of ``column`` (the board's first column by default)."""
    _writer(actor, project)
    if submission_key:
        existing = Task.objects.filter(created_by=actor, submission_key=submission_key).first()
        if existing is not None:
            return existing
    column = column or project.columns.order_by("position", "id").first()
    if column is None or column.project_id != project.pk:
        raise ValidationError({"column": "That column is not on this project's board."})
    title = _text(title, "title", "what the task is", limit=200)
    description = _text(description, "description", "the description", limit=10000, required=False)
    assignee = _assignee(project, assignee)
    items = [
        _text(t, "checklist", "each checklist item", limit=300) for t in checklist if t.strip()
    ]
    if len(items) > MAX_CHECKLIST:
        raise ValidationError({"checklist": f"A checklist has at most {MAX_CHECKLIST} items."})
    ratelimit.check(user=actor, action="board")
    task = Task.objects.create(
        project=project,
        column=column,
        rank=generate_key_between(_last_rank(column), None),
        title=title,
        description=description,
        assignee=assignee,
        due=due,
        labels=_labels(labels),
        created_by=actor,
        submission_key=submission_key,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(task=task, text=t, position=n) for n, t in enumerate(items)
    )
    notify = {assignee.pk: ASSIGNED} if assignee else {}
    notify.update(discussion.mentions(description))
    _record(
        actor,
        "task.created",
        project,
        _task_payload(task),
        notify=notify,
        team=False,
        quiet=not notify,
    )
    return task


def _task_payload(task: Task) -> dict[str, Any]:
    # Ids and positions only: a card's text is fetched as each viewer may see it.
    return {
        "task_id": task.pk,
        "column_id": task.column_id,
        "rank": task.rank,
        "version": task.version,
    }


def _bump(task: Task, version: int, values: dict[str, Any]) -> None:
    """Write ``values`` only if the task still has ``version``; else refuse with where it is."""
    updated = Task.objects.filter(pk=task.pk, version=version).update(
        version=F("version") + 1, updated=timezone.now(), **values
    )
    if not updated:
        current = Task.objects.filter(pk=task.pk).first()
        if current is None:
            raise ValidationError({"task": "This card was removed a moment ago."})
        raise StaleTask(current)
    for name, value in values.items():
        setattr(task, name, value)
    task.version = version + 1


@transaction.atomic
def task_move(
    *,
    actor: User,
    task: Task,
    version: int,
    column: Column,
    after: Task | None = None,
    before: Task | None = None,
) -> Task:
    """Move a card to ``column``, between ``after`` and ``before`` (either may be None: the top
    or the bottom). One conditional UPDATE: a move from a stale version is refused, and the
    rest of the column is never renumbered."""
    project = task.project
    _writer(actor, project)
    if column.project_id != project.pk:
        raise ValidationError({"column": "That column is not on this project's board."})
    for neighbour in (after, before):
        if neighbour is not None and (neighbour.column_id != column.pk or neighbour.pk == task.pk):
            raise ValidationError(
                {"position": "The board changed meanwhile: the cards around that place moved."}
            )
    low = after.rank if after else None
    high = before.rank if before else None
    if after is None and before is None:
        low = _last_rank(column) if column.pk != task.column_id else None
        if column.pk == task.column_id:  # to the bottom of its own column
            low = (
                Task.objects.filter(column=column).exclude(pk=task.pk).aggregate(r=Max("rank"))["r"]
            )
    elif before is None and after is not None:
        nxt = Task.objects.filter(column=column, rank__gt=after.rank).exclude(pk=task.pk)
        high = nxt.aggregate(r=Min("rank"))["r"]
    elif after is None and before is not None:
        prev = Task.objects.filter(column=column, rank__lt=before.rank).exclude(pk=task.pk)
        low = prev.aggregate(r=Max("rank"))["r"]
    if low is not None and high is not None and not low < high:
        raise ValidationError(
            {"position": "The board changed meanwhile: the cards around that place moved."}
        )
    ratelimit.check(user=actor, action="board")
    from_column = task.column_id
    _bump(task, version, {"column_id": column.pk, "rank": generate_key_between(low, high)})
    task.column = column
    _record(
        actor,
        "task.moved",
        project,
        {**_task_payload(task), "from_column_id": from_column},
        team=False,
        quiet=True,
    )
    return task


@transaction.atomic
def task_edit(
    *,
    actor: User,
    task: Task,
    version: int,
    title: str,
    description: str = "",
    assignee: User | None = None,
    due: date | None = None,
    labels: str = "",
) -> Task:
    project = task.project
    _writer(actor, project)
    values: dict[str, Any] = {
        "title": _text(title, "title", "what the task is", limit=200),
        "description": _text(
            description, "description", "the description", limit=10000, required=False
        ),
        "assignee_id": _assignee(project, assignee) and assignee.pk,  # type: ignore[union-attr]
        "due": due,
        "labels": _labels(labels),
    }
    ratelimit.check(user=actor, action="board")
    before = task.assignee_id
    _bump(task, version, values)
    notify = {}
    if values["assignee_id"] and values["assignee_id"] != before:
        notify[values["assignee_id"]] = ASSIGNED
    _record(
        actor,
        "task.edited",
        project,
        _task_payload(task),
        notify=notify,
        team=False,
        quiet=not notify,
    )
    return task


@transaction.atomic
def task_delete(*, actor: User, task: Task, version: int) -> None:
    project = task.project
    _writer(actor, project)
    if not Task.objects.filter(pk=task.pk, version=version).delete()[0]:
        current = Task.objects.filter(pk=task.pk).first()
        if current is None:
            raise ValidationError({"task": "This card was removed a moment ago."})
        raise StaleTask(current)
    _record(
        actor,
        "task.deleted",
        project,
        {"task_id": task.pk, "column_id": task.column_id},
        team=False,
        quiet=True,
    )


@transaction.atomic
def checklist_add(*, actor: User, task: Task, text: str) -> ChecklistItem:
    _writer(actor, task.project)
    text = _text(text, "text", "the checklist item", limit=300)
    if task.checklist.count() >= MAX_CHECKLIST:
        raise ValidationError({"text": f"A checklist has at most {MAX_CHECKLIST} items."})
    position = (task.checklist.aggregate(p=Max("position"))["p"] or 0) + 1
    item = ChecklistItem.objects.create(task=task, text=text, position=position)
    Task.objects.filter(pk=task.pk).update(version=F("version") + 1)
    _record(
        actor,
        "task.edited",
        task.project,
        {"task_id": task.pk, "column_id": task.column_id},
        team=False,
        quiet=True,
    )
    return item


@transaction.atomic
def checklist_toggle(*, actor: User, item: ChecklistItem, done: bool) -> ChecklistItem:
    task = item.task
    _writer(actor, task.project)
    ChecklistItem.objects.filter(pk=item.pk).update(done=done)
    item.done = done
    Task.objects.filter(pk=task.pk).update(version=F("version") + 1)
    _record(
        actor,
        "task.edited",
        task.project,
        {"task_id": task.pk, "column_id": task.column_id},
        team=False,
        quiet=True,
    )
    return item


# --- milestones, updates, decisions, risks, measures ------------------------------------------


def _progress(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"progress": "Progress is a whole number from 0 to 100."}) from None
    if not 0 <= number <= 100:
        raise ValidationError({"progress": "Progress is a whole number from 0 to 100."})
    return number


def _weight(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"weight": "The weight is a whole number from 1 to 100."}) from None
    if not 1 <= number <= 100:
        raise ValidationError({"weight": "The weight is a whole number from 1 to 100."})
    return number


@transaction.atomic
def milestone_save(
    *,
    actor: User,
    project: Project,
    title: str,
    due: date,
    description: str = "",
    progress: int = 0,
    weight: int = 1,
    completed: date | None = None,
    milestone: Milestone | None = None,
) -> Milestone:
    _writer(actor, project)
    if milestone is not None and milestone.project_id != project.pk:
        raise ValidationError({"milestone": "That milestone belongs to another project."})
    if due is None:
        raise ValidationError({"due": "Give the milestone a date."})
    m = milestone or Milestone(project=project)
    m.title = _text(title, "title", "the milestone", limit=200)
    m.description = _text(description, "description", "the description", limit=2000, required=False)
    m.due, m.progress, m.weight = due, _progress(progress), _weight(weight)
    m.completed = completed or (timezone.localdate() if m.progress == 100 else None)
    if m.completed and m.progress < 100:
        m.progress = 100
    ratelimit.check(user=actor, action="edit")
    m.save()
    _record(
        actor,
        "milestone.saved" if milestone else "milestone.added",
        project,
        {"milestone_id": m.pk, "progress": m.progress},
        team=False,
        quiet=True,
    )
    return m


@transaction.atomic
def update_post(
    *,
    actor: User,
    project: Project,
    title: str,
    body: str,
    submission_key: str = "",
    confirm_not_identifying: bool = False,
) -> Update:
    """A post to the team and the project's followers; it is discussed like anything else."""
    _writer(actor, project)
    if submission_key:
        existing = Update.objects.filter(author=actor, submission_key=submission_key).first()
        if existing is not None:
            return existing
    title = _text(title, "title", "a title", limit=200)
    body = _text(body, "body", "the update", limit=10000)
    if not project.restricted:  # a restricted project is where identifiable cases are discussed
        identifying.check({"title": title, "body": body}, confirmed=confirm_not_identifying)
    ratelimit.check(user=actor, action="post")
    update = Update.objects.create(
        project=project, author=actor, title=title, body=body, submission_key=submission_key
    )
    discussion.auto_follow(actor, update)
    _record(
        actor, "update.posted", project, {"update_id": update.pk}, notify=discussion.mentions(body)
    )
    return update


@transaction.atomic
def decision_record(
    *, actor: User, project: Project, title: str, options: str, rationale: str
) -> Decision:
    """An entry in the decision log: what was decided, the options weighed, and why."""
    _writer(actor, project)
    title = _text(title, "title", "the decision", limit=200)
    options = _text(options, "options", "the options considered", limit=4000, required=False)
    rationale = _text(rationale, "reason", "the rationale", limit=2000)
    ratelimit.check(user=actor, action="decide")
    decision = Decision.objects.create(
        project=project, decided_by=actor, title=title, options=options, reason=rationale
    )
    _record(actor, "project.decided", project, {"decision_id": decision.pk})
    return decision


def _scale(value: Any, field: str, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValidationError({field: f"Rate the {label} from 1 to 5."})
    return number


@transaction.atomic
def risk_save(
    *,
    actor: User,
    project: Project,
    title: str,
    likelihood: int,
    consequence: int,
    description: str = "",
    owner: User | None = None,
    mitigation: str = "",
    status: str = Risk.Status.OPEN,  # type: ignore[assignment]
    review_by: date | None = None,
    risk: Risk | None = None,
) -> Risk:
    _writer(actor, project)
    if risk is not None and risk.project_id != project.pk:
        raise ValidationError({"risk": "That risk belongs to another project."})
    r = risk or Risk(project=project)
    r.title = _text(title, "title", "the risk", limit=200)
    r.description = _text(description, "description", "the description", limit=4000, required=False)
    r.likelihood = _scale(likelihood, "likelihood", "likelihood")
    r.consequence = _scale(consequence, "consequence", "consequence")
    r.mitigation = _text(mitigation, "mitigation", "the mitigation", limit=4000, required=False)
    if status not in Risk.Status.values:
        raise ValidationError({"status": "Choose a status."})
    r.status, r.review_by = status, review_by
    if owner is not None:
        membership = membership_of(owner, project)
        if membership is None or not membership.is_current():
            raise ValidationError({"owner": "A risk's owner must be a member of the project."})
    r.owner = owner
    ratelimit.check(user=actor, action="edit")
    r.save()
    _record(
        actor,
        "risk.saved" if risk else "risk.added",
        project,
        {"risk_id": r.pk, "rating": r.rating},
        team=False,
        quiet=True,
    )
    return r


def _number(value: Any, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (ArithmeticError, ValueError):
        raise ValidationError({field: f"The {label} is a number."}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError({field: f"The {label} is a number."})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def measure_save(
    *,
    actor: User,
    project: Project,
    name: str,
    unit: str,
    baseline: Any,
    baseline_date: date,
    target: Any,
    target_date: date,
    source: str,
    weight: int = 1,
    measure: Measure | None = None,
) -> Measure:
    _writer(actor, project)
    if measure is not None and measure.project_id != project.pk:
        raise ValidationError({"measure": "That measure belongs to another project."})
    m = measure or Measure(project=project)
    m.name = _text(name, "name", "what is measured", limit=200)
    m.unit = _text(unit, "unit", "the unit", limit=40)
    m.baseline = _number(baseline, "baseline", "baseline")
    m.target = _number(target, "target", "target")
    if m.baseline == m.target:
        raise ValidationError({"target": "The target must differ from the baseline."})
    if baseline_date is None or target_date is None:
        raise ValidationError({"target_date": "Give the dates of the baseline and the target."})
    if target_date < baseline_date:
        raise ValidationError({"target_date": "The target date is before the baseline's."})
    m.baseline_date, m.target_date = baseline_date, target_date
    m.source = _text(source, "source", "where the figures come from", limit=300)
    m.weight = _weight(weight)
    ratelimit.check(user=actor, action="edit")
    added = m.pk is None
    m.save()
    _record(actor, "measure.saved", project, {"measure_id": m.pk}, team=False, quiet=True)
    signals.outcome_changed.send(
        sender=Project,
        project=project,
        change=signals.MEASURE_ADDED if added else signals.MEASURE_CHANGED,
        measure=m,
    )
    return m


@transaction.atomic
def reading_add(*, actor: User, measure: Measure, value: Any, on: date, note: str = "") -> Reading:
    """A new value of a measure: kept in its history; the latest by date is its current value."""
    project = measure.project
    _writer(actor, project)
    if on is None:
        raise ValidationError({"date": "Give the date of the value."})
    if on > timezone.localdate():
        raise ValidationError({"date": "The date is in the future."})
    reading = Reading.objects.create(
        measure=measure,
        value=_number(value, "value", "value"),
        date=on,
        note=_text(note, "note", "the note", limit=500, required=False),
        recorded_by=actor,
    )
    latest = measure.readings.order_by("-date", "-id").first()
    if latest is not None:
        Measure.objects.filter(pk=measure.pk).update(current=latest.value, current_date=latest.date)
        measure.current, measure.current_date = latest.value, latest.date
    _record(actor, "measure.reading", project, {"measure_id": measure.pk})
    signals.outcome_changed.send(
        sender=Project, project=project, change=signals.READING_ADDED, measure=measure
    )
    return reading


# --- reminders and endings -------------------------------------------------------------------


def end_memberships(*, today: date | None = None) -> int:
    """Guests whose membership ended yesterday stop seeing a restricted project's inside now:
    their open sockets leave its scope and its notifications are taken back (the daily task;
    a page or a reconnect already refuses them from the day after the end date). Returns how
    many memberships ended."""
    today = today or timezone.localdate()
    ended = Membership.objects.filter(expires=today - timedelta(days=1)).select_related("project")
    count = 0
    for membership in ended:
        with transaction.atomic():
            _refresh_team(membership.project)
            _lost_access(membership.project, membership.user_id)
        count += 1
    return count


def remind_due_soon(*, today: date | None = None) -> int:
    """Tell each assignee of a card due within ``DUE_SOON_DAYS`` days, not done, once per day
    (the daily task ``projects.tasks.due_soon``). Returns how many were told."""
    today = today or timezone.localdate()
    due = (
        Task.objects.filter(
            due__isnull=False,
            due__lte=today + timedelta(days=DUE_SOON_DAYS),
            due__gte=today,
            assignee__isnull=False,
            assignee__is_active=True,
            column__done=False,
        )
        .exclude(reminded_on=today)
        .exclude(project__status__in=Project.ENDS)
        .select_related("project", "assignee")
    )
    told = 0
    for task in due:
        with transaction.atomic():
            if (
                not Task.objects.filter(pk=task.pk)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            ):
                continue
            membership = membership_of(task.assignee, task.project)
            if membership is None or not membership.is_current():
                continue
            # For the assignee alone: nobody else's feed needs the reminder.
            activity = publish.record(
                actor=None,
                verb="task.due_soon",
                target=task.project,
                payload={**_task_payload(task), "due": task.due.isoformat()},
                scope=user_scope(task.assignee_id),
            )
            notifications.notify(activity=activity, recipients={task.assignee_id: DUE_SOON})
            told += 1
    return told
