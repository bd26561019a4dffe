"""What uses the commons outcome data: a project's outcome measure taking its values from an
indicator, and indicators cited as evidence on problems and ideas (writes, and the reads that
show them). Values come through ``commons.published``: a measure takes the published value, the
same number everyone sees, never a stored raw one.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from commons import published
from commons.models import Citation, Code, Indicator, MeasureSource, Series, Version
from core import ratelimit
from ideas.models import Idea, Problem
from projects import selectors as project_selectors
from projects import services as project_services
from projects.models import Measure

NOTE_LIMIT = 500


def _latest(indicator: Indicator) -> Version:
    version = published.latest(indicator.dataset)
    if version is None:
        raise ValidationError("No version of that dataset is published yet.")
    return version


def _shown(version: Version, indicator: Indicator, area: Code, series: Series, period: Code) -> Any:
    value = published.value_at(
        version=version, indicator=indicator, area=area, series=series, period=period
    )
    if value is None:
        raise ValidationError(
            f"{indicator.name} has no value for {area.label}, {series.label}, {period.label}."
        )
    if value.hidden:
        raise ValidationError(
            f"{area.label}, {series.label}, {period.label} has no published value. "
            f"{value.reason} Choose another period, area or group."
        )
    return value.value


def _period_day(period: Code) -> date:
    if period.starts_on is None:
        raise ValidationError(f"The period {period.label} has no date to record it on.")
    return period.starts_on


@transaction.atomic
def measure_link(
    *,
    actor: Any,
    measure: Measure,
    indicator: Indicator,
    area: Code,
    series: Series,
    baseline_period: Code,
    current_period: Code,
) -> MeasureSource:
    """Take a measure's baseline and current value from an indicator's published values. The
    measure's own rules apply (``projects.services``: only the project's members may)."""
    if baseline_period.position >= current_period.position:
        raise ValidationError("The current period must come after the baseline period.")
    version = _latest(indicator)
    baseline = _shown(version, indicator, area, series, baseline_period)
    current = _shown(version, indicator, area, series, current_period)
    dataset = indicator.dataset
    source = (
        f"{dataset.title}: {indicator.name}, {area.label}, {series.label} "
        f"(version {version.number})"
    )
    project_services.measure_save(
        actor=actor,
        project=measure.project,
        name=measure.name,
        unit=indicator.unit[:40],
        baseline=baseline,
        baseline_date=_period_day(baseline_period),
        target=measure.target,
        target_date=measure.target_date,
        source=source[:300],
        weight=measure.weight,
        measure=measure,
    )
    project_services.reading_add(
        actor=actor,
        measure=measure,
        value=current,
        on=_period_day(current_period),
        note=f"From the commons outcome data: {current_period.label}, version {version.number}.",
    )
    link, _ = MeasureSource.objects.update_or_create(
        measure=measure,
        defaults={
            "indicator": indicator,
            "area": area,
            "series": series,
            "baseline_period": baseline_period,
            "current_period": current_period,
            "version_number": version.number,
            "linked_by": actor,
        },
    )
    return link


def _target(idea: Idea | None, problem: Problem | None) -> dict[str, Any]:
    if (idea is None) == (problem is None):
        raise ValidationError("Cite the indicator on one problem or one idea.")
    if idea is not None and (idea.is_hidden or idea.stage == "merged"):
        raise ValidationError("That idea is hidden or merged: cite on the idea it became.")
    return {"idea": idea} if idea is not None else {"problem": problem}


@transaction.atomic
def cite(
    *,
    actor: Any,
    indicator: Indicator,
    area: Code,
    note: str,
    idea: Idea | None = None,
    problem: Problem | None = None,
) -> Citation:
    """Cite an indicator (in one area) as evidence on a problem or an idea, saying why."""
    if not getattr(actor, "is_active", False):
        raise PermissionDenied("Sign in to cite evidence.")
    target = _target(idea, problem)
    _latest(indicator)  # only published data can be cited
    if area.dimension.dataset_id != indicator.dataset_id or area.dimension.role != "area":
        raise ValidationError("That area is not one of this dataset's.")
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError({"note": "Say what the data shows about it."})
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": f"Keep it to {NOTE_LIMIT} characters."})
    if Citation.objects.filter(indicator=indicator, area=area, **target).exists():
        raise ValidationError("This indicator for that area is already cited here.")
    ratelimit.check(user=actor, action="edit")
    return Citation.objects.create(
        indicator=indicator, area=area, note=note, cited_by=actor, **target
    )


@transaction.atomic
def uncite(*, actor: Any, citation: Citation) -> None:
    if citation.cited_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the person who cited it can take it back.")
    citation.delete()


# --- reads -----------------------------------------------------------------------------------


@dataclass
class Uses:
    """What uses an indicator, as the viewer may see it: measures of projects they may see
    (restricted projects' measures are counted, not named), and citations."""

    measures: list[MeasureSource]
    restricted_measures: int
    citations: list[Citation]


def uses_of(indicator: Indicator, *, viewer: Any) -> Uses:
    sources = list(
        MeasureSource.objects.filter(indicator=indicator).select_related(
            "measure__project", "area", "series"
        )
    )
    member_of = set(project_selectors.member_project_ids(user=viewer))
    shown = [
        s for s in sources if not s.measure.project.restricted or s.measure.project_id in member_of
    ]
    citations = [
        c
        for c in Citation.objects.filter(indicator=indicator).select_related(
            "idea", "problem", "area", "cited_by__profile"
        )
        if c.idea is None or not c.idea.is_hidden
    ]
    return Uses(measures=shown, restricted_measures=len(sources) - len(shown), citations=citations)


def citations_on(*, idea: Idea | None = None, problem: Problem | None = None) -> list[Citation]:
    target = {"idea": idea} if idea is not None else {"problem": problem}
    return list(
        Citation.objects.filter(**target).select_related(
            "indicator__dataset", "area", "cited_by__profile"
        )
    )


def sources_of(*, project: Any) -> dict[int, MeasureSource]:
    rows = MeasureSource.objects.filter(measure__project=project).select_related(
        "indicator__dataset", "area", "series", "baseline_period", "current_period"
    )
    return {s.measure_id: s for s in rows}
