"""Using the outcome data elsewhere: a project's measure takes its values from an indicator, and
a problem or an idea cites an indicator as evidence. Both are two steps that work without
JavaScript: choose the indicator (a GET form), then its area, group and periods (a POST form
filled from that indicator's latest published version)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from commons import links, published
from commons.models import Citation, Code, Indicator, Series
from core.params import positive_int
from core.views import attempt, refused
from ideas.models import Idea, Problem
from projects import selectors as project_selectors
from projects.models import Measure


def _indicators() -> list[Indicator]:
    """Indicators of datasets with a published version, by dataset."""
    return list(
        Indicator.objects.filter(dataset__versions__status="published")
        .select_related("dataset")
        .distinct()
        .order_by("dataset__title", "position", "id")
    )


def _chosen_indicator(request: HttpRequest) -> Indicator | None:
    wanted = positive_int(request.GET.get("indicator") or request.POST.get("indicator"))
    return next((i for i in _indicators() if i.pk == wanted), None)


class _Choices(forms.Form):
    """Area, group and periods of one indicator's latest published version."""

    area = forms.ModelChoiceField(queryset=Code.objects.none(), empty_label=None)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = published.latest(indicator.dataset)
        assert version is not None  # _indicators() lists published datasets only
        self.version = version
        area_ids = [a.pk for a in published.areas(version, indicator)]
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Code.objects.filter(pk__in=area_ids).order_by(
            "-is_total", "position", "label"
        )


class MeasureSourceForm(_Choices):
    series = forms.ModelChoiceField(queryset=Series.objects.none(), empty_label=None, label="Group")
    baseline_period = forms.ModelChoiceField(queryset=Code.objects.none(), empty_label=None)
    current_period = forms.ModelChoiceField(queryset=Code.objects.none(), empty_label=None)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, indicator=indicator, **kwargs)
        observations = self.version.observations.filter(indicator=indicator)
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or name == "area":
                continue
            if name == "series":
                ids = observations.values("series_id").distinct().order_by()
                field.queryset = Series.objects.filter(pk__in=ids).order_by("label")
            else:
                ids = observations.values("period_id").distinct().order_by()
                field.queryset = Code.objects.filter(pk__in=ids).order_by("position", "id")


class CiteForm(_Choices):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=links.NOTE_LIMIT,
        label="What the data shows about it",
    )


def measure_source(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(Measure, pk=pk)
    project, viewer = project_selectors.project_for_viewer(
        pk=measure.project_id, viewer=request.user
    )
    if not viewer.can_write:
        raise PermissionDenied("Only the project's members change its measures.")
    measure.project = project
    indicator = _chosen_indicator(request)
    form = None
    if indicator is not None:
        form = MeasureSourceForm(
            request.POST if request.method == "POST" else None, indicator=indicator
        )
        if request.method == "POST" and form.is_valid():
            ok, _ = attempt(
                request,
                form,
                lambda: links.measure_link(
                    actor=request.user, measure=measure, indicator=indicator, **form.cleaned_data
                ),
            )
            if ok:
                messages.success(
                    request, f"“{measure.name}” now takes its values from {indicator.name}."
                )
                return redirect(
                    reverse("project_outcomes", kwargs={"pk": project.pk})
                    + f"#measure-{measure.pk}"
                )
    context = {
        "measure": measure,
        "project": project,
        "indicators": _indicators(),
        "indicator": indicator,
        "form": form,
    }
    response = render(
        request,
        "commons/measure_source.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )
    return refused(request, response)


def _cite_target(request: HttpRequest) -> Idea | Problem:
    idea_id = positive_int(request.GET.get("idea"))
    problem_id = positive_int(request.GET.get("problem"))
    if idea_id:
        return get_object_or_404(Idea, pk=idea_id)
    if problem_id:
        return get_object_or_404(Problem, pk=problem_id)
    raise Http404("Cite outcome data from a problem's or an idea's page.")


def cite(request: HttpRequest) -> HttpResponse:
    target = _cite_target(request)
    idea = target if isinstance(target, Idea) else None
    problem = target if isinstance(target, Problem) else None
    kind = "idea" if idea is not None else "problem"
    indicator = _chosen_indicator(request)
    form = None
    if indicator is not None:
        form = CiteForm(request.POST if request.method == "POST" else None, indicator=indicator)
        if request.method == "POST" and form.is_valid():
            ok, _ = attempt(
                request,
                form,
                lambda: links.cite(
                    actor=request.user,
                    indicator=indicator,
                    idea=idea,
                    problem=problem,
                    **form.cleaned_data,
                ),
            )
            if ok:
                messages.success(request, f"{indicator.name} is cited as evidence.")
                return redirect(target.get_absolute_url() + "#evidence-heading")
    context = {
        "indicators": _indicators(),
        "indicator": indicator,
        "form": form,
        "keep": [(kind, target.pk)],
        "title": target.title,
        "back": target.get_absolute_url(),
    }
    response = render(
        request,
        "commons/cite.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )
    return refused(request, response)


@require_POST
def uncite(request: HttpRequest, pk: int) -> HttpResponse:
    citation = get_object_or_404(Citation.objects.select_related("idea", "problem"), pk=pk)
    target = citation.idea or citation.problem
    assert target is not None
    links.uncite(actor=request.user, citation=citation)
    messages.success(request, "The citation is taken back.")
    return redirect(target.get_absolute_url() + "#evidence-heading")


urlpatterns = [
    path("data/measures/<id:pk>/source/", measure_source, name="commons_measure_source"),
    path("data/cite/", cite, name="commons_cite"),
    path("data/citations/<id:pk>/delete/", uncite, name="commons_uncite"),
]
