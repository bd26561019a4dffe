"""Keyset paging: a page of rows after a cursor of the last row's sort key.

A page costs the same at page 1 and page 1,000 and never counts the whole table. A cursor this
site did not give out raises ``BadCursor`` (the API says 422, a page starts from the top).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from core.params import BadCursor, decode_cursor, encode_cursor

# Sort keys that are moments (the rest are whole numbers).
MOMENTS = ("created", "updated", "status_changed")


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def keyset(qs: QuerySet, ordering: tuple[str, ...], cursor: str | None) -> QuerySet:
    """Rows strictly after the cursor in ``ordering`` (two fields: a key and the id).

    Raises ``BadCursor`` for a cursor that is not one of this list's (tampered, from another
    sort, a date out of range, a number beyond 64 bits): the API says so (422), a page starts
    again from the top."""
    if not cursor:
        return qs
    fields = [f.lstrip("-") for f in ordering]
    values = decode_cursor(cursor, [datetime if f in MOMENTS else int for f in fields])
    if values is None:
        raise BadCursor("cursor")
    (key, key_value), (tie, tie_value) = zip(fields, values, strict=True)
    after = "lt" if ordering[0].startswith("-") else "gt"
    return qs.filter(
        Q(**{f"{key}__{after}": key_value}) | Q(**{key: key_value, f"{tie}__{after}": tie_value})
    )


def page(qs: QuerySet, ordering: tuple[str, ...], cursor: str | None, size: int) -> Page:
    rows = list(keyset(qs.order_by(*ordering), ordering, cursor)[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, f.lstrip("-")) for f in ordering])
    return Page(rows, next_cursor)
