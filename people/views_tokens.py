"""Personal access tokens for the JSON API: list, create (shown once), revoke."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit
from people import selectors, services


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=80,
        help_text="What the token is for, e.g. “weekly report script” (up to 80 characters).",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's own tokens, and a form to create one. A new token's secret is shown in this
    one response only (not stored, not redirected through a cookie, never cached)."""
    form = ApiTokenForm(request.POST or None)
    created = raw = None
    refused: ratelimit.RateLimited | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ratelimit.RateLimited as exc:
            form.add_error(None, str(exc))
            refused = exc
        else:
            form = ApiTokenForm()
    page = render(
        request,
        "people/tokens.html",
        {
            "form": form,
            "tokens": selectors.api_tokens_of(request.user),
            "created": created,
            "raw_token": raw,
        },
    )
    return ratelimit.too_many(page, refused) if refused else page


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_of(user=request.user, pk=pk)  # someone else's: 404
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, f"The token “{token.name}” was revoked: it no longer works.")
    return redirect("api_tokens")
