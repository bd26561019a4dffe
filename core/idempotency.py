"""``Idempotency-Key`` for API requests that create something (as Stripe has it, and the IETF
draft "The Idempotency-Key HTTP Header Field").

A client that may retry a POST sends a key of its own choosing, e.g. a UUID. The first request
with that key runs and its response (status and body) is kept for a day; the same person
sending the same key to the same endpoint with the same body again gets that response again
and nothing is created twice — even when both arrive at once. The same key with another request
is a 422 naming the header; a key longer than 255 characters, or with anything but visible ASCII
in it, is a 400. Without the header a request runs as usual.

This module holds the rules and ``endpoint(store)``, a decorator for ninja operations. Where the
keys are kept is the ``store`` (``people.services.idempotent``): core has no models.
"""

import functools
import hashlib
import inspect
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from ninja import Status
from ninja.params import functions as params

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
TTL = timedelta(hours=24)  # how long a key and its response are kept
_VALID = re.compile(rf"[\x21-\x7e]{{1,{MAX_LENGTH}}}")  # visible ASCII, no spaces

DESCRIPTION = (
    "Optional. A key of your choosing (e.g. a UUID; 1–255 visible ASCII characters) that makes "
    "retrying this request safe: the same key with the same request within 24 hours returns the "
    "first response again and creates nothing. The same key with a different request is a 422."
)


class KeyInvalid(ValueError):
    """The header's value is not a usable key (a 400)."""


class KeyReused(ValueError):
    """The key was used before for a different request (a 422 naming the header)."""


def clean_key(raw: str | None) -> str | None:
    """The key from the header, or None without one; ``KeyInvalid`` if it is not usable."""
    if raw is None:
        return None
    if not _VALID.fullmatch(raw):
        raise KeyInvalid(
            f"{HEADER} must be 1 to {MAX_LENGTH} visible ASCII characters (letters, digits, "
            "punctuation; no spaces), e.g. a UUID."
        )
    return raw


def fingerprint(*, method: str, path: str, body: bytes) -> str:
    """What makes two requests the same: method, path and body (JSON compared by value, so key
    order and spacing do not matter)."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except ValueError:  # not JSON (nor UTF-8): compare the bytes
        canonical = body
    parts = [method.upper().encode(), path.encode(), canonical]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def replayable(body: Any) -> Any:
    """The response body as JSON values, to keep and to send (the first time too, so that a
    replay is byte for byte the same)."""
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


def conflict_message() -> str:
    return (
        f"This {HEADER} was used for a different request (another endpoint or body) in the "
        "last 24 hours. Use a new key for a new request."
    )


class Store(Protocol):
    def __call__(
        self, *, user: Any, key: str, fingerprint: str, call: Callable[[], tuple[int, Any]]
    ) -> tuple[int, Any]:
        """Run ``call`` once for (user, key) and keep its (status, body); for a repeat with the
        same fingerprint return what was kept; for another fingerprint raise ``KeyReused``."""
        ...


KeyHeader = Annotated[str | None, params.Header(None, alias=HEADER, description=DESCRIPTION)]


def endpoint(store: Store) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a ninja operation that creates something and returns ``Status(code, body)``
    (below the ``@router.post``): it takes an optional ``Idempotency-Key`` header, shown in the
    OpenAPI schema, and with one runs once per key through ``store``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def run(request: HttpRequest, *args: Any, idempotency_key: str | None = None, **kw: Any):
            key = clean_key(idempotency_key)
            user = getattr(request, "auth", None)
            if key is None or user is None:
                return view(request, *args, **kw)

            def call() -> tuple[int, Any]:
                result = view(request, *args, **kw)
                if isinstance(result, Status):
                    return result.status_code, replayable(result.value)
                return 200, replayable(result)

            status, body = store(
                user=user,
                key=key,
                fingerprint=fingerprint(
                    method=request.method or "", path=request.get_full_path(), body=request.body
                ),
                call=call,
            )
            return Status(status, body)

        signature = inspect.signature(view, eval_str=True)
        header = inspect.Parameter(
            "idempotency_key", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=KeyHeader
        )
        run.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*signature.parameters.values(), header]
        )
        return run

    return decorate
