"""The portfolio, a project's overview, starting and editing one, its status and its scope."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core import sections
from core.params import BadCursor, positive_int
from core.views import attempt, is_htmx, refused
from discussion import selectors as discussion_selectors
from discussion.views import context_for as discussion_context
from ideas import selectors as ideas_selectors
from people import selectors as people_selectors
from projects import forms, selectors, services
from projects.models import Project, Update
from projects.views.common import face, inside, layout

SORTS = [
    ("newest", "Newest"),
    ("updated", "Recently active"),
    ("members", "Most members"),
    ("oldest", "Oldest"),
]


def _options(pairs: Iterable[tuple[Any, str]], selected: Any) -> str:
    """``<option>`` elements for a filter's select, the chosen one selected (escaped)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if value == selected else "", label)
            for value, label in pairs
        ),
    )


def portfolio(request: HttpRequest) -> HttpResponse:
    """Every project's public face, filtered and sorted. With htmx (the filters changed, or
    "More projects") only the list comes back; without, the whole page."""
    filters = {
        "status": request.GET.get("status", "")[:20],
        "organisation": request.GET.get("organisation", "")[:80],
        "tag": request.GET.get("tag", "")[:40],
        "problem": positive_int(request.GET.get("problem")),
        "idea": positive_int(request.GET.get("idea")),
        "crosses": request.GET.get("crosses") == "1",
        "frontline": request.GET.get("frontline") == "1",
        "q": request.GET.get("q", "")[:200],
        "sort": request.GET.get("sort", "newest")[:20],
    }
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.portfolio(**filters, cursor=cursor)
    except BadCursor:
        cursor, page = None, selectors.portfolio(**filters)
    query = request.GET.copy()
    query.pop("cursor", None)
    counts = selectors.status_counts()
    context = {
        "page": page,
        "filters": filters,
        "statuses": [(value, label, counts[value]) for value, label in Project.Status.choices],
        "total": sum(counts.values()),
        # Options built in one pass: hundreds of tags through the template language cost more
        # than the rest of the page together.
        "organisation_options": _options(
            (
                (o.slug, o.name)
                for o in people_selectors.organisation_choices().only("slug", "name")
            ),
            filters["organisation"],
        ),
        "tag_options": _options(((t, t) for t in ideas_selectors.all_tags()), filters["tag"]),
        "problem_options": _options(
            ((p.pk, Truncator(p.title).chars(70)) for p in ideas_selectors.problem_choices()),
            filters["problem"],
        ),
        "sorts": SORTS,
        "querystring": query.urlencode(),
        "filtered": any(v for k, v in filters.items() if k != "sort"),
    }
    if is_htmx(request) and not request.headers.get("HX-History-Restore-Request"):
        # "More projects" brings the next rows only; a change of filters the whole list.
        part = "rows" if cursor else "results"
        response = render(request, f"projects/_portfolio_rows.html#{part}", context)
    else:
        response = render(request, "projects/portfolio.html", context)
    patch_vary_headers(response, ["HX-Request"])  # the page and its fragment share an address
    return response


def _create_initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if idea_id := positive_int(request.GET.get("idea")):
        try:
            idea = ideas_selectors.idea_for_page(pk=idea_id)
        except Http404:
            return initial  # no such idea: an empty form
        if not idea.is_hidden and idea.stage != "merged":
            initial.update(ideas=[idea.pk], title=idea.title, purpose=idea.summary)
            if idea.problem_id:
                initial["problems"] = [idea.problem_id]
    return initial


def project_create(request: HttpRequest) -> HttpResponse:
    form = forms.ProjectForm(request.POST or None, initial=_create_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, project = attempt(
            request,
            form,
            lambda: services.project_create(
                actor=request.user,
                title=data["title"],
                purpose=data["purpose"],
                lead=(data["lead"] or [None])[0],
                organisations=data["organisations"],
                problems=data["problems"],
                ideas=data["ideas"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                tags=data["tags"],
                restricted=data["restricted"],
                restricted_reason=data["restricted_reason"],
                submission_key=data["submission_key"],
                confirm_not_identifying=data.get("confirm_not_identifying", False),
            ),
        )
        if ok:
            messages.success(request, "The project has started. Invite the people it needs.")
            return redirect(project)
    return refused(
        request,
        render(
            request,
            "projects/project_form.html",
            {"form": form, "tags": ideas_selectors.all_tags()},
            status=400 if request.method == "POST" else 200,
        ),
    )


def _overview(
    request: HttpRequest, project: Project, viewer: selectors.Viewer, **extra: Any
) -> dict[str, Any]:
    team = selectors.team(project=project)
    context = layout(
        project,
        viewer,
        "overview",
        represented=selectors.represented(team),
        **{"join_form": forms.JoinForm(auto_id="join_%s"), **extra},
    )
    # Higher apps' parts of the page (``core.sections``): they ask ``viewer`` what to show.
    context["sections"] = sections.render("project", request, project=project, viewer=viewer)
    if viewer.can_view:
        measures = selectors.measures(project=project)
        milestones = selectors.milestones(project=project)
        context.update(
            # The trail it came from: public for an open project, inside for a restricted one.
            ideas=list(project.ideas.all()),
            problems=list(project.problems.all()),
            progress=selectors.progress(measures=measures, milestones=milestones),
            has_measures=bool(measures),
            updates=selectors.updates(project=project, limit=3),
            status_decisions=[
                d for d in selectors.decisions(project=project) if d.is_status_change
            ][:5],
            closure=selectors.closure(project=project),
            state=discussion_selectors.viewer_state(viewer=request.user, target=project),
            **discussion_context(request, project, extra.pop("comment_form", None)),
        )
    return context


def project_page(request: HttpRequest, project: Project, **extra: Any) -> HttpResponse:
    """A project's overview (again, with a form's errors in ``extra``)."""
    _, viewer = face(request, project.pk)
    return render(
        request, "projects/project_detail.html", _overview(request, project, viewer, **extra)
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = face(request, pk)
    return render(request, "projects/project_detail.html", _overview(request, project, viewer))


def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    if not viewer.is_lead:
        messages.error(request, "Only the project's leads can edit it.")
        return redirect(project)
    initial = {
        "title": project.title,
        "purpose": project.purpose,
        "organisations": list(project.organisations.all()),
        "problems": list(project.problems.all()),
        "start_date": project.start_date,
        "end_date": project.end_date,
        "tags": [t.name for t in project.tags.all()],
        "lead": [project.lead],
    }
    form = forms.ProjectForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _ = attempt(
            request,
            form,
            lambda: services.project_edit(
                actor=request.user,
                project=project,
                title=data["title"],
                purpose=data["purpose"],
                organisations=data["organisations"],
                problems=data["problems"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                tags=data["tags"],
                lead=(data["lead"] or [None])[0],
            ),
        )
        if ok:
            messages.success(request, "Saved.")
            return redirect(project)
    return refused(
        request,
        render(
            request,
            "projects/project_form.html",
            layout(
                project,
                viewer,
                "overview",
                form=form,
                editing=True,
                tags=ideas_selectors.all_tags(),
            ),
            status=400 if request.method == "POST" else 200,
        ),
    )


def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    measures = selectors.measures(project=project)
    form = forms.StatusForm(
        request.POST or None, measures=measures, initial={"status": request.GET.get("to", "")[:20]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _ = attempt(
            request,
            form,
            lambda: services.project_set_status(
                actor=request.user,
                project=project,
                status=data["status"],
                reason=data["reason"],
                achieved=data["achieved"],
                learned=data["learned"],
                results=form.results(),
            ),
        )
        if ok:
            messages.success(request, "The status is changed; the decision is on the record.")
            return redirect(project)
    return refused(
        request,
        render(
            request,
            "projects/project_status.html",
            layout(
                project,
                viewer,
                "overview",
                form=form,
                measures=measures,
                closure_rows=[
                    (m, final, result)
                    for m, (final, result) in zip(measures, form.measure_fields(), strict=True)
                ],
            ),
            status=400 if request.method == "POST" else 200,
        ),
    )


def project_restrict(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    form = forms.RestrictForm(
        request.POST or None,
        initial={"restricted": project.restricted, "restricted_reason": project.restricted_reason},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _ = attempt(
            request,
            form,
            lambda: services.project_restrict(
                actor=request.user,
                project=project,
                restricted=data["restricted"],
                reason=data["restricted_reason"],
            ),
        )
        if ok:
            messages.success(
                request,
                "Restricted: only members see inside it now."
                if project.restricted
                else "Open: everyone signed in sees it now.",
            )
            return redirect(project)
    return refused(
        request,
        render(
            request,
            "projects/project_restrict.html",
            layout(project, viewer, "overview", form=form),
            status=400 if request.method == "POST" else 200,
        ),
    )


def update_page(request: HttpRequest, update: Update, **extra: Any) -> HttpResponse:
    """One update and its discussion (again, with a form's errors in ``extra``)."""
    project, viewer = inside(request, update.project_id)
    context = layout(
        project,
        viewer,
        "updates",
        update=update,
        state=discussion_selectors.viewer_state(viewer=request.user, target=update),
        **discussion_context(request, update, extra.pop("comment_form", None)),
        **extra,
    )
    return render(request, "projects/update_detail.html", context)


def update_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return update_page(request, selectors.update_for_page(pk=pk))


def my_projects(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "projects/mine.html",
        {
            "memberships": selectors.projects_of_user(user=request.user),
            "invitations": selectors.invitations_for(user=request.user),
            "due": selectors.due_soon_tasks(user=request.user),
        },
    )


urlpatterns = [
    path("projects/", portfolio, name="project_list"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/mine/", my_projects, name="project_mine"),
    path("projects/<id:pk>/", project_detail, name="project_detail"),
    path("projects/<id:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<id:pk>/status/", project_status, name="project_status"),
    path("projects/<id:pk>/restrict/", project_restrict, name="project_restrict"),
    path("projects/updates/<id:pk>/", update_detail, name="project_update_detail"),
]
