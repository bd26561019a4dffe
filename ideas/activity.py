"""How activities about problems, ideas and comments read, and where opening one lands.

Registered with ``realtime`` in ``IdeasConfig.ready()``. Every line is made from the activity
row alone — its payload, never the comment or decision tables — so it is the same for every
viewer (the live frame is encoded once) and text that was hidden, deleted or edited away,
which the services rewrite in the payloads, goes from every line as well.
"""

from typing import Any

from core.text import quote as _quote
from core.text import then as _then


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


def owner_added(payload: dict[str, Any]) -> str:
    return _then(str(payload.get("owner") or ""))


def decision_landing(activity: Any) -> str:
    """Opening a decision lands on it (``#decision-<id>``) on the idea's page."""
    if activity.verb in ("idea.decided", "idea.merged") and activity.target_url:
        decision = (activity.payload or {}).get("decision_id")
        return activity.target_url + (f"#decision-{decision}" if decision else "#decisions")
    return activity.target_url


YOUR_IDEA = "your_idea"  # a notification's reason: it is about an idea one wrote


def register() -> None:
    from realtime import notifications
    from realtime.registry import register_verb

    for verb, phrase, detail, noun in [
        ("problem.posted", "posted a problem:", None, None),
        ("problem.owner_added", "added an owner to", owner_added, None),
        ("problem.status_changed", "changed the status of", status_changed, None),
        ("idea.posted", "posted an idea:", None, None),
        ("idea.edited", "edited", None, None),
        ("idea.supported", "supported", None, None),
        ("idea.unsupported", "withdrew support from", None, None),
        ("idea.decided", "moved", decided, ("decision", "decisions")),
        ("idea.merged", "merged a duplicate:", merged, None),
    ]:
        register_verb(verb, phrase, detail=detail, noun=noun)
    notifications.register_reason(YOUR_IDEA, "it is your idea", rank=10)
