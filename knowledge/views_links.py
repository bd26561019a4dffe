"""Thin views for an article's links and feedback, the feedback list, and writing a closed
project's closure report up as a lesson learned. The rules are the services'
(``knowledge.links``, ``knowledge.feedback``, ``knowledge.lessons``)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import ratelimit
from core.params import BadCursor
from core.views import attempt, refused
from knowledge import feedback as feedback_services
from knowledge import forms, lessons, links, permissions, selectors
from knowledge.models import Article, Feedback
from projects import selectors as project_selectors


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def article_extra(request: HttpRequest, article: Article) -> dict[str, Any]:
    """What the article page shows of its links and feedback (``_links_feedback.html``)."""
    if article.is_hidden:
        return {}  # the page shows who hid it and why, nothing else
    user = request.user
    seen = links.on_article(article=article, viewer=user)
    shown, outside = seen.shown, seen.outside
    can_link = permissions.can_write(user) and not article.is_hidden
    return {
        "links_shown": shown,
        "used_in": links.used_in(links.counts(shown)),
        "link_form": forms.LinkForm(
            projects=links.visible_projects_for(user=user, member_of=seen.member_of)
        )
        if can_link
        else None,
        "feedback_outside": outside,
        "feedback_items": [] if outside else feedback_services.feedback_on(article=article),
        "feedback_form": forms.FeedbackForm()
        if _signed_in(user) and not outside and not article.is_hidden
        else None,
        "can_answer": feedback_services.can_answer(user, article),
    }


def _article_again(request: HttpRequest, article: Article, **forms_given: Any) -> HttpResponse:
    """The article page again with a refused form's messages and what was typed (400)."""
    from knowledge import views  # the page's own context; views imports this module

    context = views._article_context(request, article)
    context.update(forms_given)
    return refused(request, render(request, "knowledge/article_detail.html", context, status=400))


def _visible_article(pk: int) -> Article:
    article = selectors.article_for_page(pk=pk)
    if article.is_hidden:
        raise Http404
    return article


@require_POST
def article_link(request: HttpRequest, pk: int) -> HttpResponse:
    article = _visible_article(pk)
    form = forms.LinkForm(request.POST, projects=links.visible_projects_for(user=request.user))
    if form.is_valid():
        data = form.cleaned_data

        def run() -> Any:
            if data.get("project"):
                project = next(
                    (p for p in links.visible_projects_for(user=request.user)
                     if p.pk == data["project"]),
                    None,
                )  # fmt: skip
                if project is None:
                    raise ValidationError({"project": "Choose one of your projects."})
                target: Any = project
            else:
                target = links.target_from_address(user=request.user, address=data["address"])
            return links.link(actor=request.user, article=article, target=target)

        ok, made = attempt(request, form, run)
        if ok:
            messages.success(request, f"Linked to the {made.kind_label.lower()}.")
            return redirect(f"{article.get_absolute_url()}#links-heading")
    return _article_again(request, article, link_form=form)


@require_POST
def article_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    article = _visible_article(pk)
    found = links.link_for(article=article, pk=link_pk)
    if found is None or not links.may_see(request.user, found.target):
        raise Http404("No such link.")
    try:
        links.unlink(actor=request.user, link=found)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, "The link is removed.")
    return redirect(f"{article.get_absolute_url()}#links-heading")


@require_POST
def feedback_post(request: HttpRequest, pk: int) -> HttpResponse:
    article = _visible_article(pk)
    form = forms.FeedbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, _ = attempt(
            request,
            form,
            lambda: feedback_services.feedback_post(
                actor=request.user,
                article=article,
                text=data["text"],
                confirm_not_identifying=data.get("confirm_not_identifying", False),
            ),
        )
        if ok:
            messages.success(
                request, "Thank you: your feedback is sent to the article's owner to answer."
            )
            return redirect(f"{article.get_absolute_url()}#feedback-heading")
    return _article_again(request, article, feedback_form=form)


def feedback_respond(request: HttpRequest, pk: int, feedback_pk: int) -> HttpResponse:
    """The owner's (or a steward's) answer to one piece of feedback: its own page, so a
    refused answer comes back with what was typed."""
    article = _visible_article(pk)
    item = feedback_services.feedback_for(article=article, pk=feedback_pk)
    if item is None:
        raise Http404("No such feedback.")
    if not feedback_services.can_answer(request.user, article):
        raise PermissionDenied(feedback_services.ANSWERERS)
    form = forms.ResponseForm(
        request.POST or None, initial={"response": item.response} if item.response else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _ = attempt(
            request,
            form,
            lambda: feedback_services.feedback_respond(
                actor=request.user,
                feedback=item,
                response=data["response"],
                resolve=data["resolve"],
                confirm_not_identifying=data.get("confirm_not_identifying", False),
            ),
        )
        if ok:
            messages.success(request, "Your answer is public on the article page.")
            return redirect(f"{article.get_absolute_url()}#feedback-{item.pk}")
    return refused(
        request,
        render(
            request,
            "knowledge/feedback_respond.html",
            {"article": article, "item": item, "form": form},
            status=400 if request.method == "POST" else 200,
        ),
    )


def _page_or_first(read: Any, cursor: str | None) -> Any:
    try:
        return read(cursor or None)
    except BadCursor:
        return read(None)


def feedback_list(request: HttpRequest) -> HttpResponse:
    """Feedback on every article: open first (the most overdue leads), then what was answered
    and resolved. ``?open=`` and ``?cursor=`` page the two lists."""
    user = request.user
    open_items = _page_or_first(
        lambda c: feedback_services.open_page(viewer=user, cursor=c), request.GET.get("open")
    )
    closed = _page_or_first(
        lambda c: feedback_services.closed_page(viewer=user, cursor=c), request.GET.get("cursor")
    )
    return render(
        request,
        "knowledge/feedback_list.html",
        {"open_page": open_items, "closed_page": closed, "statuses": Feedback.Status},
    )


@require_POST
def lesson_from_closure(request: HttpRequest, project_pk: int) -> HttpResponse:
    project, _ = project_selectors.project_for_viewer(pk=project_pk, viewer=request.user)
    try:
        article = lessons.lesson_from_closure(
            actor=request.user,
            project=project,
            confirm_public=request.POST.get("confirm_public") in ("1", "on", "true"),
        )
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return redirect(project)
    except ratelimit.RateLimited as exc:
        messages.error(request, str(exc))
        return ratelimit.too_many(redirect(project), exc)
    messages.success(
        request,
        "The lesson learned is started from the closure report: edit it into something others "
        "can use.",
    )
    return redirect(article)
