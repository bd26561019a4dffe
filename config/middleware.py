"""Two guards at the door: NULs refused in query strings and forms, and JSON errors under /api/.

Refuse NUL characters in query strings and posted forms, once, before any view.

PostgreSQL refuses a NUL (``\\x00``) in text, so one in a search box or a filter reached the
database as a 500 (SQLite quietly stored it). Django's form fields already refuse NULs, but not
every parameter goes through a form, and the admin and allauth have their own. The answer is a
400 page naming the field; nothing runs. The JSON API is left to its schemas
(``core.schemas.Input``), which name the field in the API's own 422 shape.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from core.params import field_with_nul

API_PREFIX = "/api/"


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            if (name := field_with_nul(request.GET.lists())) is not None:
                return _refuse(request, f"The address’s parameter “{name}”")
            if request.method == "POST":
                name = field_with_nul(request.POST.lists())
                if name is not None:
                    return _refuse(request, f"The form’s field “{name}”")
        return self.get_response(request)


def _refuse(request: HttpRequest, what: str) -> HttpResponse:
    message = f"{what} holds a NUL character (\\x00), which no text here may contain."
    return render(request, "400.html", {"message": message}, status=400)


class ApiErrorsAsJson:
    """Under /api/ every error is JSON, also those the API's own handlers never see: ninja's 405
    for a method a path does not have, or Django's 500 for an exception outside the API. Such an
    answer becomes ``{"detail": "<reason>"}`` with its status and its Allow header; nothing of
    the original body is kept. (With DEBUG on, a 500 keeps Django's debug page.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
            and not (settings.DEBUG and response.status_code >= 500)
        ):
            answer = JsonResponse({"detail": response.reason_phrase}, status=response.status_code)
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response
