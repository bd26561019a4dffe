"""The people directory forgives accents and one slip (issue 8.2), on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import OrganisationFactory, ProfileFactory


@pytest.fixture
def people(db, person, colleague):
    marae = OrganisationFactory(name="Te Whare Tapa Whā Trust", short_name="TWTW")
    return {
        "ngaire": ProfileFactory(
            display_name="Ngaire Rāwiri", role_title="Kaiāwhina", organisation=marae
        ),
        "mere": ProfileFactory(display_name="Mere Rawlings", role_title="Interpreter"),
    }


def names(client, q):
    response = client.get(reverse("people_directory"), {"q": q})
    assert response.status_code == 200
    return [p.display_name for p in response.context["page"]]


@pytest.mark.django_db
def test_names_roles_and_organisations_are_found_without_accents(client, person, people):
    client.force_login(person.user)
    assert names(client, "ngaire rawiri") == ["Ngaire Rāwiri"]
    assert names(client, "RĀWIRI") == ["Ngaire Rāwiri"]
    assert names(client, "kaiawhina") == ["Ngaire Rāwiri"]
    assert names(client, "whare tapa wha") == ["Ngaire Rāwiri"]
    # The conftest organisation, "Porirua Whānau Centre"
    assert names(client, "whanau centre hannah") == ["Hannah McKenzie"]


@pytest.mark.django_db
def test_one_slip_is_forgiven_and_a_different_word_finds_nobody(client, person, people):
    client.force_login(person.user)
    assert names(client, "ngiare") == ["Ngaire Rāwiri"]  # swapped letters
    assert names(client, "intrepreter") == ["Mere Rawlings"]
    assert names(client, "rawlins") == ["Mere Rawlings"]  # a letter missing
    assert names(client, "spaceship") == []
    assert names(client, "ngiare spaceship") == []
    # Short words and first letters are not stretched: "rawiri" is not "Rawlings"
    assert names(client, "rawiri") == ["Ngaire Rāwiri"]


@pytest.mark.django_db
def test_a_search_costs_a_fixed_number_of_queries(
    client, person, people, django_assert_num_queries
):
    for n in range(30):
        ProfileFactory(display_name=f"Rāwiri {n}")
    client.force_login(person.user)
    # session, user, header profile, unread notifications, count, page — and on PostgreSQL the
    # words one slip away from those typed, from the lexicon (core.search)
    with django_assert_num_queries(6 + (connection.vendor == "postgresql")):
        response = client.get(reverse("people_directory"), {"q": "rawiri"})
    assert len(response.context["page"].object_list) == 24
