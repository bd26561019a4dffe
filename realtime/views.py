from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import sections
from core.params import positive_int
from realtime import notifications, selectors
from realtime.forms import EmailFrequencyForm


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the activity feed. Signed out: what Social Commons is, and a way in."""
    if not request.user.is_authenticated:
        # Real numbers and the newest public items, from the apps that have them (ideas).
        return render(
            request, "realtime/welcome.html", {"sections": sections.render("welcome", request)}
        )
    before = positive_int(request.GET.get("before"))  # not a number: the newest page
    size = settings.FEED_PAGE_SIZE
    items = selectors.activities_visible_to(user=request.user, before=before, limit=size)
    context = {
        "activities": items[:size],
        "older": items[size - 1].id if len(items) > size else None,
        # The live client resumes after the newest item shown, so nothing posted between this
        # render and the socket opening is missed.
        "resume_after": (items[0].id if items else 0) if before is None else None,
        "first_visit": _first_visit(request),
    }
    if before is not None and request.headers.get("HX-Request"):
        return render(request, "realtime/feed.html#feed-page", context)
    return render(request, "realtime/feed.html", context)


# Someone who joined this recently, and has not put it away, sees a note on how to start.
FIRST_VISIT_DAYS = 14
FIRST_VISIT_COOKIE = "sc_first_visit_done"


def _first_visit(request: HttpRequest) -> bool:
    joined = getattr(request.user, "date_joined", None)
    recent = joined is not None and timezone.now() - joined < timedelta(days=FIRST_VISIT_DAYS)
    return recent and request.COOKIES.get(FIRST_VISIT_COOKIE) != "1"


@require_POST
def first_visit_done(request: HttpRequest) -> HttpResponse:
    """Put the first-visit note away (a form button: no JavaScript needed). A cookie for this
    browser: realtime keeps nothing about people but their activity."""
    response = redirect("home")
    response.set_cookie(
        FIRST_VISIT_COOKIE,
        "1",
        max_age=365 * 24 * 3600,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first, consecutive ones about the same thing grouped; ``?unread=1`` for the
    unread only (a link, so it works without JavaScript). Keyset-paged; a fixed number of
    queries whatever the page holds."""
    unread_only = request.GET.get("unread") == "1"
    items = notifications.notifications_for(
        user=request.user, before=positive_int(request.GET.get("before")), unread_only=unread_only
    )
    form = EmailFrequencyForm(
        request.POST or None, initial={"email": notifications.email_frequency(request.user.pk)}
    )
    if request.method == "POST" and form.is_valid():
        notifications.set_email_frequency(user=request.user, frequency=form.cleaned_data["email"])
        messages.success(request, "Saved how often we e-mail you.")
        return redirect("notifications")
    return render(
        request,
        "realtime/notifications.html",
        {
            "groups": notifications.group_notifications(items[:50]),
            "older": items[49].id if len(items) > 50 else None,
            "unread_only": unread_only,
            "form": form,
        },
    )


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: mark it read and land on the exact thing (the comment, the
    decision). A GET, so it is an ordinary link (new tab, middle click, keyboard); it only
    ever marks the signed-in person's own notification read, and doing it twice changes
    nothing more, so a forged or prefetched request can do no harm."""
    target = notifications.open_notification(user=request.user, notification_id=pk)
    if target is None:
        raise Http404
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(target)
    return redirect("notifications")


@require_POST
def notification_read_many(request: HttpRequest) -> HttpResponse:
    """Mark a grouped line's notifications read (``ids``); back to the list."""
    ids = [i for i in (positive_int(v) for v in request.POST.getlist("ids")) if i is not None]
    notifications.mark_many_read(user=request.user, notification_ids=ids)
    unread = "?unread=1" if request.POST.get("unread") == "1" else ""
    return HttpResponseRedirect(reverse("notifications") + unread)


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notifications.mark_read(user=request.user, notification_id=pk)
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would take any other word for a view's name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(target)
    return redirect("notifications")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications")


@csrf_exempt  # mail clients' one-click unsubscribe POSTs carry no CSRF token; the link is signed
@login_not_required
def notification_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From an e-mail, signed in or not. GET asks; POST (or a one-click client POST) does it."""
    valid = notifications.user_id_from_token(token) is not None
    done = False
    if request.method == "POST" and valid:
        done = notifications.unsubscribe(token=token)
    return render(
        request,
        "realtime/unsubscribe.html",
        {"valid": valid, "done": done},
        status=200 if valid else 400,
    )
