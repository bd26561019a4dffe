"""Every write about base and local versions: making a local version, and taking a change
to its base in or declining it.

A local version is an ordinary article with a ``LocalVersion`` row that names its base, the
organisation it is for and the base revision it is in step with (``follows``). When the base
gets a new revision the local version is "behind"; a writer of it then either takes the change
in (a new local revision from the merged text, which they may have edited) or declines it with
a public reason. Either way the local version then follows the base's newest revision.

Both name what the page showed — the base revision offered and, for taking in, the local
revision the merge was made from — and are refused if either moved on meanwhile, with nothing
changed: a merge made against texts that are no longer current would lose someone's work.
Keyword-only, atomic, permission first, validated before anything changes, one activity each.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import identifying, ratelimit
from discussion import services as discussion
from knowledge import merging, notifying, services
from knowledge.models import Article, LocalVersion, Revision, UpstreamDecision
from people.models import Organisation, User

MAX_LABEL = 100
MAX_REASON = 500


class Stale(ValidationError):
    """The base, or the local version, moved on since the page was shown: nothing changed."""


class AlreadyLocalised(ValidationError):
    """The organisation has a local version of this base already (``local``, to link to)."""

    def __init__(self, local: Article) -> None:
        self.local = local
        super().__init__(
            "Your organisation already has a local version of this article: "
            f"“{local.title}”. Improve that one instead."
        )


def _label(text: str, default: str) -> str:
    label = " ".join(str(text).split()) or default
    if len(label) > MAX_LABEL:
        raise ValidationError(
            {"label": f"Keep who it is for under {MAX_LABEL} characters (it has {len(label)})."}
        )
    return label


def _local_title(title: str, label: str) -> str:
    """ "Falls in older people (Porirua)", cut to fit a title."""
    suffix = f" ({label})"
    room = Article._meta.get_field("title").max_length - len(suffix)
    return (title[: max(room - 1, 0)] + "…" if len(title) > room else title) + suffix


def check_localisable(*, actor: Any, base: Article) -> Organisation:
    """Refuse (PermissionDenied, ValidationError, ``AlreadyLocalised``) if ``actor`` may not
    make a local version of ``base``; else their organisation. Reads only: the page asks it
    before showing the form, ``localise`` again with the base locked."""
    services._may_write(actor)
    if base.is_hidden:
        raise PermissionDenied("This article is hidden, so it cannot be localised.")
    organisation = actor.profile.organisation
    assert organisation is not None  # _may_write: a writer has one
    parent = LocalVersion.objects.filter(local=base).select_related("base").first()
    if parent is not None:
        raise ValidationError(
            f"This is a local version of “{parent.base.title}”: make your local version from "
            "that article, so that you follow its changes directly."
        )
    if base.organisation_id == organisation.pk:
        raise ValidationError(
            "This article is your organisation's own: edit it rather than making a local "
            "version of it."
        )
    existing = (
        LocalVersion.objects.filter(base=base, organisation=organisation)
        .select_related("local")
        .first()
    )
    if existing is not None:
        raise AlreadyLocalised(existing.local)
    return organisation


@transaction.atomic
def localise(*, actor: User, base: Article, label: str = "") -> LocalVersion:
    """Make ``actor``'s organisation a local version of ``base``: a new article of the same
    kind whose first revision is the base's current text, following that revision. One per
    base per organisation; a local version is not itself a base (make yours from its base)."""
    services._may_write(actor)
    current = services._locked_current(base)  # two clicks at once: the second waits
    organisation = check_localisable(actor=actor, base=base)
    label = _label(label, organisation.name)
    # The article is made here rather than by ``services.article_create``: its text is the
    # base's (checked when it was written there), and its one activity is "localised".
    local = Article(
        kind=base.kind,
        title=_local_title(current.title, label),
        summary=current.summary,
        owner=actor,
        organisation=organisation,
        tag_text=base.tag_text,
        review_interval_days=base.review_interval_days,
        search_text=current.body,
    )
    local.full_clean(exclude=["current"])
    texts = {
        "title": local.title,
        "summary": current.summary,
        "body": current.body,
        "edit_summary": f"Local version of base revision {current.number}, for {label}",
    }
    revision = services._new_revision(article=local, number=1, author=actor, texts=texts)
    services._check_pathway(local.kind, revision.body)
    ratelimit.check(user=actor, action="post")
    local.save()
    revision.article = local
    revision.save()
    local.current = revision
    local.save(update_fields=["current"])
    local.tags.set(list(base.tags.names()))
    discussion.auto_follow(actor, local)
    version = LocalVersion(
        base=base,
        local=local,
        organisation=organisation,
        label=label,
        follows=current,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:  # the lock on the base makes this a raw write meanwhile
        raise ValidationError(
            "Your organisation made a local version of this article at the same moment: "
            "open the article again."
        ) from None
    notifying.record_local(
        actor=actor,
        verb=notifying.LOCALISED,
        article=base,
        payload={"local_id": local.pk, "base_revision": current.number},
    )
    return version


def _locked(version: LocalVersion) -> tuple[LocalVersion, Revision]:
    """The local version's row, locked, and the base's newest revision (the base row locked
    too): a take-in and a decline of one local version wait for each other, and a new base
    revision waits for both."""
    locked = (
        LocalVersion.objects.select_for_update(of=("self",))
        .select_related("follows")
        .get(pk=version.pk)
    )
    return locked, services._locked_current(Article(pk=locked.base_id))


def _check_step(*, version: LocalVersion, newest: Revision, upstream_number: int) -> None:
    if newest.number != upstream_number:
        raise Stale(
            f"The base changed again since this page was shown: it is at revision "
            f"{newest.number} now, not {upstream_number}. Nothing was saved: look at the "
            "comparison again."
        )
    if version.follows_id == newest.pk:
        raise ValidationError(
            f"This local version already follows base revision {newest.number}: there is no "
            "change to take in or decline."
        )


def _may_act(actor: Any, version: LocalVersion) -> None:
    services._may_write(actor)
    if version.local.is_hidden:
        raise PermissionDenied("This article is hidden, so it cannot be edited.")
    if version.base.is_hidden:
        raise PermissionDenied(
            "The base of this local version is hidden, so its changes cannot be taken in or "
            "declined."
        )


@transaction.atomic
def upstream_take(
    *,
    actor: User,
    version: LocalVersion,
    upstream_number: int,
    local_number: int,
    title: str,
    summary: str,
    body: str,
    edit_summary: str = "",
    confirm_not_identifying: bool = False,
) -> UpstreamDecision:
    """Take base revision ``upstream_number`` in: save the merged text (as the person left
    it) as a new local revision made from local revision ``local_number``, and follow that base
    revision. If the text is the local text already, no revision is made but the change is
    still recorded as taken in. Refused if the base or the local version moved on meanwhile,
    or if conflict markers are left in the text."""
    local = version.local
    _may_act(actor, version)
    texts = services._clean_texts(title, summary, body, edit_summary)
    version, newest = _locked(version)
    _check_step(version=version, newest=newest, upstream_number=upstream_number)
    current = services._locked_current(local)
    if current.number != local_number:
        raise Stale(
            f"Someone saved local revision {current.number} since this page was shown (it "
            f"was made from revision {local_number}). Nothing was saved: the comparison now "
            "includes their change."
        )
    left = merging.marked_conflicts(texts["body"])
    if left:
        raise ValidationError(
            {
                "body": f"The text still has {left} conflict marker line{'s' if left != 1 else ''}"
                f" (“{merging.LOCAL_MARK}” …): keep the local text, the base's, or both, and "
                "take the marker lines out. Both texts are still there."
            }
        )
    revision = None
    if any(texts[f] != getattr(current, f) for f in services.TEXT_FIELDS):
        texts["edit_summary"] = texts["edit_summary"] or (
            f"Took in revision {newest.number} of the base"
        )
        revision = services._new_revision(
            article=local, number=current.number + 1, author=actor, texts=texts
        )
        services._check_pathway(local.kind, texts["body"])
        identifying.check(
            {f: texts[f] for f in services.TEXT_FIELDS},
            confirmed=confirm_not_identifying,
            # Only what neither text had is asked about: the base's text was checked there.
            before={
                f: f"{getattr(current, f)}\n{getattr(newest, f)}" for f in services.TEXT_FIELDS
            },
        )
    ratelimit.check(user=actor, action="edit")
    if revision is not None:
        _save_revision(local, revision)
    decision = _decide(
        version=version,
        newest=newest,
        actor=actor,
        action=str(UpstreamDecision.Action.TAKEN),
        local_revision=revision,
    )
    notifying.record_local(
        actor=actor,
        verb=notifying.UPSTREAM_TAKEN,
        article=local,
        payload={
            "base_revision": newest.number,
            "revision": revision.number if revision is not None else None,
            "revision_id": revision.pk if revision is not None else None,
        },
    )
    return decision


@transaction.atomic
def upstream_decline(
    *,
    actor: User,
    version: LocalVersion,
    upstream_number: int,
    reason: str,
    confirm_not_identifying: bool = False,
) -> UpstreamDecision:
    """Decline base revision ``upstream_number`` with a reason shown on the local page: the
    local text stays as it is and follows that base revision from now on."""
    local = version.local
    _may_act(actor, version)
    reason = " ".join(str(reason).split())
    if not reason:
        raise ValidationError(
            {"reason": "Say why the local version does not take this change: it is shown "
             "on the local version's page."}
        )  # fmt: skip
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": f"Keep the reason under {MAX_REASON} characters (it has {len(reason)})."}
        )
    version, newest = _locked(version)
    _check_step(version=version, newest=newest, upstream_number=upstream_number)
    identifying.check({"reason": reason}, confirmed=confirm_not_identifying)
    ratelimit.check(user=actor, action="edit")
    decision = _decide(
        version=version,
        newest=newest,
        actor=actor,
        action=str(UpstreamDecision.Action.DECLINED),
        reason=reason,
    )
    notifying.record_local(
        actor=actor,
        verb=notifying.UPSTREAM_DECLINED,
        article=local,
        payload={"base_revision": newest.number, "decision_id": decision.pk},
    )
    return decision


def _save_revision(local: Article, revision: Revision) -> None:
    """The new local revision becomes the local article's current one (as an edit does)."""
    revision.save()
    retitled = local.title != revision.title
    local.current = revision
    local.title, local.summary = revision.title, revision.summary
    local.search_text = revision.body
    local.updated = timezone.now()
    local.save(update_fields=["current", "title", "summary", "search_text", "updated"])
    if retitled:
        discussion.retitle(local)


def _decide(
    *,
    version: LocalVersion,
    newest: Revision,
    actor: User,
    action: str,
    local_revision: Revision | None = None,
    reason: str = "",
) -> UpstreamDecision:
    decision = UpstreamDecision(
        local_version=version,
        action=action,
        base_revision=newest,
        previous_id=version.follows_id,
        local_revision=local_revision,
        reason=reason,
        actor=actor,
    )
    decision.full_clean(exclude=["local_version", "base_revision", "previous", "local_revision"])
    decision.save()
    version.follows = newest
    version.save(update_fields=["follows"])
    discussion.auto_follow(actor, version.local)
    return decision
