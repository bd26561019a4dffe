"""``GET /api/v1/search``: the one search across kinds (core.finding), as JSON.

The same search as the page ``/search/``: every registered kind (ideas, problems, projects …)
counted, and its best hits — ``PER_KIND`` of each, or, with ``kind``, a page of that kind. What
the caller may not see is neither a hit nor counted (each kind's own rule).
"""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from core import finding
from core.schemas import READ_ERRORS, Input, absolute

router = Router()


class SearchIn(Input):
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=finding.MAX_QUERY)] = (
        Field(
            "",
            description="What to look for. Accents and case do not matter, one slip in a word of "
            "five letters or more is forgiven, and every word must be found.",
        )
    )
    kind: str = Field("", description="Only this kind (its key), a page at a time.")
    page: int = Field(
        1, ge=1, le=finding.MAX_PAGE, description="A page of ``kind``'s hits (20 to a page)."
    )

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        keys = [k.key for k in finding.kinds()]
        if value and value not in keys:
            raise PydanticCustomError(
                "unknown_kind",
                "Not a kind of search: use one of {keys}.",
                {"keys": ", ".join(keys)},
            )
        return value


class HitOut(Schema):
    kind: str
    title: str
    url: str
    snippet: str
    updated: datetime
    rank: float


class GroupOut(Schema):
    kind: str
    label: str
    count: int = Field(
        description="How many were found: the newest 200 matches at most (more if ``capped``)."
    )
    capped: bool
    items: list[HitOut]
    next_page: int | None = Field(description="With ``kind``: the next page, if there is one.")


class CountOut(Schema):
    kind: str
    label: str
    count: int
    capped: bool


class SearchOut(Schema):
    q: str = Field(description="The query as it was read (spaces made single).")
    kind: str | None
    words: list[str] = Field(description="The words searched for, folded (at most 8).")
    counts: list[CountOut] = Field(description="Every kind, with how many it found.")
    groups: list[GroupOut] = Field(description="The kinds that found something, or ``kind``.")


@router.get("/search", response={200: SearchOut, **READ_ERRORS}, tags=["search"])
def search(request: HttpRequest, filters: Query[SearchIn]) -> dict[str, Any]:
    """Ideas, problems and projects (and every other registered kind) that answer ``q``; no
    words in ``q``, no search (empty lists)."""
    results = finding.run(
        text=filters.q, user=request.auth, kind=filters.kind or None, page=filters.page
    )
    return {
        "q": results.query.text,
        "kind": filters.kind or None,
        "words": list(results.query.words),
        "counts": [
            {"kind": g.kind.key, "label": g.kind.label, "count": g.count, "capped": g.capped}
            for g in results.counts
        ],
        "groups": [_group(request, g, paged=bool(filters.kind)) for g in results.groups],
    }


def _group(request: HttpRequest, group: finding.Group, *, paged: bool) -> dict[str, Any]:
    return {
        "kind": group.kind.key,
        "label": group.kind.label,
        "count": group.count,
        "capped": group.capped,
        "items": [
            {
                "kind": h.kind,
                "title": h.title,
                "url": absolute(request, h.url),
                "snippet": h.snippet,
                "updated": h.updated,
                "rank": h.rank,
            }
            for h in group.hits
        ],
        "next_page": group.page + 1 if paged and group.has_next else None,
    }
