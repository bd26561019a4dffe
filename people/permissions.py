"""Small pure rules, used by services (to enforce) and templates (to show or hide)."""

from typing import Any

from people.models import Profile


def can_edit_profile(user: Any, profile: Profile) -> bool:
    return bool(user.is_authenticated and user.is_active and user.pk == profile.user_id)


def can_add_organisation(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_deactivate_person(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)
