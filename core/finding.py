"""One search across every kind of thing people write (ideas, problems, projects, and the
articles to come): the kinds register themselves, this module asks each of them.

``core`` is the bottom layer and imports no app, so each app says, in its
``AppConfig.ready()``, how its things are found (``register``): a key (``"idea"``), a plural
label (``"Ideas"``), and two reads — ``find(query, user, limit=…, offset=…)``, the visible
matches as ``Hit``s, best first, with how many there are, and ``count(query, user, cap=…)``,
how many there are alone. **Visibility is the kind's job**: what a person may not see (a
restricted project of which they are not a member, a hidden idea) is never a hit, nor counted.

A kind ranks its newest ``CANDIDATES`` matches and counts no further ("200+"): a common word
matches most rows ("whanau": 64,000 of 100,000 ideas), and ranking or counting them all read
every one's text — ~150 ms. Two hundred are found along the newest-first index (or, for a
rare word, through the text index and sorted) in a few milliseconds, whatever the word; more
words narrow a search that finds more than that.

Matching is ``core.search``'s, the same as every other search on the site. The typed text is
read once (``Query``): folded words, whether it uses web-search syntax, and — on PostgreSQL —
the stored words one slip away from each typed word, asked of the lexicon once for all kinds
(not once per kind). A search then costs that one query (PostgreSQL, when a word may slip) and
one per kind — its hits and their number together, or, for the kinds not chosen when one is,
their number — however many rows match.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from core import search

MAX_QUERY = 200  # characters of a query read; a longer one is refused with a message
PER_KIND = 5  # hits of each kind shown when no kind is chosen
PAGE_SIZE = 20  # hits of one kind on a page
CANDIDATES = 200  # a kind ranks (and counts) its newest 200 matches: "200+" beyond that
MAX_PAGE = CANDIDATES // PAGE_SIZE  # the pages of one kind: 10
SNIPPET = 200  # characters of a snippet


@dataclass(frozen=True)
class Query:
    """What someone typed, read once for every kind.

    ``text`` is the query with its spaces made single, ``words`` its distinct folded words (at
    most ``search.MAX_WORDS``), ``operators`` whether it uses PostgreSQL's web-search syntax
    (it is then matched as written, folded), and ``near`` — PostgreSQL only, from
    ``prepare`` — each typed word's stored words one slip away."""

    text: str
    words: tuple[str, ...]
    operators: bool = False
    dropped_words: int = 0  # words typed beyond search.MAX_WORDS: not searched for
    near: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def searchable(self) -> bool:
        return bool(self.words)

    def groups(self) -> list[list[str]]:
        """Each typed word with the stored words one slip away from it (PostgreSQL)."""
        return [[w, *self.near.get(w, [])] for w in self.words]


def read(text: str) -> Query:
    """A query from what was typed (no database). The caller has refused text longer than
    ``MAX_QUERY``; it is cut there anyway, so nothing longer ever reaches SQL."""
    text = " ".join(str(text or "").split())[:MAX_QUERY]
    every = list(dict.fromkeys(search.words(text)))
    words = tuple(every[: search.MAX_WORDS])
    return Query(
        text=text,
        words=words,
        operators=search.uses_operators(text),
        dropped_words=len(every) - len(words),
    )


def prepare(query: Query, using: str = "default") -> Query:
    """The query with its near words, on PostgreSQL (``core.search.near_words``: one query,
    none when no typed word may slip); SQLite's ``sc_match`` finds slips row by row."""
    from django.db import connections

    if not query.words or query.operators or connections[using].vendor != "postgresql":
        return query
    near = search.near_words(query.words, using=using)
    return Query(query.text, query.words, query.operators, query.dropped_words, near)


@dataclass(frozen=True)
class Hit:
    """One thing found: what a results list shows of it."""

    kind: str
    title: str
    url: str
    snippet: str  # plain text (a template escapes it)
    updated: datetime
    rank: float  # higher is better, comparable within a kind


@dataclass(frozen=True)
class Found:
    """A page of hits, and how many matches there are: ``CANDIDATES + 1`` stands for more
    than ``CANDIDATES`` (0 when the page is beyond the last)."""

    hits: list[Hit]
    count: int


class Find(Protocol):
    def __call__(self, query: Query, user: Any, *, limit: int, offset: int = 0) -> Found: ...


class Count(Protocol):
    def __call__(self, query: Query, user: Any, *, cap: int) -> int: ...


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # plural, for the filter and headings: "Ideas"
    noun: str  # singular, for a hit's badge: "Idea"
    find: Find
    count: Count
    order: int


_kinds: dict[str, Kind] = {}


def register(
    key: str, *, label: str, noun: str, find: Find, count: Count, order: int = 100
) -> None:
    """Make a kind searchable; registering a key again replaces it."""
    _kinds[key] = Kind(key, label, noun, find, count, order)


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))


def kind_of(key: str) -> Kind | None:
    return _kinds.get(key)


@dataclass
class Group:
    """The hits of one kind, and how many there are (``capped``: more than that)."""

    kind: Kind
    hits: list[Hit]
    count: int
    capped: bool
    page: int = 1
    has_next: bool = False

    @property
    def start(self) -> int:
        """The number of the page's first hit."""
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def more(self) -> bool:
        """More hits of this kind than are shown."""
        return self.count > len(self.hits) + (self.page - 1) * PAGE_SIZE


@dataclass
class Results:
    query: Query
    groups: list[Group]  # every kind with hits (no kind chosen), or the chosen kind
    counts: list[Group]  # every kind, with its count (for the filter)
    kind: Kind | None = None

    @property
    def total(self) -> int:
        return sum(g.count for g in self.counts)

    @property
    def capped(self) -> bool:
        return any(g.capped for g in self.counts)


def run(*, text: str, user: Any, kind: str | None = None, page: int = 1) -> Results:
    """Search every kind (its ``PER_KIND`` best hits and how many it found), or one kind a page
    of ``PAGE_SIZE`` at a time and how many every other kind found, for the filter. Queries:
    the near words (PostgreSQL, when a typed word may slip), then one per kind (and one more
    for a page beyond the last, to say how many there are)."""
    query = read(text)
    chosen = kind_of(kind) if kind else None
    if not query.searchable:
        return Results(query, [], [], chosen)
    query = prepare(query)
    page = max(1, min(page, MAX_PAGE))

    def group(k: Kind, hits: list[Hit], n: int, page: int = 1) -> Group:
        return Group(k, hits, min(n, CANDIDATES), n > CANDIDATES, page)

    if chosen is None:
        groups = []
        for k in kinds():
            found = k.find(query, user, limit=PER_KIND)
            groups.append(group(k, found.hits, found.count))
        return Results(query, [g for g in groups if g.count], groups, None)
    counts = []
    for k in kinds():
        if k.key != chosen.key:
            counts.append(group(k, [], k.count(query, user, cap=CANDIDATES + 1)))
            continue
        found = k.find(query, user, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        n = found.count if found.hits or page == 1 else k.count(query, user, cap=CANDIDATES + 1)
        counts.append(group(k, found.hits, n, page))
    result = next(g for g in counts if g.kind.key == chosen.key)
    result.has_next = page * PAGE_SIZE < result.count
    return Results(query, [result] if result.count else [], counts, chosen)


# --- snippets ----------------------------------------------------------------------------

# Markdown's marks: a link's address, emphasis, code, headings, quotes, tables, list bullets.
_MARKUP = re.compile(r"\]\([^)]*\)|[*_`|~\[\]]+|^\s*(?:[#>]+|[-+]|\d+\.)\s+", re.MULTILINE)
_TOKEN = re.compile(r"[^\W_]+")


def plain(text: str) -> str:
    """Text without Markdown's marks, on one line: a snippet is plain text, shown as written
    (what looks like HTML in it is text, and the page escapes it)."""
    text = _MARKUP.sub(" ", str(text or ""))
    return " ".join(text.split())


def snippet(query: Query, *texts: str | None, length: int = SNIPPET) -> str:
    """A short plain-text passage of the texts, starting a little before the first word that
    answers the query (the word itself, folded, a word starting with it, or one slip away),
    shortened with "…" where it was cut."""
    text = plain(" ".join(t for t in texts if t))
    if len(text) <= length:
        return text
    start = 0
    for match in _TOKEN.finditer(text):
        word = search.fold(match.group())
        if any(word.startswith(w) or search.is_slip(w, word) for w in query.words):
            start = match.start()
            break
    # A few words of what comes before the word found, from the start of a word.
    start = text.rfind(" ", 0, start - length // 5) + 1 if start > length // 4 else 0
    cut = text[start : start + length]
    if start + length < len(text):
        cut = cut[: cut.rfind(" ")] if " " in cut[length // 2 :] else cut
        cut = cut.rstrip(" ,.;:") + "…"
    return ("…" if start else "") + cut


def hits(
    kind: str, rows: list[Any], query: Query, text: Callable[[Any], tuple[str | None, ...]]
) -> list[Hit]:
    """Rows (with a ``rank`` attribute) as hits: title, address, snippet, last change."""
    return [
        Hit(
            kind=kind,
            title=row.title,
            url=row.get_absolute_url(),
            snippet=snippet(query, *text(row)),
            updated=row.updated,
            rank=float(row.rank or 0),
        )
        for row in rows
    ]
