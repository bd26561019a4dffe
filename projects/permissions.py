"""Who may see and do what in a project. Pure functions over a ``Membership`` already loaded
(``selectors.membership_of``), so a page asks them as often as it likes without a query.

- Everyone signed in sees an open project entirely, and comments on it and follows it.
- A restricted project's public face (title, purpose, lead, organisations, why it is restricted)
  is everyone's; the rest is its current members'.
- Members (not observers) write: tasks, updates, milestones, risks, measures, decisions.
- Leads run it: status, roles, columns, invitations and join requests, restricting it.
"""

from typing import Any

from projects.models import Membership, Project

ROLE = Membership.Role


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _current(membership: Membership | None) -> Membership | None:
    return membership if membership is not None and membership.is_current() else None


def is_member(user: Any, membership: Membership | None) -> bool:
    return _active(user) and _current(membership) is not None


def can_view(user: Any, project: Project, membership: Membership | None) -> bool:
    """Everything inside the project: board, updates, discussion, decisions, risks …"""
    if not _active(user):
        return False
    return not project.restricted or is_member(user, membership)


def can_comment(user: Any, project: Project, membership: Membership | None) -> bool:
    return can_view(user, project, membership)


def can_write(user: Any, project: Project, membership: Membership | None) -> bool:
    """Tasks, updates, milestones, risks, measures and the decision log."""
    current = _current(membership) if _active(user) else None
    return current is not None and current.role in (ROLE.LEAD, ROLE.MEMBER)


def is_lead(user: Any, project: Project, membership: Membership | None) -> bool:
    current = _current(membership) if _active(user) else None
    return current is not None and current.role == ROLE.LEAD


def can_ask_to_join(user: Any, project: Project, membership: Membership | None) -> bool:
    return _active(user) and _current(membership) is None and not project.is_closed


NOT_A_MEMBER = "Only members of this project can do that: ask to join it first."
RESTRICTED = "This project is restricted: only its members can see or add to what is inside."
OBSERVER = "Observers follow the work but do not change it: ask a lead to make you a member."
LEADS_ONLY = "Only the project's leads can do that."
