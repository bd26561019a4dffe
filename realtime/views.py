from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from realtime import selectors


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the activity feed. Signed out: what Social Commons is, and a way in."""
    if not request.user.is_authenticated:
        return render(request, "realtime/welcome.html")
    raw_before = request.GET.get("before", "")
    before = int(raw_before) if raw_before.isdigit() else None
    size = settings.FEED_PAGE_SIZE
    items = selectors.activities_visible_to(user=request.user, before=before, limit=size)
    context = {
        "activities": items[:size],
        "older": items[size - 1].id if len(items) > size else None,
        # The live client resumes after the newest item shown, so nothing posted between this
        # render and the socket opening is missed.
        "resume_after": (items[0].id if items else 0) if before is None else None,
    }
    if before is not None and request.headers.get("HX-Request"):
        return render(request, "realtime/feed.html#feed-page", context)
    return render(request, "realtime/feed.html", context)
