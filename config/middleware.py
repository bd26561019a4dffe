"""Two guards at the door: no NUL gets in, and every error under /api/ is JSON.

PostgreSQL refuses a NUL (``\\x00``) in text, so one in a search box, a filter or a cookie
reached the database as a 500 (SQLite quietly stored it). Django's form fields refuse NULs, but
not every parameter goes through a form, and the admin and allauth read their own.
``RejectNulMiddleware`` runs before everything that reads input: a cookie holding a NUL is
ignored (no server set it; a session key with one broke the session lookup), and a NUL in a
query parameter or a posted form field is a 400 page naming it — nothing else runs. The JSON
API's query parameters and bodies are left to its schemas (``core.schemas.Input``), which name
the field in the API's own 422 shape.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

from core.params import field_with_nul

API_PREFIX = "/api/"


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookies = request.COOKIES
        if any("\x00" in name + value for name, value in cookies.items()):
            request.COOKIES = {n: v for n, v in cookies.items() if "\x00" not in n + v}
        if not request.path.startswith(API_PREFIX):
            if (name := field_with_nul(request.GET.lists())) is not None:
                return _refuse(f"The address’s parameter “{name}”")
            if request.method == "POST":
                name = field_with_nul(request.POST.lists())
                if name is not None:
                    return _refuse(f"The form’s field “{name}”")
        return self.get_response(request)


def _refuse(what: str) -> HttpResponse:
    # A page of its own (like 500.html): nothing of the request — no session, no user — is read.
    message = f"{what} holds a NUL character (\\x00), which no text here may contain."
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))


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
