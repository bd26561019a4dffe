"""Who may do what with the commons' datasets. Small pure rules over objects already loaded."""

from typing import Any

from commons.models import Dataset
from people.models import Organisation


def _profile(user: Any) -> Any:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "profile", None)


def _steward_at(user: Any, organisation_id: int | None) -> bool:
    profile = _profile(user)
    return bool(
        organisation_id is not None
        and profile is not None
        and profile.is_steward
        and profile.organisation_id == organisation_id
    )


def is_steward_of(user: Any, organisation: Organisation | None) -> bool:
    """An active person whom ``organisation`` has made one of its stewards."""
    return _steward_at(user, organisation.pk if organisation is not None else None)


def is_steward(user: Any, dataset: Dataset) -> bool:
    """A steward of the dataset's steward (kaitiaki) organisation: only they import versions."""
    return _steward_at(user, dataset.steward_id)
