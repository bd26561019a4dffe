"""JSON endpoints for the commons outcome data (``/api/v1/datasets``): the datasets with their
provenance and licence, a dataset's structure and published versions, what changed between two
versions, and the published observations, filtered by their dimensions and keyset-paged; and
the public data-use register (``/api/v1/register``).

Read-only, and only in published terms: observation values come through ``commons.published``
(the read side of the one door), which selects ``shown_value`` and ``status`` and never the
stored ``value``, ``lower`` or ``upper``; a comparison is ``selectors.compare``, which reads the
same two columns. A draft or refused version does not exist here (404), as on the pages.
This module builds no query itself: it parses, calls ``published`` and ``selectors`` (the
dataset's structure, and the objects the observation filters name) and shapes the answers.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from commons import published, register, selectors
from commons.access import PURPOSE_FIELDS
from commons.models import Code, Dataset, Series, Version
from core.schemas import READ_ERRORS, Cursor, Id, Input, OrganisationOut, organisation_out
from people.models import Organisation

router = Router()
TAGS = ["commons"]

Slug = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Number = Annotated[int, Field(ge=1, le=2**31 - 1, description="A version's number.")]


# --- output schemas --------------------------------------------------------------------------


class ProvenanceOut(Schema):
    source: str
    source_url: str
    collection: str = Field(description="How and why it was collected.")
    parties: str = Field(description="Who collected it and who holds it.")
    retrieved_on: date | None


class LicenceOut(Schema):
    name: str
    url: str
    attribution: str = Field(description="Credit the source with this text when you reuse it.")


class DatasetOut(Schema):
    slug: str
    title: str
    description: str
    steward: OrganisationOut | None = Field(description="The kaitiaki organisation.")
    provenance: ProvenanceOut
    licence: LicenceOut
    method: str = Field(description="How the source was confidentialised: raw or rr3.")
    method_label: str
    maori_data: bool = Field(description="Disaggregated by Māori ethnicity or iwi.")
    kaitiaki_group: str = Field(description="Approves restricted use of Māori data.")
    latest_version: int | None = Field(description="Null until a version is published.")
    url: str


class CodeOut(Schema):
    id: int = Field(description="Filter observations by this id.")
    code: str = Field(description="As the publisher wrote it.")
    label: str
    is_total: bool = Field(description="A margin (Total, All), not a category of its own.")


class DimensionOut(Schema):
    code: str
    name: str
    role: str = Field(description="area, period, ethnicity, age, sex or other.")
    codes: list[CodeOut]


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="count, sum, mean or rate.")
    unit: str
    base: str | None = Field(description="The code of the count under a sum, mean or rate.")


class CohortOut(Schema):
    id: int = Field(description="Filter observations by this id (as cohort).")
    key: str = Field(description='Stable across versions, e.g. "ethnicity=Maori|age=12-17".')
    label: str


class VersionOut(Schema):
    number: int
    published_at: datetime
    row_count: int = Field(description="Rows in the imported file.")
    source_file: str


class DatasetDetailOut(DatasetOut):
    dimensions: list[DimensionOut]
    indicators: list[IndicatorOut]
    cohorts: list[CohortOut]
    versions: list[VersionOut] = Field(description="Published versions, newest first.")


class CellOut(Schema):
    indicator: str
    area: str
    cohort: str
    period: str


class PublishedOut(Schema):
    value: int | float | None = Field(description="The published value; null when hidden.")
    status: str | None = Field(description="Null: the cell is not in that version.")


class ChangeOut(Schema):
    cell: CellOut
    before: PublishedOut
    after: PublishedOut


class CellValueOut(Schema):
    cell: CellOut
    published: PublishedOut


class ComparisonOut(Schema):
    older: int
    newer: int
    added: list[CellValueOut]
    removed: list[CellValueOut]
    changed: list[ChangeOut]
    added_count: int
    removed_count: int
    changed_count: int
    truncated: bool = Field(description=f"More than {selectors.COMPARE_LIMIT} of a kind.")


class DimensionValueOut(Schema):
    id: int
    code: str
    label: str


class ObservationOut(Schema):
    indicator: str = Field(description="The indicator's code.")
    area: DimensionValueOut
    cohort: CohortOut
    period: DimensionValueOut
    value: int | float | None = Field(description="The published value; null when hidden.")
    status: str = Field(
        description="free, rounded, suppressed-primary, suppressed-secondary, "
        "suppressed-publisher or not-published."
    )
    reason: str = Field(description="Why the value looks as it does, in words.")


class ObservationPage(Schema):
    version: int
    items: list[ObservationOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null: end.")


# --- input -----------------------------------------------------------------------------------


class CompareIn(Input):
    older: Number
    newer: Number


class ObservationFilters(Input):
    version: Number | None = Field(None, description="The latest published one if left out.")
    indicator: Id | None = Field(None, description="An indicator's id.")
    area: Id | None = Field(None, description="An area code's id.")
    cohort: Id | None = Field(None, description="A cohort's id.")
    period: Id | None = Field(None, description="A period code's id.")
    cursor: Cursor | None = None


# --- endpoints -------------------------------------------------------------------------------


@router.get("/datasets", response={200: list[DatasetOut], **READ_ERRORS}, tags=TAGS)
def dataset_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every dataset, with its provenance, licence and latest published version (one query)."""
    return [_dataset(request, d, d.latest_number) for d in published.datasets()]


@router.get("/datasets/{slug}", response={200: DatasetDetailOut, **READ_ERRORS}, tags=TAGS)
def dataset_detail(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """A dataset and its structure: dimensions with their code lists, indicators, cohorts, and
    its published versions."""
    dataset = _get(slug)
    versions = published.published_versions(dataset)
    dimensions = selectors.dimensions_with_codes(dataset=dataset)
    indicators = selectors.indicators_of(dataset=dataset)
    cohorts = selectors.cohorts_of(dataset=dataset)
    return {
        **_dataset(request, dataset, versions[0].number if versions else None),
        "dimensions": [
            {
                "code": d.code,
                "name": d.name,
                "role": d.role,
                "codes": [_code(c) | {"is_total": c.is_total} for c in d.codes.all()],
            }
            for d in dimensions
        ],
        "indicators": [
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "kind": i.kind,
                "unit": i.unit,
                "base": i.base.code if i.base else None,
            }
            for i in indicators
        ],
        "cohorts": [_cohort(c) for c in cohorts],
        "versions": [_version(v) for v in versions],
    }


@router.get("/datasets/{slug}/versions", response={200: list[VersionOut], **READ_ERRORS}, tags=TAGS)
def version_list(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """A dataset's published versions, newest first (drafts and refused ones are not shown)."""
    return [_version(v) for v in published.published_versions(_get(slug))]


@router.get("/datasets/{slug}/compare", response={200: ComparisonOut, **READ_ERRORS}, tags=TAGS)
def version_compare(request: HttpRequest, slug: Slug, query: Query[CompareIn]) -> dict[str, Any]:
    """What changed from one published version to another, in published values: the first
    cells added, removed and changed of each kind, and how many there are in all."""
    dataset = _get(slug)
    older, newer = _version_of(dataset, query.older), _version_of(dataset, query.newer)
    result = selectors.compare(older, newer)
    return {
        "older": older.number,
        "newer": newer.number,
        "added": [{"cell": _cell(k), "published": _published(p)} for k, p in result.added],
        "removed": [{"cell": _cell(k), "published": _published(p)} for k, p in result.removed],
        "changed": [
            {"cell": _cell(c.key), "before": _published(c.before), "after": _published(c.after)}
            for c in result.changed
        ],
        "added_count": result.added_count,
        "removed_count": result.removed_count,
        "changed_count": result.changed_count,
        "truncated": result.truncated,
    }


@router.get(
    "/datasets/{slug}/observations", response={200: ObservationPage, **READ_ERRORS}, tags=TAGS
)
def observation_list(
    request: HttpRequest, slug: Slug, filters: Query[ObservationFilters]
) -> dict[str, Any]:
    """A published version's cells, filtered by indicator, area, cohort and period (ids from
    the dataset's structure), 500 a page. Each value is the published one — rounded, or null
    when hidden, with its status and the reason."""
    dataset = _get(slug)
    if filters.version is None:
        version = published.latest(dataset)
        if version is None:
            raise Http404("No version of this dataset is published yet.")
    else:
        version = _version_of(dataset, filters.version)
    chosen = selectors.observation_filter(
        dataset=dataset,
        indicator=filters.indicator,
        area=filters.area,
        cohort=filters.cohort,
        period=filters.period,
    )
    page = published.observations(
        version,
        indicator=chosen.indicator,
        area=chosen.area,
        cohort=chosen.cohort,
        period=chosen.period,
        cursor=filters.cursor,
        size=published.OBSERVATION_PAGE,
    )
    return {
        "version": version.number,
        "items": [_observation(o) for o in page.items],
        "next_cursor": page.next_cursor,
    }


# --- reads and shapes ------------------------------------------------------------------------


def _get(slug: str) -> Dataset:
    found = selectors.dataset_by_slug(slug)
    if found is None:
        raise Http404("No dataset has this address.")
    return found


def _version_of(dataset: Dataset, number: int) -> Version:
    found = published.version(dataset, number)
    if found is None:
        raise Http404(f"No published version {number} of this dataset.")
    return found


def _dataset(request: HttpRequest, dataset: Dataset, latest: int | None) -> dict[str, Any]:
    return {
        "slug": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "steward": organisation_out(dataset.steward),
        "provenance": {
            "source": dataset.source_name,
            "source_url": dataset.source_url,
            "collection": dataset.collection,
            "parties": dataset.parties,
            "retrieved_on": dataset.retrieved_on,
        },
        "licence": {
            "name": dataset.licence_name,
            "url": dataset.licence_url,
            "attribution": dataset.attribution,
        },
        "method": dataset.method,
        "method_label": dataset.get_method_display() if dataset.method else "",
        "maori_data": dataset.maori_data,
        "kaitiaki_group": dataset.kaitiaki_group,
        "latest_version": latest,
        "url": request.build_absolute_uri(
            reverse("commons_dataset", kwargs={"slug": dataset.slug})
        ),
    }


def _version(version: Version) -> dict[str, Any]:
    return {
        "number": version.number,
        "published_at": version.published_at,
        "row_count": version.row_count,
        "source_file": version.source_file,
    }


def _code(code: Code) -> dict[str, Any]:
    return {"id": code.pk, "code": code.code, "label": code.label}


def _cohort(series: Series) -> dict[str, Any]:
    return {"id": series.pk, "key": series.key, "label": series.label}


def _number(value: Decimal | None) -> int | float | None:
    """1203, not "1203.000000"; a rate as a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _cell(key: selectors.CellKey) -> dict[str, str]:
    return {
        "indicator": key.indicator,
        "area": key.area,
        "cohort": key.series,
        "period": key.period,
    }


def _published(cell: tuple[Decimal | None, str | None]) -> dict[str, Any]:
    return {"value": _number(cell[0]), "status": cell[1]}


def _observation(cell: published.Published) -> dict[str, Any]:
    return {
        "indicator": cell.indicator.code,
        "area": _code(cell.area),
        "cohort": _cohort(cell.cohort),
        "period": _code(cell.period),
        "value": _number(cell.value.value),
        "status": cell.value.status,
        "reason": cell.value.reason,
    }


# --- the data-use register -------------------------------------------------------------------


class RegisterFilters(Input):
    dataset: Slug | None = Field(None, description="A dataset's slug.")
    organisation: Slug | None = Field(None, description="The using organisation's slug.")
    community: Annotated[str, StringConstraints(pattern="^maori$")] | None = Field(
        None, description="`maori`: uses of data about Māori (Māori data, or a Māori code)."
    )
    area: Annotated[str, StringConstraints(max_length=255)] | None = Field(
        None, description="An area's label: uses that named it, or named no area (all areas)."
    )


class ApprovalOut(Schema):
    role: str
    by: str
    organisation: str
    reason: str
    at: datetime


class RegisterEntryOut(Schema):
    id: int
    url: str
    person: str
    organisation: OrganisationOut | None
    dataset: str
    dataset_slug: str
    versions: list[int]
    project: str
    project_id: int
    purpose: dict[str, str]
    areas: list[str]
    cohorts: list[str]
    approved_by: list[ApprovalOut]
    rules_version: int
    starts_on: date | None
    ends_on: date | None


@router.get("/register", response={200: list[RegisterEntryOut], **READ_ERRORS}, tags=TAGS)
def register_list(request: HttpRequest, filters: Query[RegisterFilters]) -> list[dict[str, Any]]:
    """The public data-use register: every approved restricted use, newest first (the 200
    newest), with who, which dataset and versions, which project and declared purpose, who
    approved it under which rules version, and from when to when. The same filters as the
    register page; an unknown dataset or organisation is a 404."""
    params = filters.dict(exclude_none=True)
    try:
        chosen = register.parse(params)
    except (Dataset.DoesNotExist, Organisation.DoesNotExist) as exc:
        raise Http404("No such dataset or organisation.") from exc
    return [
        {
            "id": item.pk,
            "url": request.build_absolute_uri(reverse("commons_access", kwargs={"pk": item.pk})),
            "person": getattr(getattr(item.requester, "profile", None), "display_name", "")
            or item.requester.get_username(),
            "organisation": organisation_out(item.organisation),
            "dataset": item.dataset.title,
            "dataset_slug": item.dataset.slug,
            "versions": [v.number for v in item.versions.all()],
            "project": item.project.title,
            "project_id": item.project_id,
            "purpose": {name: getattr(item, name) for name in PURPOSE_FIELDS},
            "areas": [a.label for a in item.areas.all()],
            "cohorts": [c.label for c in item.cohorts.all()],
            "approved_by": [
                {
                    "role": d.role,
                    "by": getattr(getattr(d.by, "profile", None), "display_name", "")
                    or d.by.get_username(),
                    "organisation": str(d.organisation or ""),
                    "reason": d.reason,
                    "at": d.at,
                }
                for d in item.decisions.all()
            ],
            "rules_version": item.rules.number,
            "starts_on": item.starts_on,
            "ends_on": item.ends_on,
        }
        for item in register.entries(chosen)
    ]
