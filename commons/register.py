"""The public data-use register (DESIGN.md section 8, rule 7): every approved restricted
access — who (person and organisation), which dataset and versions, for which project and
declared purpose, approved by whom, under which rules version, from when to when — for every
signed-in person, filtered by dataset, by organisation, or by community.

A **community** filter is honest about what it can know: "data about Māori" means a request
whose dataset is Māori data or has an ethnicity code labelled Māori; "in Waikato" means the
request named the area Waikato, or named no area at all (then it covered every area, Waikato
included).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from commons.models import AccessDecision, AccessRequest, Code, Dataset
from people.models import Organisation

MAORI = ("Māori", "Maori")
LIMIT = 200  # entries a page or feed shows, newest first


@dataclass(frozen=True)
class Filter:
    dataset: Dataset | None = None
    organisation: Organisation | None = None
    maori: bool = False
    area: str = ""  # an area's label, as the register shows it

    @property
    def title(self) -> str:
        """e.g. "Uses of restricted data about Māori in Waikato by Waikato Health Trust"."""
        title = "Uses of " + (self.dataset.title if self.dataset else "restricted data")
        if self.maori:
            title += " about Māori"
        if self.area:
            title += f" in {self.area}"
        if self.organisation is not None:
            title += f" by {self.organisation.name}"
        return title

    def query(self) -> dict[str, str]:
        params = {}
        if self.dataset is not None:
            params["dataset"] = self.dataset.slug
        if self.organisation is not None:
            params["organisation"] = self.organisation.slug
        if self.maori:
            params["community"] = "maori"
        if self.area:
            params["area"] = self.area
        return params


def parse(params: Any) -> Filter:
    """A filter from a query string; an unknown dataset or organisation is a 404 to the
    caller (it raises ``DoesNotExist``), an unknown community is ignored."""
    dataset = organisation = None
    if params.get("dataset"):
        dataset = Dataset.objects.get(slug=str(params["dataset"])[:120])
    if params.get("organisation"):
        organisation = Organisation.objects.get(slug=str(params["organisation"])[:120])
    area = str(params.get("area") or "").strip()[:255]
    return Filter(dataset, organisation, params.get("community") == "maori", area)


def approved_count(dataset: Dataset) -> int:
    """How many restricted uses of the dataset have been approved (its register entries)."""
    return AccessRequest.objects.filter(
        dataset=dataset, status=AccessRequest.Status.APPROVED
    ).count()


def entries(f: Filter, limit: int = LIMIT) -> list[AccessRequest]:
    """Approved accesses, newest first, with everything an entry shows in a fixed number of
    queries."""
    rows: QuerySet = AccessRequest.objects.filter(status=AccessRequest.Status.APPROVED)
    if f.dataset is not None:
        rows = rows.filter(dataset=f.dataset)
    if f.organisation is not None:
        rows = rows.filter(organisation=f.organisation)
    if f.maori:
        maori_code = Code.objects.filter(
            dimension__dataset=OuterRef("dataset"),
            dimension__role="ethnicity",
        ).filter(Q(label__in=MAORI) | Q(code__in=MAORI))
        rows = rows.filter(Q(dataset__maori_data=True) | Exists(maori_code))
    if f.area:
        named = AccessRequest.areas.through.objects.filter(accessrequest=OuterRef("pk"))
        rows = rows.filter(
            ~Exists(named) | Exists(named.filter(Q(code__label=f.area) | Q(code__code=f.area)))
        )
    return list(
        rows.select_related("dataset", "project", "organisation", "rules", "requester__profile")
        .prefetch_related(
            "versions",
            "areas",
            "cohorts",
            Prefetch(
                "decisions",
                queryset=AccessDecision.objects.filter(approved=True).select_related(
                    "by__profile", "organisation"
                ),
            ),
        )
        .order_by("-decided_at", "-id")[:limit]
    )
