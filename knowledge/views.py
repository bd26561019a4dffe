"""Thin views: parse input with a form, call one service or selector, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import ratelimit
from core.params import BadCursor, positive_int
from core.views import attempt, refused
from discussion.views import context_for as discussion_context
from ideas import selectors as ideas_selectors
from knowledge import diff, forms, permissions, selectors, services, views_links, views_verify
from knowledge.models import Article

MAX_NUMBER = 2**31 - 1  # the largest revision number a column holds

KIND_HELP = {
    Article.Kind.PRACTICE_NOTE: "How something is done well in practice, for others to use.",
    Article.Kind.PATHWAY: "Assessment → management → referral, with the local services to "
    "refer to.",
    Article.Kind.LESSON: "What a project or a piece of work taught, good and bad.",
    Article.Kind.EVIDENCE: "What the research and the data say, in plain words, with sources.",
}


def _page_or_first(read: Any, cursor: str | None) -> Any:
    """A list at ``?cursor=``; a cursor this site did not give out shows the first page."""
    try:
        return read(cursor or None)
    except BadCursor:
        return read(None)


def knowledge_list(request: HttpRequest) -> HttpResponse:
    form = forms.ArticleFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    page = _page_or_first(
        lambda cursor: selectors.articles_page(kind=kind, cursor=cursor),
        request.GET.get("cursor"),
    )
    return render(
        request,
        "knowledge/article_list.html",
        {
            "form": form,
            "kind": kind,
            "page": page,
            "querystring": f"kind={kind}" if kind else "",
            "can_write": permissions.can_write(request.user),
        },
    )


def article_create(request: HttpRequest) -> HttpResponse:
    """``?kind=`` chooses the kind (the page offers the four first); a pathway's text starts
    with its headings."""
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in Article.Kind.values:
        kinds = [(value, label, KIND_HELP[value]) for value, label in Article.Kind.choices]
        posted = request.method == "POST"  # a form sent without a kind we know
        return render(
            request,
            "knowledge/choose_kind.html",
            {"kinds": kinds, "can_write": permissions.can_write(request.user), "unknown": posted},
            status=400 if posted else 200,
        )
    initial = {"kind": kind}
    if kind == Article.Kind.PATHWAY:
        initial["body"] = services.PATHWAY_TEMPLATE
    form = forms.ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, article = attempt(
            request,
            form,
            lambda: services.article_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                tags=data["tags"],
                review_interval_days=data["review_interval_days"],
                confirm_not_identifying=data.get("confirm_not_identifying", False),
            ),
        )
        if ok:
            messages.success(request, "Your article is published. Anyone signed in can improve it.")
            return redirect(article)
    status = 400 if request.method == "POST" else 200
    return refused(
        request,
        render(
            request,
            "knowledge/article_form.html",
            {
                "form": form,
                "kind_label": Article.Kind(kind).label,
                "kind_help": KIND_HELP[Article.Kind(kind)],
                "tags": ideas_selectors.all_tags(),
                "can_write": permissions.can_write(request.user),
            },
            status=status,
        ),
    )


def _article_context(request: HttpRequest, article: Article, **extra: Any) -> dict[str, Any]:
    current = article.current
    return {
        "article": article,
        "current": current,
        # The revision shown (the verified one by default), its text, the verification panel.
        **views_verify.reading_context(
            request,
            article,
            verify_form=extra.pop("verify_form", None),
            interval_form=extra.pop("interval_form", None),
        ),
        "coauthors": selectors.coauthors(article=article),
        "tags": [t for t in article.tag_text.split(", ") if t],
        "can_write": permissions.can_write(request.user) and not article.is_hidden,
        **discussion_context(request, article, extra.pop("comment_form", None)),
        **views_links.article_extra(request, article),
        **extra,
    }


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_page(pk=pk)
    return render(request, "knowledge/article_detail.html", _article_context(request, article))


def article_page(request: HttpRequest, article: Article, **extra: Any) -> HttpResponse:
    """The article's page again (with a comment form's errors in ``extra``)."""
    return render(
        request, "knowledge/article_detail.html", _article_context(request, article, **extra)
    )


def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_page(pk=pk)
    current = article.current
    if article.is_hidden or current is None:
        raise Http404
    if request.method == "POST":
        form = forms.RevisionForm(request.POST)
    else:
        form = forms.RevisionForm(
            initial={
                "base": current.number,
                "title": current.title,
                "summary": current.summary,
                "body": current.body,
            }
        )
    conflict = None
    status = 200
    if request.method == "POST":
        status = 400  # shown again: what was typed, with the messages beside it
        if form.is_valid():
            data = form.cleaned_data
            try:
                ok, _ = attempt(
                    request,
                    form,
                    lambda: services.revision_save(
                        actor=request.user,
                        article=article,
                        base_number=data["base"],
                        title=data["title"],
                        summary=data["summary"],
                        body=data["body"],
                        edit_summary=data["edit_summary"],
                        confirm_not_identifying=data.get("confirm_not_identifying", False),
                    ),
                )
            except services.Conflict as exc:
                ok, conflict, status = False, exc, 409
                form = form.with_base(exc.current.number)  # saving again is against theirs
            if ok:
                messages.success(request, "Your revision is saved.")
                return redirect(article)
    context: dict[str, Any] = {
        "article": article,
        "current": current,
        "form": form,
        "can_write": permissions.can_write(request.user),
    }
    if conflict is not None:
        ops = diff.operations(conflict.current.body, conflict.mine["body"])
        theirs, mine = diff.side_by_side(ops)
        context |= {
            "conflict": conflict,
            "theirs": conflict.current,
            "diff_theirs": theirs,
            "diff_mine": mine,
            "diff_inline": diff.inline(ops),
            # The title and summary are shown only where they differ.
            "title_diff": _changed(conflict.current.title, conflict.mine["title"]),
            "summary_diff": _changed(conflict.current.summary, conflict.mine["summary"]),
        }
    return refused(request, render(request, "knowledge/article_edit.html", context, status=status))


def _changed(theirs: str, mine: str) -> str:
    return diff.inline(diff.operations(theirs, mine)) if theirs != mine else ""


def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_page(pk=pk)
    page = _page_or_first(
        lambda cursor: selectors.revisions_page(article=article, cursor=cursor),
        request.GET.get("cursor"),
    )
    return render(
        request,
        "knowledge/article_history.html",
        {
            "article": article,
            "page": page,
            "newest": article.current.number if article.current else 0,
            "can_write": permissions.can_write(request.user) and not article.is_hidden,
        },
    )


def _bad_request(request: HttpRequest, article: Article, message: str) -> HttpResponse:
    return render(
        request,
        "knowledge/diff_error.html",
        {"article": article, "message": message},
        status=400,
    )


def article_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """``?from=&to=``: two revision numbers (400 if they are not numbers, 404 if the article
    has no such revision)."""
    article = selectors.article_for_page(pk=pk)
    if article.is_hidden:
        raise Http404
    old_number = positive_int(request.GET.get("from"), maximum=MAX_NUMBER)
    new_number = positive_int(request.GET.get("to"), maximum=MAX_NUMBER)
    if old_number is None or new_number is None:
        return _bad_request(
            request,
            article,
            "Choose two revisions to compare: “from” and “to” are revision "
            "numbers, such as 1 and 2.",
        )
    old = selectors.revision(article=article, number=old_number)
    new = selectors.revision(article=article, number=new_number)
    fields = selectors.compare(old=old, new=new)
    body = fields["body"]
    old_html, new_html = diff.side_by_side(body)
    return render(
        request,
        "knowledge/article_diff.html",
        {
            "article": article,
            "old": old,
            "new": new,
            "title_diff": diff.inline(fields["title"]),
            "summary_diff": diff.inline(fields["summary"]),
            "inline": diff.inline(body),
            "old_html": old_html,
            "new_html": new_html,
            "counts": diff.counts(body),
            "same": all(op.op == diff.EQUAL for ops in fields.values() for op in ops),
            "can_write": permissions.can_write(request.user),
        },
    )


@require_POST
def article_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    article = selectors.article_for_page(pk=pk)
    try:
        revision = services.revision_restore(actor=request.user, article=article, number=number)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return redirect("article_history", pk=article.pk)
    except ratelimit.RateLimited as exc:
        messages.error(request, str(exc))
        return ratelimit.too_many(redirect("article_history", pk=article.pk), exc)
    messages.success(request, f"Revision {number} is restored as revision {revision.number}.")
    return redirect(article)
