"""How the commons' activities read and where opening one lands — registered with ``realtime``
in ``CommonsConfig.ready()``.

A version published is public news: published data is public, so the activity has the public
scope (the default of a registered target) and reaches the site feed, the dashboard's ticker and
the dataset page of everyone signed in. The line is made from the activity row alone (the
version's number and its counts in the payload, never a value), the same for every viewer.
"""

from typing import Any

from django.urls import reverse

VERSION_PUBLISHED = "commons.version_published"
# A restricted use approved: a new entry of the public data-use register. Public like the
# register itself: who, which dataset, for which project, until when — never a value.
ACCESS_GRANTED = "commons.access_granted"
# Rules of use are decided in public: a proposal put to the governing group, and its outcome.
RULES_PROPOSED = "commons.rules_proposed"
RULES_ADOPTED = "commons.rules_adopted"
RULES_DECLINED = "commons.rules_declined"
GOVERNING = "governing"  # notification reason: your organisation answers for the rules
DATASET = "commons.dataset"  # the activities' target_type for a dataset


def version_published(payload: dict[str, Any]) -> str:
    """ ": version 2 (9,867 rows)" """
    number = payload.get("version")
    if not number:
        return ""
    rows = payload.get("rows")
    return f": version {number}" + (f" ({rows:,} rows)" if isinstance(rows, int) else "")


def access_granted(payload: dict[str, Any]) -> str:
    """ " for “Project”, by Organisation, until 3 March 2027" """
    project, organisation, ends = (
        payload.get("project"),
        payload.get("organisation"),
        payload.get("ends"),
    )
    text = f" for “{project}”" if project else ""
    text += f", by {organisation}" if organisation else ""
    return text + (f", until {ends}" if ends else "")


def rules_proposed(payload: dict[str, Any]) -> str:
    """ ": 2 organisations still to answer" """
    waiting = payload.get("awaiting")
    if not isinstance(waiting, int) or waiting < 1:
        return ""
    return f": {waiting} organisation{'s' if waiting != 1 else ''} still to answer"


def rules_adopted(payload: dict[str, Any]) -> str:
    """ ": version 3, agreed by the whole governing group" """
    number = payload.get("version")
    return f": version {number}, agreed by the whole governing group" if number else ""


def rules_declined(payload: dict[str, Any]) -> str:
    """ ", declined by Te Rōpū Kaitiaki" """
    organisation = payload.get("organisation")
    return f", declined by {organisation}" if organisation else ""


def landing(activity: Any) -> str:
    """Opening a published version lands on its page (what changed is one link away); an
    approved use lands on its request, where its purpose and approvals are."""
    payload = activity.payload or {}
    if activity.verb == ACCESS_GRANTED and payload.get("access"):
        return reverse("commons_access", kwargs={"pk": payload["access"]})
    slug, number = payload.get("slug"), payload.get("version")
    if activity.verb in (RULES_PROPOSED, RULES_ADOPTED, RULES_DECLINED) and slug:
        return reverse("commons_rules", kwargs={"slug": slug}) + "#proposal"
    if activity.verb == VERSION_PUBLISHED and slug and number:
        return reverse("commons_version", kwargs={"slug": slug, "number": number})
    return activity.target_url


def dataset_url(dataset: Any) -> str:
    return reverse("commons_dataset", kwargs={"slug": dataset.slug})


def register() -> None:
    from commons.models import Dataset
    from realtime import notifications
    from realtime.registry import register_landing, register_target, register_verb

    register_target(Dataset, title=lambda d: d.title, url=dataset_url)
    register_landing(DATASET, landing)
    register_verb(
        VERSION_PUBLISHED,
        "published a new version of",
        detail=version_published,
        noun=("new version", "new versions"),
    )
    register_verb(
        ACCESS_GRANTED,
        "approved a restricted use of",
        detail=access_granted,
        noun=("restricted use", "restricted uses"),
    )
    register_verb(
        RULES_PROPOSED,
        "proposed new rules of use for",
        detail=rules_proposed,
        noun=("rules proposal", "rules proposals"),
    )
    register_verb(
        RULES_ADOPTED,
        "adopted new rules of use for",
        detail=rules_adopted,
        noun=("rules change", "rules changes"),
    )
    register_verb(
        RULES_DECLINED,
        "closed a proposal of new rules of use for",
        detail=rules_declined,
        noun=("rules proposal declined", "rules proposals declined"),
    )
    notifications.register_reason(
        GOVERNING, "your organisation is on the dataset's governing group", rank=20
    )


def record_published(*, version: Any, by: Any) -> None:
    """The activity for ``version`` just published by ``by``, inside the publication's
    transaction: written with it and sent live after COMMIT (a rolled-back publication is
    never announced)."""
    from realtime import publish

    dataset = version.dataset
    publish.record(
        actor=by,
        verb=VERSION_PUBLISHED,
        target=dataset,
        payload={
            "version": version.number,
            "slug": dataset.slug,
            "rows": version.row_count,
        },
    )


def record_access_granted(*, access: Any, by: Any) -> None:
    """The register's new entry, as public news, inside the approval's transaction."""
    from django.utils.dateformat import format as date_format

    from realtime import publish

    publish.record(
        actor=by,
        verb=ACCESS_GRANTED,
        target=access.dataset,
        payload={
            "access": access.pk,
            "slug": access.dataset.slug,
            "project": access.project.title,
            "organisation": access.requester.profile.organisation.name
            if access.requester.profile.organisation
            else "",
            "ends": date_format(access.ends_on, "j F Y") if access.ends_on else "",
        },
    )


def record_rules_proposed(*, proposal: Any, by: Any, waiting: list[Any]) -> None:
    """A proposal before the governing group: public news, and a notification to the stewards
    of every organisation still to answer (they are the ones who can)."""
    from people.models import Profile
    from realtime import notifications, publish

    activity = publish.record(
        actor=by,
        verb=RULES_PROPOSED,
        target=proposal.dataset,
        payload={"slug": proposal.dataset.slug, "proposal": proposal.pk, "awaiting": len(waiting)},
    )
    stewards = Profile.objects.filter(
        organisation__in=waiting, is_steward=True, user__is_active=True
    ).values_list("user_id", flat=True)
    notifications.notify(activity=activity, recipients=dict.fromkeys(stewards, GOVERNING))


def record_rules_decided(*, proposal: Any, by: Any) -> None:
    """The outcome, adopted or declined, as public news inside the deciding transaction."""
    from realtime import publish

    adopted = proposal.status == "adopted"
    payload: dict[str, Any] = {"slug": proposal.dataset.slug, "proposal": proposal.pk}
    if adopted:
        payload["version"] = proposal.adopted.number
    else:
        declined = [a for a in proposal.answers.all() if not a.agreed]
        payload["organisation"] = declined[0].organisation.name if declined else ""
    publish.record(
        actor=by,
        verb=RULES_ADOPTED if adopted else RULES_DECLINED,
        target=proposal.dataset,
        payload=payload,
    )
