"""The demo loads the four real datasets, kept by Health New Zealand – Waikato, each with its
provenance and licence and version 1 published by its steward; a second run adds nothing."""

import pytest
from django.core.management import call_command

from commons.datasets import REAL_DATASETS
from commons.models import Dataset, Observation, Version
from realtime.models import Activity


def _counts() -> dict[str, int]:
    return {
        "datasets": Dataset.objects.count(),
        "versions": Version.objects.count(),
        "observations": Observation.objects.count(),
        "published": Activity.objects.filter(verb="commons.version_published").count(),
    }


@pytest.mark.django_db
def test_the_demo_publishes_the_four_real_datasets_once():
    call_command("seed_demo", "--quiet-logins")
    datasets = list(Dataset.objects.select_related("steward", "created_by__profile"))
    assert {d.slug for d in datasets} == {r.slug for r in REAL_DATASETS}
    assert len(datasets) == 4
    for dataset in datasets:
        assert dataset.steward.name == "Health New Zealand – Waikato"
        assert dataset.created_by.profile.display_name == "Kiri Walker"
        assert dataset.missing_for_publication() == [], dataset
        assert dataset.source_name and dataset.collection and dataset.parties
        assert dataset.licence_name and dataset.attribution
        version = dataset.versions.get()
        assert version.number == 1 and version.status == Version.Status.PUBLISHED, version
        assert version.published_at is not None and version.row_count > 0
        # every cell has its published status; none is left unpublished by accident
        assert not version.observations.filter(status__isnull=True).exists()
    first = _counts()
    assert first["published"] == 4  # the feed has each publication
    activities = Activity.objects.filter(verb="commons.version_published")
    assert {a.actor_name for a in activities} == {"Kiri Walker"}
    assert {a.scope for a in activities} == {"public"}

    call_command("seed_demo", "--quiet-logins")
    assert _counts() == first
    # Its governance: Whakamaua's kaitiaki organisation, and one approved use in the register.
    from django.test import Client
    from django.urls import reverse

    from commons.models import AccessRequest, GoverningMember

    whakamaua = Dataset.objects.get(slug="whakamaua-maori-health-indicators")
    kaitiaki = GoverningMember.objects.get(dataset=whakamaua)
    assert kaitiaki.role == "kaitiaki" and kaitiaki.organisation.name == "Te Whare Āwhina Trust"
    use = AccessRequest.objects.get(status="approved")
    assert use.project.status == "active" and use.ends_on > use.starts_on
    reader = Client()
    reader.force_login(use.requester)
    register = reader.get(reverse("commons_register")).content.decode()
    assert "Amit Desai" in register and use.dataset.title in register
    # A proposal of new rules waits for the kaitiaki organisation, on the rules page.
    from commons.models import RulesProposal

    proposal = RulesProposal.objects.get(dataset=whakamaua)
    assert proposal.status == "open" and proposal.answers.count() == 1
    rules_page = reader.get(reverse("commons_rules", kwargs={"slug": whakamaua.slug}))
    assert "Te Whare Āwhina Trust: <em>awaited</em>" in rules_page.content.decode()
