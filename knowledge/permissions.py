"""Who may do what with articles. Pure functions, no queries beyond the profile."""

from typing import Any

NO_ORGANISATION = (
    "Add your organisation to your profile first: every revision is shown with the "
    "organisation of the person who wrote it."
)


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_organisation(user: Any) -> bool:
    profile = getattr(user, "profile", None) if _active(user) else None
    return bool(profile is not None and profile.organisation_id is not None)


def can_write(user: Any) -> bool:
    """Anyone signed in with an organisation on their profile starts and edits articles:
    writing across organisations is the point, so there is no per-article author list."""
    return has_organisation(user)


def can_moderate(user: Any) -> bool:
    """Stewards hide comments, and an article, with a visible reason."""
    profile = getattr(user, "profile", None) if _active(user) else None
    return bool(profile is not None and profile.is_steward)
