"""Every write about problems, ideas, comments, supports, follows and decisions.

Keyword-only, atomic, permission first, validated, and each records one Activity (published
after commit) through ``realtime.publish.record``.
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
from ideas import permissions
from ideas.models import (
    Comment,
    CommentRevision,
    Decision,
    Follow,
    Idea,
    IdeaRevision,
    ParticipationDay,
    Problem,
    Report,
    Support,
)
from people import selectors as people_selectors
from people import services as people_services
from people.models import Organisation, Profile, User
from realtime import notifications, publish
from realtime.notifications import Reason, touched
from realtime.registry import PUBLIC

MAX_TAGS = 8
EXCERPT_LENGTH = 140  # of a comment, in its activity (feed e-mails quote it)
TAG_RE = re.compile(r"^[\w][\w \-]{0,38}[\w]$|^\w$", re.UNICODE)


# --- helpers -----------------------------------------------------------------------------


def _name(user: User) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.get_username()


def _url(user: User) -> str:
    profile = getattr(user, "profile", None)
    return profile.get_absolute_url() if profile else ""


def _record(
    *,
    actor: User,
    verb: str,
    target: Idea | Problem,
    payload: dict | None = None,
    notify: dict[int, str] | None = None,
    quiet: bool = False,
) -> None:
    """Record the activity; notify the followers of ``target`` and anyone in ``notify``
    (user id → reason; the most specific reason wins, see ``notifications.touched``) — nobody
    if ``quiet``."""
    org, org_short = people_selectors.organisation_names_of(actor)
    activity = publish.record(
        actor=actor,
        actor_name=_name(actor),
        actor_url=_url(actor),
        actor_org=org,
        actor_org_short=org_short,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_title=target.public_title,
        target_url=target.get_absolute_url(),
        scope=PUBLIC,
        payload=payload,
    )
    if quiet:
        return
    field = "idea" if isinstance(target, Idea) else "problem"
    followers: dict[int, str] = dict.fromkeys(
        Follow.objects.filter(**{field: target}).values_list("user_id", flat=True),
        Reason.FOLLOWING,
    )
    notifications.notify(activity=activity, recipients=touched(followers, notify or {}))


def _excerpt(text: str) -> str:
    return text[:EXCERPT_LENGTH]


def _retitle(target: Idea | Problem) -> None:
    """Every activity about ``target`` shows its title as it is now (edited, or hidden)."""
    publish.rewrite(
        target_type=target._meta.label_lower, target_id=target.pk, title=target.public_title
    )


def _comment_text_changed(comment: Comment) -> None:
    """The excerpt that activities about ``comment`` carry follows its text: the new text after
    an edit, nothing once it is deleted or hidden (e-mails not yet sent included)."""
    gone = comment.deleted is not None or comment.is_hidden
    target = comment.target
    publish.rewrite(
        target_type=target._meta.label_lower,
        target_id=target.pk,
        where={"comment_id": comment.pk},
        payload={"excerpt": None if gone else _excerpt(comment.body)},
    )


def check_identifying(
    texts: dict[str, str], *, confirmed: bool, before: dict[str, str] | None = None
) -> None:
    """Refuse text that looks like it identifies someone — an NHI number, a phone number, a
    date of birth, an e-mail address (``core/identifying.py``) — unless the person says they
    have checked it does not. Each field is named with what was found in it (code
    ``identifying``: forms then offer the box to tick, the API answers 422). An edit is only
    asked about what it adds: ``before`` holds the texts as they were."""
    if confirmed:
        return
    found = identifying.scan_fields(texts)
    for field, old in (before or {}).items():
        seen = {f.text for f in identifying.scan(old)}
        found[field] = [f for f in found.get(field, []) if f.text not in seen]
    errors = {
        field: ValidationError(identifying.field_message(items), code=identifying.CODE)
        for field, items in found.items()
        if items
    }
    if errors:
        raise ValidationError(errors)


def _already_submitted(model: Any, author: User, key: str) -> Any:
    """What this author already created with this form's submission key, if anything."""
    return model.objects.filter(author=author, submission_key=key).first() if key else None


def _save_once(obj: Any, key: str) -> tuple[Any, bool]:
    """Save a new row; if the same form was submitted twice at once, return the first row."""
    obj.submission_key = key
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        existing = _already_submitted(type(obj), obj.author, key)
        if existing is None:
            raise
        return existing, False
    return obj, True


IDEAS, COMMENTS, SUPPORTS = "ideas", "comments", "supports"


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
    for model, who, kind in (
        (Idea, "author", IDEAS),
        (Comment, "author", COMMENTS),
        (Support, "user", SUPPORTS),
    ):
        rows = (
            model.objects.annotate(day=TruncDate("created"))
            .values_list(f"{who}__profile__organisation", "day")
            .annotate(n=Count("id"))
            .order_by()
        )
        for org_id, day, n in rows:
            if org_id is not None:
                totals[(org_id, day)][kind] += n
        for user_id, latest in (
            model.objects.values_list(who).annotate(latest=Max("created")).order_by()
        ):
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


def _mentions(text: str) -> dict[int, str]:
    return {u.pk: Reason.MENTION for u in people_selectors.mentioned_users(text)}


def _authors(idea: Idea) -> dict[int, str]:
    ids = [idea.author_id, *idea.coauthors.values_list("pk", flat=True)]
    return dict.fromkeys(ids, Reason.YOUR_IDEA)


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


def _follow(user: User, target: Idea | Problem) -> bool:
    """Follow without error if already following. Returns whether a follow was added."""
    field = "idea" if isinstance(target, Idea) else "problem"
    try:
        with transaction.atomic():
            Follow.objects.create(user=user, **{field: target})
    except IntegrityError:
        return False
    type(target).objects.filter(pk=target.pk).update(follower_count=F("follower_count") + 1)
    return True


def _auto_follow(user: User, target: Idea | Problem) -> None:
    profile = getattr(user, "profile", None)
    if profile is None or profile.auto_follow:
        _follow(user, target)


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
    check_identifying(
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
    _auto_follow(author, problem)
    _record(
        actor=author, verb="problem.posted", target=problem,
        notify=_mentions(f"{problem.description} {problem.affected}"),
    )  # fmt: skip
    return problem


@transaction.atomic
def problem_owner_add(*, actor: User, problem: Problem, user: User) -> Problem:
    if not permissions.can_edit_problem(actor, problem):
        raise PermissionDenied("Only the problem's owners can add owners.")
    ratelimit.check(user=actor, action="decide")
    problem.owners.add(user)
    _record(
        actor=actor, verb="problem.owner_added", target=problem,
        payload={"owner": _name(user)},
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
    _record(
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
    check_identifying(
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
    _auto_follow(author, idea)
    recipients: dict[int, str] = {}
    if problem is not None:  # followers of the problem hear of a new idea answering it
        recipients = dict.fromkeys(
            Follow.objects.filter(problem=problem).values_list("user_id", flat=True),
            Reason.FOLLOWING,
        )
    _record(
        actor=author, verb="idea.posted", target=idea,
        notify=touched(recipients, _mentions(f"{idea.summary} {idea.body} {idea.benefit}")),
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
    check_identifying(
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
    _retitle(idea)  # a title edited away is gone from the feed, replay and e-mails too
    _record(actor=actor, verb="idea.edited", target=idea)
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
    dropped, _ = Support.objects.filter(idea=idea, user_id__in=authors).delete()
    if dropped:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - dropped)
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
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
    except IntegrityError:
        idea.refresh_from_db(fields=["support_count"])
        return idea  # already supported
    # Only a change counts against the budget; a refusal rolls the new support back.
    ratelimit.check(user=user, action="support")
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    idea.refresh_from_db(fields=["support_count"])
    _participated(user, SUPPORTS)
    _auto_follow(user, idea)
    # Withdrawing and supporting again does not notify the authors and followers again.
    first = ratelimit.first_time(f"support:{idea.pk}:{user.pk}", within=SUPPORT_NOTIFY_ONCE_SECONDS)
    _record(
        actor=user, verb="idea.supported", target=idea,
        payload={"support_count": idea.support_count}, notify=_authors(idea), quiet=not first,
    )  # fmt: skip
    return idea


@transaction.atomic
def idea_unsupport(*, user: User, idea: Idea) -> Idea:
    deleted, _ = Support.objects.filter(idea=idea, user=user).delete()
    if deleted:
        ratelimit.check(user=user, action="support")  # a refusal rolls the delete back
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        idea.refresh_from_db(fields=["support_count"])
        # The count changes live for everyone; a withdrawal notifies nobody.
        _record(
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
    _record(
        actor=actor, verb="idea.decided", target=idea,
        payload={"from": from_stage, "to": to_stage, "decision_id": decision.pk,
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
    already = set(Support.objects.filter(idea=target).values_list("user_id", flat=True))
    already |= {target.author_id, *target.coauthors.values_list("pk", flat=True)}
    Support.objects.filter(idea=source).exclude(user_id__in=already).update(idea=target)
    Support.objects.filter(idea=source).delete()
    following = set(Follow.objects.filter(idea=target).values_list("user_id", flat=True))
    Follow.objects.filter(idea=source).exclude(user_id__in=following).update(idea=target)
    Follow.objects.filter(idea=source).delete()
    target.support_count = Support.objects.filter(idea=target).count()
    target.follower_count = Follow.objects.filter(idea=target).count()
    target.save(update_fields=["support_count", "follower_count", "updated"])
    decision = Decision.objects.create(
        idea=source, decided_by=actor, from_stage=from_stage, to_stage=Idea.Stage.MERGED,
        reason=reason, merged_into=target,
    )  # fmt: skip
    _record(
        actor=actor, verb="idea.merged", target=source,
        payload={"into_id": target.pk, "into_url": target.get_absolute_url(), "reason": reason,
                 "support_count": target.support_count, "decision_id": decision.pk},
        notify=touched(dict.fromkeys(
            Follow.objects.filter(idea=target).values_list("user_id", flat=True),
            Reason.FOLLOWING,
        ), _authors(source)),
    )  # fmt: skip
    return target


# --- comments ----------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *,
    author: User,
    body: str,
    idea: Idea | None = None,
    problem: Problem | None = None,
    parent: Comment | None = None,
    submission_key: str = "",
    confirm_not_identifying: bool = False,
) -> Comment:
    if not permissions.can_post(author):
        raise PermissionDenied("Sign in to comment.")
    if existing := _already_submitted(Comment, author, submission_key):
        return existing
    if (idea is None) == (problem is None):
        raise ValueError("A comment belongs to exactly one idea or problem.")
    if parent is not None:
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: answer the thread
        if (parent.idea_id, parent.problem_id) != (
            idea.pk if idea else None,
            problem.pk if problem else None,
        ):
            raise ValidationError({"parent": "That comment is on something else."})
    comment = Comment(author=author, body=body.strip(), idea=idea, problem=problem, parent=parent)
    comment.full_clean()
    check_identifying({"body": comment.body}, confirmed=confirm_not_identifying)
    ratelimit.check(user=author, action="post")
    comment, created = _save_once(comment, submission_key)
    if not created:
        return comment
    _participated(author, COMMENTS)
    CommentRevision.objects.create(comment=comment, body=comment.body)
    target: Idea | Problem = idea or problem  # type: ignore[assignment]
    type(target).objects.filter(pk=target.pk).update(comment_count=F("comment_count") + 1)
    _auto_follow(author, target)
    # A reply that also mentions the person replied to is a reply (touched() ranks them).
    replied = {parent.author_id: Reason.REPLY} if parent is not None else {}
    _record(
        actor=author, verb="comment.posted", target=target,
        payload={"comment_id": comment.pk, "parent_id": comment.parent_id,
                 "excerpt": _excerpt(comment.body)},
        notify=touched(replied, _mentions(comment.body)),
    )  # fmt: skip
    return comment


@transaction.atomic
def comment_edit(
    *, actor: User, comment: Comment, body: str, confirm_not_identifying: bool = False
) -> Comment:
    if not permissions.can_edit_comment(actor, comment):
        raise PermissionDenied("Only the comment's author can edit it.")
    body = body.strip()
    if body == comment.body:
        return comment
    before = {"body": comment.body}
    comment.body = body
    comment.edited = timezone.now()
    comment.full_clean()
    check_identifying({"body": body}, before=before, confirmed=confirm_not_identifying)
    ratelimit.check(user=actor, action="edit")
    comment.save(update_fields=["body", "edited"])
    CommentRevision.objects.create(comment=comment, body=body)
    _comment_text_changed(comment)  # the excerpt feeds and e-mails quote is the new text
    _record(
        actor=actor, verb="comment.edited", target=comment.target,
        payload={"comment_id": comment.pk},
    )  # fmt: skip
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """Delete leaves a tombstone so replies stay readable. The history is kept."""
    if not permissions.can_edit_comment(actor, comment):
        raise PermissionDenied("Only the comment's author can delete it.")
    if comment.deleted is not None:
        return comment
    ratelimit.check(user=actor, action="edit")
    comment.deleted = timezone.now()
    comment.save(update_fields=["deleted"])
    _comment_text_changed(comment)
    _record(
        actor=actor, verb="comment.deleted", target=comment.target,
        payload={"comment_id": comment.pk},
    )  # fmt: skip
    return comment


# --- follows -----------------------------------------------------------------------------


@transaction.atomic
def follow(*, user: User, target: Idea | Problem) -> bool:
    if not permissions.can_post(user):
        raise PermissionDenied("Sign in to follow.")
    added = _follow(user, target)
    if added:
        ratelimit.check(user=user, action="follow")  # a refusal rolls the follow back
    return added


@transaction.atomic
def unfollow(*, user: User, target: Idea | Problem) -> bool:
    field = "idea" if isinstance(target, Idea) else "problem"
    deleted, _ = Follow.objects.filter(user=user, **{field: target}).delete()
    if deleted:
        ratelimit.check(user=user, action="follow")  # a refusal rolls the delete back
        type(target).objects.filter(pk=target.pk).update(follower_count=F("follower_count") - 1)
    return bool(deleted)


# --- moderation --------------------------------------------------------------------------


@transaction.atomic
def report(
    *, reporter: User, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> Report:
    """Report an idea or a comment to the stewards. Idempotent: while this person's report
    of the item is open, reporting it again returns that report (``already_reported``)."""
    if not permissions.can_post(reporter):
        raise PermissionDenied("Sign in to report.")
    item = Report(reporter=reporter, idea=idea, comment=comment, reason=reason.strip())
    if existing := _open_report(item):
        return existing
    item.full_clean()
    ratelimit.check(user=reporter, action="report")
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # the same person's report of it, sent twice at once
        if existing := _open_report(item):
            return existing
        raise
    return item


def _open_report(item: Report) -> Report | None:
    existing = Report.objects.filter(
        reporter=item.reporter, idea=item.idea, comment=item.comment, resolved__isnull=True
    ).first()
    if existing is not None:
        existing.already_reported = True
    return existing


@transaction.atomic
def hide(
    *, actor: User, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> Idea | Comment:
    """A steward hides an idea or a comment, publicly: "hidden by … because …"."""
    if not permissions.can_moderate(actor):
        raise PermissionDenied("Only stewards can hide content.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the reason is shown to everyone."})
    ratelimit.check(user=actor, action="moderate")
    obj: Idea | Comment = idea if idea is not None else comment  # type: ignore[assignment]
    if obj.is_hidden:
        return obj
    obj.hidden_at, obj.hidden_by, obj.hidden_reason = timezone.now(), actor, reason[:500]
    obj.hidden_by_name = _name(actor)
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_by_name"])
    Report.objects.filter(**{"idea" if idea else "comment": obj}, resolved__isnull=True).update(
        resolved=timezone.now()
    )
    # What activities copied of the hidden text goes with it, wherever it was shown or queued.
    if idea is not None:
        _retitle(idea)
    else:
        _comment_text_changed(comment)  # type: ignore[arg-type]
    target = idea if idea is not None else comment.target  # type: ignore[union-attr]
    _record(
        actor=actor, verb="content.hidden", target=target,
        payload={"kind": "idea" if idea else "comment", "id": obj.pk, "reason": reason},
    )  # fmt: skip
    return obj
