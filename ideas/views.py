"""Thin views: parse input with a form, call one service or selector, render."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core import ratelimit, sections
from core.params import BadCursor, positive_int
from core.views import attempt, is_htmx, refused, submit
from discussion.views import context_for as discussion_context
from ideas import forms, permissions, selectors, services
from ideas.models import Idea, Problem

# --- helpers -----------------------------------------------------------------------------


def _keep_known_tags(form: Any, exc: ValidationError) -> ValidationError:
    """Unknown tags: the form comes back with the known ones in the field, the unknown ones
    named in the message (with the list of tags open below it), and everything else as it was
    typed."""
    if not isinstance(exc, services.UnknownTags) or "tags" not in form.fields:
        return exc
    form.data = form.data.copy()
    form.data[form.add_prefix("tags")] = ", ".join(exc.known)
    names = ", ".join(f"“{n}”" for n in exc.unknown)
    many = len(exc.unknown) > 1
    return ValidationError(
        {
            "tags": f"Unknown tag{'s' if many else ''}: {names} {'are' if many else 'is'} not "
            f"one of the tags here, so {'they were' if many else 'it was'} taken out"
            f"{' and your other tags kept' if exc.known else ''}. Choose from the tags listed "
            "below; a steward can add new ones."
        }
    )


def _attempt(request: HttpRequest, form: Any, call: Callable[[], Any]) -> tuple[bool, Any]:
    return attempt(request, form, call, adapt=_keep_known_tags)


_submit, _refused, _is_htmx = submit, refused, is_htmx


def _limited(request: HttpRequest, exc: ratelimit.RateLimited, target: Idea | Problem) -> Any:
    """A button's action refused by the rate limit: its page again, as a 429, saying why."""
    messages.error(request, str(exc))
    page = idea_page(request, target) if isinstance(target, Idea) else problem_page(request, target)
    return ratelimit.too_many(page, exc)


def _first_page_if_bad_cursor(
    request: HttpRequest, read: Callable[[str | None], selectors.Page]
) -> selectors.Page:
    """A list page at ``?cursor=``; a cursor this site did not give out shows the first page."""
    try:
        return read(request.GET.get("cursor") or None)
    except BadCursor:
        return read(None)


# --- ideas -------------------------------------------------------------------------------


def idea_list(request: HttpRequest) -> HttpResponse:
    form = forms.IdeaFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "newest"
    page = _first_page_if_bad_cursor(
        request,
        lambda cursor: selectors.ideas_page(
            viewer=request.user,
            sort=sort,
            stage=filters.get("stage", ""),
            tag=filters.get("tag", ""),
            organisation=filters.get("organisation", ""),
            problem=filters.get("problem"),
            level=filters.get("level", ""),
            q=filters.get("q", ""),
            cursor=cursor,
        ),
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "page": page,
        "sort": sort,
        "querystring": query.urlencode(),
        "now": timezone.now(),
        "can_moderate": permissions.can_moderate(request.user),
    }
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(request, "ideas/idea_list.html#idea-rows", context)
    return render(request, "ideas/idea_list.html", context)


def idea_waiting(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/waiting.html",
        {
            "ideas": selectors.waiting_longest(limit=50),
            "stuck": selectors.stuck_longest(limit=50),
            "now": timezone.now(),
        },
    )


IDEA_FORM_FIELDS = (
    "title", "summary", "body", "benefit", "tags", "problem", "organisations", "coauthors",
    "confirm_not_identifying",
)  # fmt: skip


def _idea_fields(data: dict[str, Any]) -> dict[str, Any]:
    """What the idea form gives both services (create and update)."""
    return {field: data[field] for field in IDEA_FORM_FIELDS}


def idea_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if problem := positive_int(request.GET.get("problem")):
        initial["problem"] = problem
    form = forms.IdeaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, idea = _attempt(
            request,
            form,
            lambda: services.idea_create(
                author=request.user,
                submission_key=data["submission_key"],
                **_idea_fields(data),
            ),
        )
        if ok:
            messages.success(request, "Your idea is posted. Everyone can see it now.")
            return redirect(idea)
    return _refused(
        request,
        render(
            request,
            "ideas/idea_form.html",
            {"form": form, "tags": selectors.all_tags(), "editing": None},
        ),
    )


def idea_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_for_page(pk=pk)
    if not permissions.can_edit_idea(request.user, idea):
        raise Http404
    initial = {
        "title": idea.title,
        "summary": idea.summary,
        "body": idea.body,
        "benefit": idea.benefit,
        "tags": [t for t in idea.tag_text.split(", ") if t],
        "problem": idea.problem_id,
        "organisations": list(idea.organisations.all()),
        "coauthors": list(idea.coauthors.all()),
    }
    form = forms.IdeaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _ = _attempt(
            request,
            form,
            lambda: services.idea_update(actor=request.user, idea=idea, **_idea_fields(data)),
        )
        if ok:
            messages.success(request, "Saved. The previous version is kept in the history.")
            return redirect(idea)
    return _refused(
        request,
        render(
            request,
            "ideas/idea_form.html",
            {"form": form, "tags": selectors.all_tags(), "editing": idea},
        ),
    )


def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_for_page(pk=pk)
    return render(request, "ideas/idea_detail.html", _idea_context(request, idea))


def _idea_context(request: HttpRequest, idea: Idea, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "idea": idea,
        "state": selectors.idea_viewer_state(viewer=user, idea=idea),
        **discussion_context(request, idea, extra.pop("comment_form", None)),
        "can_edit": permissions.can_edit_idea(user, idea),
        "can_decide": permissions.can_decide(user, idea),
        "can_merge": permissions.can_merge(user, idea),
        "can_support": permissions.can_support(user, idea),
        "is_author": permissions.is_author(user, idea),
        "decides_but_wrote_it": permissions.may_decide_but_for_authorship(user, idea)
        and permissions.is_author(user, idea),
        "decision_form": extra.pop("decision_form", None) or forms.DecisionForm(idea=idea),
        "merge_form": extra.pop("merge_form", None) or forms.MergeForm(idea=idea),
        "now": timezone.now(),
        "sections": sections.render("idea", request, idea=idea),
        **extra,
    }


def idea_page(request: HttpRequest, idea: Idea, **extra: Any) -> HttpResponse:
    """An idea's page (again, with a form's errors in ``extra``)."""
    return render(request, "ideas/idea_detail.html", _idea_context(request, idea, **extra))


def idea_decisions_part(request: HttpRequest, pk: int) -> HttpResponse:
    """The stage badge and decision timeline, for live refresh after a decision."""
    idea = selectors.idea_for_page(pk=pk)
    return render(
        request, "ideas/_decisions.html", {"idea": idea, "now": timezone.now(), "oob": True}
    )


def idea_history(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_for_page(pk=pk)
    return render(
        request,
        "ideas/idea_history.html",
        {"idea": idea, "revisions": selectors.idea_revisions(idea=idea)},
    )


@require_POST
def idea_support(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_for_page(pk=pk)
    action = request.POST.get("action")
    try:
        if action == "support":
            services.idea_support(user=request.user, idea=idea)
        elif action == "withdraw":
            services.idea_unsupport(user=request.user, idea=idea)
        else:
            return HttpResponse("Say whether to support or withdraw.", status=400)
    except (ValidationError, PermissionDenied) as exc:  # merged; or their own idea
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if _is_htmx(request):
            return render(request, "ideas/_support.html", _support_context(request, idea, text))
        messages.error(request, text)
    except ratelimit.RateLimited as exc:
        if not _is_htmx(request):
            return _limited(request, exc, idea)
        part = render(request, "ideas/_support.html", _support_context(request, idea, str(exc)))
        return ratelimit.too_many(part, exc)
    if _is_htmx(request):
        return render(request, "ideas/_support.html", _support_context(request, idea))
    return redirect(idea)


def _support_context(request: HttpRequest, idea: Idea, error: str = "") -> dict[str, Any]:
    return {
        "idea": idea,
        "state": selectors.idea_viewer_state(viewer=request.user, idea=idea),
        "can_support": permissions.can_support(request.user, idea),
        "is_author": permissions.is_author(request.user, idea),
        "error": error,
    }


@require_POST
def idea_decide(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_for_page(pk=pk)
    if not permissions.can_decide(request.user, idea):
        if permissions.may_decide_but_for_authorship(request.user, idea):
            raise PermissionDenied(permissions.OWN_IDEA_DECISION)
        raise PermissionDenied("Only stewards and the problem's owners can decide on this idea.")
    form = forms.DecisionForm(request.POST, idea=idea)
    return _submit(
        request,
        form,
        lambda data: services.idea_decide(
            actor=request.user, idea=idea, to_stage=data["to_stage"], reason=data["reason"]
        ),
        done="Decision recorded and shown to everyone.",
        then=idea,
        page=lambda: ("ideas/idea_detail.html", _idea_context(request, idea, decision_form=form)),
    )


@require_POST
def idea_merge(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_for_page(pk=pk)
    if not permissions.can_merge(request.user, idea):
        if permissions.is_steward(request.user) and permissions.is_author(request.user, idea):
            raise PermissionDenied(permissions.OWN_IDEA_MERGE)
        raise PermissionDenied("Only stewards can merge ideas.")
    form = forms.MergeForm(request.POST, idea=idea)
    if form.is_valid():
        try:
            target = selectors.idea_for_page(pk=form.cleaned_data["target"])
        except Http404:
            form.add_error("target", "There is no idea with that number.")
        else:
            ok, _ = _attempt(
                request,
                form,
                lambda: services.idea_merge(
                    actor=request.user,
                    source=idea,
                    target=target,
                    reason=form.cleaned_data["reason"],
                ),
            )
            if ok:
                messages.success(request, f"Merged into “{target.title}”.")
                return redirect(target)
    context = _idea_context(request, idea, merge_form=form)
    return _refused(request, render(request, "ideas/idea_detail.html", context, status=400))


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    title = request.GET.get("title", "")[:200]
    ideas = selectors.similar_ideas(title=title, exclude=positive_int(request.GET.get("exclude")))
    return render(request, "ideas/_similar.html", {"ideas": ideas, "title": title})


@require_GET
def similar_problems(request: HttpRequest) -> HttpResponse:
    title = request.GET.get("title", "")[:200]
    problems = selectors.similar_problems(
        title=title, exclude=positive_int(request.GET.get("exclude"))
    )
    return render(request, "ideas/_similar.html", {"problems": problems, "title": title})


@require_GET
def tag_suggestions(request: HttpRequest) -> JsonResponse:
    """Tags for the one being typed: ``q`` is the whole field ("whānau, ref"), so the
    suggestions are for what follows the last comma, without the tags already there."""
    *before, typing = request.GET.get("q", "")[:400].split(",")
    chosen = {" ".join(t.split()).lower() for t in before}
    tags = [
        t
        for t in selectors.tag_suggestions(prefix=typing.strip()[:40], limit=10 + len(chosen))
        if t not in chosen
    ][:10]
    return JsonResponse(
        {"tags": tags, "suggestions": [{"value": t, "label": t, "detail": ""} for t in tags]}
    )


@require_GET
def idea_suggestions(request: HttpRequest) -> JsonResponse:
    """Ideas to pick (a merge's target) by title or number: each suggestion's ``value`` is
    what goes in the field ("#12 Its title"), which the form reads back as idea 12."""
    ideas = selectors.idea_suggestions(
        query=request.GET.get("q", "")[:200], exclude=positive_int(request.GET.get("exclude"))
    )
    return JsonResponse(
        {
            "suggestions": [
                {
                    "value": f"#{i.pk} {i.title}",
                    "label": f"#{i.pk} {i.title}",
                    "detail": f"{i.get_stage_display()}, {i.support_count} "
                    f"supporter{'' if i.support_count == 1 else 's'}",
                }
                for i in ideas
            ]
        }
    )


# --- problems ----------------------------------------------------------------------------


def problem_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")[:200]
    page = _first_page_if_bad_cursor(
        request, lambda cursor: selectors.problems_page(status=status, q=q, cursor=cursor)
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "ideas/problem_list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": Problem.Status.choices,
            "querystring": query.urlencode(),
        },
    )


def problem_create(request: HttpRequest) -> HttpResponse:
    form = forms.ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, problem = _attempt(
            request,
            form,
            lambda: services.problem_create(
                author=request.user,
                title=data["title"],
                description=data["description"],
                affected=data["affected"],
                tags=data["tags"],
                organisations=data["organisations"],
                submission_key=data["submission_key"],
                confirm_not_identifying=data["confirm_not_identifying"],
            ),
        )
        if ok:
            messages.success(request, "Your problem is posted. Ideas can now answer it.")
            return redirect(problem)
    context = {"form": form, "tags": selectors.all_tags()}
    return _refused(request, render(request, "ideas/problem_form.html", context))


def _problem_context(request: HttpRequest, problem: Problem, **extra: Any) -> dict[str, Any]:
    return {
        "problem": problem,
        "ideas": selectors.problem_ideas(problem=problem),
        **discussion_context(request, problem, extra.pop("comment_form", None)),
        "state": selectors.problem_viewer_state(viewer=request.user, problem=problem),
        "can_edit": permissions.can_edit_problem(request.user, problem),
        "status_form": extra.pop("status_form", None)
        or forms.ProblemStatusForm(initial={"status": problem.status}),
        "owner_form": extra.pop("owner_form", None) or forms.OwnerForm(),
        "now": timezone.now(),
        "sections": sections.render("problem", request, problem=problem),
        **extra,
    }


def problem_page(request: HttpRequest, problem: Problem, **extra: Any) -> HttpResponse:
    """A problem's page (again, with a form's errors in ``extra``)."""
    return render(request, "ideas/problem_detail.html", _problem_context(request, problem, **extra))


def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_for_page(pk=pk)
    return render(request, "ideas/problem_detail.html", _problem_context(request, problem))


@require_POST
def problem_owner_add(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_for_page(pk=pk)
    if not permissions.can_edit_problem(request.user, problem):
        raise PermissionDenied("Only the problem's owners can add owners.")
    form = forms.OwnerForm(request.POST)
    return _submit(
        request,
        form,
        lambda data: services.problem_owner_add(
            actor=request.user, problem=problem, user=data["email"]
        ),
        done="Owner added. They can now decide on ideas for this problem.",
        then=problem,
        page=lambda: (
            "ideas/problem_detail.html",
            _problem_context(request, problem, owner_form=form),
        ),
    )


@require_POST
def problem_status(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_for_page(pk=pk)
    if not permissions.can_edit_problem(request.user, problem):
        raise PermissionDenied("Only the problem's owners can change its status.")
    form = forms.ProblemStatusForm(request.POST)
    return _submit(
        request,
        form,
        lambda data: services.problem_set_status(
            actor=request.user, problem=problem, status=data["status"], reason=data["reason"]
        ),
        done="Status changed.",
        then=problem,
        page=lambda: (
            "ideas/problem_detail.html",
            _problem_context(request, problem, status_form=form),
        ),
    )
