"""What the commons announces to the layers above it.

Apps above ``commons`` (knowledge) react to its events, but ``commons`` must not import them
(the import-linter layers): it sends a signal and they listen. A signal is sent inside the
service's transaction, so a receiver's writes commit or roll back with the change itself.
"""

from django.dispatch import Signal

# Sent by ``commons.publishing.publish_version`` once a version is published (never for a
# refused one), with ``version``: the published Version (its ``dataset`` loaded).
version_published = Signal()
