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
