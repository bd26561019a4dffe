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
    from realtime import notifications
    from realtime.registry import register_verb

    register_verb(CREATED, "started the article", noun=("new article", "new articles"))
    register_verb(REVISED, "revised", detail=revised, noun=("revision", "revisions"))
    register_verb(VERIFIED, "verified", detail=verified, noun=("verification", "verifications"))
    register_verb(REVIEW_SUGGESTED, "suggests a review of", detail=suggested)
    register_verb(REVIEW_DUE, "reminds you to review", detail=review_due)
    notifications.register_reason(REVIEW_DUE_REASON, "you own an article due for review", rank=16)


def record(*, actor: Any, verb: str, article: Any, revision: Any) -> Any:
    """The activity for ``revision`` of ``article``, in the caller's transaction (sent live
    after COMMIT; a rolled-back save is never announced). The article's followers are told."""
    from discussion import services as discussion

    return discussion.record(
        actor=actor,
        verb=verb,
        target=article,
        payload={"revision": revision.number, "revision_id": revision.pk},
    )


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
