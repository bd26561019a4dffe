"""The demo's outcome data: the four real New Zealand datasets (the Ministry of Health's
vaccination files, the Whakamaua indicators and the Stats NZ table, with their provenance and
licences, from ``commons/data/``), kept by Health New Zealand – Waikato and imported and
published by its steward Kiri Walker.

Everything goes through the commons' own services: ``ensure_real_datasets`` creates each
dataset and imports its file as version 1, and ``publishing.publish_version`` puts every value
through the one confidentiality door and the check before publication — so the demo shows
exactly what a steward would have published, and the feed has the publications in it.
Idempotent: a dataset already there is left as it is, a version already published too.

Its governance, through the same services: Te Whare Āwhina Trust is the kaitiaki organisation
on the Whakamaua dataset's governing group (its steward Rangi Tipene approves restricted use of
that Māori data beside the steward, and answers the steward's proposal of new rules of use,
which waits for it), and the data-use register has one approved use to show — a
school's learning-support coordinator, leading an active project, given the unrounded first-dose
counts for Counties Manukau for 60 days.
"""

from typing import TextIO

from commons import access, publishing
from commons.datasets import ensure_real_datasets
from commons.models import AccessRequest, Code, Dataset, GoverningMember, RulesProposal, Version
from demo.people import email_for
from people.models import Organisation, User
from projects.models import Project

STEWARD_ORGANISATION = "Health New Zealand – Waikato"
STEWARD = "Kiri Walker"
KAITIAKI_ORGANISATION = "Te Whare Āwhina Trust"
WHAKAMAUA = "whakamaua-maori-health-indicators"
VACCINATIONS = "covid-vaccinations-by-week"
# The register's demo entry: who asks, for which project (demo/projects_data.py), what for.
USE_PERSON = "Amit Desai"
USE_PROJECT = "First-day absence calls in the family's own language"
USE_AREA = "Counties Manukau"
USE_DAYS = 60
USE_PURPOSE = {
    "what": "Weekly first-dose counts for Counties Manukau, every ethnic group, unrounded.",
    "why": "Rounded and hidden small counts blur the weeks when Pacific and Māori families "
    "in our school zone were reached; we want to time absence calls around clinic weeks.",
    "how": "We compare clinic weeks with the weeks our first-day absence calls went out, "
    "and report only rounded totals back to the project.",
    "who_sees": "The project's two analysts at Te Kura o Ōtara; no one else.",
    "how_long": "Sixty days; our working copy is deleted when the access ends.",
    "not_done": "No family, child or person is identified, and nothing is linked to "
    "school or health records.",
}

# Before Whakamaua's governing group: the steward organisation proposes that restricted access
# is for a year at most only where the kaitiaki group is told of each use's outcome; Te Whare
# Āwhina Trust has yet to answer.
RULES_PROPOSAL = {
    "who_may_ask": "A lead of an active project on Social Commons, for the project's own "
    "work, who agrees to report the use's outcome to the kaitiaki group.",
    "purposes": "Understanding and improving outcomes for Māori and their whānau in the "
    "project named in the request.",
    "never": "Trying to identify a person, family or whānau; joining the values to other data "
    "about people; using them to decide about a particular person; passing them to anyone not "
    "named in the request; publishing any value that has not been through the commons' "
    "confidentiality rules.",
    "max_days": 180,
    "reason": "At the March hui the kaitiaki group asked to hear what each use found; six "
    "months keeps a purpose current and the report-back near.",
}


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
    _governance(steward)
    after = _counts()
    added = {f"{name}_added": after[name] - before[name] for name in after}
    if stdout is not None:

        def uses(n: int) -> str:
            return f"{n} approved use{'' if n == 1 else 's'}"

        stdout.write(
            f"Demo outcome data: {added['datasets_added']} datasets, "
            f"{added['published_added']} published versions and {uses(added['uses_added'])} "
            f"added ({after['datasets']} datasets, {after['published']} published versions, "
            f"{uses(after['uses'])} in all)."
        )
    return {**added, **after}


def _governance(steward: User) -> None:
    """The kaitiaki organisation on Whakamaua's governing group, and the register's entry."""
    whakamaua = Dataset.objects.get(slug=WHAKAMAUA)
    kaitiaki = Organisation.objects.get(name=KAITIAKI_ORGANISATION)
    if not GoverningMember.objects.filter(dataset=whakamaua, organisation=kaitiaki).exists():
        access.governing_member_add(
            actor=steward, dataset=whakamaua, organisation=kaitiaki,
            role=GoverningMember.Role.KAITIAKI,
        )  # fmt: skip
    if not RulesProposal.objects.filter(dataset=whakamaua).exists():
        # A proposal before the group, so the rules page shows the kaitiaki group's turn.
        access.rules_propose(actor=steward, dataset=whakamaua, **RULES_PROPOSAL)
    vaccinations = Dataset.objects.get(slug=VACCINATIONS)
    if AccessRequest.objects.filter(dataset=vaccinations).exists():
        return
    person = User.objects.get(email=email_for(USE_PERSON))
    project = Project.objects.get(title=USE_PROJECT)
    area = Code.objects.get(dimension__dataset=vaccinations, dimension__role="area", code=USE_AREA)
    request = access.request_create(
        actor=person, dataset=vaccinations, project=project,
        versions=[vaccinations.versions.get(number=1)], days=USE_DAYS, areas=[area],
        **USE_PURPOSE,
    )  # fmt: skip
    access.decide(
        actor=steward, access=request, approve=True,
        reason="A clear purpose within the rules of use; only Counties Manukau, for 60 days.",
    )  # fmt: skip


def _counts() -> dict[str, int]:
    return {
        "datasets": Dataset.objects.count(),
        "published": Version.objects.filter(status=Version.Status.PUBLISHED).count(),
        "uses": AccessRequest.objects.filter(status=AccessRequest.Status.APPROVED).count(),
    }
