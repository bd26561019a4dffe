"""What projects announce to the layers above them.

Apps above ``projects`` (knowledge) react to a project's outcomes changing, but ``projects``
must not import them (the import-linter layers): it sends a signal and they listen. A signal is
sent inside the service's transaction, so a receiver's writes commit or roll back with the
change itself.
"""

from django.dispatch import Signal

# What changed, in ``change``:
COMPLETED = "completed"  # the project's status became "completed"
MEASURE_ADDED = "measure_added"  # a new outcome measure
MEASURE_CHANGED = "measure_changed"  # an outcome measure's definition was edited
READING_ADDED = "reading_added"  # an outcome measure got a new reading

# Sent by ``projects.services`` with ``project`` (the Project), ``change`` (one of the above)
# and ``measure`` (the Measure, or None when the project completed).
outcome_changed = Signal()
