"""Every read about problems and ideas, with visibility applied and a fixed query count.

Lists use keyset pagination (a cursor of the last row's sort key), so a page costs the same at
page 1 and page 1,000 and never counts the whole table.
"""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone
from taggit.models import Tag

from core import finding, search
from core.paging import Page
from core.paging import page as _page
from discussion import selectors as discussion
from ideas.models import (
    OPEN_STAGES,
    STUCK_DAYS,
    Decision,
    Idea,
    IdeaRevision,
    Problem,
)

SORTS: dict[str, tuple[str, ...]] = {
    # name: ordering; the last field is always the unique tiebreaker
    "newest": ("-created", "-id"),
    "supported": ("-support_count", "-id"),
    "discussed": ("-comment_count", "-id"),
    "waiting": ("created", "id"),
}
SORT_LABELS = {
    "newest": "Newest",
    "supported": "Most supported",
    "discussed": "Most discussed",
    "waiting": "Waiting longest for a decision",
}
STOPWORDS = frozenset(
    """
    a an and are as at be but by for from has have how in into
    is it its of on or our so than that the their them there these they
    this to was we were what when where which who why will with you your
    """.split()
)


# --- ideas -------------------------------------------------------------------------------


def _idea_list_qs() -> QuerySet[Idea]:
    return Idea.objects.filter(hidden_at__isnull=True).select_related(
        "author__profile__organisation", "problem"
    )


def _fold(expression: Any) -> Func:
    """``sc_fold(expression)``: PostgreSQL's (core migration 0001) or SQLite's (core.search)."""
    return Func(expression, function="sc_fold", output_field=TextField())


def _word_groups(words: list[str]) -> dict[str, list[str]]:
    """PostgreSQL: each folded word with the stored words one slip away from it
    (core.search.near_words: one query to the lexicon)."""
    near = search.near_words(words)
    return {w: [w, *near.get(w, [])] for w in words}


def _words_query(groups: list[list[str]], *, any_group: bool = False) -> SearchQuery:
    """PostgreSQL: one ``to_tsquery`` in which every group of words must match by one of its
    words (or, ``any_group``, one group must) — one expression, not a tree of one per word:
    Django took ~18 ms a request to resolve those of the similar-ideas tiers."""
    text = search.tsquery_text(groups, any_group=any_group)
    return SearchQuery(text, search_type="raw", config="english")


def search_filter(
    qs: QuerySet, text: str, fields: tuple[str, ...], stored_vector: str | None = None
) -> QuerySet:
    """Accent- and typo-tolerant search (core.search): every word typed must be found, or a
    word one slip away from it. PostgreSQL: the folded, stored and GIN-indexed tsvector (see
    migrations), after one query to the lexicon for the near words — a query that uses web
    search syntax ("a phrase", -word, or) is matched as written, folded. SQLite: ``sc_match``
    on the fields, row by row: anywhere in the folded text, as it always matched."""
    query = finding.read(text)
    if not query.text:
        return qs
    return matching(qs, finding.prepare(query), fields, stored_vector)


def _tsquery(query: finding.Query) -> SearchQuery:
    """PostgreSQL: the query folded here (core.search.fold), as the stored text is by sc_fold."""
    if query.operators:
        return SearchQuery(search.fold(query.text), search_type="websearch", config="english")
    return _words_query(query.groups())


def _vector(fields: tuple[str, ...], stored_vector: str | None) -> Any:
    from django.contrib.postgres.search import SearchVector, SearchVectorField

    if stored_vector is not None:
        # A generated, stored tsvector column of the folded text, GIN-indexed.
        return RawSQL(stored_vector, [], output_field=SearchVectorField())  # noqa: S611
    # No index holds this expression (a stored column does, for the lists).
    return SearchVector(*(_fold(F(f)) for f in fields), config="english")


def matching(
    qs: QuerySet, query: finding.Query, fields: tuple[str, ...], stored_vector: str | None = None
) -> QuerySet:
    """The rows that answer a query read once (``core.finding.read`` and ``prepare``: its near
    words already asked of the lexicon, on PostgreSQL). A query with no word finds nothing."""
    if not query.words:
        return qs.none()
    if connection.vendor != "postgresql":
        match = Func(Value(query.text), *fields, function="sc_match", output_field=BooleanField())
        return qs.filter(match)
    # alias, not annotate: the vector is only filtered on, never selected.
    return qs.alias(search=_vector(fields, stored_vector)).filter(search=_tsquery(query))


def ranked(
    qs: QuerySet,
    query: finding.Query,
    fields: tuple[str, ...],
    stored_vector: str | None = None,
    *,
    newest: tuple[str, str] = ("-created", "-id"),
) -> QuerySet:
    """``matching``, each row with a ``rank`` (higher is better), best first, then the most
    recently changed — among the newest ``finding.CANDIDATES`` + 1 matches only (why: see
    core.finding). PostgreSQL ranks by ``ts_rank`` of the stored vector (how often the words
    occur); SQLite by how many typed words the title has, counted twice, and the text."""
    # In the subquery the table is aliased (U0): its column is named unqualified there, where
    # it can only be the subquery's own (qualified, it would be the outer row's — a correlated
    # subquery run once per row).
    inner = stored_vector.rsplit(".", 1)[-1] if stored_vector else None
    candidates = matching(qs, query, fields, inner).order_by(*newest).values("pk")
    qs = qs.model.objects.filter(pk__in=candidates[: finding.CANDIDATES + 1])
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        rank: Any = SearchRank(_vector(fields, stored_vector), _tsquery(query))
    else:

        def score(*names: str) -> Func:
            return Func(Value(query.text), *names, function="sc_score", output_field=IntegerField())

        rank = score(fields[0]) * 2 + score(*fields)
    return qs.annotate(rank=rank).order_by("-rank", "-updated", "-id")


def found(
    qs: QuerySet,
    query: finding.Query,
    fields: tuple[str, ...],
    stored_vector: str | None,
    *,
    kind: str,
    text: Callable[[Any], tuple[str | None, ...]],
    only: tuple[str, ...],
    limit: int,
    offset: int = 0,
) -> finding.Found:
    """A page of ``ranked`` rows as search hits, with how many matched (counted in the same
    query, over the ranked candidates: at most ``finding.CANDIDATES`` + 1)."""
    qs = ranked(qs, query, fields, stored_vector).annotate(matches=Window(Count("pk")))
    rows = list(qs.only(*only)[offset : offset + limit])
    return finding.Found(finding.hits(kind, rows, query, text), rows[0].matches if rows else 0)


IDEA_SEARCH_FIELDS = ("title", "summary", "body", "tag_text")
IDEA_SEARCH_VECTOR = '"ideas_idea"."search_vector"'  # PostgreSQL only, migrations 0010, 0014
PROBLEM_SEARCH_FIELDS = ("title", "description", "affected")
PROBLEM_SEARCH_VECTOR = '"ideas_problem"."search_vector"'  # PostgreSQL only, migration 0014


def ideas_page(
    *,
    viewer: Any,
    sort: str = "newest",
    stage: str = "",
    tag: str = "",
    organisation: str = "",
    problem: int | None = None,
    level: str = "",
    q: str = "",
    cursor: str | None = None,
    size: int = 20,
) -> Page:
    """A page of visible ideas, filtered and sorted. Queries: ideas, and the viewer's supports."""
    ordering = SORTS.get(sort, SORTS["newest"])
    qs = _idea_list_qs()
    if sort == "waiting":
        qs = qs.filter(first_decision_at__isnull=True)
    if stage in Idea.Stage.values:
        qs = qs.filter(stage=stage)
    if tag:
        # The tag's id as a constant (one small query) lets PostgreSQL use its statistics: a
        # common tag walks the newest ideas, a rare one starts from its few tagged items. With
        # the name joined in, it guessed one size for every tag and sorted ~40k rows.
        tag_id = Tag.objects.filter(name=tag).values_list("pk", flat=True).first()
        qs = qs.filter(pk__in=_tagged(Idea, tag_id)) if tag_id is not None else qs.none()
    if organisation:
        qs = qs.filter(organisations__slug=organisation)
    if problem:
        qs = qs.filter(problem_id=problem)
    if level:
        qs = qs.filter(author_level=level)
    if q:
        qs = search_filter(qs, q, IDEA_SEARCH_FIELDS, stored_vector=IDEA_SEARCH_VECTOR)
    page = _page(qs, ordering, cursor, size)
    page.extra["supported_ids"] = supported_ids(viewer=viewer, ideas=page.items)
    return page


def _tagged(model: type, tag_id: int) -> QuerySet:
    """The ids of the model's objects with the tag, as a subquery.

    ``IN (subquery)`` rather than taggit's join: the join compares ``object_id::bigint`` (an
    integer column cast to the bigint id), which no index can answer, so PostgreSQL could only
    hash-join every item with the tag and sort them all; compared uncast in the subquery, the
    (content type, object id, tag) index answers "is this idea tagged?" row by row."""
    through = model.tags.through  # type: ignore[attr-defined]
    return through.objects.filter(
        content_type=ContentType.objects.get_for_model(model), tag_id=tag_id
    ).values("object_id")


SUPPORT = "support"  # the reaction an idea takes (discussion.Reaction.kind)


def supported_ids(*, viewer: Any, ideas: list[Idea]) -> set[int]:
    return discussion.reacted_ids(viewer=viewer, objects=ideas, kind=SUPPORT)


def idea_for_page(*, pk: int) -> Idea:
    """One idea with everything its page shows. Hidden ideas still resolve (with the notice)."""
    return get_object_or_404(
        # Few joins: planning an 8-table join costs more than the query. The rarely needed
        # relations (hidden by, merged into) are prefetched, which costs nothing when empty.
        Idea.objects.select_related("author__profile__organisation", "problem")
        .prefetch_related("merged_into")
        .prefetch_related(
            "organisations",
            # Who may decide asks for the problem's owners twice: one query, not two.
            Prefetch("problem__owners", queryset=_people().select_related(None).only("id")),
            Prefetch("coauthors", queryset=_people()),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "decided_by__profile__organisation", "merged_into"
                ).order_by("created", "id"),
            ),
        ),
        pk=pk,
    )


def _people() -> QuerySet:
    from people.models import User

    return User.objects.select_related("profile")


def idea_viewer_state(*, viewer: Any, idea: Idea) -> dict[str, bool]:
    """Whether the viewer supports and follows this idea (one query)."""
    state = discussion.viewer_state(viewer=viewer, target=idea, reactions=(SUPPORT,))
    return {"supported": state[SUPPORT], "following": state["following"]}


def idea_revisions(*, idea: Idea) -> QuerySet[IdeaRevision]:
    """Every version of an idea, newest first — none of a hidden idea: hiding reaches its
    history too."""
    if idea.is_hidden:
        return IdeaRevision.objects.none()
    return idea.revisions.select_related("editor__profile").order_by("-created", "-id")


def waiting_longest(*, limit: int = 20) -> list[Idea]:
    return list(
        _idea_list_qs()
        .filter(first_decision_at__isnull=True)
        .exclude(stage=Idea.Stage.MERGED)
        .order_by("created", "id")[:limit]
    )


def stuck_longest(*, limit: int = 50) -> list[Idea]:
    """Ideas that have had a decision but then stayed over ``STUCK_DAYS`` in a stage they can
    move on from, longest first (those never decided are in ``waiting_longest``)."""
    since = timezone.now() - timedelta(days=STUCK_DAYS)
    return list(
        _idea_list_qs()
        .filter(stage__in=OPEN_STAGES, first_decision_at__isnull=False, stage_changed__lt=since)
        .order_by("stage_changed", "id")[:limit]
    )


def similar_ideas(*, title: str, limit: int = 5, exclude: int | None = None) -> list[Idea]:
    """Ideas whose titles share words with a title being typed, best match first — accents
    aside and forgiving a slip (core.search), as every search does."""
    typed = search.query_words(title, limit=50)
    words = [w for w in typed if len(w) > 2 and w not in search.STOPWORDS][:8]
    if not words:
        return []
    qs = Idea.objects.filter(hidden_at__isnull=True).exclude(stage=Idea.Stage.MERGED)
    if exclude:
        qs = qs.exclude(pk=exclude)
    fields = ("id", "title", "summary", "stage", "support_count")
    if connection.vendor == "postgresql":
        return list(_similar_ideas_postgresql(qs, words).only(*fields)[:limit])
    # How many of the words the title has (or has one slip away), asked row by row.
    shared = Func(Value(" ".join(words)), "title", function="sc_score", output_field=IntegerField())
    return list(
        qs.annotate(shared=shared)
        .filter(shared__gt=0)
        .order_by("-shared", "-support_count", "-id")
        .only(*fields)[:limit]
    )


def _similar_ideas_postgresql(qs: QuerySet, words: list[str]) -> QuerySet:
    """Rank a bounded set of candidates, each found through the title's GIN index (migrations
    0003, 0014): up to 50 titles with all the words, up to 50 with all but one (for each word left
    out), and up to 100 with any. Ranking every idea that shares any word — most of them, when
    the words are common — computed a tsvector per row: seconds at 100,000 ideas."""
    from django.contrib.postgres.search import SearchRank, SearchVector

    # Exactly the expression of the title index (migration 0014): the folded title.
    vector = SearchVector(_fold(F("title")), config="english")
    titled = qs.alias(title_search=vector)
    groups = _word_groups(words)  # each word, or a stored word one slip away from it

    def having(query: SearchQuery, size: int) -> QuerySet:
        # No ORDER BY: with one, PostgreSQL may walk the newest-first index computing a title
        # vector per row (it underestimates that cost) instead of using the GIN index.
        return titled.filter(title_search=query).order_by().values("pk")[:size]

    def all_of(some: list[str]) -> SearchQuery:
        return _words_query([groups[w] for w in some])

    any_word = _words_query(list(groups.values()), any_group=True)
    tiers = [having(all_of(words), 50)]
    if len(words) > 1:
        tiers += [having(all_of(words[:i] + words[i + 1 :]), 50) for i in range(len(words))]
    if len(words) > 2:
        tiers.append(having(any_word, 100))
    candidates = tiers[0].union(*tiers[1:], all=True) if len(tiers) > 1 else tiers[0]
    return (
        Idea.objects.filter(pk__in=candidates)
        .annotate(rank=SearchRank(vector, any_word))
        .order_by("-rank", "-support_count", "-id")
    )


def tag_suggestions(*, prefix: str, limit: int = 10) -> list[str]:
    """Tags for what is being typed, best first (core.search.tag_rank): names that start with
    it, then names with a word that does, then words one slip away ("kaumtua" → "kaumātua");
    accents aside ("whan" → "whānau"). One query: the tags with a word starting with the same
    letter, folded in the database (the vocabulary is small), ranked here."""
    typed = search.fold(" ".join(prefix.split()))
    qs = Tag.objects.order_by("name")
    if not typed:
        return list(qs.values_list("name", flat=True)[:limit])
    first = typed[0]
    names = (
        qs.alias(folded=_fold(F("name")))
        .filter(
            Q(folded__startswith=first)
            | Q(folded__contains=" " + first)
            | Q(folded__contains="-" + first)
        )
        .values_list("name", flat=True)[:1000]
    )
    ranked = [(search.tag_rank(typed, name), search.fold(name), name) for name in names]
    return [name for rank, _, name in sorted(r for r in ranked if r[0] is not None)][:limit]


def all_tags() -> list[str]:
    return list(Tag.objects.order_by("name").values_list("name", flat=True)[:500])


# --- problems ----------------------------------------------------------------------------


def problems_page(
    *, status: str = "", q: str = "", cursor: str | None = None, size: int = 20
) -> Page:
    qs = (
        Problem.objects.filter(hidden_at__isnull=True)
        .select_related("author__profile__organisation")
        .prefetch_related("tags")
    )
    if status in Problem.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = search_filter(qs, q, PROBLEM_SEARCH_FIELDS, stored_vector=PROBLEM_SEARCH_VECTOR)
    return _page(qs, SORTS["newest"], cursor, size)


def problem_for_page(*, pk: int) -> Problem:
    return get_object_or_404(
        Problem.objects.select_related("author__profile__organisation").prefetch_related(
            "organisations", "tags", Prefetch("owners", queryset=_people())
        ),
        pk=pk,
    )


def problem_ideas(*, problem: Problem, limit: int = 50) -> list[Idea]:
    return list(_idea_list_qs().filter(problem=problem).order_by("-support_count", "-id")[:limit])


def problem_choices() -> QuerySet[Problem]:
    return Problem.objects.filter(hidden_at__isnull=True).order_by("-created").only("id", "title")


def problem_viewer_state(*, viewer: Any, problem: Problem) -> dict[str, bool]:
    return discussion.viewer_state(viewer=viewer, target=problem)


# --- picking and similar-while-typing ------------------------------------------------------


def ideas_titled(*, title: str, limit: int = 10) -> list[Idea]:
    """Visible, unmerged ideas with exactly this title (case aside), for picking by title."""
    title = " ".join(title.split())[:200]
    if not title:
        return []
    return list(
        Idea.objects.filter(hidden_at__isnull=True, title__iexact=title)
        .exclude(stage=Idea.Stage.MERGED)
        .only("id", "title")
        .order_by("id")[:limit]
    )


def idea_suggestions(*, query: str, exclude: int | None = None, limit: int = 8) -> list[Idea]:
    """Ideas to pick while typing: the idea with that number (``12``, ``#12``), then ideas whose
    titles share words with what is typed (the similar-ideas search). Visible, unmerged."""
    query = " ".join(query.split())[:200]
    found: list[Idea] = []
    if match := re.fullmatch(r"#?\s*(\d{1,18})", query):
        found = list(
            Idea.objects.filter(pk=int(match.group(1)), hidden_at__isnull=True)
            .exclude(stage=Idea.Stage.MERGED)
            .exclude(pk=exclude or 0)
            .only("id", "title", "stage", "support_count")
        )
    for idea in similar_ideas(title=query, limit=limit, exclude=exclude):
        if all(idea.pk != f.pk for f in found):
            found.append(idea)
    return found[:limit]


def similar_problems(*, title: str, limit: int = 5, exclude: int | None = None) -> list[Problem]:
    """Problems whose titles share words with a title being typed, best match first — accents
    aside and forgiving a slip (core.search), like similar ideas. Problems are far fewer than
    ideas: PostgreSQL finds up to 200 candidates sharing any word (or a word one slip away)
    through the stored, indexed vector, and they are ranked here."""
    typed = search.query_words(title, limit=50)
    words = [w for w in typed if len(w) > 2 and w not in search.STOPWORDS][:8]
    if not words:
        return []
    qs = Problem.objects.filter(hidden_at__isnull=True)
    if exclude:
        qs = qs.exclude(pk=exclude)
    fields = ("id", "title", "status")
    if connection.vendor != "postgresql":
        shared = Func(
            Value(" ".join(words)), "title", function="sc_score", output_field=IntegerField()
        )
        return list(qs.annotate(shared=shared).filter(shared__gt=0).order_by("-shared", "-id")
                    .only(*fields)[:limit])  # fmt: skip
    from django.contrib.postgres.search import SearchVectorField

    query = _words_query(list(_word_groups(words).values()), any_group=True)
    column = RawSQL(PROBLEM_SEARCH_VECTOR, [], output_field=SearchVectorField())  # noqa: S611
    candidates = list(qs.alias(search=column).filter(search=query).only(*fields)[:200])
    text = " ".join(words)
    ranked = [(search.score(text, p.title), p) for p in candidates]
    ranked.sort(key=lambda sp: (-sp[0], -sp[1].pk))
    return [p for shared, p in ranked if shared > 0][:limit]


# --- one search across kinds (core.finding) ------------------------------------------------


def _found_ideas() -> QuerySet[Idea]:
    """Hidden ideas are found by nothing (merged ones still are: their page says where to go)."""
    return Idea.objects.filter(hidden_at__isnull=True)


def find_ideas(query: finding.Query, user: Any, *, limit: int, offset: int = 0) -> finding.Found:
    """Visible ideas that answer the query, best first, as search hits (one query)."""
    return found(
        _found_ideas(), query, IDEA_SEARCH_FIELDS, IDEA_SEARCH_VECTOR, kind="idea",
        text=lambda i: (i.summary, i.body), only=("id", "title", "summary", "body", "updated"),
        limit=limit, offset=offset,
    )  # fmt: skip


def count_ideas(query: finding.Query, user: Any, *, cap: int) -> int:
    """How many visible ideas answer the query, counting no further than ``cap``."""
    qs = matching(_found_ideas(), query, IDEA_SEARCH_FIELDS, IDEA_SEARCH_VECTOR)
    return qs.order_by()[:cap].count()


def find_problems(query: finding.Query, user: Any, *, limit: int, offset: int = 0) -> finding.Found:
    """Visible problems that answer the query, best first, as search hits (one query)."""
    return found(
        Problem.objects.filter(hidden_at__isnull=True), query, PROBLEM_SEARCH_FIELDS,
        PROBLEM_SEARCH_VECTOR, kind="problem", text=lambda p: (p.description, p.affected),
        only=("id", "title", "description", "affected", "updated"), limit=limit, offset=offset,
    )  # fmt: skip


def count_problems(query: finding.Query, user: Any, *, cap: int) -> int:
    qs = matching(
        Problem.objects.filter(hidden_at__isnull=True),
        query,
        PROBLEM_SEARCH_FIELDS,
        PROBLEM_SEARCH_VECTOR,
    )
    return qs.order_by()[:cap].count()
