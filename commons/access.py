"""Who decides about a dataset, its rules of use, and restricted access to its stored values
(DESIGN.md section 8, rules 6–8). Every write is keyword-only, atomic, checked before anything
changes, and recorded in the audit chain (``commons.audit``) in the same transaction.

**The governing group** of a dataset is its steward organisation and the organisations on it
(``GoverningMember``): the kaitiaki organisation of a Māori dataset, and member organisations.
An organisation speaks through its own stewards (``permissions.is_steward_of``): each
organisation decides who those are, so a dataset's steward cannot appoint the people who are
meant to check it.

**Rules of use** change only by a public decision of the whole governing group: a steward of
any organisation on it proposes new rules with the reason (``rules_propose``); each other
organisation answers yes or no through one of its stewards (``rules_answer``). The last "yes"
makes the next ``RulesVersion``, its "who agreed" written from the answers; any "no" — the
kaitiaki group's included — declines the proposal, with its reason. Every step is public, in
the feed and in the audit chain. Version 1 is made with the dataset's first need of it
(datasets that existed before the rules did).

**Restricted access**: a lead of an *active* project (the platform's "approved" project — one
that has started its work, not one still forming, paused or closed) asks for the stored values
of published versions, with a purpose statement in the Data Protection and Use Policy manner.
A steward of the steward organisation decides, and for Māori data a steward of a kaitiaki
organisation too, each with a reason. Access starts when every required approval is given and
ends after the days asked for (at most the rules' longest access). One decline ends a request.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from commons import audit, notifying, permissions
from commons.models import (
    AccessDecision,
    AccessRequest,
    Code,
    Dataset,
    Dimension,
    GoverningMember,
    RulesAgreement,
    RulesProposal,
    RulesVersion,
    Series,
    Version,
)
from people.models import Organisation
from projects import permissions as project_permissions
from projects import selectors as project_selectors
from projects.models import Project

# A request nobody decided on within this many days lapses: the purpose it states may no longer
# be true, so it is asked again rather than approved late.
LAPSES_AFTER_DAYS = 90

FIRST_RULES = {
    "who_may_ask": "A lead of an active project on Social Commons, for the project's own work.",
    "purposes": (
        "Understanding and improving outcomes for the people and communities the data is "
        "about, in the project named in the request."
    ),
    "never": (
        "Trying to identify a person, family or whānau; joining the values to other data about "
        "people; using them to decide about a particular person (eligibility, enforcement, "
        "targeting); passing them to anyone not named in the request; publishing any value "
        "that has not been through the commons' confidentiality rules."
    ),
    "max_days": 365,
}
RULES_TEXT = ("who_may_ask", "purposes", "never")
PURPOSE_FIELDS = ("what", "why", "how", "who_sees", "how_long", "not_done")
PURPOSE_LABELS = {
    "what": "What data",
    "why": "Why it is needed",
    "how": "How it will be used",
    "who_sees": "Who will see it",
    "how_long": "How long it is kept",
    "not_done": "What will not be done",
}
MIN_PURPOSE = 20  # characters: a sentence a person whose data it is could read

# The roles of a decision, as plain strings (mypy reads a TextChoices member as its tuple).
STEWARD, KAITIAKI = "steward", "kaitiaki"

STEWARDS_ONLY = "Only a steward of the dataset's steward organisation can do that."


# --- the governing group -----------------------------------------------------------------


def governing_members(dataset: Dataset) -> list[GoverningMember]:
    return list(dataset.governing.select_related("organisation"))


def kaitiaki_organisation_ids(dataset: Dataset) -> set[int]:
    return set(
        dataset.governing.filter(role=GoverningMember.Role.KAITIAKI).values_list(
            "organisation_id", flat=True
        )
    )


def is_kaitiaki(user: Any, dataset: Dataset) -> bool:
    """A steward of one of the dataset's kaitiaki organisations (for Māori data only)."""
    if not dataset.maori_data:
        return False
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    return bool(
        profile is not None
        and user.is_active
        and profile.is_steward
        and profile.organisation_id in kaitiaki_organisation_ids(dataset)
    )


@transaction.atomic
def governing_member_add(
    *, actor: Any, dataset: Dataset, organisation: Organisation, role: str
) -> GoverningMember:
    """Put an organisation on the dataset's governing group (publicly, in the audit chain)."""
    if not permissions.is_steward(actor, dataset):
        raise PermissionDenied(STEWARDS_ONLY)
    if role not in GoverningMember.Role.values:
        raise ValidationError({"role": "Choose kaitiaki group or member organisation."})
    if role == GoverningMember.Role.KAITIAKI and not dataset.maori_data:
        raise ValidationError(
            {"role": "Only a Māori dataset has a kaitiaki group that approves its use."}
        )
    if organisation.pk == dataset.steward_id:
        raise ValidationError(
            {"organisation": "The steward organisation is on the governing group already."}
        )
    if dataset.governing.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": f"{organisation} is on the governing group already."}
        )
    member = GoverningMember.objects.create(
        dataset=dataset, organisation=organisation, role=role, added_by=actor
    )
    audit.record(
        action="governance.changed",
        actor=actor,
        dataset=dataset,
        obj=member,
        details={"added": organisation.name, "role": role},
    )
    return member


# --- rules of use -------------------------------------------------------------------------


def rules_history(dataset: Dataset) -> list[RulesVersion]:
    current_rules(dataset)
    return list(dataset.rules.select_related("decided_by__profile").order_by("-number"))


def current_rules(dataset: Dataset) -> RulesVersion:
    """The rules in force: the newest version, version 1 made on first need."""
    rules = dataset.rules.order_by("-number").first()
    if rules is not None:
        return rules
    try:
        with transaction.atomic():
            steward = dataset.steward.name if dataset.steward else "the steward organisation"
            return RulesVersion.objects.create(
                dataset=dataset,
                number=1,
                reason="The first rules of use, set when the dataset came into the commons.",
                agreed_by=steward,
                decided_by_id=dataset.created_by_id,
                decided_at=dataset.created,
                **FIRST_RULES,
            )
    except IntegrityError:  # made at the same moment by another request
        return dataset.rules.get(number=1)


def _required_text(values: dict[str, Any], fields: Iterable[str], labels: dict[str, str]) -> dict:
    errors = {}
    for name in fields:
        text = str(values.get(name) or "").strip()
        if not text:
            errors[name] = f"{labels[name]}: this is required."
        values[name] = text
    return errors


RULES_LABELS = {
    "who_may_ask": "Who may ask",
    "purposes": "For which purposes",
    "never": "What may never be done",
    "reason": "The reason for the change",
}
NOT_ON_THE_GROUP = (
    "Only a steward of an organisation on the dataset's governing group can propose new rules "
    "of use or answer a proposal."
)


def governing_organisations(dataset: Dataset) -> list[Organisation]:
    """The organisations that decide the rules together: the steward organisation first, then
    the kaitiaki group and member organisations in the order they joined."""
    organisations = [dataset.steward] if dataset.steward else []
    organisations += [m.organisation for m in governing_members(dataset)]
    return organisations


def speaks_for(user: Any, dataset: Dataset) -> Organisation | None:
    """The governing organisation ``user`` speaks for (as one of its stewards), or None."""
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    if profile is None or profile.organisation_id is None:
        return None
    for organisation in governing_organisations(dataset):
        if organisation.pk == profile.organisation_id and permissions.is_steward_of(
            user, organisation
        ):
            return organisation
    return None


def open_proposal(dataset: Dataset) -> RulesProposal | None:
    return (
        dataset.rules_proposals.filter(status=RulesProposal.Status.OPEN)
        .select_related("proposed_by__profile", "organisation", "based_on")
        .first()
    )


def proposals(dataset: Dataset) -> list[RulesProposal]:
    """Every proposal, newest first, with its answers (one query for each list)."""
    return list(
        dataset.rules_proposals.select_related(
            "proposed_by__profile", "organisation", "adopted"
        ).prefetch_related("answers__by__profile", "answers__organisation")
    )


def awaited(proposal: RulesProposal) -> list[Organisation]:
    """The governing organisations that have not answered yet."""
    answered = {a.organisation_id for a in proposal.answers.all()}
    return [o for o in governing_organisations(proposal.dataset) if o.pk not in answered]


@transaction.atomic
def rules_propose(
    *,
    actor: Any,
    dataset: Dataset,
    who_may_ask: str,
    purposes: str,
    never: str,
    max_days: int,
    reason: str,
) -> RulesProposal:
    """Put new rules to the governing group; the proposer's organisation agrees with it. If
    that organisation is the whole group, the rules are adopted at once."""
    organisation = speaks_for(actor, dataset)
    if organisation is None:
        raise PermissionDenied(NOT_ON_THE_GROUP)
    values = {"who_may_ask": who_may_ask, "purposes": purposes, "never": never, "reason": reason}
    errors = _required_text(values, RULES_LABELS, RULES_LABELS)
    if not isinstance(max_days, int) or not 1 <= max_days <= 3650:
        errors["max_days"] = "The longest access is a whole number of days from 1 to 3650."
    if errors:
        raise ValidationError(errors)
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()  # one proposal at a time
    if open_proposal(dataset) is not None:
        raise ValidationError(
            "A proposal is already before the governing group: it is answered first, then the "
            "next one can be made."
        )
    current = current_rules(dataset)
    if all(getattr(current, f) == values[f] for f in RULES_TEXT) and current.max_days == max_days:
        raise ValidationError("These are the rules in force already: nothing to change.")
    now = timezone.now()
    proposal = RulesProposal.objects.create(
        dataset=dataset,
        based_on=current,
        max_days=max_days,
        proposed_by=actor,
        organisation=organisation,
        proposed_at=now,
        **values,
    )
    RulesAgreement.objects.create(
        proposal=proposal, organisation=organisation, agreed=True, note="", by=actor, at=now
    )
    audit.record(
        action="rules.proposed",
        actor=actor,
        dataset=dataset,
        obj=proposal,
        details={"based_on": current.number, "reason": values["reason"]},
    )
    _settle(proposal, by=actor)
    return proposal


@transaction.atomic
def rules_answer(*, actor: Any, proposal: RulesProposal, agree: bool, note: str) -> RulesProposal:
    """One governing organisation's yes or no, by one of its stewards. A "no" needs its reason
    and declines the proposal; the last "yes" adopts it as the next rules version."""
    proposal = (
        RulesProposal.objects.select_for_update().select_related("dataset").get(pk=proposal.pk)
    )
    organisation = speaks_for(actor, proposal.dataset)
    if organisation is None:
        raise PermissionDenied(NOT_ON_THE_GROUP)
    if proposal.status != RulesProposal.Status.OPEN:
        raise ValidationError(
            f"This proposal is {proposal.get_status_display().lower()} already: it is not "
            "answered again."
        )
    if proposal.answers.filter(organisation=organisation).exists():
        raise ValidationError(f"{organisation} has answered this proposal already.")
    note = (note or "").strip()
    if not agree and not note:
        raise ValidationError(
            {"note": "Say why the proposal is declined: the reason is public, like the decision."}
        )
    now = timezone.now()
    RulesAgreement.objects.create(
        proposal=proposal, organisation=organisation, agreed=agree, note=note, by=actor, at=now
    )
    audit.record(
        action="rules.answered",
        actor=actor,
        dataset=proposal.dataset,
        obj=proposal,
        details={"organisation": organisation.name, "agreed": agree, "note": note},
    )
    if not agree:
        proposal.status = RulesProposal.Status.DECLINED
        proposal.closed_at = now
        proposal.save(update_fields=["status", "closed_at"])
        notifying.record_rules_decided(proposal=proposal, by=actor)
        return proposal
    _settle(proposal, by=actor)
    return proposal


def _settle(proposal: RulesProposal, *, by: Any) -> None:
    """Adopt the proposal if every governing organisation has agreed; else announce what is
    still awaited (only when it is first proposed: each answer is in the audit chain)."""
    waiting = awaited(proposal)
    if waiting:
        if proposal.answers.count() == 1:
            notifying.record_rules_proposed(proposal=proposal, by=by, waiting=waiting)
        return
    dataset = proposal.dataset
    answers = proposal.answers.select_related("organisation", "by__profile")
    agreed_by = "; ".join(
        f"{a.organisation} ({getattr(a.by.profile, 'display_name', '') or a.by}, "
        f"{timezone.localdate(a.at):%d %B %Y})"
        for a in answers
    )
    number = (dataset.rules.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    rules = RulesVersion.objects.create(
        dataset=dataset,
        number=number,
        who_may_ask=proposal.who_may_ask,
        purposes=proposal.purposes,
        never=proposal.never,
        max_days=proposal.max_days,
        reason=proposal.reason,
        agreed_by=agreed_by,
        decided_by=by,
        decided_at=now,
        proposal=proposal,
    )
    proposal.status = RulesProposal.Status.ADOPTED
    proposal.closed_at = now
    proposal.save(update_fields=["status", "closed_at"])
    audit.record(
        action="rules.changed",
        actor=by,
        dataset=dataset,
        obj=rules,
        details={"number": number, "reason": proposal.reason, "agreed_by": agreed_by},
    )
    notifying.record_rules_decided(proposal=proposal, by=by)


# --- restricted access: asking -------------------------------------------------------------


def active_led_projects(user: Any) -> list[Project]:
    """The projects ``user`` may ask for restricted access for: active ones they lead now."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    return list(
        Project.objects.filter(
            status=Project.Status.ACTIVE,
            memberships__user=user,
            memberships__role="lead",
        )
        .exclude(memberships__user=user, memberships__expires__lt=today)
        .distinct()
        .order_by("title")
    )


def _require_lead_of_active(user: Any, project: Project) -> None:
    membership = project_selectors.membership_of(user=user, project=project)
    if not project_permissions.is_lead(user, project, membership):
        raise PermissionDenied("Only a lead of the project can ask for restricted access for it.")
    if project.status != Project.Status.ACTIVE:
        raise PermissionDenied(
            f"The project is {project.get_status_display().lower()}: restricted access is for "
            "active projects only."
        )


def area_codes(dataset: Dataset) -> list[Code]:
    return list(
        Code.objects.filter(
            dimension__dataset=dataset, dimension__role=Dimension.Role.AREA
        ).order_by("position", "id")
    )


@transaction.atomic
def request_create(
    *,
    actor: Any,
    dataset: Dataset,
    project: Project,
    versions: Sequence[Version],
    days: int,
    areas: Sequence[Code] = (),
    cohorts: Sequence[Series] = (),
    **purpose: str,
) -> AccessRequest:
    unknown = set(purpose) - set(PURPOSE_FIELDS)
    if unknown:
        raise TypeError(f"request_create() got unexpected fields: {', '.join(sorted(unknown))}")
    _require_lead_of_active(actor, project)
    organisation_id = getattr(getattr(actor, "profile", None), "organisation_id", None)
    if organisation_id is None:
        raise PermissionDenied(
            "Add your organisation to your profile first: the register says whose behalf "
            "data is used on."
        )
    rules = current_rules(dataset)
    errors: dict[str, str] = {}
    values: dict[str, Any] = dict(purpose)
    for name, message in _required_text(values, PURPOSE_FIELDS, PURPOSE_LABELS).items():
        errors[name] = message
    for name in PURPOSE_FIELDS:
        if name not in errors and len(values[name]) < MIN_PURPOSE:
            errors[name] = (
                f"{PURPOSE_LABELS[name]}: say it in a sentence or two, so a person whose data "
                "it is could understand it."
            )
    if not isinstance(days, int) or days < 1:
        errors["days"] = "Ask for a whole number of days, 1 or more."
    elif days > rules.max_days:
        errors["days"] = (
            f"The rules of use (version {rules.number}) allow access for at most "
            f"{rules.max_days} days."
        )
    if not versions:
        errors["versions"] = "Choose at least one published version."
    elif any(v.dataset_id != dataset.pk or v.status != Version.Status.PUBLISHED for v in versions):
        errors["versions"] = "Choose published versions of this dataset."
    if any(a.dimension.dataset_id != dataset.pk or a.dimension.role != "area" for a in areas):
        errors["areas"] = "Choose areas of this dataset."
    if any(c.dataset_id != dataset.pk for c in cohorts):
        errors["cohorts"] = "Choose cohorts of this dataset."
    if errors:
        raise ValidationError(errors)
    access = AccessRequest.objects.create(
        dataset=dataset,
        project=project,
        requester=actor,
        organisation_id=organisation_id,
        rules=rules,
        days=days,
        **values,
    )
    access.versions.set(versions)
    access.areas.set(areas)
    access.cohorts.set(cohorts)
    audit.record(
        action="access.requested",
        actor=actor,
        dataset=dataset,
        obj=access,
        details={
            "project": project.pk,
            "rules": rules.number,
            "versions": sorted(v.number for v in versions),
            "days": days,
        },
    )
    return access


# --- restricted access: deciding -----------------------------------------------------------


def required_roles(dataset: Dataset) -> list[str]:
    """Whose approval access needs: the steward's, and the kaitiaki group's for Māori data."""
    roles = [STEWARD]
    if dataset.maori_data:
        roles.append(KAITIAKI)
    return roles


def roles_of(user: Any, dataset: Dataset) -> list[str]:
    """The roles in which ``user`` may decide on requests for ``dataset``."""
    roles = []
    if permissions.is_steward(user, dataset):
        roles.append(STEWARD)
    if is_kaitiaki(user, dataset):
        roles.append(KAITIAKI)
    return roles


def lapses_on(access: AccessRequest) -> dt.date:
    return timezone.localdate(access.created) + dt.timedelta(days=LAPSES_AFTER_DAYS)


def is_lapsed(access: AccessRequest, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return access.status == AccessRequest.Status.PENDING and today > lapses_on(access)


def open_role_for(user: Any, access: AccessRequest) -> str | None:
    """The role ``user`` may decide this request in now, or None (a page shows the form only
    then; :func:`decide` gives the reason when it is None)."""
    try:
        return _role_for(user, access, list(access.decisions.all()))
    except (PermissionDenied, ValidationError):
        return None


def _role_for(user: Any, access: AccessRequest, decisions: list[AccessDecision]) -> str:
    dataset = access.dataset
    roles = roles_of(user, dataset)
    if not roles:
        if dataset.maori_data:
            raise PermissionDenied(
                "Only a steward of the steward organisation or of the kaitiaki group can "
                "decide on this request."
            )
        raise PermissionDenied(STEWARDS_ONLY)
    if access.requester_id == user.pk:
        raise PermissionDenied("You asked for this access: someone else must decide on it.")
    if access.status != AccessRequest.Status.PENDING:
        raise ValidationError(
            f"This request is {access.get_status_display().lower()} already: it is not "
            "decided again."
        )
    if is_lapsed(access):
        raise ValidationError(
            f"This request lapsed on {lapses_on(access):%d %B %Y} (nobody decided on it within "
            f"{LAPSES_AFTER_DAYS} days): the project lead asks again."
        )
    if any(d.by_id == user.pk for d in decisions):
        raise ValidationError("You have decided on this request already.")
    done = {d.role for d in decisions}
    open_roles = [r for r in roles if r not in done]
    if not open_roles:
        labels = " and ".join(AccessDecision.Role(r).label.lower() for r in roles)
        raise ValidationError(f"The {labels} approval is given already.")
    return open_roles[0]


@transaction.atomic
def decide(*, actor: Any, access: AccessRequest, approve: bool, reason: str) -> AccessRequest:
    """Approve or decline in the role the actor holds. The last required approval starts the
    access today, for the days asked; a decline ends the request."""
    access = AccessRequest.objects.select_for_update().select_related("dataset").get(pk=access.pk)
    decisions = list(access.decisions.all())
    role = _role_for(actor, access, decisions)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the decision: it is public."})
    organisation_id = actor.profile.organisation_id
    now = timezone.now()
    decision = AccessDecision.objects.create(
        request=access,
        role=role,
        approved=approve,
        reason=reason,
        by=actor,
        organisation_id=organisation_id,
        at=now,
    )
    decisions.append(decision)
    complete = False
    if not approve:
        access.status = AccessRequest.Status.DECLINED
        access.decided_at = now
    elif {d.role for d in decisions if d.approved} >= set(required_roles(access.dataset)):
        complete = True
        if access.days > access.rules.max_days:  # the rules' cap, checked again at approval
            raise ValidationError(
                f"The rules of use allow at most {access.rules.max_days} days of access."
            )
        access.status = AccessRequest.Status.APPROVED
        access.decided_at = now
        access.starts_on = timezone.localdate(now)
        access.ends_on = access.starts_on + dt.timedelta(days=access.days - 1)
    access.save(update_fields=["status", "decided_at", "starts_on", "ends_on"])
    audit.record(
        action="access.approved" if approve else "access.declined",
        actor=actor,
        dataset=access.dataset,
        obj=access,
        details={"role": role, "reason": reason, "access_starts": complete},
    )
    if complete:
        notifying.record_access_granted(access=access, by=actor)
    return access


# --- restricted access: using ---------------------------------------------------------------


def is_current(access: AccessRequest, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(
        access.status == AccessRequest.Status.APPROVED
        and access.starts_on is not None
        and access.ends_on is not None
        and access.starts_on <= today <= access.ends_on
    )


def require_current(user: Any, access: AccessRequest) -> None:
    """Only the person granted the access, while it lasts, sees the stored values."""
    if access.requester_id != getattr(user, "pk", None) or not user.is_active:
        raise PermissionDenied("This access was granted to someone else.")
    if access.status != AccessRequest.Status.APPROVED:
        raise PermissionDenied(
            f"This request is {access.get_status_display().lower()}: there is nothing to see "
            "until every approval is given."
        )
    if not is_current(access):
        raise PermissionDenied(
            f"This access ended on {access.ends_on:%d %B %Y}: ask again for a new one."
        )
