"""Articles linked to the ideas, problems, projects and commons indicators they draw on or
inform: the writes (``link``, ``unlink``) and the reads that show them on both pages.

Knowledge sits above ideas, projects and commons, so it reads their models here and shows
itself on their pages through ``core.sections`` (``knowledge/sections.py``); they never import
it. What a person may see of a target is the target app's rule, asked here:

- an idea or a problem: unless it is hidden (a merged idea: link the idea it became);
- a project: an open one, everyone signed in; a restricted one, its current members only —
  a link to it is neither shown nor counted to anyone else, and an article linked to one is
  talked about (feed, feedback) inside that project;
- an indicator: once its dataset has a published version (the commons' public data).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import Resolver404, resolve

from commons import published
from commons.models import Indicator
from core import ratelimit
from ideas.models import Idea, Problem
from knowledge import notifying, permissions
from knowledge.models import Article, ArticleLink
from projects import selectors as project_selectors
from projects.apps import scope_of as project_scope_of
from projects.models import Project
from realtime.registry import PUBLIC

Target = Idea | Problem | Project | Indicator

# The pages whose address may be pasted to link an article, by URL name.
ADDRESSES: dict[str, str] = {
    "idea_detail": "idea",
    "problem_detail": "problem",
    "project_detail": "project",
    "commons_indicator": "indicator",
}
MODELS: dict[str, type[Any]] = {
    "idea": Idea,
    "problem": Problem,
    "project": Project,
    "indicator": Indicator,
}
NOT_AN_ADDRESS = (
    "Paste the address of an idea, a problem, a project or an outcome indicator on this site, "
    "such as /projects/12/ or /data/…/indicators/3/."
)
NOT_FOUND = "There is no such {kind} (or you cannot see it)."


def kind_of(target: Any) -> str:
    for kind, model in MODELS.items():
        if isinstance(target, model):
            return kind
    raise ValidationError("An article can be linked to an idea, a problem, a project or an "
                          "outcome indicator.")  # fmt: skip


def member_project_ids(user: Any) -> set[int]:
    """The projects whose restricted content ``user`` may see now (none, signed out)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return set()
    return set(project_selectors.member_project_ids(user=user))


_member_of = member_project_ids


def may_see(user: Any, target: Any, *, member_of: set[int] | None = None) -> bool:
    """Whether ``user`` may see ``target`` (and so link to it, and see a link to it)."""
    if isinstance(target, Idea | Problem):
        return not target.is_hidden
    if isinstance(target, Project):
        if not target.restricted:
            return True
        ids = member_of if member_of is not None else _member_of(user)
        return target.pk in ids
    if isinstance(target, Indicator):
        return published.latest(target.dataset) is not None
    return False


def target_from_address(*, user: Any, address: str) -> Any:
    """The idea, problem, project or indicator whose page ``address`` is (a full address on
    this site, or its path). A ValidationError that says what to paste otherwise; a target the
    person may not see reads as one that does not exist."""
    try:
        path = urlsplit(str(address or "").strip()).path
    except ValueError:  # "http://[::1" and the like: not an address at all
        path = ""
    if not path or "\x00" in path:
        raise ValidationError({"address": NOT_AN_ADDRESS})
    try:
        match = resolve(path if path.endswith("/") else path + "/")
    except Resolver404:
        raise ValidationError({"address": NOT_AN_ADDRESS}) from None
    kind = ADDRESSES.get(match.url_name or "")
    if kind is None:
        raise ValidationError({"address": NOT_AN_ADDRESS})
    where: dict[str, Any] = {"pk": match.kwargs.get("pk")}
    if kind == "indicator":
        where["dataset__slug"] = match.kwargs.get("slug")
    model = MODELS[kind]
    qs = model.objects.select_related("dataset") if model is Indicator else model.objects
    target = qs.filter(**where).first()
    if target is None or not may_see(user, target):
        raise ValidationError(
            {"address": NOT_FOUND.format(kind=ArticleLink.Kind(kind).label.lower())}
        )
    return target


def scope_of(article: Article) -> str:
    """Who may read what is said about ``article`` in the feed: everyone, unless it is linked
    to a restricted project — then that project's members (the first such project's)."""
    restricted = (
        ArticleLink.objects.filter(article=article, project__restricted=True)
        .select_related("project")
        .order_by("id")
        .first()
    )
    return project_scope_of(restricted.project) if restricted is not None else PUBLIC


def refuse_if_restricted_for(actor: Any, article: Article, message: str) -> None:
    """Raise PermissionDenied(``message``) if ``article`` is linked to a restricted project
    ``actor`` is not a current member of."""
    ids = (
        ArticleLink.objects.filter(article=article, project__restricted=True)
        .values_list("project_id", flat=True)
    )  # fmt: skip
    outside = set(ids) - _member_of(actor)
    if outside:
        raise PermissionDenied(message)


def _may_link(actor: Any, article: Article) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Sign in to link articles.")
    if not permissions.can_write(actor):
        raise PermissionDenied(permissions.NO_ORGANISATION)
    if article.is_hidden:
        raise PermissionDenied("This article is hidden, so it cannot be linked.")


@transaction.atomic
def link(*, actor: Any, article: Article, target: Target) -> ArticleLink:
    """Link ``article`` to ``target`` (an idea, problem, project or indicator): anyone signed
    in with an organisation who may see both; a restricted project, only its members."""
    _may_link(actor, article)
    kind = kind_of(target)
    if isinstance(target, Project) and target.restricted and not may_see(actor, target):
        raise PermissionDenied(
            "That project is restricted: only its members can link articles to it."
        )
    if not may_see(actor, target):
        raise ValidationError(
            "That idea or problem is hidden, so nothing can be linked to it."
            if kind in ("idea", "problem")
            else "That indicator's data is not published yet, so it cannot be linked."
        )
    if isinstance(target, Idea) and target.stage == Idea.Stage.MERGED:
        raise ValidationError("That idea was merged into another: link the idea it became.")
    if ArticleLink.objects.filter(article=article, **{kind: target}).exists():
        raise ValidationError(f"This article is already linked to that {kind}.")
    ratelimit.check(user=actor, action="edit")
    try:
        with transaction.atomic():
            made = ArticleLink.objects.create(article=article, added_by=actor, **{kind: target})
    except IntegrityError:  # the same link added by someone else a moment ago
        raise ValidationError(f"This article is already linked to that {kind}.") from None
    notifying.record_link(actor=actor, article=article, link=made, scope=scope_of(article))
    return made


def may_unlink(user: Any, link: ArticleLink, *, member_of: set[int] | None = None) -> bool:
    """The person who added it, the article's owner, or a steward — if they may see its
    target (nobody removes what they cannot see). A lesson's link to the project it was
    written up from stays."""
    if link.from_closure or not (user is not None and user.is_authenticated and user.is_active):
        return False
    # On a page of links (``member_of`` given) only the links shown are asked about.
    seen = _shown(link, member_of) if member_of is not None else may_see(user, link.target)
    if not seen:
        return False
    return bool(
        user.pk in (link.added_by_id, link.article.owner_id) or permissions.can_moderate(user)
    )


@transaction.atomic
def unlink(*, actor: Any, link: ArticleLink) -> None:
    if link.from_closure:
        raise ValidationError(
            "This lesson was written up from that project's closure report: the link stays."
        )
    if not may_unlink(actor, link):
        raise PermissionDenied(
            "Only the person who added the link, the article's owner or a steward can remove it."
        )
    link.delete()


# --- reads ---------------------------------------------------------------------------------


def _links() -> QuerySet[ArticleLink]:
    return ArticleLink.objects.select_related(
        "idea", "problem", "project", "indicator__dataset", "article"
    )


@dataclass
class Shown:
    link: ArticleLink
    can_unlink: bool


@dataclass
class OnArticle:
    """An article's links as one reader sees them: those shown, and whether the article is
    linked to a restricted project the reader is not in (its feedback is that project's)."""

    shown: list[Shown]
    outside: bool
    member_of: set[int]


def on_article(*, article: Article, viewer: Any) -> OnArticle:
    """Two queries: the reader's projects and the article's links with their targets."""
    member_of = member_project_ids(viewer)
    rows = list(_links().filter(article=article))
    outside = any(
        r.project_id is not None and r.project.restricted and r.project_id not in member_of
        for r in rows
    )
    shown = [
        Shown(r, may_unlink(viewer, r, member_of=member_of)) for r in rows if _shown(r, member_of)
    ]
    return OnArticle(shown, outside, member_of)


def links_of(*, article: Article, viewer: Any) -> list[Shown]:
    """The article's links that ``viewer`` may see (a hidden idea or problem, a restricted
    project they are not in: left out, not counted)."""
    return on_article(article=article, viewer=viewer).shown


def _shown(link: ArticleLink, member_of: set[int]) -> bool:
    target = link.target
    if isinstance(target, Idea | Problem):
        return not target.is_hidden
    if isinstance(target, Project):
        return not target.restricted or target.pk in member_of
    return True  # an indicator: linked once published, and published data stays published


def articles_using(*, target: Target) -> list[Article]:
    """The articles (not hidden) linked to ``target``, the newest link first. One query.
    The caller decides whether the viewer may see ``target`` at all."""
    kind = kind_of(target)
    return [
        link.article
        for link in ArticleLink.objects.filter(article__hidden_at=None, **{kind: target})
        .select_related("article__organisation")
        .order_by("-created", "-id")
    ]


def articles_citing(*, dataset_id: int) -> list[Article]:
    """The articles (not hidden) linked to any indicator of the dataset ``dataset_id``, each
    once. One query."""
    return list(
        Article.objects.filter(hidden_at=None, links__indicator__dataset_id=dataset_id)
        .distinct()
        .order_by("id")
    )


def lesson_of(*, project: Project) -> Article | None:
    """The lesson learned written up from ``project``'s closure report, if there is one."""
    found = (
        ArticleLink.objects.filter(project=project, from_closure=True)
        .select_related("article")
        .first()
    )
    return found.article if found is not None else None


NOUNS = {
    "project": ("project", "projects"),
    "idea": ("idea", "ideas"),
    "problem": ("problem", "problems"),
    "indicator": ("outcome indicator", "outcome indicators"),
}


def counts(shown: list[Shown]) -> dict[str, int]:
    """How many of each kind, of the links shown."""
    tally = dict.fromkeys(ArticleLink.KINDS, 0)
    for s in shown:
        tally[s.link.kind] += 1
    return tally


def used_in(tally: dict[str, int]) -> str:
    """ "Used in 3 projects and 1 idea." — the kinds there are, projects first."""
    parts = [
        f"{n} {NOUNS[kind][n != 1]}"
        for kind in ("project", "idea", "problem", "indicator")
        if (n := tally.get(kind, 0))
    ]
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Used in {listed}."


def visible_projects_for(
    *, user: Any, member_of: set[int] | None = None, limit: int = 50
) -> list[Project]:
    """The projects a person is in (newest first), offered in the article page's form."""
    ids = member_of if member_of is not None else _member_of(user)
    if not ids:
        return []
    return list(Project.objects.filter(pk__in=ids).order_by("-created", "-id")[:limit])


def link_for(*, article: Article, pk: int) -> ArticleLink | None:
    return _links().filter(article=article, pk=pk).first()
