"""Per-person limits on writes: how often one person may do one kind of thing.

``settings.RATE_LIMITS`` maps an action ("post", "edit", "support", …) to ``(count, seconds)``.
A window opens at someone's first action of that kind and closes ``seconds`` later, so a burst
is never split by a clock boundary. Counters live in the cache; if it is unreachable the limit
fails open (pages and posting keep working, DESIGN.md section 9).

Services call ``check(user=…, action=…)`` after validating and before (or, for toggles, right
after — the refusal rolls the write back) writing. A person is anything with a ``pk``: core
imports nothing of ours.
"""

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

# What the message says the person did ("You have … N times"), and whether the action carries
# text they typed (then the message says it is still there).
ACTIONS: dict[str, tuple[str, bool]] = {
    "post": ("posted", True),
    "edit": ("edited or deleted", True),
    "support": ("supported or withdrawn support", False),
    "follow": ("followed or unfollowed", False),
    "report": ("reported something", True),
    "decide": ("made a decision", True),
    "moderate": ("hidden something", True),
    "organisation": ("added an organisation", True),
    "profile": ("saved your profile", True),
    "token": ("created an access token", True),
    "board": ("added, changed or moved cards", True),
}


class RateLimited(Exception):
    """Too many actions of one kind in a short time; the message says to wait."""

    def __init__(self, *, action: str, count: int, seconds: int, retry_after: int) -> None:
        self.action, self.count, self.seconds = action, count, seconds
        self.retry_after = retry_after  # seconds until the window closes (Retry-After)
        super().__init__(message(action=action, count=count, seconds=seconds))


def _window(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            n = seconds // size
            return unit if n == 1 else f"{n} {unit}s"
    return "second" if seconds == 1 else f"{seconds} seconds"


def message(*, action: str, count: int, seconds: int) -> str:
    """The one message every refusal uses, e.g. "You have posted 10 times in the last minute.
    Please wait a moment and try again — what you wrote is still here." """
    done, has_text = ACTIONS.get(action, ("done that", False))
    times = "once" if count == 1 else f"{count} times"
    tail = " — what you wrote is still here." if has_text else "."
    return (
        f"You have {done} {times} in the last {_window(seconds)}. "
        f"Please wait a moment and try again{tail}"
    )


def budget(action: str) -> tuple[int, int]:
    """``(count, seconds)`` for an action, from ``settings.RATE_LIMITS``."""
    try:
        count, seconds = settings.RATE_LIMITS[action]
    except KeyError:
        raise ImproperlyConfigured(f"settings.RATE_LIMITS has no budget for {action!r}") from None
    return int(count), int(seconds)


# Set only by trusted bulk paths (the demo seeder, imports, benchmarks); a ContextVar, so it
# never leaks to other threads or requests.
_off: ContextVar[bool] = ContextVar("rate_limit_off", default=False)


@contextmanager
def rate_limit_disabled() -> Iterator[None]:
    """Within this block every check passes: for the demo seeder and imports, which act many
    times per person at once. Never for anything a person triggers."""
    token = _off.set(True)
    try:
        yield
    finally:
        _off.reset(token)


def check(*, user: Any, action: str) -> None:
    """Count one ``action`` by ``user``; raise ``RateLimited`` if that exceeds its budget."""
    if _off.get():
        return
    count, seconds = budget(action)
    key = f"rate:{action}:{user.pk}"
    now = time.time()
    if cache.add(key, 1, seconds):  # the first in a new window
        cache.set(f"{key}:opened", now, seconds)
        return
    try:
        used = cache.incr(key)
    except ValueError:  # the window closed between the two calls: this opens a new one
        cache.add(key, 1, seconds)
        cache.set(f"{key}:opened", now, seconds)
        return
    if used > count:
        opened = cache.get(f"{key}:opened")
        left = seconds if opened is None else math.ceil(float(opened) + seconds - now)
        raise RateLimited(
            action=action, count=count, seconds=seconds, retry_after=max(1, min(seconds, left))
        )


def first_time(key: str, *, within: int) -> bool:
    """Whether ``key`` was not seen in the last ``within`` seconds (and note it now), e.g. so
    that withdrawing and giving support again does not notify the author twice. True if the
    cache is unreachable."""
    return bool(cache.add(f"once:{key}", 1, within))


def too_many(response: HttpResponse, exc: RateLimited) -> HttpResponse:
    """Mark a response (a form shown again with the message) as 429 with ``Retry-After``."""
    response.status_code = 429
    response["Retry-After"] = str(exc.retry_after)
    return response
