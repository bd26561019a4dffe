"""How knowledge activities read in the feed — registered with ``realtime`` in
``KnowledgeConfig.ready()`` — and the one place our services record them.

A line is made from the activity row alone: the revision's number in the payload, never the
article's text (an edit or a hiding must not leave a copy behind in the feed).
"""

from typing import Any

CREATED = "knowledge.article_created"
REVISED = "knowledge.revised"
LINKED = "knowledge.linked"
FEEDBACK = "knowledge.feedback"
ANSWERED = "knowledge.feedback_answered"
# Why the owner hears of feedback: it is theirs to answer (within FEEDBACK_DAYS).
YOUR_ARTICLE = "knowledge_your_article"


def revised(payload: dict[str, Any]) -> str:
    """ " (revision 4)" """
    number = payload.get("revision")
    return f" (revision {number})" if isinstance(number, int) else ""


def linked(payload: dict[str, Any]) -> str:
    """ " to a project" — the kind only: a restricted project's title is not everyone's."""
    kind = payload.get("kind")
    return f" to {'an' if kind in ('idea', 'indicator') else 'a'} {kind}" if kind else ""


def answered(payload: dict[str, Any]) -> str:
    return " (resolved)" if payload.get("status") == "resolved" else ""


def register() -> None:
    from realtime import notifications
    from realtime.registry import register_verb

    register_verb(CREATED, "started the article", noun=("new article", "new articles"))
    register_verb(REVISED, "revised", detail=revised, noun=("revision", "revisions"))
    register_verb(LINKED, "linked", detail=linked)
    register_verb(FEEDBACK, "gave feedback on", noun=("feedback", "feedback"))
    register_verb(ANSWERED, "answered feedback on", detail=answered)
    notifications.register_reason(YOUR_ARTICLE, "it is feedback on your article", rank=13)
    _register_local()
    register_verb(VERIFIED, "verified", detail=verified, noun=("verification", "verifications"))
    register_verb(REVIEW_SUGGESTED, "suggests a review of", detail=suggested)
    register_verb(REVIEW_DUE, "reminds you to review", detail=review_due)
    notifications.register_reason(REVIEW_DUE_REASON, "you own an article due for review", rank=16)


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


def _record(
    *,
    actor: Any,
    verb: str,
    article: Any,
    payload: dict[str, Any],
    scope: str,
    notify: dict[int, str] | None = None,
) -> Any:
    """Like ``discussion.services.record`` (the article's followers are told), with the scope
    given: an article linked to a restricted project is talked about inside that project only."""
    from discussion import notifying as discussion_notifying
    from realtime import notifications, publish

    activity = publish.record(actor=actor, verb=verb, target=article, payload=payload, scope=scope)
    notifications.notify(
        activity=activity, recipients=notify or {}, audiences=(discussion_notifying.FOLLOWERS,)
    )
    return activity


def record_link(*, actor: Any, article: Any, link: Any, scope: str) -> Any:
    """ "… linked <article> to a project": the target's kind, never its title or id (the line
    is read by everyone the scope lets in)."""
    return _record(
        actor=actor, verb=LINKED, article=article, payload={"kind": link.kind}, scope=scope
    )


def record_feedback(*, actor: Any, feedback: Any, scope: str) -> Any:
    """Feedback posted: the owner is told (it is theirs to answer), and the followers. The
    text stays on the article page: a feed line never carries a copy of it."""
    article = feedback.article
    return _record(
        actor=actor,
        verb=FEEDBACK,
        article=article,
        payload={"feedback_id": feedback.pk},
        scope=scope,
        notify={article.owner_id: YOUR_ARTICLE},
    )


def record_answer(*, actor: Any, feedback: Any, scope: str) -> Any:
    """An answer or a resolution: the person who gave the feedback is told."""
    from discussion import notifying as discussion_notifying

    return _record(
        actor=actor,
        verb=ANSWERED,
        article=feedback.article,
        payload={"feedback_id": feedback.pk, "status": feedback.status},
        scope=scope,
        notify={feedback.author_id: discussion_notifying.REPLY},
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


VERIFIED = "knowledge.verified"
REVIEW_SUGGESTED = "knowledge.review_suggested"
REVIEW_DUE = "knowledge.review_due"
REVIEW_DUE_REASON = "article_review_due"  # the owner of an article whose review is due soon


def verified(payload: dict[str, Any]) -> str:
    """ " (revision 4)" or, for a pathway not yet signed off by enough organisations,
    " (revision 4: 1 of 2 organisations)" """
    number = payload.get("revision")
    if not isinstance(number, int):
        return ""
    orgs, needed = payload.get("organisations"), payload.get("needed")
    if payload.get("verified") is False and isinstance(orgs, int) and isinstance(needed, int):
        return f" (revision {number}: {orgs} of {needed} organisations)"
    return f" (revision {number})"


def suggested(payload: dict[str, Any]) -> str:
    reason = payload.get("reason")
    return f": {reason}" if isinstance(reason, str) and reason else ""


def review_due(payload: dict[str, Any]) -> str:
    return f" (due {payload['due']})" if payload.get("due") else ""


def record_verification(*, actor: Any, article: Any, revision: Any, extra: dict[str, Any]) -> Any:
    """A verification of ``revision``: its followers are told, and open pages of the article
    refresh their "last verified" line."""
    from discussion import services as discussion

    return discussion.record(
        actor=actor,
        verb=VERIFIED,
        target=article,
        payload={"revision": revision.number, "revision_id": revision.pk, **extra},
    )


def record_event(*, verb: str, article: Any, payload: dict[str, Any]) -> Any:
    """An activity about ``article`` that no person did (a review suggested by an event
    elsewhere): its followers are told."""
    from discussion import services as discussion

    return discussion.record(actor=None, verb=verb, target=article, payload=payload)
