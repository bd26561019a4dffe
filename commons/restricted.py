"""Restricted values: the stored (unrounded) values of a dataset, for the person granted access
to it while that access lasts. Besides importing and publishing, this is the only module that
reads ``Observation.value``, ``lower`` and ``upper``; every read is checked against the access
(``access.require_current``) and recorded as "access.used" in the audit chain, in the same
transaction, so no use goes unlogged.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from commons import access as access_rules
from commons import audit
from commons.models import AccessRequest, Indicator, Observation, Version

PAGE_SIZE = 200


@dataclass(frozen=True)
class Row:
    id: int
    area: str
    cohort: str
    period: str
    value: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    shown_value: Decimal | None
    status: str | None
    flags: str


@dataclass
class Page:
    rows: list[Row]
    next_after: int | None


@transaction.atomic
def read(
    *,
    user: Any,
    access: AccessRequest,
    version: Version,
    indicator: Indicator,
    area_id: int | None = None,
    after: int = 0,
) -> Page:
    """One page of stored values of ``indicator`` in ``version`` (one of the versions the access
    names), limited to the areas and cohorts the request named, if it named any."""
    access_rules.require_current(user, access)
    if not access.versions.filter(pk=version.pk).exists():
        raise PermissionDenied("This access does not cover that version.")
    if indicator.dataset_id != access.dataset_id:
        raise PermissionDenied("This access does not cover that indicator.")
    rows = Observation.objects.filter(version=version, indicator=indicator, id__gt=after)
    area_ids = list(access.areas.values_list("pk", flat=True))
    cohort_ids = list(access.cohorts.values_list("pk", flat=True))
    if area_ids:
        rows = rows.filter(area_id__in=area_ids)
    if cohort_ids:
        rows = rows.filter(series_id__in=cohort_ids)
    if area_id is not None:
        rows = rows.filter(area_id=area_id)
    found = list(
        rows.order_by("id").values_list(
            "id", "area__label", "series__label", "period__label", "value", "lower", "upper",
            "shown_value", "status", "flags",
        )[: PAGE_SIZE + 1]
    )  # fmt: skip
    more = len(found) > PAGE_SIZE
    page = [Row(*values) for values in found[:PAGE_SIZE]]
    audit.record(
        action="access.used",
        actor=user,
        dataset=access.dataset,
        obj=access,
        details={
            "version": version.number,
            "indicator": indicator.pk,
            "area": area_id,
            "after": after,
            "rows": len(page),
        },
    )
    return Page(page, page[-1].id if more else None)
