from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.views import is_htmx
from dashboard import selectors


def dashboard(request: HttpRequest) -> HttpResponse:
    """One dashboard, the same for everyone who signs in."""
    context = {"d": selectors.build()}
    if is_htmx(request):
        return render(request, "dashboard/dashboard.html#dashboard-body", context)
    return render(request, "dashboard/dashboard.html", context)
