"""Every write about the commons' datasets: keyword-only, atomic, permission first, validated.

Publishing a version (running the confidentialisation rules and the checker, storing
``shown_value`` and ``status``) is wired in on top of these; ``require_publishable`` is the
dataset-level half of it.
"""

import os
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commons import importing, permissions
from commons.models import Code, Dataset, Dimension, Indicator, Version
from people.models import Organisation, User

DATASET_FIELDS = (
    "title",
    "description",
    "source_name",
    "source_url",
    "collection",
    "parties",
    "retrieved_on",
    "licence_name",
    "licence_url",
    "attribution",
    "method",
    "suppression_tokens",
    "maori_data",
    "kaitiaki_group",
)


# Fixed addresses under /data/ (commons/urls.py): a dataset with one of these slugs would be
# out of reach.
RESERVED_SLUGS = frozenset({"cite", "citations", "measures", "register", "access", "rules", "new"})


@transaction.atomic
def dataset_create(
    *,
    actor: User,
    steward: Organisation,
    slug: str,
    mapping: importing.Mapping,
    **fields: Any,
) -> Dataset:
    """A new dataset kept by ``steward``: only a steward of that organisation may create one
    (the kaitiaki decide what their organisation looks after)."""
    unknown = set(fields) - set(DATASET_FIELDS)
    if unknown:
        raise TypeError(f"dataset_create() got unexpected fields: {', '.join(sorted(unknown))}")
    if not permissions.is_steward_of(actor, steward):
        raise PermissionDenied("Only a steward of the organisation can add its datasets.")
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"“{slug}” is a page of the outcome data; choose another."})
    mapping.validate()
    dataset = Dataset(
        slug=slug, steward=steward, mapping=mapping.to_dict(), created_by=actor, **fields
    )
    dataset.full_clean()
    dataset.save()
    return dataset


def require_publishable(dataset: Dataset) -> None:
    """A dataset's versions may be published only when its provenance, licence, steward and
    confidentiality method are filled; the error names what is missing."""
    missing = dataset.missing_for_publication()
    if missing:
        raise ValidationError(
            f"“{dataset.title}” cannot be published until it has: {'; '.join(missing)}."
        )


def _structure(
    dataset: Dataset, mapping: importing.Mapping
) -> tuple[dict[str, Dimension], dict[str, Indicator]]:
    """The dataset's dimensions and indicators as the mapping declares them, created or brought
    up to date. An indicator's kind never changes under its earlier versions: the rules that
    confidentialise it depend on it."""
    dimensions: dict[str, Dimension] = {}
    for position, spec in enumerate(mapping.dimensions):
        dimension, _ = Dimension.objects.update_or_create(
            dataset=dataset,
            code=spec.code,
            defaults={"name": spec.name, "role": spec.role, "position": position},
        )
        dimensions[spec.code] = dimension
    existing = {i.code: i for i in Indicator.objects.filter(dataset=dataset)}
    indicators: dict[str, Indicator] = {}
    for position, ispec in enumerate(mapping.indicators):
        indicator = existing.get(ispec.code)
        if indicator is not None and indicator.kind != ispec.kind:
            raise ValidationError(
                f"Indicator “{ispec.name}” is a {indicator.kind} in earlier versions; a new "
                f"version cannot make it a {ispec.kind}."
            )
        if indicator is None:
            indicator = Indicator(dataset=dataset, code=ispec.code, kind=ispec.kind)
        indicator.name = ispec.name
        indicator.unit = ispec.unit
        indicator.description = ispec.description
        indicator.position = position
        indicator.base = None
        indicator.save()
        indicators[ispec.code] = indicator
    for ispec in mapping.indicators:
        if ispec.base:
            indicators[ispec.code].base = indicators[ispec.base]
            indicators[ispec.code].save(update_fields=["base"])
    return dimensions, indicators


def _order_periods(dimension: Dimension) -> None:
    """Periods in time order (a financial 2019/20 after the calendar 2019), whatever order the
    file met them in."""
    periods = list(Code.objects.filter(dimension=dimension).order_by("starts_on", "code"))
    for position, code in enumerate(periods):
        code.position = position
    Code.objects.bulk_update(periods, ["position"], batch_size=1000)


def import_version(
    *,
    actor: User,
    dataset: Dataset,
    source: IO[bytes],
    file_name: str,
    mapping: importing.Mapping | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> Version:
    """Import ``source`` (a binary file) as the dataset's next version, all or nothing: one bad
    row raises ``importing.ImportRefused`` naming its row and column, and no version, code,
    cohort or observation is left behind. Only a steward of the dataset's organisation imports.
    Earlier versions are untouched."""
    if not permissions.is_steward(actor, dataset):
        raise PermissionDenied("Only a steward of the dataset's organisation can import it.")
    mapping = mapping or importing.Mapping.from_dict(dataset.mapping)
    mapping.validate()
    bytes_total = _size(source)
    with transaction.atomic():
        # Lock the dataset: two imports at once would both take the same version number.
        Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
        number = (dataset.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        dimensions, indicators = _structure(dataset, mapping)
        version = Version.objects.create(
            dataset=dataset,
            number=number,
            imported_by=actor,
            imported_at=timezone.now(),
            source_file=os.path.basename(file_name)[:255],
            mapping=mapping.to_dict(),
        )
        rows, cells = importing.read_into(
            version=version,
            mapping=mapping,
            source=source,
            suppression_tokens=list(dataset.suppression_tokens),
            dimensions=dimensions,
            indicators=indicators,
            progress=progress,
            bytes_total=bytes_total,
        )
        period = next(d for d in mapping.dimensions if d.role == Dimension.Role.PERIOD)
        _order_periods(dimensions[period.code])
        version.row_count = rows
        version.cell_count = cells
        version.save(update_fields=["row_count", "cell_count"])
    return version


def _size(source: IO[bytes]) -> int:
    """The upload's size in bytes (0 when it cannot be told without reading it)."""
    size = getattr(source, "size", None)
    if isinstance(size, int):
        return size
    try:
        here = source.tell()
        end = source.seek(0, os.SEEK_END)
        source.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError):
        return 0
