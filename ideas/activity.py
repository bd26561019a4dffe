"""How activities about problems, ideas and comments read, and where opening one lands.

Registered with ``realtime`` in ``IdeasConfig.ready()``. Every line is made from the activity
row alone — its payload, never the comment or decision tables — so it is the same for every
viewer (the live frame is encoded once) and text that was hidden, deleted or edited away,
which the services rewrite in the payloads, goes from every line as well.
"""

from typing import Any

from django.utils.text import Truncator

from ideas import selectors

EXCERPT = 140  # characters of a reason quoted in a line (comment excerpts come at 140 already)


def _quote(text: Any) -> str:
    text = " ".join(str(text or "").split())
    return f"“{Truncator(text).chars(EXCERPT)}”" if text else ""


def _then(text: str, sep: str = ": ") -> str:
    return f"{sep}{text}" if text else ""


def decided(payload: dict[str, Any]) -> str:
    """ "… moved <idea> to Shortlisted: “reason”" """
    stage = payload.get("to_label") or payload.get("to") or ""
    return (f" to {stage}" if stage else "") + _then(_quote(payload.get("reason")))


def status_changed(payload: dict[str, Any]) -> str:
    status = payload.get("to_label") or str(payload.get("to") or "").replace("_", " ")
    return (f" to {status}" if status else "") + _then(_quote(payload.get("reason")))


def merged(payload: dict[str, Any]) -> str:
    into = payload.get("into_id")
    return (f" into idea #{into}" if into else "") + _then(_quote(payload.get("reason")))


def commented(payload: dict[str, Any]) -> str:
    # The excerpt is removed from the payload when the comment is hidden or deleted, and
    # rewritten when it is edited: the line follows.
    return _then(_quote(payload.get("excerpt")))


def hidden(payload: dict[str, Any]) -> str:
    what = {"comment": "a comment", "idea": "the idea"}.get(payload.get("kind", ""), "")
    because = _quote(payload.get("reason"))
    return _then(what + (f", because {because}" if because else ""))


def owner_added(payload: dict[str, Any]) -> str:
    return _then(str(payload.get("owner") or ""))


def landing(activity: Any) -> str:
    """The exact thing an activity is about: the comment (``#comment-<id>``, on the page that
    shows it) or the decision (``#decision-<id>``); else the idea's or problem's page."""
    payload = activity.payload or {}
    comment_id = payload.get("comment_id")
    if payload.get("kind") == "comment":
        comment_id = payload.get("id")
    if isinstance(comment_id, int):
        return selectors.comment_landing(comment_id=comment_id) or activity.target_url
    if activity.verb in ("idea.decided", "idea.merged") and activity.target_url:
        decision = payload.get("decision_id")
        return activity.target_url + (f"#decision-{decision}" if decision else "#decisions")
    return activity.target_url
