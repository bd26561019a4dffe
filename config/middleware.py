"""Refuse NUL characters in query strings and posted forms, once, before any view.

PostgreSQL refuses a NUL (``\\x00``) in text, so one in a search box or a filter reached the
database as a 500 (SQLite quietly stored it). Django's form fields already refuse NULs, but not
every parameter goes through a form, and the admin and allauth have their own. The answer is a
400 page naming the field; nothing runs. The JSON API is left to its schemas
(``core.schemas.Input``), which name the field in the API's own 422 shape.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
