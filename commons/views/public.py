"""The commons outcome data for everyone: the datasets, a dataset's provenance and versions, and
an indicator's published values over time (chart, table and exports of exactly what is shown).

Values reach these pages only through ``commons.published`` (the read side of the one door).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.text import slugify

from commons import audit, charts, links, published, register
from commons.models import Code, Dataset, Indicator, Series, Version
from core import sections
from core.exports import csv_response, json_response
from core.params import positive_int

EXPORT_COLUMNS = (
    "dataset", "version", "indicator", "unit", "area", "cohort", "period", "value", "status",
    "reason",
)  # fmt: skip


def dataset_list(request: HttpRequest) -> HttpResponse:
    datasets = Dataset.objects.select_related("steward").prefetch_related("indicators")
    rows = [(d, published.latest(d)) for d in datasets]
    return render(request, "commons/dataset_list.html", {"rows": rows})


def _dataset(slug: str) -> Dataset:
    return get_object_or_404(Dataset.objects.select_related("steward"), slug=slug)


def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    context = {
        "dataset": dataset,
        "versions": published.published_versions(dataset),
        "indicators": list(dataset.indicators.select_related("base")),
        "dimensions": list(dataset.dimensions.all()),
        "uses": register.approved_count(dataset),
    }
    return render(request, "commons/dataset_detail.html", context)


def _choice(options: list[Any], wanted: int | None) -> Any:
    return next((o for o in options if o.pk == wanted), None)


def _cut(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    """The version, area and cohorts a reader asked for (the latest published version, the
    first area and the first cohorts when they did not ask, or asked for something unknown)."""
    dataset = _dataset(slug)
    indicator = get_object_or_404(Indicator, dataset=dataset, pk=pk)
    versions = published.published_versions(dataset)
    if not versions:
        raise Http404("No version of this dataset is published yet.")
    asked = positive_int(request.GET.get("version"))
    version: Version = _choice(versions, asked) or versions[0]
    areas = published.areas(version, indicator)
    if not areas:
        raise Http404("This indicator has no values in that version.")
    area: Code = _choice(areas, positive_int(request.GET.get("area"))) or areas[0]
    cohorts = published.cohorts(version, indicator, area)
    wanted = {positive_int(v) for v in request.GET.getlist("cohort")} - {None}
    chosen: list[Series] = [c for c in cohorts if c.pk in wanted] or cohorts
    data = published.cut(version=version, indicator=indicator, area=area, cohorts=chosen)
    return {
        "dataset": dataset,
        "indicator": indicator,
        "versions": versions,
        "version": version,
        "areas": areas,
        "area": area,
        "cohorts": cohorts,
        "data": data,
    }


def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    context = _cut(request, slug, pk)
    data: published.Cut = context["data"]
    context["chart"] = charts.line_chart(
        [p.label for p in data.periods],
        [(c.label, data.line(c)) for c in data.cohorts],
        unit=data.indicator.unit,
    )
    context["rows"] = [(p, [data.value(p, c) for c in data.cohorts]) for p in data.periods]
    context["too_many"] = len(context["cohorts"]) > published.MAX_COHORTS
    context["query"] = request.GET.urlencode()
    context["uses"] = links.uses_of(data.indicator, viewer=request.user)
    context["sections"] = sections.render("indicator", request, indicator=data.indicator)
    return render(request, "commons/indicator.html", context)


def indicator_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    context = _cut(request, slug, pk)
    data: published.Cut = context["data"]
    rows = published.export_rows(data)
    name = slugify(f"{data.indicator.name} {data.area.label} v{data.version.number}")[:80]
    # Every export is in the audit chain: who took which cut of which version, and as what.
    audit.record(
        action="export",
        actor=request.user,
        dataset=data.version.dataset,
        obj=data.indicator,
        details={
            "format": fmt,
            "version": data.version.number,
            "area": data.area.label,
            "cohorts": [c.label for c in data.cohorts],
            "rows": len(rows),
        },
    )
    if fmt == "csv":
        return csv_response(f"{name}.csv", EXPORT_COLUMNS, rows)
    dataset = data.version.dataset
    return json_response(
        f"{name}.json",
        {
            "dataset": dataset.title,
            "licence": dataset.licence_name,
            "attribution": dataset.attribution,
            "version": data.version.number,
            "rows": rows,
        },
    )


def indicator_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return indicator_export(request, slug, pk, "csv")


def indicator_json(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return indicator_export(request, slug, pk, "json")


INDICATOR = "data/<slug:slug>/indicators/<id:pk>/"

urlpatterns = [
    path("data/", dataset_list, name="commons_datasets"),
    path("data/<slug:slug>/", dataset_detail, name="commons_dataset"),
    path(INDICATOR, indicator_detail, name="commons_indicator"),
    path(INDICATOR + "export.csv", indicator_csv, name="commons_indicator_csv"),
    path(INDICATOR + "export.json", indicator_json, name="commons_indicator_json"),
]
