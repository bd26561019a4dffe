"""The demo's outcome data: the three real New Zealand datasets (the Ministry of Health's
vaccination files, the Whakamaua indicators and the Stats NZ table, with their provenance and
licences, from ``commons/data/``), kept by Health New Zealand – Waikato and imported and
published by its steward Kiri Walker.

Everything goes through the commons' own services: ``ensure_real_datasets`` creates each
dataset and imports its file as version 1, and ``publishing.publish_version`` puts every value
through the one confidentiality door and the check before publication — so the demo shows
exactly what a steward would have published, and the feed has the publications in it.
Idempotent: a dataset already there is left as it is, a version already published too.
"""

from typing import TextIO

from commons import publishing
from commons.datasets import ensure_real_datasets
from commons.models import Dataset, Version
from demo.people import email_for
from people.models import Organisation, User

STEWARD_ORGANISATION = "Health New Zealand – Waikato"
STEWARD = "Kiri Walker"


def seed_commons(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Create, import and publish the real datasets that are missing. Returns how many
    datasets and published versions there are, and how many of each this run added."""
    before = _counts()
    organisation = Organisation.objects.get(name=STEWARD_ORGANISATION)
    steward = User.objects.select_related("profile").get(email=email_for(STEWARD))
    for dataset in ensure_real_datasets(organisation, steward):
        first = dataset.versions.get(number=1)
        if first.status == Version.Status.DRAFT:
            published = publishing.publish_version(version=first, by=steward)
            if published.status != Version.Status.PUBLISHED:  # the real files pass the check
                raise RuntimeError(f"{dataset.title} v1 was refused: {published.findings[:3]}")
    after = _counts()
    added = {f"{name}_added": after[name] - before[name] for name in after}
    if stdout is not None:
        stdout.write(
            f"Demo outcome data: {added['datasets_added']} datasets and "
            f"{added['published_added']} published versions added ({after['datasets']} "
            f"datasets, {after['published']} published versions in all)."
        )
    return {**added, **after}


def _counts() -> dict[str, int]:
    return {
        "datasets": Dataset.objects.count(),
        "published": Version.objects.filter(status=Version.Status.PUBLISHED).count(),
    }
