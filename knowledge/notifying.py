"""How knowledge activities read in the feed — registered with ``realtime`` in
``KnowledgeConfig.ready()`` — and the one place our services record them.

A line is made from the activity row alone: the revision's number in the payload, never the
article's text (an edit or a hiding must not leave a copy behind in the feed).
"""

from typing import Any

CREATED = "knowledge.article_created"
REVISED = "knowledge.revised"


def revised(payload: dict[str, Any]) -> str:
    """ " (revision 4)" """
    number = payload.get("revision")
    return f" (revision {number})" if isinstance(number, int) else ""


def register() -> None:
    from realtime.registry import register_verb

    register_verb(CREATED, "started the article", noun=("new article", "new articles"))
    register_verb(REVISED, "revised", detail=revised, noun=("revision", "revisions"))
    _register_local()


def record(*, actor: Any, verb: str, article: Any, revision: Any) -> Any:
    """The activity for ``revision`` of ``article``, in the caller's transaction (sent live
    after COMMIT; a rolled-back save is never announced). The article's followers are told."""
    from discussion import services as discussion
    from discussion.notifying import FOLLOWERS

    return discussion.record(
        actor=actor,
        verb=verb,
        target=article,
        payload={"revision": revision.number, "revision_id": revision.pk},
        # A new base revision is news to the owners of its local versions (LOCAL_BASE).
        audiences=(FOLLOWERS, LOCAL_OWNERS) if verb == REVISED else (FOLLOWERS,),
    )


# --- local versions (base and local, issue 12) -------------------------------------------

LOCALISED = "knowledge.localised"
UPSTREAM_TAKEN = "knowledge.upstream_taken"
UPSTREAM_DECLINED = "knowledge.upstream_declined"
LOCAL_BASE = "local_base"  # a notification's reason: the base of one's local version changed
LOCAL_OWNERS = "local_owners"  # the audience: the owners of an article's local versions


def base_revision(payload: dict[str, Any]) -> str:
    """ " (base revision 5)" """
    number = payload.get("base_revision")
    return f" (base revision {number})" if isinstance(number, int) else ""


def local_owners(activity: Any, argument: str = "") -> Any:
    """The owners of the local versions of what ``activity`` is about (run by the worker)."""
    from knowledge.models import LocalVersion

    try:
        base_id = int(argument or activity.target_id)
    except ValueError:
        return []
    return LocalVersion.objects.filter(base_id=base_id).values_list("local__owner_id", flat=True)


def _register_local() -> None:
    from realtime import notifications
    from realtime.registry import register_verb

    # The localised activity is about the base ("made a local version of <base>"): its
    # followers hear of it. Taking in and declining are about the local version.
    register_verb(LOCALISED, "made a local version of", noun=("local version", "local versions"))
    register_verb(UPSTREAM_TAKEN, "took in a change to the base of", detail=base_revision)
    register_verb(UPSTREAM_DECLINED, "declined a change to the base of", detail=base_revision)
    notifications.register_reason(LOCAL_BASE, "it is the base of your local version", rank=15)
    notifications.register_audience(LOCAL_OWNERS, resolve=local_owners, reason=LOCAL_BASE)


def record_local(*, actor: Any, verb: str, article: Any, payload: dict[str, Any]) -> Any:
    """An activity about a base or local version (numbers and ids only in ``payload``: a
    decline's reason stays on the local page, where it is shown as written)."""
    from discussion import services as discussion

    return discussion.record(actor=actor, verb=verb, target=article, payload=payload)
