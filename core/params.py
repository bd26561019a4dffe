"""Reading values that arrive as text — query parameters, path segments, list cursors — without
ever raising on what a stranger typed.

Every numeric parameter is read by ``positive_int``: ASCII digits only (``str.isdigit()`` is
true for "²" and "٣", which ``int()`` then refuses), at most 19 of them (``int()`` refuses
5,000), and no larger than a 64-bit database id (SQLite and PostgreSQL refuse more). Anything
else is "not given": the caller uses its default. List cursors are read by ``decode_cursor``,
which returns None for anything it did not make: bad base64, bad JSON, the wrong shape, a date
out of range, an integer beyond 64 bits. ``field_with_nul`` finds the NUL characters that
PostgreSQL refuses in text (``config.middleware`` and ``core.schemas`` reject them at the door).
"""

import base64
import binascii
import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

MAX_ID = 2**63 - 1  # the largest id (and count) a database column holds: a signed 64-bit integer
MAX_CURSOR_LENGTH = 512
_DIGITS = re.compile(r"[0-9]{1,19}")


class BadCursor(ValueError):
    """A list cursor that this site did not give out (or not for this list)."""


def positive_int(raw: Any, *, default: int | None = None, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an integer from 1 to ``maximum`` if it is a string of ASCII digits (or already
    such an int); otherwise ``default``. Never raises."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw):
        value = int(raw)
    else:
        return default
    return value if 1 <= value <= maximum else default


def encode_cursor(values: Sequence[int | datetime]) -> str:
    """A list position (the last row's sort key and id) as an opaque, URL-safe string."""
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode()


def decode_cursor(raw: Any, kinds: Sequence[type]) -> list[Any] | None:
    """The values ``encode_cursor`` wrote, one per entry of ``kinds`` (``int`` or ``datetime``),
    or None if ``raw`` is not such a cursor. Integers are 0..MAX_ID; datetimes carry a time zone
    and are returned in UTC (so one cannot fall outside years 1 to 9999). Never raises."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_CURSOR_LENGTH:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error, RecursionError):
        return None
    if not isinstance(values, list) or len(values) != len(kinds):
        return None
    parsed = [_cursor_value(value, kind) for value, kind in zip(values, kinds, strict=True)]
    return None if any(p is None for p in parsed) else parsed


def _cursor_value(value: Any, kind: type) -> int | datetime | None:
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID:
            return value
        return None
    if kind is datetime and isinstance(value, str) and len(value) <= 40:
        # A naive moment is not one of ours (Django would read it in local time, perhaps out
        # of range); astimezone raises OverflowError before year 1 or after 9999 in UTC.
        try:
            moment = datetime.fromisoformat(value)
            return None if moment.tzinfo is None else moment.astimezone(UTC)
        except (ValueError, OverflowError):
            return None
    return None


def field_with_nul(fields: Iterable[tuple[str, list[str]]]) -> str | None:
    """The name of the first field (e.g. of ``QueryDict.lists()``) whose name or a value holds a
    NUL character, which PostgreSQL refuses in text; None if there is none."""
    for name, values in fields:
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "\\x00")
    return None
