"""Verification and the review cycle: thin views over ``knowledge.verification``.

The article page gets its verification panel (``_verification.html``) from
:func:`reading_context`; the same panel is served alone at ``…/verification/`` so an open page
can fetch it again when an activity says the article was verified (static/js/knowledge-live.js).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.markdown import render_markdown
from core.views import attempt, refused
from knowledge import forms, permissions, review_selectors, selectors, verification
from knowledge.models import Article, Revision


def _blocked(request: HttpRequest, article: Article, status: Any) -> str:
    """Why the viewer cannot verify the newest revision ("" if they can)."""
    user = request.user
    if article.is_hidden or status is None:
        return "hidden"
    if not user.is_authenticated:
        return "anonymous"
    if not permissions.has_organisation(user):
        return "no_organisation"
    if status.newest.author_id == user.pk:
        return "author"
    if status.verified_by(user):
        return "already"
    if not status.complete and status.needed > 1:
        mine = user.profile.organisation_id
        if any(v.organisation_id == mine for v in status.verifications):
            return "same_organisation"
    return ""


def reading_context(
    request: HttpRequest,
    article: Article,
    *,
    verify_form: forms.VerificationForm | None = None,
    interval_form: forms.ReviewIntervalForm | None = None,
) -> dict[str, Any]:
    """Which revision the reader is shown, its text, and the verification panel: one query
    (the newest revision's verifications) besides the article's own."""
    wanted = request.GET.get("revision")
    if verify_form is not None:
        wanted = review_selectors.NEWEST  # a refused sign-off is shown beside what it was for
    shown: Revision | None = review_selectors.shown_revision(article, wanted)
    status = review_selectors.status(article=article)
    newest = article.current
    blocked = _blocked(request, article, status)
    if verify_form is None and newest is not None and not blocked:
        verify_form = forms.VerificationForm(initial={"revision": newest.number})
    is_owner = request.user.is_authenticated and request.user.pk == article.owner_id
    if interval_form is None and is_owner:
        interval_form = forms.ReviewIntervalForm(
            initial={"review_interval_days": article.review_interval_days}
        )
    now = timezone.now()
    return {
        "shown": shown,
        "body": render_markdown(shown.body if shown else ""),
        "reading_newest": shown is not None and newest is not None and shown.pk == newest.pk,
        "status": status,
        "verify_form": verify_form,
        "verify_blocked": blocked,
        "interval_form": interval_form,
        "is_owner": is_owner,
        "review_due": verification.review_due(article),
        "overdue_days": verification.overdue_days(article, now=now),
        "long_overdue": verification.long_overdue(article, now=now),
        "panel_url": reverse("article_verification", kwargs={"pk": article.pk})
        + (f"?revision={review_selectors.NEWEST}" if wanted == review_selectors.NEWEST else ""),
    }


def article_verification(request: HttpRequest, pk: int) -> HttpResponse:
    """The verification panel alone, as the article page shows it (``?revision=newest`` for a
    reader of the newest revision): an open page fetches it again on a verification."""
    article = selectors.article_for_page(pk=pk)
    context = {"article": article, **reading_context(request, article)}
    return render(request, "knowledge/_verification.html", context)


def _page_again(request: HttpRequest, article: Article, **forms_: Any) -> HttpResponse:
    from knowledge import views  # the article page's own context (views imports nothing of ours)

    response = views.article_page(request, article, **forms_)
    response.status_code = 400
    return refused(request, response)


@require_POST
def article_verify(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_page(pk=pk)
    form = forms.VerificationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        stale: list[bool] = []

        def adapt(form_: Any, exc: ValidationError) -> ValidationError:
            # A newer revision: the page now shows it, and signing it off is against it.
            if verification.STALE in exc.messages:
                stale.append(True)
            return exc

        ok, _ = attempt(
            request,
            form,
            lambda: verification.verify(
                actor=request.user,
                article=article,
                revision_number=data["revision"],
                comment=data["comment"],
            ),
            adapt=adapt,
        )
        if ok:
            if article.verified_id == article.current_id:
                messages.success(request, f"You verified revision {data['revision']}.")
                return redirect(article)
            messages.success(
                request,
                f"You signed off revision {data['revision']}. It needs someone from another "
                "organisation to verify it too.",
            )
            return redirect(f"{article.get_absolute_url()}?revision={review_selectors.NEWEST}")
        if stale:
            article = selectors.article_for_page(pk=pk)
            fresh = forms.VerificationForm(
                {"revision": article.current.number if article.current else 0, **_comment(data)}
            )
            fresh.is_valid()
            fresh.add_error(None, verification.STALE)
            form = fresh
    return _page_again(request, article, verify_form=form)


def _comment(data: dict[str, Any]) -> dict[str, str]:
    return {"comment": data.get("comment", "")}


@require_POST
def article_review_interval(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_page(pk=pk)
    form = forms.ReviewIntervalForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data["review_interval_days"]
        ok, _ = attempt(
            request,
            form,
            lambda: verification.set_review_interval(
                actor=request.user, article=article, days=days
            ),
        )
        if ok:
            messages.success(request, f"This article is now reviewed every {days} days.")
            return redirect(article)
    article = selectors.article_for_page(pk=pk)  # as it is: nothing was changed
    return _page_again(request, article, interval_form=form)


def reviews(request: HttpRequest) -> HttpResponse:
    """Public: the articles overdue for review, those due in the next 30 days, and those an
    event suggests reviewing."""
    found = review_selectors.reviews()
    now = timezone.now()
    return render(
        request,
        "knowledge/reviews.html",
        {
            "reviews": found,
            "now": now,
            "can_write": permissions.can_write(request.user),
        },
    )
