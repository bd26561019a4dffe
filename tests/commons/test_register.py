# ruff: noqa: F811 - the governance fixtures imported below are used as arguments
"""The public data-use register: every approved access, to everyone signed in, with who, which
dataset and versions, which project and purpose, approved by whom, under which rules version,
from when to when; filters by dataset, organisation and community (data about Māori, in an
area) and an RSS feed for each. Pending and declined requests are not in it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commons import access
from tests.commons.governance import (  # noqa: F401 - fixtures, used as arguments
    PURPOSE,
    ask,
    kaitiaki_org,
    kaitiaki_steward,
    lead,
    make_project,
    maori_dataset,
    other_org,
    project,
    version,
)
from tests.factories import OrganisationFactory, ProfileFactory


@pytest.fixture
def reader(client, db):
    """A person from an organisation with nothing to do with the data."""
    outsider = ProfileFactory(display_name="Sam Outsider", organisation=OrganisationFactory())
    client.force_login(outsider.user)
    return client


def _areas(dataset, label):
    return [a for a in access.area_codes(dataset) if a.label == label]


@pytest.fixture
def uses(lead, maori_dataset, project, version, kaitiaki, kaitiaki_steward, make_dataset,
         do_import):  # fmt: skip
    """An approved use of Māori data about Waikato, a pending one, a declined one, and an
    approved use of another (not Māori) dataset about Capital and Coast."""
    waikato = ask(
        lead, maori_dataset, project, version, areas=_areas(maori_dataset, "Waikato"),
        why="To see which weeks Waikato outreach reached whānau aged 25 to 29.",
    )  # fmt: skip
    access.decide(actor=kaitiaki, access=waikato, approve=True, reason="Within the rules.")
    waikato = access.decide(
        actor=kaitiaki_steward, access=waikato, approve=True, reason="Ae, tautoko."
    )
    ask(lead, maori_dataset, project, version, why="A pending request, not approved yet.")
    declined = ask(lead, maori_dataset, project, version, why="A declined request, refused.")
    access.decide(actor=kaitiaki, access=declined, approve=False, reason="Not needed.")

    from tests.commons.governance import publish

    other = make_dataset(slug="other", title="Injuries by region")
    other_version = publish(other, do_import, kaitiaki)
    second_lead = ProfileFactory(display_name="Ana Wellington").user
    capital = ask(
        second_lead, other, make_project(second_lead), other_version,
        areas=_areas(other, "Capital and Coast"),
        why="To plan services in Capital and Coast with the unrounded counts.",
    )  # fmt: skip
    capital = access.decide(actor=kaitiaki, access=capital, approve=True, reason="Fine.")
    return waikato, capital


def _page(reader, **params):
    response = reader.get(reverse("commons_register"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_everyone_signed_in_sees_each_approved_use_with_its_whole_story(reader, uses):
    waikato, _ = uses
    page = _page(reader)
    for text in (
        "Mere Lead (Waikato Health Trust)", "Vaccinations by week", "Vaccination outreach",
        "To see which weeks Waikato outreach reached whānau aged 25 to 29.",
        "Rangi Tipene (Porirua Whānau Centre, steward)",
        "Whetu Kaitiaki (Te Rōpū Kaitiaki, kaitiaki group)", "rules of use, version 1",
        f"{waikato.starts_on:%-d %B %Y} — {waikato.ends_on:%-d %B %Y}", "Waikato",
        "Ana Wellington",
    ):  # fmt: skip
        assert text in page, text
    assert "A pending request" not in page and "A declined request" not in page


def test_the_register_filters_by_dataset_and_organisation(reader, uses, other_org):
    by_dataset = _page(reader, dataset="other")
    assert "Ana Wellington" in by_dataset and "Mere Lead" not in by_dataset
    by_org = _page(reader, organisation=other_org.slug)
    assert "Mere Lead" in by_org and "Ana Wellington" not in by_org
    assert "Uses of restricted data by Waikato Health Trust" in by_org
    assert reader.get(reverse("commons_register"), {"dataset": "nope"}).status_code == 404


def test_uses_of_data_about_maori_in_waikato(reader, uses):
    page = _page(reader, community="maori", area="Waikato")
    assert "Uses of restricted data about Māori in Waikato" in page
    assert "Mere Lead" in page and "Ana Wellington" not in page
    # Capital and Coast: the Waikato request named Waikato only, so it is not a use there; the
    # other dataset is not flagged Māori data but has a Māori ethnicity code, so it counts.
    capital = _page(reader, community="maori", area="Capital and Coast")
    assert "Mere Lead" not in capital and "Ana Wellington" in capital


def test_a_use_that_named_no_area_covers_every_area(reader, lead, dataset, project, version,
                                                    kaitiaki):  # fmt: skip
    made = ask(lead, dataset, project, version)
    access.decide(actor=kaitiaki, access=made, approve=True, reason="Fine.")
    assert "Mere Lead" in _page(reader, area="Waikato")


def test_each_filter_has_a_feed(reader, uses, other_org):
    query = {"community": "maori", "area": "Waikato"}
    feed = reader.get(reverse("commons_register_feed"), query)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/rss+xml")
    body = feed.content.decode()
    assert "Uses of restricted data about Māori in Waikato" in body and "Mere Lead" in body
    assert "Ana Wellington" not in body and "rules version 1" in body
    page = _page(reader, organisation=other_org.slug)
    assert f"feed/?organisation={other_org.slug}" in page


def test_an_approved_use_has_a_public_page(reader, uses):
    waikato, _ = uses
    page = reader.get(reverse("commons_access", kwargs={"pk": waikato.pk}))
    assert page.status_code == 200 and PURPOSE["not_done"] in page.content.decode()
    assert b"Your decision" not in page.content


def test_the_register_reads_a_fixed_number_of_queries(
    reader, lead, dataset, project, version, kaitiaki
):
    def approve_one():
        made = ask(lead, dataset, project, version)
        access.decide(actor=kaitiaki, access=made, approve=True, reason="Fine.")

    approve_one()
    with CaptureQueriesContext(connection) as one:
        _page(reader)
    for _ in range(4):
        approve_one()
    with CaptureQueriesContext(connection) as five:
        assert _page(reader).count("Mere Lead (Waikato Health Trust)") == 5
    assert len(five) == len(one)
