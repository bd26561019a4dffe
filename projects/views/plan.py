"""A project's plan: its milestones (on a timeline), updates, decision log, risks (with a heat
map) and outcome measures (with their readings, the project's progress and, once it has ended,
its closure report).

Every page is inside the project (``inside``: a 404 for a restricted project's non-members).
Members and leads write; everyone else who may see inside reads the same pages without forms. A
form that comes back refused is the page again, 400, with the messages beside its fields.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import sections
from core.params import BadCursor
from core.views import attempt, refused
from projects import forms, permissions, selectors, services
from projects.models import Membership, Project
from projects.timeline import timeline
from projects.views.common import inside, layout

LIKELIHOOD = {1: "rare", 2: "unlikely", 3: "possible", 4: "likely", 5: "almost certain"}
CONSEQUENCE = {1: "minor", 2: "moderate", 3: "serious", 4: "major", 5: "severe"}


def _show(
    request: HttpRequest,
    template: str,
    project: Project,
    viewer: selectors.Viewer,
    tab: str,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return refused(
        request,
        render(request, template, layout(project, viewer, tab, **context), status=status),
    )


def _may_write(request: HttpRequest, viewer: selectors.Viewer) -> bool:
    """Whether this person may change the plan; if not, a message saying why (the services
    refuse them anyway)."""
    if viewer.can_write:
        return True
    membership = viewer.membership
    observer = (
        viewer.is_member and membership is not None and membership.role == Membership.Role.OBSERVER
    )
    messages.error(request, permissions.OBSERVER if observer else permissions.NOT_A_MEMBER)
    return False


def _at(name: str, pk: int, anchor: str) -> str:
    return f"{reverse(name, kwargs={'pk': pk})}#{anchor}"


def _edit_page(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    tab: str,
    form: Any,
    *,
    heading: str,
    action: str,
    back: str,
    button: str = "Save",
    status: int = 200,
) -> HttpResponse:
    return _show(
        request,
        "projects/plan_edit.html",
        project,
        viewer,
        tab,
        status,
        form=form,
        heading=heading,
        action=action,
        back=back,
        button=button,
    )


# --- milestones ------------------------------------------------------------------------------


def _milestones(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    form: Any = None,
    status: int = 200,
) -> HttpResponse:
    milestones = selectors.milestones(project=project)
    drawing = timeline(
        milestones,
        start=project.start_date,
        end=project.end_date,
        today=timezone.localdate(),
    )
    return _show(
        request,
        "projects/milestones.html",
        project,
        viewer,
        "milestones",
        status,
        milestones=milestones,
        timeline=drawing,
        form=form or forms.MilestoneForm(),
    )


def project_milestones(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    return _milestones(request, project, viewer)


def _save_milestone(
    request: HttpRequest, project: Project, form: forms.MilestoneForm, milestone: Any = None
) -> tuple[bool, Any]:
    if not form.is_valid():
        return False, None
    data = form.cleaned_data
    return attempt(
        request,
        form,
        lambda: services.milestone_save(
            actor=request.user,
            project=project,
            title=data["title"],
            description=data["description"],
            due=data["due"],
            progress=data["progress"],
            weight=data["weight"],
            completed=data["completed"],
            milestone=milestone,
        ),
    )


@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    if not _may_write(request, viewer):
        return _milestones(request, project, viewer, status=403)
    form = forms.MilestoneForm(request.POST)
    ok, milestone = _save_milestone(request, project, form)
    if ok:
        messages.success(request, f"Milestone “{milestone.title}” added.")
        return redirect(_at("project_milestones", pk, f"milestone-{milestone.pk}"))
    return _milestones(request, project, viewer, form=form, status=400)


def milestone_edit(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    found = selectors.milestone_of(project=project, pk=milestone)
    back = _at("project_milestones", pk, f"milestone-{found.pk}")
    if not _may_write(request, viewer):
        return (
            redirect(back)
            if request.method != "POST"
            else _milestones(request, project, viewer, status=403)
        )
    initial = {
        "title": found.title,
        "description": found.description,
        "due": found.due,
        "progress": found.progress,
        "weight": found.weight,
        "completed": found.completed,
    }
    form = forms.MilestoneForm(request.POST or None, initial=initial)
    if request.method == "POST":
        ok, _ = _save_milestone(request, project, form, found)
        if ok:
            messages.success(request, "Milestone saved.")
            return redirect(back)
    return _edit_page(
        request,
        project,
        viewer,
        "milestones",
        form,
        heading=f"Edit milestone: {found.title}",
        action=reverse("project_milestone_edit", kwargs={"pk": pk, "milestone": found.pk}),
        back=back,
        status=400 if request.method == "POST" else 200,
    )


# --- updates ---------------------------------------------------------------------------------


def _updates(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    form: Any = None,
    status: int = 200,
) -> HttpResponse:
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.updates_page(project=project, cursor=cursor)
    except BadCursor:
        cursor, page = None, selectors.updates_page(project=project)
    return _show(
        request,
        "projects/updates.html",
        project,
        viewer,
        "updates",
        status,
        page=page,
        older=bool(cursor),
        form=form or forms.UpdateForm(),
    )


def project_updates(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    return _updates(request, project, viewer)


@require_POST
def update_post(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    if not _may_write(request, viewer):
        return _updates(request, project, viewer, status=403)
    form = forms.UpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, update = attempt(
            request,
            form,
            lambda: services.update_post(
                actor=request.user,
                project=project,
                title=data["title"],
                body=data["body"],
                submission_key=data["submission_key"],
                confirm_not_identifying=data.get("confirm_not_identifying", False),
            ),
        )
        if ok:
            messages.success(request, "Posted: the team and the project's followers are told.")
            return redirect(update)
    return _updates(request, project, viewer, form=form, status=400)


# --- decisions -------------------------------------------------------------------------------


def _decisions(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    form: Any = None,
    status: int = 200,
) -> HttpResponse:
    return _show(
        request,
        "projects/decisions.html",
        project,
        viewer,
        "decisions",
        status,
        decisions=selectors.decisions(project=project),
        form=form or forms.DecisionForm(),
    )


def project_decisions(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    return _decisions(request, project, viewer)


@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    if not _may_write(request, viewer):
        return _decisions(request, project, viewer, status=403)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, decision = attempt(
            request,
            form,
            lambda: services.decision_record(
                actor=request.user,
                project=project,
                title=data["title"],
                options=data["options"],
                rationale=data["reason"],
            ),
        )
        if ok:
            messages.success(request, "The decision is on the record.")
            return redirect(_at("project_decisions", pk, f"decision-{decision.pk}"))
    return _decisions(request, project, viewer, form=form, status=400)


# --- risks -----------------------------------------------------------------------------------


def _risks(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    form: Any = None,
    status: int = 200,
) -> HttpResponse:
    risks = selectors.risks(project=project)
    heat = [
        (row[0]["likelihood"], LIKELIHOOD[row[0]["likelihood"]], row)
        for row in (selectors.heat_map(risks))
    ]
    if form is None and viewer.can_write:
        form = forms.RiskForm(people=selectors.assignable(project=project))
    today = timezone.localdate()
    return _show(
        request,
        "projects/risks.html",
        project,
        viewer,
        "risks",
        status,
        risks=risks,
        heat=heat,
        consequences=list(CONSEQUENCE.items()),
        open_count=sum(r.status != r.Status.CLOSED for r in risks),
        review_overdue=[r.pk for r in risks if r.needs_review(today)],
        form=form,
    )


def project_risks(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    return _risks(request, project, viewer)


def _save_risk(
    request: HttpRequest, project: Project, form: forms.RiskForm, people: list[Any], risk: Any
) -> tuple[bool, Any]:
    if not form.is_valid():
        return False, None
    data = form.cleaned_data
    owner = next((u for u in people if u.pk == data["owner"]), None)
    return attempt(
        request,
        form,
        lambda: services.risk_save(
            actor=request.user,
            project=project,
            title=data["title"],
            description=data["description"],
            likelihood=data["likelihood"],
            consequence=data["consequence"],
            owner=owner,
            mitigation=data["mitigation"],
            status=data["status"],
            review_by=data["review_by"],
            risk=risk,
        ),
    )


@require_POST
def risk_add(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    if not _may_write(request, viewer):
        return _risks(request, project, viewer, status=403)
    people = selectors.assignable(project=project)
    form = forms.RiskForm(request.POST, people=people)
    ok, risk = _save_risk(request, project, form, people, None)
    if ok:
        messages.success(request, f"Risk “{risk.title}” added: rated {risk.rating} ({risk.level}).")
        return redirect(_at("project_risks", pk, f"risk-{risk.pk}"))
    return _risks(request, project, viewer, form=form, status=400)


def risk_edit(request: HttpRequest, pk: int, risk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    found = selectors.risk_of(project=project, pk=risk)
    back = _at("project_risks", pk, f"risk-{found.pk}")
    if not _may_write(request, viewer):
        return (
            redirect(back)
            if request.method != "POST"
            else _risks(request, project, viewer, status=403)
        )
    people = selectors.assignable(project=project)
    if found.owner is not None and found.owner.pk not in {u.pk for u in people}:
        people.append(found.owner)  # an owner who has left still shows (saving asks again)
    initial = {
        "title": found.title,
        "description": found.description,
        "likelihood": found.likelihood,
        "consequence": found.consequence,
        "owner": found.owner_id,
        "mitigation": found.mitigation,
        "status": found.status,
        "review_by": found.review_by,
    }
    form = forms.RiskForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST":
        ok, saved = _save_risk(request, project, form, people, found)
        if ok:
            messages.success(request, f"Risk saved: rated {saved.rating} ({saved.level}).")
            return redirect(back)
    return _edit_page(
        request,
        project,
        viewer,
        "risks",
        form,
        heading=f"Edit risk: {found.title}",
        action=reverse("project_risk_edit", kwargs={"pk": pk, "risk": found.pk}),
        back=back,
        status=400 if request.method == "POST" else 200,
    )


# --- outcomes --------------------------------------------------------------------------------


def _outcomes(
    request: HttpRequest,
    project: Project,
    viewer: selectors.Viewer,
    form: Any = None,
    reading: tuple[int, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    measures = selectors.measures(project=project)
    milestones = selectors.milestones(project=project)
    rows = []
    for m in measures:
        reading_form = None
        if viewer.can_write:
            reading_form = (
                reading[1]
                if reading and reading[0] == m.pk
                else forms.ReadingForm(auto_id=f"reading{m.pk}_%s")
            )
        rows.append(
            {
                "measure": m,
                "readings": list(m.readings.all()),
                "form": reading_form,
                # What a higher layer says about the measure (the commons: where its values
                # come from, and a way to take them from an indicator).
                "sections": sections.render("measure", request, measure=m, viewer=viewer),
            }
        )
    return _show(
        request,
        "projects/outcomes.html",
        project,
        viewer,
        "outcomes",
        status,
        rows=rows,
        progress=selectors.progress(measures=measures, milestones=milestones),
        closure=selectors.closure(project=project),
        form=form or forms.MeasureForm(),
        ideas=selectors.ideas_of(project=project),
    )


def project_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    return _outcomes(request, project, viewer)


def _save_measure(
    request: HttpRequest, project: Project, form: forms.MeasureForm, measure: Any = None
) -> tuple[bool, Any]:
    if not form.is_valid():
        return False, None
    data = form.cleaned_data
    return attempt(
        request,
        form,
        lambda: services.measure_save(
            actor=request.user,
            project=project,
            name=data["name"],
            unit=data["unit"],
            baseline=data["baseline"],
            baseline_date=data["baseline_date"],
            target=data["target"],
            target_date=data["target_date"],
            source=data["source"],
            weight=data["weight"],
            measure=measure,
        ),
    )


@require_POST
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    if not _may_write(request, viewer):
        return _outcomes(request, project, viewer, status=403)
    form = forms.MeasureForm(request.POST)
    ok, measure = _save_measure(request, project, form)
    if ok:
        messages.success(request, f"Measure “{measure.name}” added. Add its first reading.")
        return redirect(_at("project_outcomes", pk, f"measure-{measure.pk}"))
    return _outcomes(request, project, viewer, form=form, status=400)


def measure_edit(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    found = selectors.measure_of(project=project, pk=measure)
    back = _at("project_outcomes", pk, f"measure-{found.pk}")
    if not _may_write(request, viewer):
        return (
            redirect(back)
            if request.method != "POST"
            else _outcomes(request, project, viewer, status=403)
        )
    initial = {
        "name": found.name,
        "unit": found.unit,
        "baseline": found.baseline,
        "baseline_date": found.baseline_date,
        "target": found.target,
        "target_date": found.target_date,
        "source": found.source,
        "weight": found.weight,
    }
    form = forms.MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST":
        ok, _ = _save_measure(request, project, form, found)
        if ok:
            messages.success(request, "Measure saved.")
            return redirect(back)
    return _edit_page(
        request,
        project,
        viewer,
        "outcomes",
        form,
        heading=f"Edit measure: {found.name}",
        action=reverse("project_measure_edit", kwargs={"pk": pk, "measure": found.pk}),
        back=back,
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def reading_add(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    project, viewer = inside(request, pk)
    found = selectors.measure_of(project=project, pk=measure)
    if not _may_write(request, viewer):
        return _outcomes(request, project, viewer, status=403)
    form = forms.ReadingForm(request.POST, auto_id=f"reading{found.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        ok, reading = attempt(
            request,
            form,
            lambda: services.reading_add(
                actor=request.user,
                measure=found,
                value=data["value"],
                on=data["date"],
                note=data["note"],
            ),
        )
        if ok:
            messages.success(
                request,
                f"Reading added: {selectors.numbers(reading.value)} {found.unit} "
                f"on {reading.date.day} {reading.date:%b %Y}.",
            )
            return redirect(_at("project_outcomes", pk, f"measure-{found.pk}"))
    return _outcomes(request, project, viewer, reading=(found.pk, form), status=400)


urlpatterns = [
    path("projects/<id:pk>/milestones/", project_milestones, name="project_milestones"),
    path("projects/<id:pk>/milestones/add/", milestone_add, name="project_milestone_add"),
    path(
        "projects/<id:pk>/milestones/<id:milestone>/",
        milestone_edit,
        name="project_milestone_edit",
    ),
    path("projects/<id:pk>/updates/", project_updates, name="project_updates"),
    path("projects/<id:pk>/updates/post/", update_post, name="project_update_post"),
    path("projects/<id:pk>/decisions/", project_decisions, name="project_decisions"),
    path("projects/<id:pk>/decisions/add/", decision_add, name="project_decision_add"),
    path("projects/<id:pk>/risks/", project_risks, name="project_risks"),
    path("projects/<id:pk>/risks/add/", risk_add, name="project_risk_add"),
    path("projects/<id:pk>/risks/<id:risk>/", risk_edit, name="project_risk_edit"),
    path("projects/<id:pk>/outcomes/", project_outcomes, name="project_outcomes"),
    path("projects/<id:pk>/outcomes/add/", measure_add, name="project_measure_add"),
    path(
        "projects/<id:pk>/outcomes/<id:measure>/",
        measure_edit,
        name="project_measure_edit",
    ),
    path(
        "projects/<id:pk>/outcomes/<id:measure>/readings/",
        reading_add,
        name="project_reading_add",
    ),
]
