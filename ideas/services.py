"""Every write about problems, ideas, supports and decisions.

Keyword-only, atomic, permission first, validated, and each records one Activity (published
after commit) through ``discussion.services.record``. Comments, follows, reports and hiding
are ``discussion``'s (ideas and problems are registered with it in ``IdeasConfig.ready()``).
"""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from core import identifying, ratelimit
from core.state import StateChanged, change_state
from core.submission import already_submitted as _already_submitted
from core.submission import save_once as _save_once
from discussion import notifying
from discussion import services as discussion
from discussion.models import Comment, Reaction
from ideas import permissions
from ideas.activity import YOUR_IDEA
from ideas.models import Decision, Idea, IdeaRevision, ParticipationDay, Problem
from ideas.selectors import SUPPORT
from people import services as people_services
from people.models import Organisation, Profile, User
from realtime.registry import actor_of

MAX_TAGS = 8
TAG_RE = re.compile(r"^[\w][\w \-]{0,38}[\w]$|^\w$", re.UNICODE)


# --- helpers -----------------------------------------------------------------------------


IDEAS, COMMENTS, SUPPORTS = "ideas", "comments", "supports"


def count_contribution(sender: Any, *, user: User, what: str, **kwargs: Any) -> None:
    """``discussion.services.contributed``: a comment, or a support, counts for the dashboard."""
    kind = {"comments": COMMENTS, SUPPORT: SUPPORTS}.get(what)
    if kind is not None:
        _participated(user, kind)


def _participated(user: User, kind: str) -> None:
    """Count one idea, comment or support for the person's organisation today (dashboard)."""
    people_services.person_active(user=user)
    profile = getattr(user, "profile", None)
    if profile is None or profile.organisation_id is None:
        return
    key = {"organisation_id": profile.organisation_id, "day": timezone.localdate()}
    if ParticipationDay.objects.filter(**key).update(**{kind: F(kind) + 1}):
        return
    try:
        with transaction.atomic():
            ParticipationDay.objects.create(**key, **{kind: 1})
    except IntegrityError:  # created meanwhile by someone else's action
        ParticipationDay.objects.filter(**key).update(**{kind: F(kind) + 1})


@transaction.atomic
def participation_rebuild() -> int:
    """Recount the daily participation rows and everyone's last activity from the source
    tables (after an import, or the demo seeder's backdating). Returns the rows written."""
    from collections import defaultdict

    from django.db.models import Count, Max
    from django.db.models.functions import TruncDate

    totals: dict[tuple[int, Any], dict[str, int]] = defaultdict(
        lambda: {IDEAS: 0, COMMENTS: 0, SUPPORTS: 0}
    )
    last: dict[int, Any] = {}
    for source, who, kind in (
        (Idea.objects.all(), "author", IDEAS),
        (Comment.objects.all(), "author", COMMENTS),
        (Reaction.objects.filter(kind=SUPPORT), "user", SUPPORTS),
    ):
        rows = (
            source.annotate(day=TruncDate("created"))
            .values_list(f"{who}__profile__organisation", "day")
            .annotate(n=Count("id"))
            .order_by()
        )
        for org_id, day, n in rows:
            if org_id is not None:
                totals[(org_id, day)][kind] += n
        for user_id, latest in source.values_list(who).annotate(latest=Max("created")).order_by():
            if latest is not None and (user_id not in last or latest > last[user_id]):
                last[user_id] = latest
    ParticipationDay.objects.all().delete()
    ParticipationDay.objects.bulk_create(
        [ParticipationDay(organisation_id=o, day=d, **n) for (o, d), n in totals.items()],
        batch_size=2000,
    )
    profiles = list(Profile.objects.only("id", "user_id", "last_active"))
    for profile in profiles:
        profile.last_active = last.get(profile.user_id)
    Profile.objects.bulk_update(profiles, ["last_active"], batch_size=2000)
    return len(totals)


def _authors(idea: Idea) -> dict[int, str]:
    ids = [idea.author_id, *idea.coauthors.values_list("pk", flat=True)]
    return dict.fromkeys(ids, YOUR_IDEA)


# Every write a person triggers counts against their budget for its kind of action
# (ratelimit.check, settings.RATE_LIMITS); the demo seeder runs under rate_limit_disabled().
# Withdrawing and giving support again within this time does not notify the authors again.
SUPPORT_NOTIFY_ONCE_SECONDS = 24 * 3600


class UnknownTags(ValidationError):
    """Tags outside the shared vocabulary, named; ``known`` are the ones that may be used."""

    def __init__(self, *, known: list[str], unknown: list[str]) -> None:
        self.known, self.unknown = known, unknown
        super().__init__(
            {
                "tags": "Unknown tag(s): " + ", ".join(unknown) + ". Use tags from the shared "
                "vocabulary; a steward can add new ones."
            }
        )


def clean_tags(*, actor: User, names: Iterable[str]) -> list[str]:
    """Validate tag names against the shared vocabulary. Unknown tags are an error for
    everyone but stewards, who may add to the vocabulary (``UnknownTags`` names them)."""
    cleaned: list[str] = []
    for raw in names:
        name = " ".join(str(raw).split()).lower()
        if not name or name in cleaned:
            continue
        if not TAG_RE.match(name):
            raise ValidationError(
                {
                    "tags": f"“{name[:40]}” is not a valid tag: use letters, digits, spaces or "
                    "hyphens, up to 40 characters."
                }
            )
        cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": f"Use at most {MAX_TAGS} tags."})
    known = set(Tag.objects.filter(name__in=cleaned).values_list("name", flat=True))
    unknown = [n for n in cleaned if n not in known]
    if unknown and not permissions.can_create_tags(actor):
        raise UnknownTags(known=[n for n in cleaned if n in known], unknown=unknown)
    return cleaned


# --- problems ----------------------------------------------------------------------------


@transaction.atomic
def problem_create(
    *,
    author: User,
    title: str,
    description: str,
    affected: str,
    tags: Iterable[str] = (),
    organisations: Iterable[Organisation] = (),
    submission_key: str = "",
    confirm_not_identifying: bool = False,
) -> Problem:
    if not permissions.can_post(author):
        raise PermissionDenied("Sign in to post a problem.")
    if existing := _already_submitted(Problem, author, submission_key):
        return existing
    tag_names = clean_tags(actor=author, names=tags)
    problem = Problem(
        title=title.strip(), description=description.strip(), affected=affected.strip(),
        author=author,
    )  # fmt: skip
    problem.full_clean()
    identifying.check(
        {"title": problem.title, "description": problem.description, "affected": problem.affected},
        confirmed=confirm_not_identifying,
    )
    ratelimit.check(user=author, action="post")
    problem, created = _save_once(problem, submission_key)
    if not created:
        return problem
    problem.owners.add(author)
    problem.organisations.set(list(organisations))
    problem.tags.set(tag_names)
    discussion.auto_follow(author, problem)
    discussion.record(
        actor=author, verb="problem.posted", target=problem,
        notify=discussion.mentions(f"{problem.description} {problem.affected}"),
    )  # fmt: skip
    return problem


@transaction.atomic
def problem_owner_add(*, actor: User, problem: Problem, user: User) -> Problem:
    if not permissions.can_edit_problem(actor, problem):
        raise PermissionDenied("Only the problem's owners can add owners.")
    ratelimit.check(user=actor, action="decide")
    problem.owners.add(user)
    discussion.record(
        actor=actor, verb="problem.owner_added", target=problem,
        payload={"owner": actor_of(user).name},
    )  # fmt: skip
    return problem


@transaction.atomic
def problem_set_status(*, actor: User, problem: Problem, status: str, reason: str) -> Problem:
    if not permissions.can_edit_problem(actor, problem):
        raise PermissionDenied("Only the problem's owners can change its status.")
    reason = reason.strip()
    if status not in Problem.Status.values:
        raise ValidationError({"status": "Choose a valid status."})
    # Decided from the stored status, not the caller's copy, and changed only if it still holds.
    problem.refresh_from_db(fields=["status"])
    if status == problem.status:
        raise ValidationError({"status": "The problem already has that status."})
    if status == Problem.Status.CLOSED and not reason:
        raise ValidationError({"reason": "Say why the problem is closed."})
    if len(reason) > Problem._meta.get_field("status_reason").max_length:
        raise ValidationError({"reason": "Keep the reason under 1,000 characters."})
    ratelimit.check(user=actor, action="decide")
    old = problem.status
    try:
        change_state(
            problem, field="status", expected=old, new=status, also={"status_reason": reason}
        )
    except StateChanged:
        raise ValidationError(
            {"status": "Someone changed this problem's status a moment ago: look again."}
        ) from None
    discussion.record(
        actor=actor, verb="problem.status_changed", target=problem,
        payload={"from": old, "to": status, "to_label": problem.get_status_display(),
                 "reason": reason},
    )  # fmt: skip
    return problem


# --- ideas -------------------------------------------------------------------------------


def _revision(idea: Idea, editor: User) -> None:
    IdeaRevision.objects.create(
        idea=idea, editor=editor, title=idea.title, summary=idea.summary, body=idea.body,
        benefit=idea.benefit, tags=idea.tag_text,
    )  # fmt: skip


@transaction.atomic
def idea_create(
    *,
    author: User,
    title: str,
    summary: str,
    body: str,
    benefit: str,
    tags: Iterable[str] = (),
    problem: Problem | None = None,
    organisations: Iterable[Organisation] = (),
    coauthors: Iterable[User] = (),
    submission_key: str = "",
    confirm_not_identifying: bool = False,
) -> Idea:
    if not permissions.can_post(author):
        raise PermissionDenied("Sign in to post an idea.")
    if existing := _already_submitted(Idea, author, submission_key):
        return existing
    tag_names = clean_tags(actor=author, names=tags)
    profile = getattr(author, "profile", None)
    idea = Idea(
        title=title.strip(), summary=summary.strip(), body=body.strip(), benefit=benefit.strip(),
        author=author, problem=problem, tag_text=", ".join(tag_names),
        author_level=profile.level if profile else "",
    )  # fmt: skip
    idea.full_clean()
    identifying.check(
        {f: getattr(idea, f) for f in IDEA_TEXT_FIELDS}, confirmed=confirm_not_identifying
    )
    ratelimit.check(user=author, action="post")
    idea, created = _save_once(idea, submission_key)
    if not created:
        return idea
    _participated(author, IDEAS)
    idea.tags.set(tag_names)
    idea.organisations.set(list(organisations))
    idea.coauthors.set([u for u in coauthors if u.pk != author.pk])
    _revision(idea, author)
    discussion.auto_follow(author, idea)
    # The followers of the problem it answers hear of a new idea (the worker finds them).
    audiences = [notifying.FOLLOWERS] + ([notifying.followers_of(problem)] if problem else [])
    discussion.record(
        actor=author, verb="idea.posted", target=idea, audiences=audiences,
        notify=discussion.mentions(f"{idea.summary} {idea.body} {idea.benefit}"),
    )  # fmt: skip
    return idea


IDEA_EDITABLE = ("title", "summary", "body", "benefit", "problem")
IDEA_TEXT_FIELDS = ("title", "summary", "body", "benefit")  # checked for identifying details


@transaction.atomic
def idea_update(
    *,
    actor: User,
    idea: Idea,
    tags: Iterable[str] | None = None,
    organisations: Iterable[Organisation] | None = None,
    coauthors: Iterable[User] | None = None,
    confirm_not_identifying: bool = False,
    **changes: Any,
) -> Idea:
    """Authors edit their own idea; every version is kept as a revision. An edit that changes
    nothing (the same fields, tags, organisations and co-authors) records nothing: no revision,
    no activity, no "edited" time."""
    if not permissions.can_edit_idea(actor, idea):
        raise PermissionDenied("Only the idea's authors can edit it.")
    if set(changes) - set(IDEA_EDITABLE):
        raise ValueError(f"Not editable: {sorted(set(changes) - set(IDEA_EDITABLE))}")
    changes = {f: v.strip() if isinstance(v, str) else v for f, v in changes.items()}
    tag_names = clean_tags(actor=actor, names=tags) if tags is not None else None
    new_organisations = list(organisations) if organisations is not None else None
    new_coauthors = (
        [u for u in coauthors if u.pk != idea.author_id] if coauthors is not None else None
    )
    if not _idea_edit_changes(idea, changes, tag_names, new_organisations, new_coauthors):
        return idea
    before = {f: getattr(idea, f) for f in IDEA_TEXT_FIELDS if f in changes}
    for field, value in changes.items():
        setattr(idea, field, value)
    if tag_names is not None:
        idea.tag_text = ", ".join(tag_names)
    idea.edited = timezone.now()
    idea.full_clean()
    identifying.check(
        {f: getattr(idea, f) for f in before}, before=before, confirmed=confirm_not_identifying
    )
    ratelimit.check(user=actor, action="edit")
    fields = [*changes, "edited", "updated"] + (["tag_text"] if tag_names is not None else [])
    # update_fields: a support or comment counted meanwhile is not overwritten with a stale count
    idea.save(update_fields=fields)
    if tag_names is not None:
        idea.tags.set(tag_names)
    if new_organisations is not None:
        idea.organisations.set(new_organisations)
    if new_coauthors is not None:
        idea.coauthors.set(new_coauthors)
        _drop_authors_supports(idea)
    _revision(idea, actor)
    discussion.retitle(idea)  # a title edited away is gone from the feed, replay and e-mails too
    discussion.record(actor=actor, verb="idea.edited", target=idea)
    return idea


def _idea_edit_changes(
    idea: Idea,
    changes: dict[str, Any],
    tag_names: list[str] | None,
    organisations: list[Organisation] | None,
    coauthors: list[User] | None,
) -> bool:
    """Whether an edit would change anything that the idea shows (tags as a set)."""

    def pk(value: Any) -> Any:
        return getattr(value, "pk", value)

    if any(pk(getattr(idea, f)) != pk(v) for f, v in changes.items()):
        return True
    if tag_names is not None and set(tag_names) != {t for t in idea.tag_text.split(", ") if t}:
        return True
    if organisations is not None and {o.pk for o in organisations} != {
        o.pk for o in idea.organisations.all()
    }:
        return True
    return coauthors is not None and {u.pk for u in coauthors} != {
        u.pk for u in idea.coauthors.all()
    }


def _drop_authors_supports(idea: Idea) -> None:
    """Someone who becomes a co-author no longer counts as a supporter of the idea."""
    authors = [idea.author_id, *(u.pk for u in idea.coauthors.all())]
    if discussion.drop_reactions(target=idea, kind=SUPPORT, users=authors):
        idea.refresh_from_db(fields=["support_count"])


@transaction.atomic
def idea_support(*, user: User, idea: Idea) -> Idea:
    """Support an idea. Idempotent: supporting twice (even at once) leaves one row."""
    if not permissions.can_post(user):
        raise PermissionDenied("Sign in to support an idea.")
    if idea.stage == Idea.Stage.MERGED:
        raise ValidationError(f"This idea was merged: support “{idea.merged_into}” instead.")
    if not permissions.can_support(user, idea):
        raise PermissionDenied(permissions.OWN_IDEA_SUPPORT)
    if not discussion.react(user=user, target=idea, kind=SUPPORT):
        idea.refresh_from_db(fields=["support_count"])
        return idea  # already supported
    # Only a change counts against the budget; a refusal rolls the new support back.
    ratelimit.check(user=user, action="support")
    idea.refresh_from_db(fields=["support_count"])
    discussion.auto_follow(user, idea)
    # Withdrawing and supporting again does not notify the authors and followers again.
    first = ratelimit.first_time(f"support:{idea.pk}:{user.pk}", within=SUPPORT_NOTIFY_ONCE_SECONDS)
    discussion.record(
        actor=user, verb="idea.supported", target=idea,
        payload={"support_count": idea.support_count}, notify=_authors(idea), quiet=not first,
    )  # fmt: skip
    return idea


@transaction.atomic
def idea_unsupport(*, user: User, idea: Idea) -> Idea:
    if discussion.unreact(user=user, target=idea, kind=SUPPORT):
        ratelimit.check(user=user, action="support")  # a refusal rolls the delete back
        idea.refresh_from_db(fields=["support_count"])
        # The count changes live for everyone; a withdrawal notifies nobody.
        discussion.record(
            actor=user, verb="idea.unsupported", target=idea,
            payload={"support_count": idea.support_count}, quiet=True,
        )  # fmt: skip
    else:
        idea.refresh_from_db(fields=["support_count"])
    return idea


@transaction.atomic
def idea_decide(*, actor: User, idea: Idea, to_stage: str, reason: str) -> Decision:
    """Change an idea's stage. Every change is a public decision with a written reason."""
    if not permissions.can_decide(actor, idea):
        if permissions.may_decide_but_for_authorship(actor, idea):
            raise PermissionDenied(permissions.OWN_IDEA_DECISION)
        raise PermissionDenied(
            "Only stewards and the owners of the problem this idea answers can decide on it."
        )
    reason = reason.strip()
    errors: dict[str, str] = {}
    if to_stage not in Idea.Stage.values or to_stage == Idea.Stage.MERGED:
        errors["to_stage"] = "Choose a stage (merging has its own action)."
    elif to_stage == Idea.Stage.NEW:  # see ideas/stages.py
        errors["to_stage"] = "A decision never takes an idea back to New: choose another stage."
    if not reason:
        errors["reason"] = "Write the reason for this decision: everyone will see it."
    elif len(reason) > 2000:
        errors["reason"] = "Keep the reason under 2,000 characters."
    if errors:
        raise ValidationError(errors)
    ratelimit.check(user=actor, action="decide")
    # Decide from the stored stage (not the caller's copy of the idea), and move it only if it
    # still holds that stage: of two identical decisions at once, one is made and the other is
    # told, instead of a public "Shortlisted → Shortlisted".
    idea.refresh_from_db(fields=["stage", "first_decision_at"])
    from_stage = idea.stage
    if to_stage == from_stage:
        raise ValidationError({"to_stage": f"The idea is already “{idea.get_stage_display()}”."})
    if from_stage == Idea.Stage.MERGED:
        raise ValidationError({"to_stage": "This idea was merged into another: decide on that."})
    now = timezone.now()
    try:
        change_state(
            idea, field="stage", expected=from_stage, new=to_stage,
            also={"first_decision_at": idea.first_decision_at or now, "stage_changed": now},
        )  # fmt: skip
    except StateChanged:
        raise ValidationError(
            {"to_stage": "Someone decided on this idea a moment ago: look at its stage again."}
        ) from None
    decision = Decision.objects.create(
        idea=idea, decided_by=actor, from_stage=from_stage, to_stage=to_stage, reason=reason,
        created=now,
    )  # fmt: skip
    discussion.record(
        actor=actor, verb="idea.decided", target=idea,
        payload={"from": from_stage, "to": to_stage, "decision_id": decision.pk,
                 "to_label": idea.get_stage_display(), "reason": reason},
        notify=_authors(idea),
    )  # fmt: skip
    return decision


@transaction.atomic
def idea_enter_project(
    *, actor: User, idea: Idea, project_title: str, project_url: str, reason: str
) -> Decision | None:
    """An idea was taken up by a project (the projects app checked who may start one): its
    stage becomes "In a project" through a public decision that links to the project, and its
    authors and followers are told. An idea already in a project only gains the link there."""
    idea.refresh_from_db(fields=["stage", "first_decision_at"])
    from_stage = idea.stage
    if from_stage == Idea.Stage.MERGED:
        raise ValidationError(
            {"ideas": "A merged idea cannot start a project: use the one it went into."}
        )
    if from_stage == Idea.Stage.PROJECT:
        return None
    now = timezone.now()
    try:
        change_state(
            idea, field="stage", expected=from_stage, new=Idea.Stage.PROJECT,
            also={"first_decision_at": idea.first_decision_at or now, "stage_changed": now},
        )  # fmt: skip
    except StateChanged:
        raise ValidationError(
            {"ideas": "Someone decided on one of these ideas a moment ago: try again."}
        ) from None
    decision = Decision.objects.create(
        idea=idea, decided_by=actor, from_stage=from_stage, to_stage=Idea.Stage.PROJECT,
        reason=reason, created=now, link_title=project_title[:200], link_url=project_url,
    )  # fmt: skip
    discussion.record(
        actor=actor, verb="idea.decided", target=idea,
        payload={"from": from_stage, "to": Idea.Stage.PROJECT, "decision_id": decision.pk,
                 "to_label": idea.get_stage_display(), "reason": reason},
        notify=_authors(idea),
    )  # fmt: skip
    return decision


@transaction.atomic
def idea_merge(*, actor: User, source: Idea, target: Idea, reason: str) -> Idea:
    """Merge a duplicate into another idea: its supporters and followers move over (nobody is
    counted twice), it shows "merged into …", and the decision is public."""
    if not permissions.can_merge(actor, source, target):
        if permissions.is_steward(actor) and (
            permissions.is_author(actor, source) or permissions.is_author(actor, target)
        ):
            raise PermissionDenied(permissions.OWN_IDEA_MERGE)
        raise PermissionDenied("Only stewards can merge ideas.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Write why these ideas are the same."})
    if target.pk == source.pk or target.stage == Idea.Stage.MERGED:
        raise ValidationError({"target": "Choose another idea that has not itself been merged."})
    ratelimit.check(user=actor, action="decide")
    # Both rows locked in id order (no deadlock between opposite merges), and the source moved
    # to "merged" only if it still holds the stage it is merged from (SQLite has no row locks).
    first, second = sorted([source.pk, target.pk])
    locked = {i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[first, second])}
    source, target = locked[source.pk], locked[target.pk]
    if source.stage == Idea.Stage.MERGED or target.stage == Idea.Stage.MERGED:
        raise ValidationError({"target": "One of these ideas was merged a moment ago: look again."})
    from_stage = source.stage
    try:
        change_state(
            source, field="stage", expected=from_stage, new=Idea.Stage.MERGED,
            also={"merged_into": target, "support_count": 0, "follower_count": 0,
                  "first_decision_at": source.first_decision_at or timezone.now(),
                  "stage_changed": timezone.now()},
        )  # fmt: skip
    except StateChanged:
        raise ValidationError(
            {"target": "Someone decided on this idea a moment ago: look again."}
        ) from None
    # Nobody counted twice, and the target's authors never count as its supporters.
    discussion.move_to(
        source=source, target=target, reaction=SUPPORT,
        exclude_reactions={target.author_id, *target.coauthors.values_list("pk", flat=True)},
    )  # fmt: skip
    decision = Decision.objects.create(
        idea=source, decided_by=actor, from_stage=from_stage, to_stage=Idea.Stage.MERGED,
        reason=reason, merged_into=target,
    )  # fmt: skip
    discussion.record(
        actor=actor, verb="idea.merged", target=source,
        payload={"into_id": target.pk, "into_url": target.get_absolute_url(), "reason": reason,
                 "support_count": target.support_count, "decision_id": decision.pk},
        notify=_authors(source), audiences=[notifying.followers_of(target)],
    )  # fmt: skip
    return target
