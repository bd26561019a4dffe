"""Every write about articles and their revisions.

Keyword-only, atomic, permission first, validated before anything changes, and each records
one activity through ``knowledge.notifying.record``. Comments, follows, reports and hiding are
``discussion``'s (articles are registered with it in ``KnowledgeConfig.ready()``).

Two people editing at once never lose work: a save names the revision it was made from
(``base_number``); if another revision was saved meanwhile the save is refused with
``Conflict``, which carries the revision that is now current and the person's own text, and
nothing is written. The edit page then shows both texts and their difference, and the next save
is made against the new base.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import identifying, ratelimit
from discussion import services as discussion
from ideas.services import clean_tags
from knowledge import notifying, permissions
from knowledge.models import MAX_BODY, Article, Revision
from people.models import User

# A pathway is assessment → management → referral; "## Local services" is offered too.
PATHWAY_HEADINGS = ("Assessment", "Management", "Referral")
PATHWAY_TEMPLATE = (
    "## Assessment\n\n\n\n## Management\n\n\n\n## Referral\n\n\n\n## Local services\n\n"
)
TEXT_FIELDS = ("title", "summary", "body")  # checked for details that identify someone


class Conflict(Exception):
    """A save made from an older revision than the current one. Nothing was saved; ``current``
    is the revision saved meanwhile and ``mine`` the text the person tried to save."""

    def __init__(self, *, current: Revision, mine: dict[str, str], base_number: int) -> None:
        self.current, self.mine, self.base_number = current, mine, base_number
        super().__init__(
            f"Someone saved revision {current.number} while you were editing revision "
            f"{base_number}. Your text is kept below: compare it with theirs, then save again."
        )


def missing_pathway_headings(body: str) -> list[str]:
    """The pathway headings (``## Assessment`` …) that ``body`` lacks, in order."""
    present = {
        m.group(1).strip().lower() for m in re.finditer(r"^##[ \t]+(.+?)[ \t#]*$", body, re.M)
    }
    return [h for h in PATHWAY_HEADINGS if h.lower() not in present]


def _check_pathway(kind: str, body: str) -> None:
    if kind != Article.Kind.PATHWAY:
        return
    missing = missing_pathway_headings(body)
    if missing:
        names = ", ".join(f"“## {h}”" for h in missing)
        raise ValidationError(
            {
                "body": f"A pathway needs the headings “## Assessment”, “## Management” and "
                f"“## Referral”, each on a line of its own. Missing: {names}."
            }
        )


def _may_write(actor: Any) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Sign in to write knowledge articles.")
    if not permissions.can_write(actor):
        raise PermissionDenied(permissions.NO_ORGANISATION)


def _clean_texts(title: str, summary: str, body: str, edit_summary: str) -> dict[str, str]:
    return {
        "title": " ".join(str(title).split()),
        "summary": " ".join(str(summary).split()),
        "body": str(body).replace("\r\n", "\n").strip(),
        "edit_summary": " ".join(str(edit_summary).split()),
    }


def _new_revision(
    *, article: Article, number: int, author: User, texts: dict[str, str], **extra: Any
) -> Revision:
    revision = Revision(
        article=article,
        number=number,
        author=author,
        organisation_id=author.profile.organisation_id,
        **texts,
        **extra,
    )
    if len(revision.body) > MAX_BODY:
        raise ValidationError(
            {
                "body": f"Keep the text under {MAX_BODY:,} characters "
                f"(it has {len(revision.body):,})."
            }
        )
    revision.full_clean(exclude=["article"])
    return revision


@transaction.atomic
def article_create(
    *,
    actor: User,
    kind: str,
    title: str,
    summary: str,
    body: str,
    edit_summary: str = "",
    tags: Iterable[str] = (),
    review_interval_days: int | None = None,
    confirm_not_identifying: bool = False,
) -> Article:
    """Start an article: the article and its first revision, by ``actor`` for their
    organisation (they own it: later, reviews come to them)."""
    _may_write(actor)
    texts = _clean_texts(title, summary, body, edit_summary or "First version")
    if kind not in Article.Kind.values:
        raise ValidationError({"kind": "Choose what kind of article this is."})
    tag_names = clean_tags(actor=actor, names=tags)
    article = Article(
        kind=kind,
        title=texts["title"],
        summary=texts["summary"],
        owner=actor,
        organisation_id=actor.profile.organisation_id,
        tag_text=", ".join(tag_names),
        search_text=texts["body"],
    )
    if review_interval_days is not None:
        article.review_interval_days = review_interval_days
    article.full_clean(exclude=["current"])
    revision = _new_revision(article=article, number=1, author=actor, texts=texts)
    _check_pathway(kind, texts["body"])
    identifying.check({f: texts[f] for f in TEXT_FIELDS}, confirmed=confirm_not_identifying)
    ratelimit.check(user=actor, action="post")
    article.save()
    revision.article = article
    revision.save()
    article.current = revision
    article.save(update_fields=["current"])
    article.tags.set(tag_names)
    discussion.auto_follow(actor, article)
    notifying.record(actor=actor, verb=notifying.CREATED, article=article, revision=revision)
    return article


def _locked_current(article: Article) -> Revision:
    """The current revision, read with the article's row locked: two saves of one article wait
    for each other, so the second sees the first's revision and meets the conflict."""
    locked = Article.objects.select_for_update().only("current_id").get(pk=article.pk)
    return Revision.objects.get(pk=locked.current_id)


@transaction.atomic
def revision_save(
    *,
    actor: User,
    article: Article,
    base_number: int,
    title: str,
    summary: str,
    body: str,
    edit_summary: str = "",
    confirm_not_identifying: bool = False,
) -> Revision:
    """Save a new revision made from revision ``base_number``. Refused with ``Conflict`` if
    that is no longer the current one, and with a ValidationError if nothing changed."""
    _may_write(actor)
    if article.is_hidden:
        raise PermissionDenied("This article is hidden, so it cannot be edited.")
    texts = _clean_texts(title, summary, body, edit_summary)
    current = _locked_current(article)
    if base_number != current.number:
        raise Conflict(
            current=current,
            mine={f: texts[f] for f in (*TEXT_FIELDS, "edit_summary")},
            base_number=base_number,
        )
    if all(texts[f] == getattr(current, f) for f in TEXT_FIELDS):
        raise ValidationError(
            "Nothing changed: the title, summary and text are the same as the current "
            "revision's, so there is nothing to save."
        )
    revision = _new_revision(article=article, number=current.number + 1, author=actor, texts=texts)
    _check_pathway(article.kind, texts["body"])
    identifying.check(
        {f: texts[f] for f in TEXT_FIELDS},
        confirmed=confirm_not_identifying,
        before={f: getattr(current, f) for f in TEXT_FIELDS},
    )
    ratelimit.check(user=actor, action="edit")
    return _commit(actor=actor, article=article, revision=revision)


def _commit(*, actor: User, article: Article, revision: Revision) -> Revision:
    try:
        with transaction.atomic():
            revision.save()
    except IntegrityError:  # the lock makes this unreachable but for a raw write meanwhile
        raise ValidationError(
            "Someone saved a revision at the same moment: open the article again."
        ) from None
    retitled = article.title != revision.title
    article.current = revision
    article.title, article.summary = revision.title, revision.summary
    article.search_text = revision.body
    article.updated = timezone.now()
    article.save(update_fields=["current", "title", "summary", "search_text", "updated"])
    if retitled:
        discussion.retitle(article)  # the feed's lines about it show the title as it is now
    discussion.auto_follow(actor, article)
    notifying.record(actor=actor, verb=notifying.REVISED, article=article, revision=revision)
    return revision


@transaction.atomic
def revision_restore(*, actor: User, article: Article, number: int) -> Revision:
    """Make a new revision with revision ``number``'s text (nothing is ever deleted: the
    revisions after it stay in the history)."""
    _may_write(actor)
    if article.is_hidden:
        raise PermissionDenied("This article is hidden, so it cannot be edited.")
    current = _locked_current(article)
    old = Revision.objects.filter(article=article, number=number).first()
    if old is None:
        raise ValidationError({"number": f"This article has no revision {number}."})
    if all(getattr(old, f) == getattr(current, f) for f in TEXT_FIELDS):
        raise ValidationError(
            f"Revision {number} has the same text as the current revision: nothing to restore."
        )
    _check_pathway(article.kind, old.body)
    ratelimit.check(user=actor, action="edit")
    revision = _new_revision(
        article=article,
        number=current.number + 1,
        author=actor,
        texts={f: getattr(old, f) for f in TEXT_FIELDS}
        | {"edit_summary": f"Restored revision {number}"},
        restored_from=old,
    )
    return _commit(actor=actor, article=article, revision=revision)
