"""The dataset page's steward panel: for a steward of the dataset, the link to import a new
version and their versions not published (drafts to publish, refused ones to read about). The
public dataset page stays the same for everyone else, and costs them no extra query."""

from typing import Any

from django import template

from commons import permissions
from commons.models import Dataset, Version

register = template.Library()


@register.inclusion_tag("commons/steward_panel.html", takes_context=True)
def steward_panel(context: dict[str, Any], dataset: Dataset) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not permissions.is_steward(user, dataset):
        return {"steward": False}
    unpublished = list(
        dataset.versions.exclude(status=Version.Status.PUBLISHED)
        .order_by("-number")
        .only("id", "dataset_id", "number", "status", "imported_at", "source_file", "row_count")
    )
    return {"steward": True, "dataset": dataset, "unpublished": unpublished}
