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
