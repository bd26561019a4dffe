"""The JSON API, mounted at ``/api/v1/`` by ``config/urls.py`` (``include("config.api")``).

Authentication (``TokenAuth``, ``SessionAuth``), the JSON error shape and the URLs, exempt from
``LoginRequiredMiddleware`` so that the API answers 401 JSON instead of redirecting. The
endpoints live in each app's ``api.py``. ``DESCRIPTION`` below is what the docs page shows.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from commons.api import router as commons_router
from core.api import router as search_router
from core.idempotency import HEADER, KeyInvalid, KeyReused
from core.params import BadCursor
from core.ratelimit import RateLimited
from ideas.api import router as ideas_router
from knowledge.api import router as knowledge_router
from people.services import api_token_authenticate
from projects.api import router as projects_router

DESCRIPTION = """
**Authentication**, either of:

* a personal access token (create one at `/profile/tokens/`) sent as
  `Authorization: Bearer sc_…` — for scripts. A wrong or revoked token is a 401, even if a
  session cookie came with it;
* the browser's signed-in session; unsafe methods (POST, PUT, PATCH, DELETE) also need Django's
  CSRF token in the `X-CSRFToken` header (this page adds it for you).

Every data endpoint needs one of them; without, the answer is 401 (never a redirect). This page
and `openapi.json` are readable without signing in: they describe the API and hold no data.

**Errors** are JSON. Input that does not validate — the schema's checks or the service's rules —
is a **422** naming each field at fault (`field` is null for an error about the whole request):

```json
{"detail": [{"field": "title", "message": "String should have at most 200 characters",
             "type": "string_too_long", "loc": ["body", "title"]}]}
```

A field the schema does not have is an error too (`extra_forbidden`), and so is text holding a
NUL character (`nul_character`) or a `cursor` this API did not give out (`invalid_cursor`).

Every other error is `{"detail": "message"}`: **400** a body that is not JSON, **401** not signed
in, **403** not allowed (or a failed CSRF check), **404** not found (an address with no endpoint
too), **429** posting too fast (the message says to wait), and — should it ever happen — **500**,
which says only that something went wrong on our side. A restricted project's inside is a 404
to anyone who is not a current member of it, as if it were not there.

**Cards** on a project's board carry a `version`: a change or move sent with an older one is a
**409** whose `task` is the card as it is now (someone changed it meanwhile).

**Retries**: every POST that creates something (a problem, an idea, a comment, a decision, a
project or anything in one) accepts an `Idempotency-Key` header, a key of your choosing such as
a UUID (1–255 visible ASCII characters). Sent again with the same key and the same body within 24
hours, the request returns the first response again and creates nothing, even if both arrive at
once. The same key with a different request is a **422** naming the header; a malformed key is a
**400**.

**Lists** are cursor-paginated: `?size=` (1–100) and `?cursor=` the `next_cursor` of the previous
page, null on the last one. A page costs the same whatever its position or size.
"""

UNAUTHORISED = (
    "Sign in, or send a personal access token as 'Authorization: Bearer sc_…' "
    "(create one at /profile/tokens/)."
)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sc_…``: a personal access token, stored hashed."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token.strip())
        if user is None:
            # Refuse outright rather than fall back to a session cookie sent alongside.
            raise AuthenticationError(401, "That token is not valid, or it was revoked.")
        return user


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session. Unsafe methods must pass Django's CSRF check.

    Unlike ninja's own ``SessionAuth``, a request with no signed-in session is simply not
    authenticated by this class (a 401 in the end), not a CSRF 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise HttpError(
                403, "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None  # pragma: no cover - __call__ does the work


api = NinjaAPI(
    title="Social Commons API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs=Swagger(settings={"persistAuthorization": False}),
)
api.add_router("/", ideas_router)
api.add_router("/", projects_router)
api.add_router("/", commons_router)
api.add_router("/", knowledge_router)
api.add_router("/", search_router)


# --- errors: one JSON shape -----------------------------------------------------------------


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


def _field_errors(request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(SchemaValidationError)
def _schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    """ninja's location is (source, field, …), with the parameter's name after "body" (a body is
    one schema parameter): drop that name, then the first name in the path is the field."""
    errors = []
    for error in exc.errors:
        loc = list(error["loc"])
        if loc[:1] == ["body"]:
            del loc[1:2]
        field = next((str(p) for p in loc[1:] if isinstance(p, str)), None)
        errors.append({"field": field, "message": error["msg"], "type": error["type"], "loc": loc})
    return _field_errors(request, errors)


@api.exception_handler(DjangoValidationError)
def _service_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service's ``ValidationError({"field": "message"})`` names the field the same way."""
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    errors = []
    for name, items in by_field.items():
        field = None if name == NON_FIELD_ERRORS else name
        for item in items:
            for message in item.messages:
                errors.append(
                    {
                        "field": field,
                        "message": message,
                        "type": item.code or "invalid",
                        "loc": ["body", field] if field else ["body"],
                    }
                )
    return _field_errors(request, errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = UNAUTHORISED if exc.message == "Unauthorized" else exc.message
    response = _error(request, 401, message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "You are not allowed to do that.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(BadCursor)
def _bad_cursor(request: HttpRequest, exc: BadCursor) -> HttpResponse:
    """A list's ``?cursor=`` that is not this list's ``next_cursor``: say so, naming it."""
    message = "Not a cursor of this list: pass the next_cursor of the previous page unchanged."
    error = {"field": "cursor", "message": message, "type": "invalid_cursor"}
    return _field_errors(request, [{**error, "loc": ["query", "cursor"]}])


SERVER_ERROR = "Something went wrong on our side. It has been logged; please try again later."


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else. In development, Django's debug page; in production JSON that says only
    that it went wrong (no traceback, no exception text), logged as Django logs a 500."""
    if settings.DEBUG:
        raise exc
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return _error(request, 500, SERVER_ERROR)


@login_not_required
@csrf_exempt
def no_such_endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any address under /api/ that no endpoint answers: a JSON 404 (``config/urls.py``)."""
    message = "There is no API endpoint at this address: see /api/v1/docs for those there are."
    return JsonResponse({"detail": message}, status=404)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(KeyInvalid)
def _bad_idempotency_key(request: HttpRequest, exc: KeyInvalid) -> HttpResponse:
    return _error(request, 400, str(exc))


@api.exception_handler(KeyReused)
def _idempotency_key_reused(request: HttpRequest, exc: KeyReused) -> HttpResponse:
    error = {"field": HEADER, "message": str(exc), "type": "idempotency_key_reused"}
    return _field_errors(request, [{**error, "loc": ["header", HEADER]}])


# --- URLs -------------------------------------------------------------------------------------


def _login_not_required(patterns: list[URLPattern | URLResolver]) -> None:
    """The API authenticates by itself (401 JSON); LoginRequiredMiddleware must not redirect."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _login_not_required(pattern.url_patterns)
        else:
            login_not_required(pattern.callback)


urlpatterns, _, _ = api.urls
_login_not_required(urlpatterns)
app_name = "api"
