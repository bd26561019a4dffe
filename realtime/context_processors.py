import time

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from realtime.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, object]:
    """The bell's unread count (computed only if a template shows it), and the moment the page
    was rendered, from which its live client resumes."""
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user=request.user)),
        "rendered_at": f"{time.time():.3f}",
    }
