"""State changes that cannot race: compare and set, in one UPDATE.

Two people deciding at once must not both move a thing "from" the same state. Reading the row,
checking it and saving it lets both pass the check; a row lock helps on PostgreSQL but not on
SQLite. ``change_state`` instead updates the row only if the field still holds the value the
caller checked, and says whether it did, the same way on every database. The caller then raises
its own clear message ("… was changed meanwhile") and nothing is recorded.
"""

from typing import Any

from django.db.models import Model


class StateChanged(Exception):
    """The row no longer holds the state the change was decided from."""


def change_state(
    obj: Model, *, field: str, expected: Any, new: Any, also: dict[str, Any] | None = None
) -> None:
    """Set ``obj.<field>`` from ``expected`` to ``new`` (and the ``also`` fields) in one
    conditional UPDATE; raise :class:`StateChanged` if it no longer holds ``expected``.

    ``obj`` is updated in memory too. Fields with ``auto_now`` are set as ``save`` would."""
    values = {field: new, **(also or {})}
    for f in obj._meta.concrete_fields:
        if getattr(f, "auto_now", False) and f.name not in values:
            values[f.name] = f.pre_save(obj, add=False)
    manager = type(obj)._default_manager
    if not manager.filter(pk=obj.pk, **{field: expected}).update(**values):
        raise StateChanged(field)
    for name, value in values.items():
        setattr(obj, name, value)
