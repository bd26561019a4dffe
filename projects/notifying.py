"""How project activities read, where opening one lands, and whom they tell — registered with
``realtime`` in ``ProjectsConfig.ready()``. Lines are made from the activity row alone: ids and
short labels in the payload, never a card's or an update's text."""

from typing import Any

from core.text import quote, then

YOUR_PROJECT = "your_project"  # you are in it (invited, joined, your role changed)
ASSIGNED = "assigned"  # a card was given to you
DUE_SOON = "due_soon"  # a card of yours is due in the next days
JOIN_REQUEST = "join_request"  # someone asks to join a project you lead
TEAM = "project_team"  # the audience: a project's current members


def status_changed(payload: dict[str, Any]) -> str:
    status = payload.get("to_label") or str(payload.get("to") or "")
    return (f" to {status}" if status else "") + then(quote(payload.get("reason")))


def restricted(payload: dict[str, Any]) -> str:
    return then(quote(payload.get("reason")))


def due(payload: dict[str, Any]) -> str:
    return f" (a card due {payload['due']})" if payload.get("due") else ""


def landing(activity: Any) -> str:
    """Opening an activity lands on the part of the project it is about."""
    payload = activity.payload or {}
    base = activity.target_url
    if activity.target_type != "projects.project" or not base:
        return base
    if "task_id" in payload and activity.verb != "task.deleted":
        return f"{base}board/#task-{payload['task_id']}"
    if "update_id" in payload:
        return f"{base}updates/#update-{payload['update_id']}"
    for key, part in (
        ("milestone_id", "milestones"),
        ("risk_id", "risks"),
        ("measure_id", "outcomes"),
        ("decision_id", "decisions"),
    ):
        if key in payload:
            return f"{base}{part}/#{part[:-1] if part != 'outcomes' else 'measure'}-{payload[key]}"
    if activity.verb in ("project.join_requested", "project.invited", "project.joined"):
        return f"{base}team/"
    return base


def team_of(project: Any) -> tuple[str, str]:
    """The audience "the current members of ``project``"."""
    return (TEAM, str(project.pk))


def team_members(activity: Any, argument: str = "") -> Any:
    from projects.selectors import current_member_ids

    try:
        return current_member_ids(project_id=int(argument))
    except ValueError:
        return []


def register() -> None:
    from realtime import notifications
    from realtime.registry import register_verb

    for verb, phrase, detail, noun in [
        ("project.started", "started the project", None, None),
        ("project.edited", "edited", None, None),
        (
            "project.status_changed",
            "changed the status of",
            status_changed,
            ("status change", "status changes"),
        ),
        ("project.restricted", "restricted", restricted, None),
        ("project.opened", "opened", None, None),
        ("project.invited", "invited someone to", None, None),
        ("project.join_requested", "asked to join", None, None),
        ("project.joined", "joined", None, ("new member", "new members")),
        ("project.left", "left", None, None),
        ("project.member_removed", "removed a member from", None, None),
        ("project.role_changed", "changed a role in", None, None),
        ("project.decided", "recorded a decision in", None, ("decision", "decisions")),
        ("board.changed", "changed the board of", None, None),
        ("task.created", "added a card to", None, ("new card", "new cards")),
        ("task.moved", "moved a card in", None, ("card moved", "cards moved")),
        ("task.edited", "edited a card in", None, ("card edited", "cards edited")),
        ("task.deleted", "removed a card from", None, None),
        ("task.due_soon", "reminds you of", due, None),
        ("milestone.added", "added a milestone to", None, None),
        ("milestone.saved", "updated a milestone of", None, None),
        ("update.posted", "posted an update on", None, ("update", "updates")),
        ("risk.added", "added a risk to", None, None),
        ("risk.saved", "updated a risk of", None, None),
        ("measure.saved", "changed an outcome measure of", None, None),
        ("measure.reading", "recorded a new value for a measure of", None, None),
    ]:
        register_verb(verb, phrase, detail=detail, noun=noun)
    notifications.register_reason(YOUR_PROJECT, "it is about your part in a project", rank=12)
    notifications.register_reason(ASSIGNED, "a card was given to you", rank=14)
    notifications.register_reason(DUE_SOON, "a card of yours is due soon", rank=16)
    notifications.register_reason(JOIN_REQUEST, "you lead the project", rank=18)
    notifications.register_reason(TEAM, "you are in the project", rank=35)
    notifications.register_audience(TEAM, resolve=team_members, reason=TEAM)
