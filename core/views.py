"""What every view that runs a service from a form does with the service's refusals.

A ValidationError goes beside the fields it names (text that looks like it identifies someone
also gets a word at the top and the box to tick); a rate limit or a permission refusal goes at
the top of the form, and a rate limit makes the page a 429 with Retry-After. What was typed is
always still in the form.

And the page of the one search across kinds, which belongs to no app (``search_page``).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core import finding, identifying, ratelimit, search
from core.forms import SearchForm
from core.params import positive_int

IDENTIFYING_SUMMARY = (
    "Your text is kept. Take out what could identify someone, or tick "
    f"“{identifying.CONFIRM_LABEL}” below to post it as it is."
)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        codes = {e.code for errors in exc.error_dict.values() for e in errors}
        if identifying.CODE in codes and hasattr(form, "ask_to_confirm_not_identifying"):
            form.add_error(None, IDENTIFYING_SUMMARY)
            form.ask_to_confirm_not_identifying()
    else:
        form.add_error(None, exc.messages)


def attempt(
    request: HttpRequest,
    form: Any,
    call: Callable[[], Any],
    *,
    adapt: Callable[[Any, ValidationError], ValidationError] | None = None,
) -> tuple[bool, Any]:
    """Run a service; on a validation, permission or rate-limit error, report it on the form.
    ``adapt(form, exc)`` may reword a ValidationError first (and change the form's data)."""
    try:
        return True, call()
    except ValidationError as exc:
        apply_errors(form, adapt(form, exc) if adapt else exc)
    except ratelimit.RateLimited as exc:
        form.add_error(None, str(exc))
        request.rate_limited = exc  # refused() makes the page a 429
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "You cannot do that.")
    return False, None


def refused(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A form shown again after a refusal: a 429 with Retry-After if the rate limit refused
    (the message is beside the form and what was typed is still in it)."""
    exc = getattr(request, "rate_limited", None)
    return ratelimit.too_many(response, exc) if exc is not None else response


def submit(
    request: HttpRequest,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    then: Any,
    page: Callable[[], tuple[str, dict[str, Any]]],
    adapt: Callable[[Any, ValidationError], ValidationError] | None = None,
) -> HttpResponse:
    """Validate a posted form and run its service: on success say so and redirect to ``then``;
    otherwise show ``page()`` again (400) with the messages beside the fields."""
    if form.is_valid():
        ok, _ = attempt(request, form, lambda: call(form.cleaned_data), adapt=adapt)
        if ok:
            messages.success(request, done)
            return redirect(then)
    template, context = page()
    return refused(request, render(request, template, context, status=400))


def search_page(request: HttpRequest) -> HttpResponse:
    """``/search/?q=…&kind=…&page=…``: the one search across kinds (core.finding). No words,
    no search: the form and a hint. A query too long, or a kind that is not in the list, is
    said beside the field, and nothing is searched."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        results = finding.run(
            text=form.cleaned_data["q"],
            user=request.user,
            kind=form.cleaned_data["kind"] or None,
            page=positive_int(request.GET.get("page"), default=1, maximum=finding.MAX_PAGE) or 1,
        )
        form.fields["kind"].choices = form.kind_choices(results.counts or None)
    context = {
        "form": form,
        "results": results,
        "max_query": finding.MAX_QUERY,
        "max_words": search.MAX_WORDS,
    }
    return render(request, "core/search.html", context)
