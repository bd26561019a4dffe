import pytest
from django.urls import reverse

from people.models import Profile
from realtime.models import Activity
from tests.factories import OrganisationFactory, ProfileFactory


@pytest.mark.django_db
def test_pages_need_sign_in(client, person):
    for url in [
        reverse("people_directory"),
        reverse("profile_detail", args=[person.user_id]),
        reverse("profile_edit"),
        reverse("organisation_list"),
        reverse("organisation_add"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_directory_query_count_is_fixed_whatever_the_page_size(
    client, person, django_assert_num_queries, count
):
    orgs = OrganisationFactory.create_batch(3)
    for i in range(count):
        ProfileFactory(organisation=orgs[i % 3])
    client.force_login(person.user)
    # session, user, header profile, unread notifications, count, page
    with django_assert_num_queries(6):
        response = client.get(reverse("people_directory"))
    assert len(response.context["page"].object_list) == min(count + 1, 24)


@pytest.mark.django_db
def test_directory_searches_name_organisation_and_role(client, person, colleague):
    other_org = OrganisationFactory(name="Ōtara School", short_name="OS")
    ProfileFactory(display_name="Losa Tuilagi", role_title="Teacher", organisation=other_org)
    client.force_login(person.user)

    def names(**params):
        response = client.get(reverse("people_directory"), params)
        return [p.display_name for p in response.context["page"]]

    assert names(q="losa") == ["Losa Tuilagi"]
    assert names(q="teacher") == ["Losa Tuilagi"]
    assert names(q="Ōtara") == ["Losa Tuilagi"]
    assert names(q="hannah social") == ["Hannah McKenzie"]
    assert names(organisation=other_org.slug) == ["Losa Tuilagi"]
    assert names(level="senior_leader") == []


@pytest.mark.django_db
def test_deactivated_people_are_not_listed_or_shown(client, person, colleague):
    colleague.user.is_active = False
    colleague.user.save()
    client.force_login(person.user)
    response = client.get(reverse("people_directory"))
    assert [p.display_name for p in response.context["page"]] == ["Aroha Ngata"]
    assert client.get(reverse("profile_detail", args=[colleague.user_id])).status_code == 404


@pytest.mark.django_db
def test_profile_edit_rejects_bad_input_and_changes_nothing(client, person):
    client.force_login(person.user)
    response = client.post(
        reverse("profile_edit"),
        {"display_name": "", "organisation": "", "role_title": "r" * 81, "level": "boss"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"display_name", "organisation", "role_title", "level"}
    person.refresh_from_db()
    assert person.display_name == "Aroha Ngata"
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_organisation_page_lists_its_people(client, person, colleague, organisation):
    client.force_login(person.user)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Aroha Ngata" in html and "Hannah McKenzie" in html
    assert client.get(reverse("organisation_detail", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_add_organisation_through_the_form(client, person):
    client.force_login(person.user)
    response = client.post(
        reverse("organisation_add"),
        {"name": "Kāpiti Foodbank", "short_name": "", "kind": "community", "region": "wellington"},
    )
    assert response.status_code == 302
    assert Activity.objects.get().verb == "organisation.added"
    again = client.post(
        reverse("organisation_add"),
        {"name": "Kāpiti Foodbank", "kind": "community", "region": "wellington"},
    )
    assert "already exists" in again.content.decode()
    assert Activity.objects.count() == 1


@pytest.mark.django_db
def test_seed_demo_is_idempotent(django_user_model):
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-logins")
    counts = (django_user_model.objects.count(), Profile.objects.count(), Activity.objects.count())
    assert counts[1] >= 40
    call_command("seed_demo", "--quiet-logins")
    assert counts == (
        django_user_model.objects.count(),
        Profile.objects.count(),
        Activity.objects.count(),
    )
    levels = set(Profile.objects.values_list("level", flat=True))
    assert levels == {choice for choice, _ in Profile.Level.choices}
